package org.osprey.camera.javacv;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Osprey camera: video (FFmpeg)", description = "A webcam, a network stream or a video file, read through FFmpeg.")
public @interface VideoCameraConfiguration {

    @AttributeDefinition(name = "Camera id", description = "camera.id the pipeline finds this camera by")
    String camera_id();

    @AttributeDefinition(name = "Source", description = "/dev/video0 (a webcam), rtsp://, http:// (an MJPEG or other stream), or a video file")
    String source();

    @AttributeDefinition(name = "Format", description = "FFmpeg input format when it cannot be guessed: v4l2 for webcams, mjpeg for MJPEG over HTTP; empty: guess")
    String format() default "";

    @AttributeDefinition(name = "Width", min = "0", description = "asked of webcams; 0: the device's own")
    int width() default 0;

    @AttributeDefinition(name = "Height", min = "0", description = "asked of webcams; 0: the device's own")
    int height() default 0;

    @AttributeDefinition(name = "Frames per second", min = "0", description = "asked of webcams; files play at their own rate; 0: the source's own")
    double fps() default 0;

    @AttributeDefinition(name = "Loop", description = "play a video file again from the start when it ends; otherwise the camera ends")
    boolean loop() default true;

    @AttributeDefinition(name = "Stall (seconds)", min = "0", description = "a stream open but without a new frame for this long is stalled: "
            + "closed and opened again (FFmpeg's I/O timeouts are set to it); 0: the larger of 5 s and 10 frame intervals")
    double stallSeconds() default 0;

    @AttributeDefinition(name = "FFmpeg options", description = "key=value options for FFmpeg, e.g. rtsp_transport=tcp; threads=auto decodes on several threads (default: one per camera)")
    String[] options() default {};
}
