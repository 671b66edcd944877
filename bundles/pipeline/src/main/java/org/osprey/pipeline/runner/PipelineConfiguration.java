package org.osprey.pipeline.runner;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Osprey pipeline", description = "Watches one camera with one model and says what changed.")
public @interface PipelineConfiguration {

    @AttributeDefinition(name = "Camera", description = "camera.id of the camera to watch")
    String camera();

    @AttributeDefinition(name = "Model", description = "model name; empty: the newest model installed. The newest version of the name is used, so model updates are followed.")
    String model() default "";

    @AttributeDefinition(name = "Frames per second", min = "0.01", description = "At most this many frames are processed per second; when the model is slower, the newest frame is taken and the others counted as dropped.")
    double fps() default 2.0;

    @AttributeDefinition(name = "Minimum score", min = "0", max = "1", description = "predictions below this score (0 to 1) are ignored")
    float minScore() default 0.5f;

    @AttributeDefinition(name = "Frames to appear", min = "1", description = "consecutive frames an object must be seen before an event")
    int appearFrames() default 2;

    @AttributeDefinition(name = "Frames to leave", min = "1", description = "consecutive frames it must be missing before it left")
    int leaveFrames() default 3;

    @AttributeDefinition(name = "Labels", description = "labels to track; empty: all")
    String[] labels() default {};

    @AttributeDefinition(name = "Zones", description = "name: x,y x,y x,y ... (corners in fractions of the image); an object is in a zone when the bottom-centre of its box is")
    String[] zones() default {};
}
