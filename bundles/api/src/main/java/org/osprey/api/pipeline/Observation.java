package org.osprey.api.pipeline;

import java.util.List;
import java.util.Objects;

import org.osprey.api.camera.Frame;
import org.osprey.api.vision.InferenceResult;
import org.osprey.api.vision.Region;

/**
 * What a pipeline saw last: the frame the model ran on, what the model found in it, and the pipeline's
 * zones. Immutable; the frame is shared, not copied.
 *
 * @param frame  the frame
 * @param result the model's answer for it (every prediction, before the pipeline's label and score filters)
 * @param zones  the pipeline's zones when the frame was processed
 * @since 1.1
 */
public record Observation(Frame frame, InferenceResult result, List<Region> zones) {

    public Observation {
        Objects.requireNonNull(frame, "frame");
        Objects.requireNonNull(result, "result");
        zones = List.copyOf(zones);
    }
}
