package org.osprey.api.pipeline;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** A running pipeline: what it watches, with which model, and how it keeps up. Safe from any thread. */
@ProviderType
public interface CameraPipeline {

    /** Service property: the camera the pipeline watches (String). */
    String CAMERA_ID = "camera.id";

    String cameraId();

    PipelineStatus status();

    /**
     * The newest frame the model has run on, with its result and the zones; empty before the first. Costs
     * nothing to keep: the pipeline holds the frame it has processed anyway.
     *
     * @since 1.1
     */
    Optional<Observation> latest();
}
