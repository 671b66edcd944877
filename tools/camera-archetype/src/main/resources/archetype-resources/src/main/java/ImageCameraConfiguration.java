package ${package};

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** One camera per factory configuration: the web console edits it, a .cfg file in the deploy folder sets it. */
@ObjectClassDefinition(name = "${artifactId}: image camera", description = "Shows an image file to the pipeline, read again each time")
public @interface ImageCameraConfiguration {

    @AttributeDefinition(name = "Camera id", description = "camera.id the pipeline finds this camera by")
    String camera_id();

    @AttributeDefinition(name = "Image", description = "a JPEG, PNG or BMP file")
    String path();

    @AttributeDefinition(name = "Frames per second", min = "0.01")
    double fps() default 1.0;
}
