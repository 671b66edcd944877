package org.osprey.tools.packager;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarInputStream;

import org.junit.Test;
import org.osprey.inference.onnx.model.ModelDescriptor;

/** What the packager infers from a model's signature (the end-to-end run is the BlazeFace module's build). */
public class ModelPackagerTest {

    private static Map<String, List<String>> args(String... kv) {
        Map<String, List<String>> o = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            o.put(kv[i], List.of(kv[i + 1]));
        }
        return o;
    }

    private static ModelSignature sig(Map<String, long[]> inputs, Map<String, long[]> outputs) {
        return new ModelSignature(inputs, outputs, Map.of());
    }

    /** The ONNX model zoo's YOLOv3: the image and its size in, boxes, scores and the kept indices out. */
    private static ModelSignature yoloV3() {
        Map<String, long[]> in = new LinkedHashMap<>();
        in.put("input_1", new long[] {1, 3, 416, 416});
        in.put("image_shape", new long[] {1, 2});
        Map<String, long[]> out = new LinkedHashMap<>();
        out.put("boxes", new long[] {1, -1, 4});
        out.put("scores", new long[] {1, 80, -1});
        out.put("indices", new long[] {-1, 3});
        return sig(in, out);
    }

    @Test
    public void classifierFromAnNchwModel() throws Exception {
        ModelSignature s = sig(Map.of("data", new long[] {1, 3, 224, 224}), Map.of("prob", new long[] {1, 1000}));
        ModelDescriptor d = ModelPackager.describe(args("mean", "0.485,0.456,0.406"), s, Path.of("/models/Fruit Net.onnx"), -1);
        assertEquals("Fruit-Net", d.name);
        assertEquals("classifier", d.decoder);
        assertEquals("classification", d.task);
        assertEquals("data", d.input.name);
        assertEquals("NCHW", d.input.layout);
        assertEquals(224, d.input.width);
        assertArrayEquals(new float[] {0.485f, 0.456f, 0.406f}, d.input.mean, 0f);
    }

    @Test
    public void blazeFaceFromItsOutputs() throws Exception {
        Map<String, long[]> outputs = new LinkedHashMap<>();
        outputs.put("a", new long[] {1, 512, 1});
        outputs.put("b", new long[] {1, 512, 16});
        ModelDescriptor d = ModelPackager.describe(args(), sig(Map.of("input:0", new long[] {1, 128, 128, 3}), outputs), Path.of("f.onnx"), -1);
        assertEquals("blazeface", d.decoder);
        assertEquals("NHWC", d.input.layout);
        assertEquals("letterbox", d.input.resize);
        assertEquals(1f / 127.5f, d.input.scale, 1e-9);
    }

    @Test
    public void saysWhatItCannotTell() throws Exception {
        Map<String, long[]> two = new LinkedHashMap<>();
        two.put("boxes", new long[] {1, 100, 4});
        two.put("scores", new long[] {1, 100});
        Exception unknown = assertThrows(Exception.class,
                () -> ModelPackager.describe(args(), sig(Map.of("x", new long[] {1, 3, 320, 320}), two), Path.of("m.onnx"), -1));
        assertTrue(unknown.getMessage(), unknown.getMessage().contains("outputs boxes[1, 100, 4] scores[1, 100]; give --preset (classifier"));
        Exception dynamic = assertThrows(Exception.class, () -> ModelPackager.describe(args(),
                sig(Map.of("x", new long[] {-1, 3, -1, -1}), Map.of("p", new long[] {1, 10})), Path.of("m.onnx"), -1));
        assertTrue(dynamic.getMessage(), dynamic.getMessage().contains("--size WxH"));
        ModelDescriptor sized = assertDoesNotThrow(() -> ModelPackager.describe(args("size", "320x240"),
                sig(Map.of("x", new long[] {-1, 3, -1, -1}), Map.of("p", new long[] {1, 10})), Path.of("m.onnx"), -1));
        assertEquals(240, sized.input.height);
    }

    @Test
    public void recognisesEachFormatFromItsSignature() {
        Map<String, long[]> img = Map.of("x", new long[] {1, 3, 416, 416});
        assertEquals("customvision", Presets.recognise(sig(img, Map.of("grid", new long[] {1, 35, 13, 13})), 2));
        assertEquals("yolov5", Presets.recognise(sig(img, Map.of("o", new long[] {1, 25200, 85})), 80));
        assertEquals("yolov8", Presets.recognise(sig(img, Map.of("o", new long[] {1, 84, 8400})), 80));
        assertEquals("yolov8", Presets.recognise(sig(img, Map.of("o", new long[] {1, 84, 8400})), -1));
        Map<String, long[]> s1 = new LinkedHashMap<>();
        s1.put("detected_boxes", new long[] {1, -1, 4});
        s1.put("detected_scores", new long[] {1, -1});
        s1.put("detected_classes", new long[] {1, -1});
        assertEquals("customvision-s1", Presets.recognise(sig(img, s1), 2));
        Map<String, long[]> tf = new LinkedHashMap<>();
        tf.put("detection_boxes:0", new long[] {1, 100, 4});
        tf.put("detection_scores:0", new long[] {1, 100});
        tf.put("detection_classes:0", new long[] {1, 100});
        tf.put("num_detections:0", new long[] {1});
        assertEquals("tf-ssd", Presets.recognise(sig(Map.of("image_tensor:0", new long[] {1, -1, -1, 3}), tf), 90));
        assertEquals("yolov3-onnx", Presets.recognise(yoloV3(), 80));
        assertEquals("classifier", Presets.recognise(sig(img, Map.of("p", new long[] {1, 1000})), 1000));
    }

    @Test
    public void aDynamicBatchDimensionIsReadAsOne() throws Exception {
        // PaddleOCR's text-direction classifier as exported: x[-1,3,-1,-1] -> [-1,2]
        ModelSignature paddle = sig(Map.of("x", new long[] {-1, 3, -1, -1}), Map.of("softmax_0.tmp_0", new long[] {-1, 2}));
        assertEquals("classifier", Presets.recognise(paddle, 2));
        ModelPackager.UsageException size = assertThrows(ModelPackager.UsageException.class, () -> ModelPackager.describe(args(), paddle, Path.of("cls.onnx"), 2));
        assertTrue(size.getMessage(), size.getMessage().contains("--size"));
        ModelDescriptor d = ModelPackager.describe(args("size", "192x48"), paddle, Path.of("cls.onnx"), 2);
        assertEquals(192, d.input.width);
        assertEquals(48, d.input.height);
        Map<String, long[]> yoloOut = Map.of("output0", new long[] {-1, 84, 8400});
        assertEquals("yolov8", Presets.recognise(sig(Map.of("images", new long[] {-1, 3, 640, 640}), yoloOut), 80));
    }

    @Test
    public void theCocoListsShipWithTheTool() throws Exception {
        List<String> coco80 = org.osprey.inference.onnx.model.Labels.parse(ModelPackager.labels("coco80"));
        assertEquals(80, coco80.size());
        assertEquals("person", coco80.get(0));
        assertEquals("toothbrush", coco80.get(79));
        // TF exports number COCO's categories 1 to 90 with gaps: 1 person, 2 bicycle, 18 dog, 90 toothbrush
        List<String> coco90 = org.osprey.inference.onnx.model.Labels.parse(ModelPackager.labels("coco90"));
        assertEquals(90, coco90.size());
        assertEquals("bicycle", coco90.get(2 - 1));
        assertEquals("dog", coco90.get(18 - 1));
        assertEquals("toothbrush", coco90.get(90 - 1));
        ModelPackager.UsageException missing = assertThrows(ModelPackager.UsageException.class, () -> ModelPackager.labels("coco81"));
        assertTrue(missing.getMessage(), missing.getMessage().contains("coco80, coco90"));
    }

    @Test
    public void letterboxPresetsPadAsTheirTrainingDid() throws Exception {
        Map<String, long[]> img = Map.of("images", new long[] {1, 3, 640, 640});
        ModelSignature v5 = sig(img, Map.of("output0", new long[] {1, 25200, 85}));
        assertEquals(114, ModelPackager.describe(args("preset", "yolov5"), v5, Path.of("y.onnx"), 80).input.padValue);
        assertEquals(0, ModelPackager.describe(args("preset", "yolov5", "pad", "0"), v5, Path.of("y.onnx"), 80).input.padValue);
        assertEquals(128, ModelPackager.describe(args(), yoloV3(), Path.of("y3.onnx"), 80).input.padValue);
    }

    @Test
    public void customVisionMetadataSetsColourOrderAndRange() throws Exception {
        ModelSignature s = new ModelSignature(Map.of("data", new long[] {1, 3, 224, 224}), Map.of("model_output", new long[] {1, 3}),
                Map.of("Image.BitmapPixelFormat", "Bgr8", "Image.NominalPixelRange", "NominalRange_0_255"));
        ModelDescriptor d = ModelPackager.describe(args(), s, Path.of("cv.onnx"), -1);
        assertEquals("BGR", d.input.colorOrder);
        assertEquals(1f, d.input.scale, 0f);
        ModelSignature unit = new ModelSignature(s.inputs(), s.outputs(), Map.of("Image.NominalPixelRange", "Normalized_0_1"));
        assertEquals(1 / 255f, ModelPackager.describe(args(), unit, Path.of("cv.onnx"), -1).input.scale, 1e-9);
    }

    @Test
    public void writesAnOsgiBundleWithTheExtenderRequirement() throws Exception {
        ModelDescriptor d = ModelDescriptor.parse("{\"name\":\"fruit\",\"task\":\"classification\",\"decoder\":\"classifier\",\"input\":{\"width\":4,\"height\":4}}");
        ModelBundle b = new ModelBundle(d, "2", new byte[] {1, 2, 3}).labels("apple\npear\n").translation("fr", "pomme\npoire\n");
        assertEquals("2.0.0", b.version());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        b.write(out);
        try (JarInputStream in = new JarInputStream(new java.io.ByteArrayInputStream(out.toByteArray()))) {
            var main = in.getManifest().getMainAttributes();
            assertEquals("osprey.model.fruit", main.getValue("Bundle-SymbolicName"));
            assertEquals("model/model.json", main.getValue("Osprey-Model"));
            assertTrue(main.getValue("Require-Capability").contains("osgi.extender=osprey.model"));
            List<String> names = new java.util.ArrayList<>();
            for (var e = in.getNextJarEntry(); e != null; e = in.getNextJarEntry()) {
                names.add(e.getName());
            }
            assertEquals(List.of("model/model.json", "model/model.onnx", "model/labels.txt", "model/labels_fr.txt"), names);
        }
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        b.write(again);
        assertArrayEquals("reproducible", out.toByteArray(), again.toByteArray());
        assertThrows(IllegalArgumentException.class, () -> new ModelBundle(d, "v1", new byte[0]));
    }

    private static <T> T assertDoesNotThrow(java.util.concurrent.Callable<T> c) throws Exception {
        return c.call();
    }
}
