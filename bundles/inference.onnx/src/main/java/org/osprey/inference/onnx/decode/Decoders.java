package org.osprey.inference.onnx.decode;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.osprey.api.vision.Task;
import org.osprey.inference.onnx.model.Labels;
import org.osprey.inference.onnx.model.ModelDescriptor;
import org.osprey.inference.onnx.model.ModelLoadException;

/** The output decoders Osprey knows, by the name a descriptor gives in {@code decoder}. */
public final class Decoders {

    public static final List<String> NAMES = List.of("classifier", "blazeface");

    private Decoders() {
    }

    /**
     * A decoder for this model, after checking that its outputs are what the decoder reads.
     *
     * @param outputs the model's float outputs and their shapes (-1 for a dynamic dimension)
     */
    public static OutputDecoder create(ModelDescriptor d, Map<String, long[]> outputs, Labels labels)
            throws ModelLoadException {
        String name = d.decoder.toLowerCase(Locale.ROOT);
        switch (name) {
            case "classifier": {
                expectTask(d, Task.CLASSIFICATION);
                return classifier(d, outputs, labels);
            }
            case "blazeface": {
                expectTask(d, Task.DETECTION);
                int[] strides;
                try {
                    strides = Arrays.stream(d.option("strides", "8,16,16,16").split(","))
                            .map(String::strip).mapToInt(Integer::parseInt).toArray();
                } catch (NumberFormatException e) {
                    throw new ModelLoadException("options.strides must be comma-separated numbers, e.g. 8,16,16,16");
                }
                String label = labels.size() > 0 ? labels.name(0) : "face";
                return new BlazeFaceDecoder(d.input.width, d.input.height, strides, (int) d.option("anchorsPerLayer", 2f),
                        outputs, label, d.scoreThreshold, d.nmsIou, d.maxResults);
            }
            default:
                throw new ModelLoadException("unknown decoder '" + d.decoder + "'; this Osprey knows " + NAMES);
        }
    }

    private static OutputDecoder classifier(ModelDescriptor d, Map<String, long[]> outputs, Labels labels)
            throws ModelLoadException {
        String output = d.option("output", outputs.size() == 1 ? outputs.keySet().iterator().next() : null);
        if (output == null || !outputs.containsKey(output)) {
            throw new ModelLoadException("classifier decoder needs one output, or options.output naming one of "
                    + outputs.keySet());
        }
        long classes = Arrays.stream(outputs.get(output)).filter(v -> v != 1).reduce(1, (a, b) -> a * b);
        if (classes > 0 && classes != labels.size()) {
            throw new ModelLoadException("the labels file has " + labels.size() + " labels but output " + output
                    + " has " + classes + " classes");
        }
        ClassifierDecoder.Activation activation;
        try {
            activation = ClassifierDecoder.Activation.valueOf(d.option("activation", "none").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException("options.activation must be none, softmax or sigmoid");
        }
        return new ClassifierDecoder(output, labels, activation, d.scoreThreshold, d.maxResults);
    }

    private static void expectTask(ModelDescriptor d, Task task) throws ModelLoadException {
        if (d.taskValue() != task) {
            throw new ModelLoadException("decoder " + d.decoder + " is for " + task.property() + ", the descriptor says " + d.task);
        }
    }
}
