package org.osprey.runtime.it;

import static org.junit.Assert.assertEquals;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.junit.Test;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.Bundle;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * Every supported model format, packaged by the model packager from a generated model whose outputs
 * are known (tools/test-models/generate.py), installed into the gateway and asked through
 * {@code POST /image}: the labels, scores and boxes users get are checked against values worked out
 * by hand from the model's outputs and each format's conventions (normalised or pixel, corners or
 * centre, x-first or y-first, letterbox undone or not). The detectors read some of their scores from
 * the input tensor, so each score below also checks what the gateway fed the model: colour order,
 * value range, mean and std, and the letterbox's padding level.
 */
public class ModelFormatsIT extends OspreyTestSupport {

    private static final double EPS = 1e-3;

    @Override
    protected Option[] extraOptions() {
        try {
            Path dir = TestFormats.write(Path.of("target", "pax-exam", "formats").toAbsolutePath());
            // the classifier again with a version above BlazeFace's: the default-model rule's test
            org.osprey.tools.packager.ModelPackager.run("--model", Path.of(System.getProperty("osprey.test.models"), "classifier.onnx").toString(),
                    "--labels", dir.resolve("classifier.labels.txt").toString(), "--name", "classifier", "--version", "9.0.0",
                    "--option", "activation=softmax", "--output", dir.resolve("classifier-9.0.0.jar").toString());
            return new Option[] {systemProperty(TestFormats.PROPERTY).value(dir.toString())};
        } catch (Exception e) {
            throw new IllegalStateException("cannot package the test models", e);
        }
    }

    /** A 640x480 picture of one colour, as PNG. */
    private static byte[] picture(Color colour) throws Exception {
        BufferedImage img = new BufferedImage(640, 480, BufferedImage.TYPE_3BYTE_BGR);
        java.awt.Graphics2D g = img.createGraphics();
        g.setColor(colour);
        g.fillRect(0, 0, 640, 480);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    /** While the format's bundle is installed and its model active, asks what {@code request} asks. */
    private HttpAnswer withModel(String format, java.util.concurrent.Callable<HttpAnswer> request) throws Exception {
        Bundle b = context.installBundle(Path.of(System.getProperty(TestFormats.PROPERTY), format + "-1.0.0.jar").toUri().toString());
        try {
            b.start();
            InferenceIT.awaitActive(format, "1.0.0");
            HttpAnswer a = request.call();
            assertEquals(a.body, 200, a.status);
            return a;
        } finally {
            b.uninstall();
        }
    }

    /** The predictions of POST /image?model=format for a red picture. */
    private JsonArray predictions(String format) throws Exception {
        HttpAnswer a = withModel(format, () -> post("/image?model=" + format, "image/png", picture(Color.RED), null));
        return InferenceIT.json(a).getAsJsonArray("predictions");
    }

    private static void assertPrediction(JsonArray predictions, int i, String label, double probability, double left, double top,
            double width, double height) {
        JsonObject p = predictions.get(i).getAsJsonObject();
        assertEquals(predictions.toString(), label, p.get("tagName").getAsString());
        assertEquals(predictions.toString(), probability, p.get("probability").getAsDouble(), EPS);
        JsonObject box = p.getAsJsonObject("boundingBox");
        assertEquals("left " + predictions, left, box.get("left").getAsDouble(), EPS);
        assertEquals("top " + predictions, top, box.get("top").getAsDouble(), EPS);
        assertEquals("width " + predictions, width, box.get("width").getAsDouble(), EPS);
        assertEquals("height " + predictions, height, box.get("height").getAsDouble(), EPS);
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /**
     * A request that names no model goes to the highest version installed, whatever its name (the README's
     * rule): the classifier 1.0.0 installed after BlazeFace 1.2.0 does not take over, the same as 9.0.0 does.
     */
    @Test
    public void withoutAModelNameTheHighestVersionServes() throws Exception {
        InferenceIT.awaitActive("blazeface", "1.2.0");
        HttpAnswer older = withModel("classifier", () -> post("/image", "image/png", picture(Color.RED), null));
        assertEquals(older.body, "blazeface", InferenceIT.json(older).get("project").getAsString());
        Bundle nine = context.installBundle(Path.of(System.getProperty(TestFormats.PROPERTY), "classifier-9.0.0.jar").toUri().toString());
        try {
            nine.start();
            InferenceIT.awaitActive("classifier", "9.0.0");
            HttpAnswer higher = post("/image", "image/png", picture(Color.RED), null);
            assertEquals(higher.body, 200, higher.status);
            assertEquals(higher.body, "classifier", InferenceIT.json(higher).get("project").getAsString());
            assertEquals("9.0.0", InferenceIT.json(higher).get("iteration").getAsString());
        } finally {
            nine.uninstall();
            // the last version of a name serves on for a while after it is removed: back to BlazeFace before the next test
            long deadline = System.currentTimeMillis() + 60_000;
            while (!"blazeface".equals(InferenceIT.json(post("/image", "image/png", picture(Color.RED), null)).get("project").getAsString())
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(500); // polled, with a deadline
            }
        }
    }

    @Test
    public void genericClassifierWithSoftmax() throws Exception {
        JsonArray p = predictions("classifier");
        JsonObject top = p.get(0).getAsJsonObject();
        assertEquals("red", top.get("tagName").getAsString());
        assertEquals(Math.exp(10) / (Math.exp(10) + 2), top.get("probability").getAsDouble(), EPS);
        assertEquals(true, top.get("boundingBox").isJsonNull());
    }

    /** Bgr8 and NominalRange_0_255 from the metadata: red reaches the third channel at 255. */
    @Test
    public void customVisionClassifierTakesColourOrderAndRangeFromItsMetadata() throws Exception {
        JsonObject top = predictions("customvision-classifier").get(0).getAsJsonObject();
        assertEquals("red", top.get("tagName").getAsString());
        double e = Math.exp(255 * 0.02);
        assertEquals(e / (e + 2), top.get("probability").getAsDouble(), EPS);
    }

    /** The older export answers a label -> probability map (ONNX ZipMap) in its output 'loss'. */
    @Test
    public void olderCustomVisionClassifierWithALabelMap() throws Exception {
        JsonArray p = predictions("customvision-classifier-legacy");
        JsonObject top = p.get(0).getAsJsonObject();
        assertEquals(p.toString(), "red", top.get("tagName").getAsString());
        assertEquals(2, top.get("tagId").getAsInt());
        double e = Math.exp(255 * 0.02);
        assertEquals(e / (e + 2), top.get("probability").getAsDouble(), EPS);
    }

    @Test
    public void customVisionCompactDetector() throws Exception {
        JsonArray p = predictions("customvision-od");
        assertEquals(p.toString(), 2, p.size());
        double cat = Math.exp(3) / (Math.exp(3) + 1) * sigmoid(5);
        assertPrediction(p, 0, "cat", cat, 0.4, 0.35, 0.2, 0.3);
        double dog = Math.exp(4) / (Math.exp(4) + 1) * sigmoid(2);
        double w = 1.87 / 13, h = 2.06 / 13, cx = (sigmoid(1) + 2) / 13, cy = (sigmoid(-1) + 9) / 13;
        assertPrediction(p, 1, "dog", dog, cx - w / 2, cy - h / 2, w, h);
    }

    @Test
    public void customVisionS1WithNmsInTheGraph() throws Exception {
        JsonArray p = predictions("customvision-s1");
        assertEquals("the 0.05 box is under the threshold: " + p, 1, p.size());
        assertPrediction(p, 0, "pear", 0.9, 0.1, 0.2, 0.4, 0.4);
    }

    /** Boxes in pixels of the picture, y first; right only if the gateway sent the picture's size. */
    @Test
    public void onnxZooYoloV3AndTiny() throws Exception {
        for (String format : new String[] {"yolov3", "tiny-yolov3"}) {
            JsonArray p = predictions(format);
            assertEquals(format + " " + p, 2, p.size());
            assertPrediction(p, 0, "dog", 0.8, 0.1, 0.25, 0.4, 0.5);
            assertPrediction(p, 1, "bicycle", 0.6, 0.5, 0.1, 0.4, 0.2);
        }
    }

    /**
     * Centre and size in pixels of the 320x320 letterboxed input: a 640x480 picture is scaled by 0.5
     * to 320x240 and padded by 40 rows above. The duplicate pear is suppressed, the faint box dropped.
     */
    @Test
    public void yoloV5AndV8UndoTheLetterbox() throws Exception {
        for (String format : new String[] {"yolov5", "yolov8"}) {
            JsonArray p = predictions(format);
            assertEquals(format + " " + p, 2, p.size());
            assertPrediction(p, 0, "pear", 0.9 * 0.95, 128 / 320.0, (96 - 40) / 240.0, 64 / 320.0, 48 / 240.0);
            assertPrediction(p, 1, "apple", 0.8 * 0.7, 64 / 320.0, (184 - 40) / 240.0, 32 / 320.0, 32 / 240.0);
        }
    }

    @Test
    public void yoloDetectionInPixelsThroughDeepStack() throws Exception {
        HttpAnswer a = withModel("yolov5", () -> postForm("/v1/vision/detection?model=yolov5",
                java.util.Map.of("image", picture(Color.RED), "min_confidence", "0.6"), null));
        JsonArray p = InferenceIT.json(a).getAsJsonArray("predictions");
        assertEquals(a.body, 1, p.size());
        JsonObject pear = p.get(0).getAsJsonObject();
        assertEquals(256, pear.get("x_min").getAsInt());
        assertEquals(112, pear.get("y_min").getAsInt());
        assertEquals(384, pear.get("x_max").getAsInt());
        assertEquals(208, pear.get("y_max").getAsInt());
    }

    /**
     * input = (pixel / 255 - mean) / std per channel, padding included: the pear's score is 0.855 times
     * the red channel's value in the content, (1 - 0.5) / 2; the apple's is 0.56 * 255/114 times the green
     * channel's value in the band of padding, (114/255 - 0.1) / 1.
     */
    @Test
    public void meanAndStdApplyPerChannel() throws Exception {
        JsonArray p = predictions("yolov8-normalised");
        assertEquals(p.toString(), 2, p.size());
        // best first
        assertPrediction(p, 0, "apple", 0.8 * 0.7 * 255 / 114 * (114 / 255.0 - 0.1) / 1, 64 / 320.0, (184 - 40) / 240.0, 32 / 320.0,
                32 / 240.0);
        assertPrediction(p, 1, "pear", 0.9 * 0.95 * (1 - 0.5) / 2, 128 / 320.0, (96 - 40) / 240.0, 64 / 320.0, 48 / 240.0);
    }

    /** 8-bit input of any size; boxes y-first; 1-based class ids; num_detections cuts the padding row. */
    @Test
    public void tensorflowSsdExport() throws Exception {
        JsonArray p = predictions("ssd-mobilenet");
        assertEquals(p.toString(), 2, p.size());
        assertPrediction(p, 0, "dog", 0.8, 0.1, 0.25, 0.4, 0.5);
        assertPrediction(p, 1, "bicycle", 0.6, 0.5, 0.1, 0.4, 0.2);
    }
}
