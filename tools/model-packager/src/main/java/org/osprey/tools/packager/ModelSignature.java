package org.osprey.tools.packager;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.osprey.inference.onnx.decode.TensorData;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;

/** What the packager reads from the model itself: inputs, outputs and metadata. */
public record ModelSignature(Map<String, long[]> inputs, Map<String, long[]> outputs, Map<String, String> metadata) {

    /** A dynamic batch dimension (nearly every real export has one) is read as 1: the gateway sends one image at a time. */
    public ModelSignature {
        inputs = batchOfOne(inputs);
        outputs = batchOfOne(outputs);
    }

    private static Map<String, long[]> batchOfOne(Map<String, long[]> shapes) {
        Map<String, long[]> out = new LinkedHashMap<>();
        shapes.forEach((name, shape) -> {
            long[] s = shape;
            if (shape.length >= 2 && shape[0] < 0 && shape != TensorData.LABEL_MAP) {
                s = shape.clone();
                s[0] = 1;
            }
            out.put(name, s);
        });
        return out;
    }

    public static ModelSignature read(Path onnx) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setSessionLogLevel(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            try (OrtSession s = env.createSession(onnx.toString(), options)) {
                return new ModelSignature(shapes(s.getInputInfo()), shapes(s.getOutputInfo()), s.getMetadata().getCustomMetadata());
            }
        }
    }

    private static Map<String, long[]> shapes(Map<String, NodeInfo> nodes) {
        Map<String, long[]> out = new LinkedHashMap<>();
        nodes.forEach((name, node) -> out.put(name, node.getInfo() instanceof TensorInfo t ? t.getShape()
                : node.getInfo() instanceof ai.onnxruntime.SequenceInfo seq && seq.isSequenceOfMaps() ? TensorData.LABEL_MAP : new long[0]));
        return out;
    }

    /** The single rank-4 input, or null when there is none or more than one. */
    public String imageInput() {
        String found = null;
        for (Map.Entry<String, long[]> e : inputs.entrySet()) {
            if (e.getValue().length == 4) {
                if (found != null) {
                    return null;
                }
                found = e.getKey();
            }
        }
        return found;
    }

    /** BlazeFace's signature: score outputs [1,N,1] and regressor outputs [1,N,16]. */
    public boolean looksLikeBlazeFace() {
        return outputs.size() >= 2 && outputs.values().stream().allMatch(s -> s.length == 3 && (s[2] == 1 || s[2] == 16));
    }

    /**
     * A classifier's signature: one output with one non-trivial dimension, or a label-to-score map
     * (older Azure Custom Vision exports: {@code classLabel} and {@code loss}).
     */
    public boolean looksLikeClassifier() {
        if (outputs.values().stream().anyMatch(s -> s == TensorData.LABEL_MAP)) {
            return true;
        }
        return outputs.size() == 1 && Arrays.stream(outputs.values().iterator().next()).filter(d -> d != 1).count() == 1;
    }

    public String describe() {
        StringBuilder sb = new StringBuilder("inputs");
        inputs.forEach((n, s) -> sb.append(' ').append(n).append(Arrays.toString(s)));
        sb.append(", outputs");
        outputs.forEach((n, s) -> sb.append(' ').append(n).append(Arrays.toString(s)));
        return sb.toString();
    }
}
