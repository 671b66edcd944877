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
}
