package org.osprey.inference.onnx.decode;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.Test;
import org.osprey.api.vision.BoundingBox;
import org.osprey.api.vision.Prediction;
import org.osprey.inference.onnx.model.Labels;
import org.osprey.inference.onnx.model.ModelDescriptor;
import org.osprey.inference.onnx.model.ModelLoadException;
import org.osprey.inference.onnx.tensor.Geometry;

public class DecodersTest {

    private static ModelDescriptor descriptor(String decoder, String task, int size) throws ModelLoadException {
        return ModelDescriptor.parse("{\"name\":\"m\",\"task\":\"" + task + "\",\"decoder\":\"" + decoder
                + "\",\"input\":{\"width\":" + size + ",\"height\":" + size + "},\"scoreThreshold\":0.5,\"nmsIou\":0.3}");
    }

    @Test
    public void classifierAppliesSoftmaxAndKeepsTheTop() throws Exception {
        ModelDescriptor d = descriptor("classifier", "classification", 4);
        d.scoreThreshold = 0.1f;
        d.maxResults = 2;
        d.options.put("activation", "softmax");
        Labels labels = new Labels(List.of("apple", "banana", "cherry"), Map.of());
        OutputDecoder dec = Decoders.create(d, Map.of("out", new long[] {1, 3}), Map.of(), labels);
        float[] logits = {1f, 3f, 2f};
        List<Prediction> p = dec.decode(Map.of("out", new TensorData("out", new long[] {1, 3}, logits)), Geometry.stretched(4, 4, 4, 4));
        assertEquals(2, p.size());
        assertEquals("banana", p.get(0).label());
        assertEquals(0.665, p.get(0).score(), 1e-3);
        assertEquals("cherry", p.get(1).label());
        assertEquals(null, p.get(0).box());
    }

    @Test
    public void activations() {
        assertArrayEquals(new float[] {0.5f, 0.7310586f}, ClassifierDecoder.probabilities(new float[] {0, 1}, ClassifierDecoder.Activation.SIGMOID), 1e-6f);
        assertArrayEquals(new float[] {0.2f}, ClassifierDecoder.probabilities(new float[] {0.2f}, ClassifierDecoder.Activation.NONE), 0f);
    }

    @Test
    public void mismatchesAreExplained() throws Exception {
        Labels three = new Labels(List.of("a", "b", "c"), Map.of());
        ModelLoadException labels = assertThrows(ModelLoadException.class,
                () -> Decoders.create(descriptor("classifier", "classification", 4), Map.of("out", new long[] {1, 1000}), Map.of(), three));
        assertEquals("the labels file has 3 labels but output out has 1000 classes", labels.getMessage());
        ModelLoadException unknown = assertThrows(ModelLoadException.class,
                () -> Decoders.create(descriptor("yolov9", "detection", 4), Map.of(), Map.of(), three));
        assertTrue(unknown.getMessage(), unknown.getMessage().startsWith("unknown decoder 'yolov9'"));
        ModelLoadException task = assertThrows(ModelLoadException.class,
                () -> Decoders.create(descriptor("blazeface", "classification", 128), Map.of(), Map.of(), three));
        assertTrue(task.getMessage(), task.getMessage().contains("is for detection"));
        ModelLoadException shapes = assertThrows(ModelLoadException.class,
                () -> Decoders.create(descriptor("blazeface", "detection", 128), Map.of("x", new long[] {1, 10}), Map.of(), three));
        assertTrue(shapes.getMessage(), shapes.getMessage().contains("score outputs [1,N,1]"));
    }

    @Test
    public void blazeFaceAnchorsAndBoxDecoding() throws Exception {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        shapes.put("s8", new long[] {1, 512, 1});
        shapes.put("s16", new long[] {1, 384, 1});
        shapes.put("r8", new long[] {1, 512, 16});
        shapes.put("r16", new long[] {1, 384, 16});
        BlazeFaceDecoder dec = (BlazeFaceDecoder) Decoders.create(descriptor("blazeface", "detection", 128), shapes, Map.of(),
                new Labels(List.of("face"), Map.of()));
        assertEquals(896, dec.anchors());

        float[] s8 = filled(512, -10), s16 = filled(384, -10), r8 = new float[512 * 16], r16 = new float[384 * 16];
        // stride-16 map is 8x8 with 6 anchors a cell: anchor 6*(3*8+4) is the cell (4,3), centre (4.5/8, 3.5/8)
        int a = 6 * (3 * 8 + 4);
        s16[a] = 3f;
        r16[a * 16] = 6.4f; // +0.05 of the input in x
        r16[a * 16 + 2] = 32f; // width 0.25
        r16[a * 16 + 3] = 64f; // height 0.5
        // a weaker, overlapping neighbour is merged into it by weighted NMS
        s16[a + 1] = 2f;
        r16[(a + 1) * 16 + 2] = 32f;
        r16[(a + 1) * 16 + 3] = 64f;
        Map<String, TensorData> out = Map.of("s8", new TensorData("s8", shapes.get("s8"), s8), "s16", new TensorData("s16", shapes.get("s16"), s16),
                "r8", new TensorData("r8", shapes.get("r8"), r8), "r16", new TensorData("r16", shapes.get("r16"), r16));
        List<Prediction> p = dec.decode(out, Geometry.stretched(128, 128, 128, 128));
        assertEquals(1, p.size());
        assertEquals("face", p.get(0).label());
        assertEquals(1 / (1 + Math.exp(-3)), p.get(0).score(), 1e-6);
        BoundingBox b = p.get(0).box();
        double w3 = Math.exp(3) / (1 + Math.exp(3)), w2 = Math.exp(2) / (1 + Math.exp(2));
        double cx = (w3 * (4.5 / 8 + 0.05) + w2 * (4.5 / 8)) / (w3 + w2);
        assertEquals(cx - 0.125, b.left(), 1e-6);
        assertEquals(3.5 / 8 - 0.25, b.top(), 1e-6);
        assertEquals(0.25, b.width(), 1e-6);
        assertEquals(0.5, b.height(), 1e-6);
    }

    @Test
    public void hardNmsIsPerClass() {
        Nms.Candidate a = new Nms.Candidate(0, 0, 1, 1, 0.9f, 0);
        Nms.Candidate b = new Nms.Candidate(0.05, 0, 1, 1, 0.8f, 0);
        Nms.Candidate c = new Nms.Candidate(0.05, 0, 1, 1, 0.7f, 1);
        Nms.Candidate far = new Nms.Candidate(2, 2, 3, 3, 0.6f, 0);
        assertEquals(List.of(a, c, far), Nms.hard(List.of(b, far, a, c), 0.5, 10));
        assertEquals(List.of(a), Nms.hard(List.of(b, far, a, c), 0.5, 1));
    }

    /**
     * Custom Vision's suppression clears the chosen class on overlapping boxes, which then compete
     * again with their next best class: two boxes on one spot can give a 'cat' and a 'dog'.
     */
    @Test
    public void customVisionSuppressionLetsOverlapsCompeteWithTheirNextClass() throws Exception {
        ModelDescriptor d = descriptor("customvision", "detection", 416);
        d.scoreThreshold = 0.1f;
        d.nmsIou = 0.45f;
        Labels labels = new Labels(List.of("cat", "dog"), Map.of());
        OutputDecoder dec = Decoders.create(d, Map.of("grid", new long[] {1, 35, 1, 1}), Map.of(), labels);
        float[] v = new float[35];
        for (int a = 0; a < 5; a++) {
            v[a * 7 + 4] = -20;
        }
        // anchors 0 and 1 on the one cell, both centred: the second box is larger but overlaps
        v[4] = 5;
        v[5] = 3;
        v[7 + 2] = (float) Math.log(0.573 / 1.87);
        v[7 + 3] = (float) Math.log(0.677 / 2.06);
        v[7 + 4] = 5;
        v[7 + 5] = 2;
        v[7 + 6] = 1.5f;
        List<Prediction> p = dec.decode(Map.of("grid", new TensorData("grid", new long[] {1, 35, 1, 1}, v)),
                Geometry.stretched(416, 416, 416, 416));
        assertEquals(2, p.size());
        assertEquals("cat", p.get(0).label());
        assertEquals("the same spot, now as its next best class", "dog", p.get(1).label());
        double obj = 1 / (1 + Math.exp(-5));
        assertEquals(Math.exp(1.5) / (Math.exp(2) + Math.exp(1.5)) * obj, p.get(1).score(), 1e-5);
    }

    @Test
    public void yoloV8ColumnsAndClassAwareNms() throws Exception {
        ModelDescriptor d = descriptor("yolov8", "detection", 100);
        d.scoreThreshold = 0.25f;
        d.nmsIou = 0.45f;
        Labels labels = new Labels(List.of("a", "b"), Map.of());
        OutputDecoder dec = Decoders.create(d, Map.of("o", new long[] {1, 6, 3}), Map.of(), labels);
        // three boxes on one spot: two of class a (one suppressed), one of class b (kept: NMS is per class)
        float[][] rows = {{50, 50, 20, 20, 0.9f, 0}, {51, 50, 20, 20, 0.8f, 0}, {50, 50, 20, 20, 0, 0.7f}};
        float[] v = new float[18];
        for (int i = 0; i < 3; i++) {
            for (int f = 0; f < 6; f++) {
                v[f * 3 + i] = rows[i][f];
            }
        }
        List<Prediction> p = dec.decode(Map.of("o", new TensorData("o", new long[] {1, 6, 3}, v)), Geometry.stretched(100, 100, 100, 100));
        assertEquals(2, p.size());
        assertEquals("a", p.get(0).label());
        assertEquals("b", p.get(1).label());
        assertEquals(0.4, p.get(0).box().left(), 1e-6);
        ModelLoadException wrong = assertThrows(ModelLoadException.class,
                () -> Decoders.create(d, Map.of("o", new long[] {1, 85, 8400}), Map.of(), labels));
        assertTrue(wrong.getMessage(), wrong.getMessage().contains("[1, 4+C, N] with C = 2 labels"));
    }

    private static float[] filled(int n, float v) {
        float[] f = new float[n];
        java.util.Arrays.fill(f, v);
        return f;
    }
}
