package org.osprey.api.vision;

import org.osgi.annotation.versioning.ProviderType;
import org.osprey.api.camera.Frame;

/**
 * A loaded model, ready to run. Registered as a service by the inference engine, one per model bundle,
 * with the properties {@link #NAME}, {@link #VERSION} and {@link #TASK}.
 * <p>
 * <b>Threading.</b> {@link #infer} is safe to call from many threads at once. An inference that has
 * started when the model's bundle is updated or removed completes on the old model; calls that arrive
 * after the service was unregistered fail with {@link InferenceException.Reason#MODEL_UNAVAILABLE}.
 * <p>
 * Implemented by the inference engine only; consumers look it up, they do not implement it.
 */
@ProviderType
public interface Model {

    /** Service property: the model's name, shared by all its versions (String). */
    String NAME = "model.name";
    /** Service property: the model bundle's version (String, an OSGi version). */
    String VERSION = "model.version";
    /** Service property: {@code classification} or {@code detection}, see {@link Task#property()} (String). */
    String TASK = "model.task";

    /** @return what this model is; never null */
    ModelInfo info();

    /**
     * Runs the model on one frame, raw or encoded. The frame is not modified or retained.
     *
     * @return what the model found, with boxes relative to the frame's full image
     * @throws InferenceException with {@link InferenceException.Reason#BAD_IMAGE} if the frame cannot be
     *                            decoded, {@link InferenceException.Reason#MODEL_UNAVAILABLE} if the model
     *                            was closed, {@link InferenceException.Reason#INTERNAL} otherwise
     */
    InferenceResult infer(Frame frame) throws InferenceException;
}
