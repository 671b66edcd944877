package org.osprey.camera.snapshot;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Osprey camera: snapshot URL", description = "An IP camera that serves its current picture as a JPEG at a URL.")
public @interface SnapshotCameraConfiguration {

    @AttributeDefinition(name = "Camera id", description = "camera.id the pipeline finds this camera by")
    String camera_id();

    @AttributeDefinition(name = "URL", description = "http(s) URL of the snapshot, e.g. http://192.168.1.20/snapshot.jpg")
    String url();

    @AttributeDefinition(name = "Frames per second", min = "0.01", description = "how often the snapshot URL is fetched")
    double fps() default 1.0;

    @AttributeDefinition(name = "User", description = "for cameras behind HTTP Basic authentication; empty: none")
    String user() default "";

    @AttributeDefinition(name = "Password", type = org.osgi.service.metatype.annotations.AttributeType.PASSWORD, description = "for HTTP Basic at the camera; never logged")
    String _password() default "";

    @AttributeDefinition(name = "Timeout (seconds)", min = "1", description = "longest wait for one snapshot; a camera that does not answer in time is failing")
    int timeoutSeconds() default 5;
}
