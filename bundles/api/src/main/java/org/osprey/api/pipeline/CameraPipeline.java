package org.osprey.api.pipeline;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;
import org.osprey.api.vision.Region;

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

    /**
     * The labels the pipeline makes events of: its configured labels, or else all the labels of the model
     * it uses now; empty while it has no model. For those who mirror its state elsewhere (Home Assistant).
     *
     * @since 1.2
     */
    default List<String> watchedLabels() {
        return List.of();
    }

    /**
     * The pipeline's zones, in configuration order.
     *
     * @since 1.2
     */
    default List<Region> zones() {
        return latest().map(Observation::zones).orElse(List.of());
    }
}
