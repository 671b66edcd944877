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
            // MJPEG decodes to full-range yuvj420p, turned into (limited-range) I420: never into RGB
            assertEquals(PixelFormat.I420, first.format());
            assertEquals(320, first.width());
            assertEquals(240, first.height());
            // blue background: dark luma (about 41), blue-difference chroma high (about 240)
            int luma = first.plane(0).get(0) & 0xFF, blueDifference = first.plane(1).get(0) & 0xFF;
            assertTrue("blue: Y " + luma + " U " + blueDifference, luma < 60 && blueDifference > 200);
            long last = first.sequence();
            long start = System.nanoTime();
            for (int i = 0; i < 25; i++) {
                Frame f = camera.nextFrame(5, TimeUnit.SECONDS);
                assertNotNull("frame " + i, f);
                assertTrue(f.sequence() > last);
                last = f.sequence();
            }
            assertTrue("looped past the 10 frames of the file", last >= 25);
            // at its own rate (20 fps), not as fast as it decodes: 25 more frames take 1.2 s or more (a late frame
            // is made up for by the next ones: a little less)
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue("25 frames in " + seconds + " s", seconds >= 1.0);
            assertEquals(SourceState.STREAMING, camera.status().state());
        } finally {
            camera.deactivate();
        }
    }

    /** A file that is not a video: the camera keeps trying and says why in FFmpeg's words, not JavaCV's hints to programmers. */
    @Test
    public void aCorruptFileIsReportedInPlainWords() throws Exception {
        Path broken = tmp.getRoot().toPath().resolve("broken.mp4");
        java.nio.file.Files.write(broken, new byte[] {0, 0, 0, 24, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm', 1, 2, 3, 4, 5, 6, 7, 8});
        VideoCamera camera = new VideoCamera(config(broken.toString(), "", true));
        try {
            long deadline = System.currentTimeMillis() + 15_000;
            while (camera.status().state() != SourceState.RECONNECTING && System.currentTimeMillis() < deadline) {
                camera.nextFrame(100, TimeUnit.MILLISECONDS);
            }
            String message = camera.status().message();
            assertEquals(message, SourceState.RECONNECTING, camera.status().state());
            assertTrue(message, message.contains("Invalid data found when processing input") && message.contains(broken.toString()));
            assertTrue(message, !message.contains("setFormat") && !message.contains("FFmpegLogCallback"));
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

    /**
     * A real RTSP relay (Debian's rtsp-server-perl) fed by the ffmpeg command with H.264, as cameras and relays
     * are: the publisher dies while the server keeps the viewer's session open. Stalled within the stall time;
     * the publisher back, frames flow again within 5 s.
     */
    @Test
    public void anRtspStreamWhosePublisherStopsIsStalledAndFlowsAgainWhenItReturns() throws Exception {
        int viewers = freePort(), publishers = freePort();
        Path log = tmp.newFile("rtsp-server.log").toPath();
        Process server = new ProcessBuilder("rtsp-server-perl", "--clientport", Integer.toString(viewers), "--serverport", Integer.toString(publishers),
                "--client_listen_address", "127.0.0.1", "--source_listen_address", "127.0.0.1",
                // its UDP ports for RTP from the publisher: a free range, not its fixed default (20000)
                "--rtp_start_port", Integer.toString(20_000 + 2 * (viewers % 10_000)))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Process publisher = null;
        VideoCamera camera = null;
        try {
            awaitListening(publishers, server);
            publisher = publish(publishers);
            camera = new VideoCamera(config("rtsp://127.0.0.1:" + viewers + "/cam", "", true, 3));
            Frame first = null;
            for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); first == null && System.nanoTime() < deadline;) {
                first = camera.nextFrame(200, TimeUnit.MILLISECONDS);
            }
            assertNotNull("frames from the RTSP relay: " + camera.status().message() + "; the relay said: " + java.nio.file.Files.readString(log), first);
            // H.264 decodes to yuv420p: handed over as it is
            assertEquals(PixelFormat.I420, first.format());
            assertEquals(320, first.width());

            // stopped as an operator stops it (SIGTERM: ffmpeg tears its session down; the relay refuses a new
            // publisher on the same path while a killed one's session lingers)
            publisher.destroy();
            assertTrue("the publisher stopped", publisher.waitFor(10, TimeUnit.SECONDS));
            long stoppedAt = System.nanoTime();
            while (camera.status().state() != SourceState.STALLED && System.nanoTime() - stoppedAt < TimeUnit.SECONDS.toNanos(15)) {
                camera.nextFrame(100, TimeUnit.MILLISECONDS);
            }
            double stalledAfter = (System.nanoTime() - stoppedAt) / 1e9;
            assertEquals(camera.status().message(), SourceState.STALLED, camera.status().state());
            assertTrue("stalled after " + stalledAfter + " s, the stall time is 3 s", stalledAfter < 5);
            long delivered = camera.status().framesDelivered();
            // still stalled a while later, nothing handed out as new, the relay still up
            for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(4); System.nanoTime() < end;) {
                assertEquals("no frame while the publisher is away", null, camera.nextFrame(100, TimeUnit.MILLISECONDS));
            }
            assertEquals(SourceState.STALLED, camera.status().state());
            assertEquals(delivered, camera.status().framesDelivered());
            assertTrue("the relay is still up", server.isAlive());

            publisher = publish(publishers);
            long backAt = System.nanoTime();
            Frame again = null;
            while (again == null && System.nanoTime() - backAt < TimeUnit.SECONDS.toNanos(20)) {
                again = camera.nextFrame(100, TimeUnit.MILLISECONDS);
            }
            double backAfter = (System.nanoTime() - backAt) / 1e9;
            assertNotNull("frames once the publisher is back", again);
            assertTrue("frames again " + backAfter + " s after the publisher came back", backAfter < 5);
            assertEquals(SourceState.STREAMING, camera.status().state());
            System.out.printf(java.util.Locale.ROOT, "RTSP relay: stalled %.1f s after the publisher stopped, frames again %.1f s after it came back%n", stalledAfter, backAfter);
        } finally {
            if (camera != null) {
                camera.deactivate();
            }
            if (publisher != null) {
                publisher.destroyForcibly();
            }
            server.destroyForcibly();
        }
    }

    /** ffmpeg publishing a 320x240 test pattern, H.264 at 10 fps with a key frame each second, to the relay. */
    private static Process publish(int port) throws Exception {
        return new ProcessBuilder("ffmpeg", "-hide_banner", "-loglevel", "error", "-re", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=10",
                "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "10", "-f", "rtsp", "rtsp://127.0.0.1:" + port + "/cam")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static int freePort() throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void awaitListening(int port, Process server) throws Exception {
        for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20); System.nanoTime() < deadline;) {
            assertTrue("rtsp-server-perl (Debian: apt-get install rtsp-server-perl ffmpeg) exited", server.isAlive());
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (java.io.IOException notYet) {
                Thread.sleep(50); // polled until the relay listens, with a deadline
            }
        }
        throw new AssertionError("the RTSP relay did not listen on " + port);
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
