package org.osprey.inference.onnx.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.osprey.api.vision.ModelInfo;
import org.osprey.inference.onnx.decode.Decoders;
import org.osprey.inference.onnx.decode.OutputDecoder;
import org.osprey.inference.onnx.decode.TensorData;
import org.osprey.inference.onnx.model.Labels;
import org.osprey.inference.onnx.model.ModelDescriptor;
import org.osprey.inference.onnx.model.ModelFiles;
import org.osprey.inference.onnx.model.ModelLoadException;
import org.osprey.inference.onnx.tensor.InputSpec;
import org.osprey.inference.onnx.tensor.Layout;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;

/** Reads a model bundle's descriptor, labels and ONNX file, and checks they agree before serving. */
public final class ModelLoader {

    private static final Pattern TRANSLATION = Pattern.compile(".*labels_([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)?)\\.txt");

    private final OnnxEngine engine;

    public ModelLoader(OnnxEngine engine) {
        this.engine = engine;
    }

    /** The descriptor alone, to name a model even when loading it fails later. */
    public static ModelDescriptor descriptor(ModelFiles files, String descriptorPath) throws ModelLoadException {
        byte[] json = read(files, descriptorPath);
        return ModelDescriptor.parse(new String(json, StandardCharsets.UTF_8));
    }

    public OnnxModel load(ModelFiles files, String descriptorPath, String version) throws ModelLoadException {
        ModelDescriptor d = descriptor(files, descriptorPath);
        String folder = descriptorPath.contains("/") ? descriptorPath.substring(0, descriptorPath.lastIndexOf('/') + 1) : "";
        Labels labels = labels(files, folder, d);
        InputSpec spec = d.inputSpec();
        byte[] onnx = read(files, folder + d.file);
        OrtSession session;
        try {
            session = engine.open(onnx);
        } catch (OrtException e) {
            throw new ModelLoadException(d.file + " is not a model ONNX Runtime can load: " + e.getMessage(), e);
        }
        try {
            String input = imageInput(session, d, spec);
            Map<String, String> inputTypes = new LinkedHashMap<>();
            for (Map.Entry<String, NodeInfo> e : session.getInputInfo().entrySet()) {
                inputTypes.put(e.getKey(), e.getValue().getInfo() instanceof TensorInfo t ? t.type.name() : "OTHER");
            }
            OutputDecoder decoder = Decoders.create(d, numericOutputs(session), inputTypes, labels);
            for (String other : session.getInputNames()) {
                if (!other.equals(input) && !decoder.extraInputNames().contains(other)) {
                    throw new ModelLoadException("the model has an input '" + other + "' besides the image '" + input
                            + "' that decoder " + d.decoder + " does not feed");
                }
            }
            ModelInfo info = new ModelInfo(d.name, version, d.taskValue(), labels.names(), labels.translations(), spec.width(), spec.height());
            return new OnnxModel(engine, session, info, input, spec, decoder);
        } catch (ModelLoadException | RuntimeException e) {
            engine.close(session);
            throw e;
        } catch (OrtException e) {
            engine.close(session);
            throw new ModelLoadException("cannot read the model's inputs and outputs: " + e.getMessage(), e);
        }
    }

    private static byte[] read(ModelFiles files, String path) throws ModelLoadException {
        try {
            byte[] b = files.read(path);
            if (b == null) {
                throw new ModelLoadException(path + " is missing from the model bundle");
            }
            return b;
        } catch (IOException e) {
            throw new ModelLoadException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    private static Labels labels(ModelFiles files, String folder, ModelDescriptor d) throws ModelLoadException {
        if (d.labels == null || d.labels.isBlank()) {
            return new Labels(List.of(), Map.of());
        }
        List<String> names = Labels.parse(new String(read(files, folder + d.labels), StandardCharsets.UTF_8));
        Map<String, List<String>> translations = new TreeMap<>();
        try {
            for (String path : files.list(folder)) {
                Matcher m = TRANSLATION.matcher(path);
                if (m.matches()) {
                    List<String> t = Labels.parse(new String(read(files, path), StandardCharsets.UTF_8));
                    if (t.size() != names.size()) {
                        throw new ModelLoadException(path + " has " + t.size() + " labels, " + d.labels + " has " + names.size());
                    }
                    translations.put(m.group(1).replace('_', '-'), t);
                }
            }
        } catch (IOException e) {
            throw new ModelLoadException("cannot list the model bundle's files: " + e.getMessage(), e);
        }
        return new Labels(names, translations);
    }

    /** The image input, checked against the descriptor: rank 4, float, and the same size and channels. */
    private static String imageInput(OrtSession session, ModelDescriptor d, InputSpec spec) throws OrtException, ModelLoadException {
        Map<String, NodeInfo> inputs = session.getInputInfo();
        String name = d.input.name;
        if (name == null) {
            if (inputs.size() != 1) {
                throw new ModelLoadException("the model has inputs " + inputs.keySet() + "; input.name must say which is the image");
            }
            name = inputs.keySet().iterator().next();
        }
        NodeInfo node = inputs.get(name);
        if (node == null) {
            throw new ModelLoadException("the descriptor names input '" + name + "', the model has " + inputs.keySet());
        }
        OnnxJavaType type = spec.uint8() ? OnnxJavaType.UINT8 : OnnxJavaType.FLOAT;
        if (!(node.getInfo() instanceof TensorInfo t) || t.type != type) {
            throw new ModelLoadException("input '" + name + "' is " + node.getInfo() + "; the descriptor says input.type "
                    + (spec.uint8() ? "uint8" : "float"));
        }
        long[] shape = t.getShape();
        long[] want = spec.shape();
        boolean fits = shape.length == 4;
        for (int i = 1; fits && i < 4; i++) {
            fits = shape[i] < 0 || shape[i] == want[i];
        }
        if (!fits) {
            throw new ModelLoadException("input '" + name + "' has shape " + Arrays.toString(shape) + " but the descriptor says "
                    + spec.layout() + " " + Arrays.toString(want) + (spec.layout() == Layout.NCHW ? " (N,C,H,W)" : " (N,H,W,C)"));
        }
        return name;
    }

    /** Outputs the decoders can read: float and integer tensors. */
    private static Map<String, long[]> numericOutputs(OrtSession session) throws OrtException {
        Map<String, long[]> outputs = new LinkedHashMap<>();
        java.util.Set<OnnxJavaType> numeric = java.util.EnumSet.of(OnnxJavaType.FLOAT, OnnxJavaType.INT64, OnnxJavaType.INT32, OnnxJavaType.DOUBLE);
        for (Map.Entry<String, NodeInfo> e : session.getOutputInfo().entrySet()) {
            if (e.getValue().getInfo() instanceof ai.onnxruntime.SequenceInfo seq && seq.isSequenceOfMaps()) {
                outputs.put(e.getKey(), TensorData.LABEL_MAP);
            }
            if (e.getValue().getInfo() instanceof TensorInfo t && numeric.contains(t.type)) {
                outputs.put(e.getKey(), t.getShape());
            }
        }
        return outputs;
    }
}
