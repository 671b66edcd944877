package org.osprey.tools.bench;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;

import org.osprey.api.camera.Frame;
import org.osprey.api.camera.PixelFormat;
import org.osprey.api.vision.BoundingBox;
import org.osprey.api.vision.Prediction;
import org.osprey.api.vision.Region;
import org.osprey.inference.onnx.image.ImageDecoders;
import org.osprey.inference.onnx.image.TurboJpeg;
import org.osprey.inference.onnx.render.AnnotatedJpegRenderer;

/**
 * {@code ./osprey bench render}: what a picture for the live view, the MJPEG stream or an event costs,
 * for a 1920x1080 camera frame shown 640 wide with boxes and a zone. Against, in the same run on the same
 * frame: the plain way (Java2D scale and draw, ImageIO encode) and the floor (libjpeg-turbo encoding the
 * ready 640-wide pixels, nothing else).
 */
public final class RenderBench {

    private RenderBench() {
    }

    /** One rendering, timed. */
    private interface Work {
        void run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        Duration duration = Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 5);
        BufferedImage photo = ImageIO.read(Path.of("samples", "images", "person.jpg").toFile());
        BufferedImage hd = new BufferedImage(1920, 1080, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = hd.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(photo, 0, 0, 1920, 1080, null);
        g.dispose();
        byte[] bgr = ((DataBufferByte) hd.getRaster().getDataBuffer()).getData();
        Frame raw = Frame.raw("bench", 1, Instant.now(), PixelFormat.BGR24, 1920, 1080, 1920 * 3, ByteBuffer.wrap(bgr));
        ByteArrayOutputStream jpegFile = new ByteArrayOutputStream();
        ImageIO.write(hd, "jpeg", jpegFile);
        Frame jpeg = Frame.encoded("bench", 1, Instant.now(), PixelFormat.JPEG, 0, 0, ByteBuffer.wrap(jpegFile.toByteArray()));
        List<Prediction> boxes = List.of(Prediction.of("person", 0, 0.91f, BoundingBox.of(0.3, 0.2, 0.2, 0.6)),
                Prediction.of("dog", 1, 0.77f, BoundingBox.of(0.6, 0.5, 0.2, 0.3)));
        List<Region> zones = List.of(Region.parse("door: 0.05,0.6 0.3,0.6 0.3,0.95 0.05,0.95"));

        try (ImageDecoders decoders = new ImageDecoders()) {
            TurboJpeg turbo = decoders.turbo().orElseThrow(() -> new IllegalStateException("libjpeg-turbo is needed (libturbojpeg0)"));
            AnnotatedJpegRenderer renderer = new AnnotatedJpegRenderer(decoders);
            BufferedImage small = new BufferedImage(640, 360, BufferedImage.TYPE_3BYTE_BGR);
            Graphics2D sg = small.createGraphics();
            sg.drawImage(hd, 0, 0, 640, 360, null);
            sg.dispose();
            ByteBuffer smallPixels = ByteBuffer.allocateDirect(640 * 360 * 3).put(((DataBufferByte) small.getRaster().getDataBuffer()).getData()).flip();

            System.out.printf(Locale.ROOT, "Osprey render benchmark: a 1920x1080 frame to a 640x360 JPEG (quality 80) with 2 boxes and a zone, %d s per figure%n",
                    duration.toSeconds());
            double floor = measure("floor: libjpeg-turbo encode of ready 640x360 pixels", duration, () -> turbo.encodeBgr(smallPixels.duplicate(), 640, 640 * 3, 360, 80));
            double plain = measure("plain, raw frame: Java2D scale + draw, ImageIO encode", duration, () -> plain(hd));
            byte[] jpegBytes = jpegFile.toByteArray();
            double plainJpeg = measure("plain, JPEG frame: ImageIO decode, then the same", duration,
                    () -> plain(ImageIO.read(new java.io.ByteArrayInputStream(jpegBytes))));
            double rawMs = measure("Osprey: raw BGR frame", duration, () -> renderer.jpeg(raw, boxes, zones, 640, 80));
            double jpegMs = measure("Osprey: JPEG frame (decoded shrunk)", duration, () -> renderer.jpeg(jpeg, boxes, zones, 640, 80));
            measure("Osprey: raw BGR frame, nothing drawn", duration, () -> renderer.jpeg(raw, List.of(), List.of(), 640, 80));
            System.out.printf(Locale.ROOT, "  raw frame: %.1fx the floor's time, %.1fx faster than the plain way%n", rawMs / floor, plain / rawMs);
            System.out.printf(Locale.ROOT, "  JPEG frame: %.1fx the floor's time, %.1fx faster than the plain way%n", jpegMs / floor, plainJpeg / jpegMs);
            renderer.close();
        }
    }

    private static byte[] plain(BufferedImage hd) throws Exception {
        BufferedImage out = new BufferedImage(640, 360, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(hd, 0, 0, 640, 360, null);
        g.setColor(java.awt.Color.GREEN);
        g.drawRect(192, 72, 128, 216);
        g.drawRect(384, 180, 128, 108);
        g.dispose();
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ImageIO.write(out, "jpeg", o);
        return o.toByteArray();
    }

    /** Milliseconds per rendering over {@code duration}, after a warm-up as long. */
    private static double measure(String name, Duration duration, Work work) throws Exception {
        for (long end = System.nanoTime() + duration.toNanos(); System.nanoTime() < end;) {
            work.run();
        }
        long n = 0;
        long start = System.nanoTime();
        for (long end = start + duration.toNanos(); System.nanoTime() < end; n++) {
            work.run();
        }
        double ms = (System.nanoTime() - start) / 1e6 / n;
        System.out.printf(Locale.ROOT, "%-55s %7.2f ms per picture%n", name, ms);
        return ms;
    }
}
