package org.osprey.model.blazeface;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.osprey.api.camera.Frame;
import org.osprey.api.camera.PixelFormat;
import org.osprey.api.vision.BoundingBox;
import org.osprey.api.vision.InferenceResult;
import org.osprey.api.vision.Prediction;
import org.osprey.api.vision.Task;
import org.osprey.inference.onnx.engine.EngineSettings;
import org.osprey.inference.onnx.engine.ModelLoader;
import org.osprey.inference.onnx.engine.OnnxEngine;
import org.osprey.inference.onnx.engine.OnnxModel;
import org.osprey.tools.packager.JarModelFiles;

/** The packaged BlazeFace bundle, loaded by the gateway's loader with real ONNX Runtime, on real photos. */
public class BlazeFaceModelTest {

    /** Astronaut's face, labelled by hand: eyebrows to chin, cheek to cheek (pixels 180,80 - 272,180 of 512). */
    private static final BoundingBox ASTRONAUT_FACE = BoundingBox.ofCorners(180 / 512.0, 80 / 512.0, 272 / 512.0, 180 / 512.0);

    private static OnnxEngine engine;
    private static OnnxModel model;

    @BeforeClass
    public static void load() throws Exception {
        JarModelFiles files = JarModelFiles.read(Path.of(System.getProperty("osprey.model.jar")));
        engine = new OnnxEngine(EngineSettings.DEFAULTS);
        model = new ModelLoader(engine).load(files, files.descriptorPath(), "1.2.0");
    }

    @AfterClass
    public static void close() {
        model.retire();
        assertEquals("the session is closed once retired with nothing in flight", 0, engine.openSessions());
        engine.close();
    }

    @Test
    public void describesItself() {
        assertEquals("blazeface", model.info().name());
        assertEquals(Task.DETECTION, model.info().task());
        assertEquals(List.of("face"), model.info().labels());
        assertEquals(128, model.info().inputWidth());
    }

    @Test
    public void findsTheAstronautsFaceWithATightBox() throws Exception {
        InferenceResult r = model.infer(encoded("astronaut.png", PixelFormat.PNG));
        assertEquals(512, r.imageWidth());
        assertEquals("one face: " + r.predictions(), 1, r.predictions().size());
        Prediction face = r.predictions().get(0);
        assertEquals("face", face.label());
        assertTrue("confident: " + face, face.score() >= 0.8f);
        assertTrue("close to the hand-labelled face: " + face.box(), face.box().iou(ASTRONAUT_FACE) >= 0.75);
        double area = face.box().width() * face.box().height();
        assertTrue("tight: " + face.box(), area < 1.4 * ASTRONAUT_FACE.width() * ASTRONAUT_FACE.height());
    }

    @Test
    public void findsNoFaceInACupOfCoffee() throws Exception {
        assertEquals(List.of(), model.infer(encoded("coffee.png", PixelFormat.PNG)).predictions());
    }

    @Test
    public void findsTheFaceInAGrayscalePhoto() throws Exception {
        List<Prediction> p = model.infer(encoded("camera.png", PixelFormat.PNG)).predictions();
        assertEquals(1, p.size());
        BoundingBox b = p.get(0).box();
        assertTrue("the cameraman's face is in the upper middle: " + b, b.left() > 0.3 && b.right() < 0.6 && b.bottom() < 0.5);
    }

    /** The JPEG path (libjpeg-turbo, shrunk on load) and a raw camera frame see the same face as the PNG path. */
    @Test
    public void jpegAndRawFramesGiveTheSameFace() throws Exception {
        BoundingBox png = model.infer(encoded("astronaut.png", PixelFormat.PNG)).predictions().get(0).box();
        BufferedImage img = ImageIO.read(sample("astronaut.png").toFile());
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(img, "jpg", jpeg);
        Frame jpegFrame = Frame.encoded("test", 1, Instant.now(), PixelFormat.JPEG, 0, 0, ByteBuffer.wrap(jpeg.toByteArray()));
        BoundingBox fromJpeg = model.infer(jpegFrame).predictions().get(0).box();
        assertTrue(png + " vs " + fromJpeg, png.iou(fromJpeg) > 0.9);
        assertTrue(fromJpeg.toString(), fromJpeg.iou(ASTRONAUT_FACE) >= 0.75);

        BufferedImage bgr = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        bgr.getGraphics().drawImage(img, 0, 0, null);
        byte[] pixels = ((DataBufferByte) bgr.getRaster().getDataBuffer()).getData();
        Frame raw = Frame.raw("test", 2, Instant.now(), PixelFormat.BGR24, 512, 512, 512 * 3, ByteBuffer.wrap(pixels));
        BoundingBox fromRaw = model.infer(raw).predictions().get(0).box();
        assertTrue(png + " vs " + fromRaw, png.iou(fromRaw) > 0.9);
        assertTrue(fromRaw.toString(), fromRaw.iou(ASTRONAUT_FACE) >= 0.75);
    }

    private static Frame encoded(String name, PixelFormat format) throws IOException {
        return Frame.encoded("test", 0, Instant.now(), format, 0, 0, ByteBuffer.wrap(Files.readAllBytes(sample(name))));
    }

    private static Path sample(String name) {
        return Path.of(System.getProperty("osprey.samples"), name);
    }
}
