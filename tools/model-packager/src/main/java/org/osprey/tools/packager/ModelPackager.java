package org.osprey.tools.packager;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.osprey.inference.onnx.engine.EngineSettings;
import org.osprey.inference.onnx.engine.ModelLoader;
import org.osprey.inference.onnx.engine.OnnxEngine;
import org.osprey.inference.onnx.engine.OnnxModel;
import org.osprey.inference.onnx.model.ModelDescriptor;
import org.osprey.inference.onnx.model.ModelLoadException;

/**
 * {@code java -jar osprey-model-packager.jar --model model.onnx [--labels labels.txt] [options]}: a model
 * bundle jar, with what it can read from the model filled in and checked by the gateway's own loader.
 */
public final class ModelPackager {

    static final String USAGE = String.join("\n",
            "usage: osprey-model-packager --model FILE [options]",
            "  --model FILE            the .onnx file (required)",
            "  --labels FILE           labels, one per line in model order; coco80 or coco90 for the lists that ship",
            "                          with the tool (YOLO's 80 names; TensorFlow SSD's ids 1-90)",
            "  --translation LANG=FILE labels in another language, for speech (repeatable)",
            "  --name NAME             model name (default: the file name)",
            "  --version VERSION       model version, an OSGi version (default 1.0.0)",
            "  --preset NAME           classifier, customvision, customvision-s1, yolov3-onnx, yolov5, yolov8, tf-ssd, blazeface",
            "                          (default: recognised from the model's inputs, outputs and metadata)",
            "  --decoder NAME          output decoder (default: the preset's)",
            "  --task TASK             classification | detection (default: the decoder's)",
            "  --input NAME            the image input (default: the only rank-4 input)",
            "  --layout NCHW|NHWC      (default: from the input shape)",
            "  --size WxH              input size (default: from the input shape)",
            "  --color RGB|BGR|GRAY    channel order the model expects (default RGB)",
            "  --scale F --mean A,B,C --std A,B,C   input = (pixel * scale - mean) / std (default 1/255, 0, 1)",
            "  --resize stretch|letterbox           (default stretch)",
            "  --pad N                 letterbox padding level 0-255 (default: the preset's, 128 for YOLOv3, 114 for",
            "                          YOLOv5/v8, else 0)",
            "  --threshold F --iou F --max N        score threshold, NMS IoU, most results",
            "  --option KEY=VALUE      decoder option (repeatable)",
            "  --symbolic-name BSN     bundle symbolic name (default osprey.model.NAME)",
            "  --license FILE          put under META-INF/LICENSE",
            "  --output PATH           jar file or folder (default: NAME-VERSION.jar in the current folder); the",
            "                          path written is printed",
            "  --no-check              write the bundle without loading it first");

    static final List<String> BUNDLED_LABELS = List.of("coco80", "coco90");

    private ModelPackager() {
    }

    public static void main(String[] args) {
        if (java.util.Arrays.asList(args).contains("--help")) {
            System.out.println(USAGE);
            return;
        }
        try {
            Result r = run(args);
            System.out.println("wrote " + r.jar + ": " + r.summary);
        } catch (UsageException e) {
            System.err.println("osprey-model-packager: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
        } catch (java.nio.file.NoSuchFileException e) {
            System.err.println("osprey-model-packager: no such file: " + e.getMessage());
            System.exit(1);
        } catch (ModelLoadException | IOException | IllegalArgumentException e) {
            System.err.println("osprey-model-packager: " + e.getMessage());
            System.exit(1);
        } catch (ai.onnxruntime.OrtException e) {
            System.err.println("osprey-model-packager: the model cannot be read by ONNX Runtime: " + e.getMessage());
            System.exit(1);
        }
    }

    /** Wrong or missing arguments. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    public record Result(Path jar, String summary) {
    }

    public static Result run(String... args) throws UsageException, IOException, ModelLoadException, ai.onnxruntime.OrtException {
        Map<String, List<String>> o = parse(args);
        Path model = Path.of(required(o, "model"));
        if (!Files.isRegularFile(model)) {
            throw new UsageException(model + " does not exist");
        }
        ModelSignature sig = ModelSignature.read(model);
        // read once: the labels may come from a pipe
        String labels = o.containsKey("labels") ? labels(one(o, "labels", null)) : null;
        ModelDescriptor d = describe(o, sig, model, labels == null ? -1 : org.osprey.inference.onnx.model.Labels.parse(labels).size());
        String version = one(o, "version", "1.0.0");
        if (labels == null && d.decoder.equals("blazeface")) {
            labels = "face\n";
        }
        if (labels == null) {
            throw new UsageException("--labels is required for a " + d.decoder + " model");
        }
        ModelBundle bundle = new ModelBundle(d, version, Files.readAllBytes(model)).labels(labels);
        for (String t : o.getOrDefault("translation", List.of())) {
            String[] kv = t.split("=", 2);
            if (kv.length != 2 || !kv[0].matches("[A-Za-z]{2,3}([-_][A-Za-z0-9]+)?")) {
                throw new UsageException("--translation takes LANG=FILE, e.g. fr=labels_fr.txt; was " + t);
            }
            bundle.translation(kv[0], Files.readString(Path.of(kv[1]), StandardCharsets.UTF_8));
        }
        if (o.containsKey("license")) {
            bundle.file("META-INF/LICENSE", Files.readAllBytes(Path.of(one(o, "license", null))));
        }
        if (o.containsKey("symbolic-name")) {
            bundle.symbolicName(one(o, "symbolic-name", null));
        }
        String summary = "model " + d.name + " " + bundle.version() + ", " + d.task + ", decoder " + d.decoder + ", input "
                + d.input.name + " " + d.input.layout + " " + d.input.width + "x" + d.input.height + " " + d.input.colorOrder
                + ", " + sig.describe();
        if (!o.containsKey("no-check")) {
            check(bundle, d);
        }
        Path out = Path.of(one(o, "output", "."));
        if (Files.isDirectory(out)) {
            out = out.resolve(d.name + "-" + bundle.version() + ".jar");
        }
        return new Result(bundle.write(out.toAbsolutePath()), summary);
    }

    /**
     * A label file, or one of the lists that ship with the tool: {@code coco80} (the 80 names YOLO exports
     * number from 0) and {@code coco90} (COCO's ids 1 to 90 with their gaps, as TensorFlow's SSD exports
     * number them), when no file of that name exists.
     */
    static String labels(String file) throws IOException, UsageException {
        Path p = Path.of(file);
        if (!Files.exists(p) && BUNDLED_LABELS.contains(file)) {
            try (java.io.InputStream in = ModelPackager.class.getResourceAsStream("labels/" + file + ".txt")) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        if (!Files.isRegularFile(p)) {
            throw new UsageException("no label file " + file + " (or name a list that ships with the tool: " + String.join(", ", BUNDLED_LABELS) + ")");
        }
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    /** Loads the bundle's files with the gateway's loader, so what would fail there fails here. */
    private static void check(ModelBundle bundle, ModelDescriptor d) throws IOException, ModelLoadException {
        java.io.ByteArrayOutputStream jar = new java.io.ByteArrayOutputStream();
        bundle.write(jar);
        JarModelFiles files = JarModelFiles.read(new java.io.ByteArrayInputStream(jar.toByteArray()));
        try (OnnxEngine engine = new OnnxEngine(EngineSettings.DEFAULTS)) {
            OnnxModel m = new ModelLoader(engine).load(files, files.descriptorPath(), bundle.version());
            m.retire();
        }
    }

    /** @param labels how many labels were given, -1 for none */
    static ModelDescriptor describe(Map<String, List<String>> o, ModelSignature sig, Path model, int labels) throws UsageException {
        String preset = one(o, "preset", Presets.recognise(sig, labels));
        if (preset == null && !o.containsKey("decoder")) {
            throw new UsageException("cannot tell the model's format from " + sig.describe() + (sig.metadata().isEmpty() ? "" : ", metadata "
                    + sig.metadata().keySet()) + "; give --preset (" + String.join(", ", Presets.NAMES) + ") or --decoder and --task");
        }
        ModelDescriptor d = new ModelDescriptor();
        if (preset != null) {
            Presets.apply(preset, d, sig);
        }
        d.name = one(o, "name", model.getFileName().toString().replaceAll("\\.onnx$", "").replaceAll("[^A-Za-z0-9._-]", "-"));
        d.decoder = one(o, "decoder", d.decoder);
        d.task = one(o, "task", d.task != null ? d.task : "detection");
        String input = one(o, "input", sig.imageInput());
        if (input == null || !sig.inputs().containsKey(input)) {
            throw new UsageException("cannot tell which input is the image (" + sig.describe() + "); give --input");
        }
        d.input.name = input;
        long[] shape = sig.inputs().get(input);
        boolean nhwc = shape.length == 4 && (shape[3] == 3 || shape[3] == 1) && shape[1] != 3 && shape[1] != 1;
        d.input.layout = one(o, "layout", nhwc ? "NHWC" : "NCHW").toUpperCase(Locale.ROOT);
        boolean isNhwc = d.input.layout.equals("NHWC");
        long h = shape.length == 4 ? shape[isNhwc ? 1 : 2] : -1, w = shape.length == 4 ? shape[isNhwc ? 2 : 3] : -1;
        long c = shape.length == 4 ? shape[isNhwc ? 3 : 1] : 3;
        if (o.containsKey("size")) {
            String[] wh = one(o, "size", null).toLowerCase(Locale.ROOT).split("x");
            if (wh.length != 2) {
                throw new UsageException("--size takes WxH, e.g. 224x224");
            }
            w = Long.parseLong(wh[0]);
            h = Long.parseLong(wh[1]);
        }
        if (w <= 0 && h <= 0 && "tf-ssd".equals(preset)) {
            // TF object detection exports take any size; SSD MobileNet was trained at 300x300
            w = 300;
            h = 300;
        }
        if (w <= 0 || h <= 0) {
            throw new UsageException("input " + input + " has a dynamic size " + Arrays.toString(shape) + "; give --size WxH");
        }
        d.input.width = (int) w;
        d.input.height = (int) h;
        d.input.colorOrder = one(o, "color", c == 1 ? "GRAY" : d.input.colorOrder).toUpperCase(Locale.ROOT);
        int channels = d.input.colorOrder.equals("GRAY") ? 1 : 3;
        d.input.scale = Float.parseFloat(one(o, "scale", String.valueOf(d.input.scale)));
        d.input.mean = floats(one(o, "mean", null), d.input.mean, channels);
        d.input.std = floats(one(o, "std", null), d.input.std, channels);
        d.input.resize = one(o, "resize", d.input.resize);
        d.input.padValue = Integer.parseInt(one(o, "pad", String.valueOf(d.input.padValue)));
        d.scoreThreshold = Float.parseFloat(one(o, "threshold", String.valueOf(d.scoreThreshold)));
        d.nmsIou = Float.parseFloat(one(o, "iou", String.valueOf(d.nmsIou)));
        d.maxResults = Integer.parseInt(one(o, "max", String.valueOf(d.maxResults)));
        for (String kv : o.getOrDefault("option", List.of())) {
            String[] p = kv.split("=", 2);
            if (p.length != 2) {
                throw new UsageException("--option takes KEY=VALUE, was " + kv);
            }
            d.options.put(p[0], p[1]);
        }
        return d;
    }

    private static float[] floats(String csv, float[] fallback, int channels) throws UsageException {
        float[] v;
        if (csv == null) {
            v = fallback;
        } else {
            String[] parts = csv.split(",");
            v = new float[parts.length];
            for (int i = 0; i < parts.length; i++) {
                v[i] = Float.parseFloat(parts[i].strip());
            }
        }
        if (v.length == 1 && channels == 3) {
            return new float[] {v[0], v[0], v[0]};
        }
        if (v.length != channels) {
            v = channels == 1 ? new float[] {v[0]} : v;
        }
        if (v.length != channels) {
            throw new UsageException("--mean and --std take " + channels + " values");
        }
        return v;
    }

    private static Map<String, List<String>> parse(String[] args) throws UsageException {
        Map<String, List<String>> o = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new UsageException("unexpected argument " + a);
            }
            String key = a.substring(2);
            if (key.equals("no-check") || key.equals("help")) {
                o.computeIfAbsent(key, k -> new ArrayList<>()).add("true");
                continue;
            }
            if (i + 1 >= args.length) {
                throw new UsageException(a + " needs a value");
            }
            o.computeIfAbsent(key, k -> new ArrayList<>()).add(args[++i]);
        }
        if (o.containsKey("help")) {
            throw new UsageException("help");
        }
        return o;
    }

    private static String required(Map<String, List<String>> o, String key) throws UsageException {
        String v = one(o, key, null);
        if (v == null) {
            throw new UsageException("--" + key + " is required");
        }
        return v;
    }

    private static String one(Map<String, List<String>> o, String key, String fallback) {
        List<String> v = o.get(key);
        return v == null ? fallback : v.get(v.size() - 1);
    }
}
