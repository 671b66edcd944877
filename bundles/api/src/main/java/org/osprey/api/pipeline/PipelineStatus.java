package org.osprey.api.pipeline;

import java.util.Map;
import java.util.Objects;

import org.osprey.api.camera.SourceStatus;

/**
 * A pipeline's figures at one moment. Immutable.
 *
 * @param state           what the loop is doing: {@code running}, {@code waiting for camera},
 *                        {@code waiting for model}, {@code camera failed: <reason>}, {@code stopped}, or
 *                        {@code invalid configuration: <reason>} (the pipeline does not run)
 * @param camera          the camera's own status, null while there is no camera
 * @param targetFps       the configured frame rate
 * @param fps             frames processed per second, over the last few seconds
 * @param framesProcessed frames run through the model
 * @param framesDropped   frames the camera produced that the pipeline could not take because it was busy
 *                        with the model
 * @param errors          frames the model failed on
 * @param modelName       the model in use, null when none
 * @param modelVersion    its version, null when none
 * @param stageMillis     recent mean time per stage: capture, preprocess, inference, postprocess
 * @param framesSkipped   frames the camera produced that the pipeline left out as its configured rate asks
 *                        (since 1.1)
 * @param latencyP50Millis median time from a frame's capture to its events dispatched, over the recent
 *                        frames; 0 before any (since 1.1)
 * @param latencyP99Millis the same, 99th percentile (since 1.1)
 */
public record PipelineStatus(String state, SourceStatus camera, double targetFps, double fps, long framesProcessed, long framesDropped,
        long errors, String modelName, String modelVersion, Map<String, Double> stageMillis, long framesSkipped, double latencyP50Millis,
        double latencyP99Millis) {

    public PipelineStatus {
        Objects.requireNonNull(state, "state");
        stageMillis = Map.copyOf(stageMillis);
    }

    /** The figures of version 1.0: nothing skipped, latency unknown (0). */
    public PipelineStatus(String state, SourceStatus camera, double targetFps, double fps, long framesProcessed, long framesDropped, long errors,
            String modelName, String modelVersion, Map<String, Double> stageMillis) {
        this(state, camera, targetFps, fps, framesProcessed, framesDropped, errors, modelName, modelVersion, stageMillis, 0, 0, 0);
    }
}
