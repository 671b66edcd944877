package org.osprey.inference.onnx.render;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.AfterClass;
import org.junit.Test;
import org.osprey.api.camera.Frame;
import org.osprey.api.camera.PixelFormat;
import org.osprey.api.vision.BoundingBox;
import org.osprey.api.vision.InferenceException;
import org.osprey.api.vision.Prediction;
import org.osprey.api.vision.Region;
import org.osprey.inference.onnx.image.ImageDecoders;

/** The renderer with the machine's real libjpeg-turbo, on real photos and raw frames; its JPEGs read back with ImageIO. */
public class AnnotatedJpegRendererTest {

    private static final AnnotatedJpegRenderer RENDERER = new AnnotatedJpegRenderer(new ImageDecoders());

    @AfterClass
    public static void close() {
        RENDERER.close();
    }

    private static byte[] sample(String name) throws Exception {
        return Files.readAllBytes(Path.of(System.getProperty("osprey.samples", "../../samples/images"), name));
    }

    private static BufferedImage read(byte[] jpeg) throws Exception {
        assertTrue("a JPEG", (jpeg[0] & 0xFF) == 0xFF && (jpeg[1] & 0xFF) == 0xD8);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(jpeg));
        assertNotNull(image);
        return image;
    }

    /** A grey raw frame, 800x600 BGR with padded rows. */
    private static Frame grey() {
        int w = 800, h = 600, stride = w * 3 + 16;
        ByteBuffer pixels = ByteBuffer.allocate(stride * h);
        for (int i = 0; i < pixels.capacity(); i++) {
            pixels.put(i, (byte) 128);
        }
        return Frame.raw("cam", 1, Instant.now(), PixelFormat.BGR24, w, h, stride, pixels);
    }

    private static boolean near(Color expected, int rgb) {
        Color c = new Color(rgb);
        return Math.abs(c.getRed() - expected.getRed()) < 60 && Math.abs(c.getGreen() - expected.getGreen()) < 60
                && Math.abs(c.getBlue() - expected.getBlue()) < 60;
    }

    @Test
    public void aRawFrameIsScaledAndItsBoxAndZoneAreDrawn() throws Exception {
        Prediction face = Prediction.of("face", 0, 0.9f, BoundingBox.of(0.25, 0.25, 0.5, 0.5));
        Region door = new Region("door", new double[] {0.05, 0.2, 0.2, 0.05}, new double[] {0.7, 0.7, 0.95, 0.95});
        BufferedImage image = read(RENDERER.jpeg(grey(), List.of(face), List.of(door), 400, 90));
        assertEquals(400, image.getWidth());
        assertEquals(300, image.getHeight());
        // the box's left edge, halfway down, in the first label's colour (green); the middle stays grey
        assertTrue(Integer.toHexString(image.getRGB(100, 150)), near(new Color(0x00C853), image.getRGB(100, 150)));
        assertTrue(Integer.toHexString(image.getRGB(200, 150)), near(new Color(128, 128, 128), image.getRGB(200, 150)));
        // the zone's bottom edge in yellow
        assertTrue(Integer.toHexString(image.getRGB(50, 284)), near(new Color(0xFFEB3B), image.getRGB(50, 284)));
    }

    @Test
    public void aJpegFrameIsDecodedShrunkAndNeverScaledUp() throws Exception {
        byte[] dog = sample("dog.jpg");
        BufferedImage original = ImageIO.read(new ByteArrayInputStream(dog));
        Frame frame = Frame.encoded("cam", 1, Instant.now(), PixelFormat.JPEG, 0, 0, ByteBuffer.wrap(dog));
        Prediction p = Prediction.of("dog", 3, 0.8f, BoundingBox.of(0.1, 0.1, 0.3, 0.3));
        BufferedImage small = read(RENDERER.jpeg(frame, List.of(p), List.of(), 200, 80));
        assertEquals(200, small.getWidth());
        assertEquals(Math.round(original.getHeight() * 200.0 / original.getWidth()), small.getHeight());
        BufferedImage full = read(RENDERER.jpeg(frame, List.of(p), List.of(), 5000, 80));
        assertEquals(original.getWidth(), full.getWidth());
    }

    @Test
    public void aVideoDecodersYuvFrameIsSampledDownAndDrawnOn() throws Exception {
        // 1920x1080 I420 in a pure red (BT.601 limited: Y 81, U 90, V 240), with padded rows
        int w = 1920, h = 1080, lumaStride = 1984, chromaStride = 1024;
        ByteBuffer y = ByteBuffer.allocateDirect(lumaStride * h), u = ByteBuffer.allocateDirect(chromaStride * h / 2), v = ByteBuffer.allocateDirect(chromaStride * h / 2);
        for (int i = 0; i < y.capacity(); i++) {
            y.put(i, (byte) 81);
        }
        for (int i = 0; i < u.capacity(); i++) {
            u.put(i, (byte) 90);
            v.put(i, (byte) 240);
        }
        Frame frame = Frame.planar("cam", 1, Instant.now(), PixelFormat.I420, w, h, new int[] {lumaStride, chromaStride, chromaStride}, new ByteBuffer[] {y, u, v});
        Prediction face = Prediction.of("face", 0, 0.9f, BoundingBox.of(0.25, 0.25, 0.5, 0.5));
        BufferedImage image = read(RENDERER.jpeg(frame, List.of(face), List.of(), 640, 90));
        assertEquals(640, image.getWidth());
        assertEquals(360, image.getHeight());
        assertTrue(Integer.toHexString(image.getRGB(320, 180)), near(new Color(255, 0, 0), image.getRGB(320, 180)));
        // the box's left edge: green over the red (JPEG's halved chroma blurs the two)
        Color edge = new Color(image.getRGB(160, 180));
        assertTrue(edge.toString(), edge.getGreen() > 110 && edge.getRed() < 160);
    }

    @Test
    public void aPlainJpegThatFitsIsPassedOnUntouched() throws Exception {
        byte[] dog = sample("dog.jpg");
        Frame frame = Frame.encoded("cam", 1, Instant.now(), PixelFormat.JPEG, 0, 0, ByteBuffer.wrap(dog));
        assertArrayEquals(dog, RENDERER.jpeg(frame, List.of(), List.of(), 0, 80));
    }

    @Test
    public void aPngFrameAndAClassificationWithoutABox() throws Exception {
        Frame frame = Frame.encoded("cam", 1, Instant.now(), PixelFormat.PNG, 0, 0, ByteBuffer.wrap(sample("coffee.png")));
        BufferedImage image = read(RENDERER.jpeg(frame, List.of(Prediction.of("espresso", 1, 0.7f, null)), List.of(), 320, 80));
        assertEquals(320, image.getWidth());
    }

    @Test
    public void aBrokenFrameIsABadImage() {
        Frame frame = Frame.encoded("cam", 1, Instant.now(), PixelFormat.JPEG, 0, 0, ByteBuffer.wrap(new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3}));
        try {
            RENDERER.jpeg(frame, List.of(), List.of(), 640, 80);
            fail("a broken JPEG was rendered");
        } catch (InferenceException e) {
            assertEquals(InferenceException.Reason.BAD_IMAGE, e.reason());
        }
    }
}
