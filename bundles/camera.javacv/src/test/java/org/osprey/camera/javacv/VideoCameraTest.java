package org.osprey.camera.javacv;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Java2DFrameConverter;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.osprey.api.camera.Frame;
import org.osprey.api.camera.PixelFormat;
import org.osprey.api.camera.SourceState;

import com.sun.net.httpserver.HttpServer;

/** Real FFmpeg through JavaCV: a video file written here, and an MJPEG stream served here. */
public class VideoCameraTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static VideoCameraConfiguration config(String source, String format, boolean loop) {
        return config(source, format, loop, 0);
    }

    private static VideoCameraConfiguration config(String source, String format, boolean loop, double stallSeconds) {
        Map<String, Object> v = new HashMap<>(Map.of("camera_id", "cam", "source", source, "format", format, "width", 0, "height", 0,
                "fps", 0.0, "loop", loop, "options", new String[0], "stallSeconds", stallSeconds));
        return (VideoCameraConfiguration) Proxy.newProxyInstance(VideoCameraConfiguration.class.getClassLoader(),
                new Class<?>[] {VideoCameraConfiguration.class}, (p, m, a) -> v.get(m.getName()));
    }

    private static BufferedImage picture(int i) {
        BufferedImage img = new BufferedImage(320, 240, BufferedImage.TYPE_3BYTE_BGR);
        java.awt.Graphics g = img.getGraphics();
        g.setColor(Color.BLUE);
        g.fillRect(0, 0, 320, 240);
        g.setColor(Color.RED);
        g.fillRect(10 * i, 100, 40, 40);
        return img;
    }

    @Test
    public void readsAVideoFileAtItsOwnRateAndLoops() throws Exception {
        Path video = tmp.getRoot().toPath().resolve("clip.avi");
        try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(video.toString(), 320, 240)) {
            r.setFormat("avi");
            r.setVideoCodec(avcodec.AV_CODEC_ID_MJPEG);
            r.setPixelFormat(avutil.AV_PIX_FMT_YUVJ420P);
            r.setFrameRate(20);
            r.start();
            Java2DFrameConverter conv = new Java2DFrameConverter();
            for (int i = 0; i < 10; i++) {
                r.record(conv.convert(picture(i)));
            }
        }
        VideoCamera camera = new VideoCamera(config(video.toString(), "", true));
        try {
            Frame first = camera.nextFrame(10, TimeUnit.SECONDS);
            assertNotNull(first);
            assertEquals(PixelFormat.BGR24, first.format());
            assertEquals(320, first.width());
            assertEquals(240, first.height());
            // blue background, as BGR
            java.nio.ByteBuffer px = first.data();
            assertTrue("blue: " + (px.get(0) & 0xFF), (px.get(0) & 0xFF) > 200 && (px.get(2) & 0xFF) < 60);
            long last = first.sequence();
            for (int i = 0; i < 25; i++) {
                Frame f = camera.nextFrame(5, TimeUnit.SECONDS);
                assertNotNull("frame " + i, f);
                assertTrue(f.sequence() > last);
                last = f.sequence();
            }
            assertTrue("looped past the 10 frames of the file", last >= 25);
            assertEquals(SourceState.STREAMING, camera.status().state());
        } finally {
            camera.deactivate();
        }
    }

    /** An MJPEG stream over HTTP; the server goes away and comes back: the camera reconnects. */
    @Test
    public void followsAnMjpegStreamThroughAnOutage() throws Exception {
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(picture(3), "jpg", jpeg);
        HttpServer server = mjpeg(0, jpeg.toByteArray());
        int port = server.getAddress().getPort();
        VideoCamera camera = new VideoCamera(config("http://localhost:" + port + "/stream", "mjpeg", true));
        try {
            assertNotNull(camera.nextFrame(15, TimeUnit.SECONDS));
            server.stop(0);
            long deadline = System.currentTimeMillis() + 20_000;
            while (camera.status().state() != SourceState.RECONNECTING && System.currentTimeMillis() < deadline) {
                camera.nextFrame(200, TimeUnit.MILLISECONDS);
            }
            assertEquals(SourceState.RECONNECTING, camera.status().state());
            server = mjpeg(port, jpeg.toByteArray());
            deadline = System.currentTimeMillis() + 30_000;
            while (camera.status().state() != SourceState.STREAMING && System.currentTimeMillis() < deadline) {
                camera.nextFrame(200, TimeUnit.MILLISECONDS);
            }
            assertEquals(SourceState.STREAMING, camera.status().state());
            assertNotNull(camera.nextFrame(10, TimeUnit.SECONDS));
        } finally {
            camera.deactivate();
            server.stop(0);
        }
    }

    /**
     * A stream that freezes instead of failing (a relay whose publisher died): the connection stays open and
     * nothing more comes. The camera says it is stalled within its stall time, never hands the last frame
     * out again as new, and streams again once pictures come back.
     */
    @Test
    public void aStreamThatFreezesIsStalledAndOpenedAgain() throws Exception {
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(picture(5), "jpg", jpeg);
        java.util.concurrent.atomic.AtomicBoolean frozen = new java.util.concurrent.atomic.AtomicBoolean();
        HttpServer server = mjpeg(0, jpeg.toByteArray(), frozen);
        VideoCamera camera = new VideoCamera(config("http://localhost:" + server.getAddress().getPort() + "/stream", "mjpeg", true, 2));
        try {
            assertNotNull(camera.nextFrame(15, TimeUnit.SECONDS));
            frozen.set(true);
            long frozenAt = System.nanoTime();
            long deadline = System.currentTimeMillis() + 10_000;
            while (camera.status().state() != SourceState.STALLED && System.currentTimeMillis() < deadline) {
                camera.nextFrame(100, TimeUnit.MILLISECONDS);
            }
            assertEquals(camera.status().message(), SourceState.STALLED, camera.status().state());
            double seconds = (System.nanoTime() - frozenAt) / 1e9;
            assertTrue("stalled after " + seconds + " s, the stall time is 2 s", seconds < 4);
            // while it is frozen nothing is handed out as new, beyond the last part FFmpeg held when its read timed out
            int whileFrozen = 0;
            for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3); System.nanoTime() < end;) {
                if (camera.nextFrame(100, TimeUnit.MILLISECONDS) != null) {
                    whileFrozen++;
                }
            }
            assertTrue("frames handed out while frozen: " + whileFrozen, whileFrozen <= 1);
            assertEquals(camera.status().message(), SourceState.STALLED, camera.status().state());
            frozen.set(false);
            deadline = System.currentTimeMillis() + 30_000;
            Frame back = null;
            while (back == null && System.currentTimeMillis() < deadline) {
                back = camera.nextFrame(200, TimeUnit.MILLISECONDS);
            }
            assertNotNull("frames again once the stream moves again", back);
            assertEquals(SourceState.STREAMING, camera.status().state());
        } finally {
            camera.deactivate();
            server.stop(0);
        }
    }

    private static HttpServer mjpeg(int port, byte[] jpeg) throws Exception {
        return mjpeg(port, jpeg, new java.util.concurrent.atomic.AtomicBoolean());
    }

    /** multipart/x-mixed-replace, the way IP cameras serve MJPEG: one JPEG part every 50 ms, none while frozen (the connection kept open). */
    private static HttpServer mjpeg(int port, byte[] jpeg, java.util.concurrent.atomic.AtomicBoolean frozen) throws Exception {
        HttpServer s = HttpServer.create(new InetSocketAddress("localhost", port), 0);
        s.createContext("/stream", ex -> {
            ex.getResponseHeaders().add("Content-Type", "multipart/x-mixed-replace; boundary=frame");
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                while (true) {
                    if (frozen.get()) {
                        Thread.sleep(50);
                        continue;
                    }
                    out.write(("--frame\r\nContent-Type: image/jpeg\r\nContent-Length: " + jpeg.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(jpeg);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    Thread.sleep(50);
                }
            } catch (Exception e) {
                // the client went away, or the server stopped
            }
        });
        s.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r);
            t.setDaemon(true);
            return t;
        }));
        s.start();
        return s;
    }
}
