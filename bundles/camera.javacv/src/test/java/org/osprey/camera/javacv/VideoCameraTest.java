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
        Map<String, Object> v = new HashMap<>(Map.of("camera_id", "cam", "source", source, "format", format, "width", 0, "height", 0,
                "fps", 0.0, "loop", loop, "options", new String[0]));
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

    /** multipart/x-mixed-replace, the way IP cameras serve MJPEG: one JPEG part every 50 ms. */
    private static HttpServer mjpeg(int port, byte[] jpeg) throws Exception {
        HttpServer s = HttpServer.create(new InetSocketAddress("localhost", port), 0);
        s.createContext("/stream", ex -> {
            ex.getResponseHeaders().add("Content-Type", "multipart/x-mixed-replace; boundary=frame");
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                while (true) {
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
