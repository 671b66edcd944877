package org.osprey.inference.onnx.decode;

import java.util.List;
import java.util.Map;

import org.osprey.api.vision.Prediction;
import org.osprey.inference.onnx.tensor.Geometry;

/**
 * Turns a model's raw outputs into predictions with boxes in fractions of the picture. Made once per
 * model by {@link Decoders}, which checks the model's outputs fit; then called concurrently.
 */
public interface OutputDecoder {

    List<Prediction> decode(Map<String, TensorData> outputs, Geometry geometry);

    /**
     * Inputs besides the image the model needs (the picture's size, for the ONNX model zoo's YOLOv3),
     * by name: {@code float[][]} or {@code int[][]} values.
     */
    default Map<String, Object> extraInputs(int imageWidth, int imageHeight) {
        return Map.of();
    }

    /** Names of the inputs {@link #extraInputs} gives. */
    default java.util.Set<String> extraInputNames() {
        return java.util.Set.of();
    }
}
