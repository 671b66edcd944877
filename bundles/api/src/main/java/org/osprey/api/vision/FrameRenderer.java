package org.osprey.api.vision;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;
import org.osprey.api.camera.Frame;

/**
 * Turns a camera's frame into a JPEG a person looks at: scaled down, with what a model saw drawn on it
 * (each prediction's box, label and score) and the zones outlined. Registered by the inference engine,
 * which has the image codecs; safe to call from any thread.
 *
 * @since 1.4
 */
@ProviderType
public interface FrameRenderer {

    /**
     * @param frame       a raw or encoded frame
     * @param predictions drawn as boxes with their label and score (those without a box are listed in a
     *                    corner); empty for a plain picture
     * @param regions     outlined with their names; may be empty
     * @param maxWidth    the widest the picture may be, in pixels (it is scaled down, keeping its
     *                    proportions, never up); 0 for the frame's own size
     * @param quality     JPEG quality, 1 to 100
     * @return the JPEG file's bytes
     * @throws InferenceException with {@link InferenceException.Reason#BAD_IMAGE} when the frame cannot be
     *                            decoded, {@link InferenceException.Reason#IMAGE_TOO_LARGE} above the
     *                            engine's image limits
     */
    byte[] jpeg(Frame frame, List<Prediction> predictions, List<Region> regions, int maxWidth, int quality) throws InferenceException;
}
