package org.osprey.camera.files;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Osprey camera: files", description = "A camera made of image files: one image, a folder, the bundled samples, or a test pattern.")
public @interface FileCameraConfiguration {

    @AttributeDefinition(name = "Camera id", description = "camera.id other components (the pipeline) find this camera by")
    String camera_id();

    @AttributeDefinition(name = "Path", description = "an image file or a folder of images (JPEG, PNG, BMP; read in name order);"
            + " 'samples' for the photos shipped with Osprey; 'testpattern' for moving colour bars")
    String path() default "samples";

    @AttributeDefinition(name = "Frames per second", min = "0.01", description = "how often a new frame is ready")
    double fps() default 2.0;

    @AttributeDefinition(name = "Loop", description = "start again after the last image; otherwise the camera ends")
    boolean loop() default true;
}
