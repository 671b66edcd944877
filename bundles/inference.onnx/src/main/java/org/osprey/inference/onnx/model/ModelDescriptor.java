package org.osprey.inference.onnx.model;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.osprey.api.vision.Task;
import org.osprey.inference.onnx.image.ChannelOrder;
import org.osprey.inference.onnx.tensor.InputSpec;
import org.osprey.inference.onnx.tensor.Layout;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;

/**
 * The descriptor of a model bundle ({@code model.json}, written by the model packager). Field names
 * are the JSON names; absent fields take the defaults below.
 */
public final class ModelDescriptor {

    public static final String HEADER = "Osprey-Model";
    public static final String EXTENDER = "osprey.model";

    /** The descriptor as the packager writes it and the extender reads it. */
    public static final class Input {
        public String name;
        public int width;
        public int height;
        public String layout = "NCHW";
        public String colorOrder = "RGB";
        public float scale = 1f / 255f;
        public float[] mean = {0f, 0f, 0f};
        public float[] std = {1f, 1f, 1f};
        public String resize = "stretch";
        public int padValue = 0;
        /** {@code float} or {@code uint8} (TensorFlow exports take 8-bit levels as they are) */
        public String type = "float";
    }

    public String name;
    public String task;
    public String decoder;
    public String file = "model.onnx";
    public String labels = "labels.txt";
    public Input input = new Input();
    public float scoreThreshold = 0.5f;
    public float nmsIou = 0.45f;
    public int maxResults = 20;
    public Map<String, String> options = new LinkedHashMap<>();

    private static final Gson GSON = new Gson();

    public static ModelDescriptor parse(String json) throws ModelLoadException {
        ModelDescriptor d;
        try {
            d = GSON.fromJson(json, ModelDescriptor.class);
        } catch (JsonParseException e) {
            throw new ModelLoadException("model.json is not valid JSON: " + e.getMessage(), e);
        }
        if (d == null) {
            throw new ModelLoadException("model.json is empty");
        }
        d.check();
        return d;
    }

    public String toJson() {
        return new com.google.gson.GsonBuilder().setPrettyPrinting().create().toJson(this);
    }

    private void check() throws ModelLoadException {
        require(name != null && name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}"),
                "name must be 1-64 letters, digits, '.', '_' or '-', was " + name);
        taskValue();
        require(decoder != null && !decoder.isBlank(), "decoder is missing");
        require(input != null && input.width > 0 && input.height > 0, "input.width and input.height must be positive");
        require(scoreThreshold >= 0 && scoreThreshold <= 1, "scoreThreshold must be in [0, 1]");
        require(nmsIou > 0 && nmsIou <= 1, "nmsIou must be in (0, 1]");
        require(maxResults > 0, "maxResults must be positive");
        if (options == null) {
            options = new LinkedHashMap<>();
        }
        inputSpec();
    }

    public Task taskValue() throws ModelLoadException {
        try {
            return Task.valueOf(String.valueOf(task).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException("task must be classification or detection, was " + task);
        }
    }

    public InputSpec inputSpec() throws ModelLoadException {
        try {
            Layout layout = Layout.valueOf(input.layout.toUpperCase(Locale.ROOT));
            ChannelOrder order = ChannelOrder.valueOf(input.colorOrder.toUpperCase(Locale.ROOT));
            String resize = input.resize.toLowerCase(Locale.ROOT);
            require(resize.equals("stretch") || resize.equals("letterbox"), "input.resize must be stretch or letterbox, was " + input.resize);
            String type = input.type == null ? "float" : input.type.toLowerCase(Locale.ROOT);
            require(type.equals("float") || type.equals("uint8"), "input.type must be float or uint8, was " + input.type);
            return new InputSpec(input.width, input.height, layout, order, input.scale, input.mean, input.std,
                    resize.equals("letterbox"), input.padValue, type.equals("uint8"));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ModelLoadException("input is not valid (layout NCHW|NHWC, colorOrder RGB|BGR|GRAY, one mean and std per channel): "
                    + e.getMessage());
        }
    }

    public float option(String key, float fallback) throws ModelLoadException {
        String v = options.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Float.parseFloat(v);
        } catch (NumberFormatException e) {
            throw new ModelLoadException("option " + key + " must be a number, was " + v);
        }
    }

    public String option(String key, String fallback) {
        return options.getOrDefault(key, fallback);
    }

    private static void require(boolean ok, String message) throws ModelLoadException {
        if (!ok) {
            throw new ModelLoadException(message);
        }
    }
}
