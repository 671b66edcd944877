package org.osprey.tools.packager;

import java.util.List;
import java.util.Map;

import org.osprey.inference.onnx.model.ModelDescriptor;

/**
 * The model formats the packager recognises from a model's inputs, outputs and metadata, and the
 * descriptor defaults each one needs (decoder, normalisation, resize, thresholds).
 */
final class Presets {

    static final List<String> NAMES = List.of("classifier", "customvision", "customvision-s1", "yolov3-onnx", "yolov5", "yolov8",
            "tf-ssd", "blazeface");

    private Presets() {
    }

    /** The preset the model looks like, or null; {@code labels} is the number of labels (-1 when not given). */
    static String recognise(ModelSignature sig, int labels) {
        Map<String, long[]> out = sig.outputs();
        if (has(out, "detection_boxes") && has(out, "detection_scores") && has(out, "detection_classes")) {
            return "tf-ssd";
        }
        if (has(out, "detected_boxes") && has(out, "detected_scores") && has(out, "detected_classes")) {
            return "customvision-s1";
        }
        if (sig.inputs().size() == 2 && sig.inputs().containsKey("image_shape") && out.size() == 3) {
            return "yolov3-onnx";
        }
        if (sig.looksLikeBlazeFace()) {
            return "blazeface";
        }
        if (out.size() == 1) {
            long[] s = out.values().iterator().next();
            if (s.length == 4 && s[1] > 0 && s[1] % 5 == 0 && (labels < 0 || s[1] == 5L * (5 + labels))) {
                return "customvision";
            }
            if (s.length == 3 && labels > 0) {
                return s[2] == 5 + labels ? "yolov5" : s[1] == 4 + labels ? "yolov8" : null;
            }
            if (s.length == 3) {
                // without labels: YOLOv8 puts the few fields first and the many boxes last
                return s[1] < s[2] ? "yolov8" : "yolov5";
            }
        }
        return sig.looksLikeClassifier() ? "classifier" : null;
    }

    private static boolean has(Map<String, long[]> outputs, String name) {
        return outputs.containsKey(name) || outputs.containsKey(name + ":0");
    }

    /** The preset's defaults; options given on the command line are applied after. */
    static void apply(String preset, ModelDescriptor d, ModelSignature sig) throws ModelPackager.UsageException {
        d.decoder = preset;
        d.task = "detection";
        switch (preset) {
            case "blazeface" -> {
                d.input.scale = 1f / 127.5f;
                d.input.mean = new float[] {1, 1, 1};
                d.input.resize = "letterbox";
                d.scoreThreshold = 0.5f;
                d.nmsIou = 0.3f;
            }
            case "classifier" -> {
                d.task = "classification";
                d.maxResults = 5;
                d.scoreThreshold = 0.01f;
            }
            case "customvision" -> {
                // Custom Vision's own sample: probability threshold 0.10, IoU 0.45, at most 20 boxes
                d.scoreThreshold = 0.10f;
                d.nmsIou = 0.45f;
                d.maxResults = 20;
            }
            case "customvision-s1" -> {
                d.input.scale = 1f;
                d.scoreThreshold = 0.10f;
                d.maxResults = 20;
            }
            case "yolov3-onnx" -> {
                d.input.resize = "letterbox";
                d.input.padValue = 128;
                d.scoreThreshold = 0.10f;
                d.maxResults = 100;
            }
            case "yolov5", "yolov8" -> {
                d.input.resize = "letterbox";
                d.input.padValue = 114;
                d.scoreThreshold = 0.25f;
                d.nmsIou = 0.45f;
                d.maxResults = 100;
            }
            case "tf-ssd" -> {
                d.input.type = "uint8";
                d.input.scale = 1f;
                d.scoreThreshold = 0.5f;
                d.maxResults = 100;
            }
            default -> throw new ModelPackager.UsageException("unknown preset " + preset + "; known: " + NAMES);
        }
        metadata(d, sig.metadata());
    }

    /** Azure Custom Vision (and Windows ML) exports say their colour order and value range in the metadata. */
    static void metadata(ModelDescriptor d, Map<String, String> metadata) {
        String format = metadata.getOrDefault("Image.BitmapPixelFormat", "");
        if (format.equalsIgnoreCase("Bgr8")) {
            d.input.colorOrder = "BGR";
        } else if (format.equalsIgnoreCase("Rgb8")) {
            d.input.colorOrder = "RGB";
        } else if (format.equalsIgnoreCase("Gray8")) {
            d.input.colorOrder = "GRAY";
        }
        String range = metadata.get("Image.NominalPixelRange");
        if (range != null) {
            switch (range) {
                case "NominalRange_0_255" -> d.input.scale = 1f;
                case "Normalized_1_1" -> {
                    d.input.scale = 2f / 255f;
                    d.input.mean = new float[] {1, 1, 1};
                }
                default -> d.input.scale = 1f / 255f;
            }
        }
    }
}
