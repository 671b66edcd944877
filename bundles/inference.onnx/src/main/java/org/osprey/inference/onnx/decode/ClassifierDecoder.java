package org.osprey.inference.onnx.decode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.osprey.api.vision.Prediction;
import org.osprey.inference.onnx.model.Labels;
import org.osprey.inference.onnx.tensor.Geometry;

/**
 * One output of C class scores ([1,C] or [C]); the top results above the threshold, without boxes.
 * {@code activation}: {@code none} when the model already gives probabilities, {@code softmax} for
 * logits, {@code sigmoid} for independent (multi-label) logits.
 */
final class ClassifierDecoder implements OutputDecoder {

    enum Activation {
        NONE,
        SOFTMAX,
        SIGMOID
    }

    private final String output;
    private final Labels labels;
    private final Activation activation;
    private final float threshold;
    private final int top;

    ClassifierDecoder(String output, Labels labels, Activation activation, float threshold, int top) {
        this.output = output;
        this.labels = labels;
        this.activation = activation;
        this.threshold = threshold;
        this.top = top;
    }

    @Override
    public List<Prediction> decode(Map<String, TensorData> outputs, Geometry geometry) {
        TensorData t = outputs.get(output);
        float[] p = probabilities(t.values(), activation);
        List<Prediction> out = new ArrayList<>();
        for (int i = 0; i < p.length; i++) {
            if (p[i] >= threshold) {
                // a label map names its classes; their index is the one in the labels file
                String label = t.keys().isEmpty() ? labels.name(i) : t.keys().get(i);
                int index = t.keys().isEmpty() ? i : Math.max(0, labels.names().indexOf(label));
                out.add(Prediction.of(label, index, Math.max(0f, Math.min(1f, p[i])), null));
            }
        }
        out.sort((a, b) -> Float.compare(b.score(), a.score()));
        return out.size() > top ? List.copyOf(out.subList(0, top)) : out;
    }

    static float[] probabilities(float[] raw, Activation activation) {
        float[] p = new float[raw.length];
        switch (activation) {
            case SOFTMAX -> {
                float maxLogit = Float.NEGATIVE_INFINITY;
                for (float v : raw) {
                    maxLogit = Math.max(maxLogit, v);
                }
                double sum = 0;
                for (int i = 0; i < raw.length; i++) {
                    p[i] = (float) Math.exp(raw[i] - maxLogit);
                    sum += p[i];
                }
                for (int i = 0; i < p.length; i++) {
                    p[i] /= (float) sum;
                }
            }
            case SIGMOID -> {
                for (int i = 0; i < raw.length; i++) {
                    p[i] = (float) (1 / (1 + Math.exp(-raw[i])));
                }
            }
            case NONE -> System.arraycopy(raw, 0, p, 0, raw.length);
        }
        return p;
    }
}
