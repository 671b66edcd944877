package org.osprey.api.pipeline;

import org.osgi.annotation.versioning.ProviderType;

/** A running pipeline: what it watches, with which model, and how it keeps up. Safe from any thread. */
@ProviderType
public interface CameraPipeline {

    /** Service property: the camera the pipeline watches (String). */
    String CAMERA_ID = "camera.id";

    String cameraId();

    PipelineStatus status();
}
