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

    public static final List<String> NAMES = List.of("classifier", "blazeface", "customvision", "customvision-s1", "yolov3-onnx",
            "yolov5", "yolov8", "tf-ssd");

    private Decoders() {
    }

    /**
     * A decoder for this model, after checking that its outputs are what the decoder reads.
     *
     * @param outputs the model's numeric outputs and their shapes (-1 for a dynamic dimension)
     * @param inputs the model's inputs and their element types (FLOAT, INT32, UINT8 ...)
     */
    public static OutputDecoder create(ModelDescriptor d, Map<String, long[]> outputs, Map<String, String> inputs, Labels labels)
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
            case "customvision": {
                expectTask(d, Task.DETECTION);
                String out = d.option("output", only(outputs, "customvision"));
                long[] shape = shape(outputs, out, "customvision");
                int anchors = CustomVisionDetectionDecoder.ANCHORS.length;
                if (shape.length != 4 || shape[1] != (long) anchors * (5 + labels.size())) {
                    throw new ModelLoadException("customvision decoder needs one output [1, " + anchors + "*(5+C), H, W] with C = "
                            + labels.size() + " labels, i.e. " + anchors * (5 + labels.size()) + " channels; " + out + " is "
                            + Arrays.toString(shape));
                }
                return new CustomVisionDetectionDecoder(out, labels, CustomVisionDetectionDecoder.ANCHORS, labels.size(),
                        d.scoreThreshold, d.nmsIou, d.maxResults);
            }
            case "customvision-s1": {
                expectTask(d, Task.DETECTION);
                return new BoxListDecoder(named(outputs, d.option("boxes", "detected_boxes")), named(outputs, d.option("scores", "detected_scores")),
                        named(outputs, d.option("classes", "detected_classes")), null, false, 0, labels, d.scoreThreshold, d.maxResults);
            }
            case "tf-ssd": {
                expectTask(d, Task.DETECTION);
                return new BoxListDecoder(named(outputs, d.option("boxes", "detection_boxes")), named(outputs, d.option("scores", "detection_scores")),
                        named(outputs, d.option("classes", "detection_classes")), named(outputs, d.option("count", "num_detections")),
                        true, (int) d.option("classOffset", 1f), labels, d.scoreThreshold, d.maxResults);
            }
            case "yolov3-onnx": {
                expectTask(d, Task.DETECTION);
                String shapeInput = d.option("shapeInput", "image_shape");
                if (!inputs.containsKey(shapeInput)) {
                    throw new ModelLoadException("yolov3-onnx decoder feeds the picture's size to input '" + shapeInput
                            + "'; the model's inputs are " + inputs.keySet() + " (options.shapeInput names it)");
                }
                String boxes = null, scores = null, indices = null;
                // told apart by shape: scores [1,C,N] have a class per label, boxes [1,N,4], indices [(1,)M,3]
                for (Map.Entry<String, long[]> e : outputs.entrySet()) {
                    long[] sh = e.getValue();
                    if (scores == null && sh.length == 3 && sh[1] == labels.size()) {
                        scores = e.getKey();
                    } else if (boxes == null && sh.length == 3 && sh[2] == 4) {
                        boxes = e.getKey();
                    } else if (sh.length >= 2 && sh[sh.length - 1] == 3) {
                        indices = e.getKey();
                    }
                }
                if (boxes == null || scores == null || indices == null) {
                    throw new ModelLoadException("yolov3-onnx decoder needs outputs boxes [1,N,4], scores [1,C,N] with C = "
                            + labels.size() + " labels, and indices [M,3]; " + describe(outputs));
                }
                return new YoloV3ZooDecoder(shapeInput, "INT32".equals(inputs.get(shapeInput)), boxes, scores, indices, labels,
                        d.scoreThreshold, d.maxResults);
            }
            case "yolov5":
            case "yolov8": {
                expectTask(d, Task.DETECTION);
                boolean v8 = name.equals("yolov8");
                String out = d.option("output", only(outputs, name));
                long[] shape = shape(outputs, out, name);
                long fields = shape.length == 3 ? (v8 ? shape[1] : shape[2]) : -1;
                long expected = (v8 ? 4 : 5) + labels.size();
                if (fields != expected) {
                    throw new ModelLoadException(name + " decoder needs one output " + (v8 ? "[1, 4+C, N]" : "[1, N, 5+C]") + " with C = "
                            + labels.size() + " labels; " + out + " is " + Arrays.toString(shape));
                }
                return new YoloDecoder(out, v8, labels, d.scoreThreshold, d.nmsIou, d.maxResults);
            }
            default:
                throw new ModelLoadException("unknown decoder '" + d.decoder + "'; this Osprey knows " + NAMES);
        }
    }

    private static OutputDecoder classifier(ModelDescriptor d, Map<String, long[]> outputs, Labels labels)
            throws ModelLoadException {
        String output = d.option("output", outputs.size() == 1 ? outputs.keySet().iterator().next() : labelMap(outputs));
        if (output == null || !outputs.containsKey(output)) {
            throw new ModelLoadException("classifier decoder needs one output, or options.output naming one of "
                    + outputs.keySet());
        }
        long classes = outputs.get(output) == TensorData.LABEL_MAP ? -1
                : Arrays.stream(outputs.get(output)).filter(v -> v != 1).reduce(1, (a, b) -> a * b);
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

    /** The one label-to-score map output (older Custom Vision exports: {@code loss}), or null. */
    private static String labelMap(Map<String, long[]> outputs) {
        List<String> maps = outputs.entrySet().stream().filter(e -> e.getValue() == TensorData.LABEL_MAP).map(Map.Entry::getKey).toList();
        return maps.size() == 1 ? maps.get(0) : null;
    }

    private static String only(Map<String, long[]> outputs, String decoder) throws ModelLoadException {
        if (outputs.size() != 1) {
            throw new ModelLoadException(decoder + " decoder reads one output; the model has " + describe(outputs)
                    + ": set options.output");
        }
        return outputs.keySet().iterator().next();
    }

    private static long[] shape(Map<String, long[]> outputs, String name, String decoder) throws ModelLoadException {
        long[] shape = outputs.get(name);
        if (shape == null) {
            throw new ModelLoadException(decoder + " decoder reads output '" + name + "'; the model has " + describe(outputs));
        }
        return shape;
    }

    /** The output of that name, or of that name with TensorFlow's ":0" suffix. */
    private static String named(Map<String, long[]> outputs, String name) throws ModelLoadException {
        for (String candidate : new String[] {name, name + ":0"}) {
            if (outputs.containsKey(candidate)) {
                return candidate;
            }
        }
        throw new ModelLoadException("the decoder reads an output '" + name + "'; the model has " + describe(outputs)
                + " (the decoder's options name the outputs)");
    }

    static String describe(Map<String, long[]> outputs) {
        StringBuilder sb = new StringBuilder("outputs");
        outputs.forEach((n, sh) -> sb.append(' ').append(n).append(Arrays.toString(sh)));
        return sb.toString();
    }

    private static void expectTask(ModelDescriptor d, Task task) throws ModelLoadException {
        if (d.taskValue() != task) {
            throw new ModelLoadException("decoder " + d.decoder + " is for " + task.property() + ", the descriptor says " + d.task);
        }
    }
}
