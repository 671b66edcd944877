package org.osprey.runtime.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import javax.imageio.ImageIO;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osprey.api.camera.SourceState;
import org.osprey.api.event.EventType;
import org.osprey.api.event.VisionEvent;
import org.osprey.api.event.VisionEventListener;
import org.osprey.api.pipeline.CameraPipeline;
import org.osprey.api.pipeline.PipelineStatus;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The pipeline in the real gateway: the sample camera's faces become events; a camera bundle installed
 * at run time is switched to by configuration while inference keeps running untouched; a camera that
 * stops answering is waited for and comes back.
 */
public class PipelineIT extends OspreyTestSupport {

    private final List<VisionEvent> events = Collections.synchronizedList(new ArrayList<>());
    private final List<String> stopped = Collections.synchronizedList(new ArrayList<>());
    private ServiceRegistration<VisionEventListener> listener;
    private SynchronousBundleListener watcher;

    @Before
    public void listen() {
        listener = context.registerService(VisionEventListener.class, events::add, null);
        watcher = e -> {
            if (e.getType() == BundleEvent.STOPPING) {
                stopped.add(e.getBundle().getSymbolicName());
            }
        };
        context.addBundleListener(watcher);
    }

    @After
    public void stopListening() {
        listener.unregister();
        context.removeBundleListener(watcher);
    }

    private VisionEvent await(Predicate<VisionEvent> what, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < deadline) {
            synchronized (events) {
                for (VisionEvent e : events) {
                    if (what.test(e)) {
                        return e;
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no such event within " + millis + " ms; got " + events);
    }

    private PipelineStatus pipeline(String camera) {
        for (ServiceReference<CameraPipeline> ref : getReferences()) {
            CameraPipeline p = context.getService(ref);
            if (p.cameraId().equals(camera)) {
                return p.status();
            }
        }
        return null;
    }

    private java.util.Collection<ServiceReference<CameraPipeline>> getReferences() {
        try {
            return context.getServiceReferences(CameraPipeline.class, null);
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** On a first start, the sample camera shows the sample photos to BlazeFace: a face appears. */
    @Test
    public void sampleCameraSaysAFaceAppeared() throws Exception {
        VisionEvent face = await(e -> e.type() == EventType.APPEARED && e.label().equals("face") && e.cameraId().equals("sample"), 30_000);
        assertEquals("blazeface", face.modelName());
        assertTrue(face.score() >= 0.5f);
        PipelineStatus s = pipeline("sample");
        assertEquals("running", s.state());
        assertTrue(s.framesProcessed() > 0);
        assertEquals("blazeface", s.modelName());
        assertTrue(s.stageMillis().get("inference") > 0);
    }

    /**
     * A camera faster than the model: the pipeline takes the newest frame, counts the ones it could not
     * take, and holds no backlog, so the heap stays flat.
     */
    @Test
    public void aCameraFasterThanTheModelDropsFramesWithFlatMemory() throws Exception {
        Configuration[] configured = testPattern("fast", 2000.0, 1000.0);
        Configuration camera = configured[0], pipeline = configured[1];
        try {
            awaitProcessed("fast", 50, 20_000);
            Thread.sleep(2000);
            long before = usedHeapAfterGc();
            long processedBefore = pipeline("fast").framesProcessed();
            long deadline = System.currentTimeMillis() + 30_000;
            while (pipeline("fast").framesProcessed() - processedBefore < 3000 && System.currentTimeMillis() < deadline) {
                Thread.sleep(500);
            }
            long after = usedHeapAfterGc();
            PipelineStatus s = pipeline("fast");
            assertTrue("frames processed: " + s, s.framesProcessed() - processedBefore >= 3000);
            assertTrue("frames the model could not take are counted: " + s, s.framesDropped() > s.framesProcessed());
            // 3000 frames are 2.7 GB: keeping even one frame in twenty would pass 128 MB, while the rest of
            // the gateway (the sample camera, speech, Jetty) moves the heap by a few tens of MB between collections
            assertTrue("heap grew by " + (after - before) / 1024 + " KB", after - before < 128L * 1024 * 1024);
        } finally {
            pipeline.delete();
            camera.delete();
        }
    }

    /**
     * A pipeline slower than its camera by configuration: the frames it leaves out are skipped, not dropped
     * (the model has time to spare), and the latency from capture to events is measured.
     */
    @Test
    public void framesLeftOutByTheRateAreSkippedNotDropped() throws Exception {
        Configuration[] configured = testPattern("paced", 20.0, 4.0);
        Configuration camera = configured[0], pipeline = configured[1];
        try {
            awaitProcessed("paced", 12, 30_000);
            PipelineStatus s = pipeline("paced");
            assertTrue("frames processed: " + s, s.framesProcessed() >= 12);
            // about 4 of every 5 camera frames are left out by the rate; the model (a few ms) is never the reason
            assertTrue("skipped: " + s, s.framesSkipped() >= 2 * s.framesProcessed());
            assertTrue("dropped: " + s, s.framesDropped() * 10 <= s.framesSkipped());
            assertTrue("latency measured: " + s, s.latencyP50Millis() > 0 && s.latencyP99Millis() >= s.latencyP50Millis());
        } finally {
            pipeline.delete();
            camera.delete();
        }
    }

    /** Polls until the camera's pipeline has processed {@code frames} frames, or the deadline passes. */
    private void awaitProcessed(String camera, long frames, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while ((pipeline(camera) == null || pipeline(camera).framesProcessed() < frames) && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
    }

    /** A test-pattern camera at a rate and a BlazeFace pipeline watching it at another: the camera's and the pipeline's configurations. */
    private Configuration[] testPattern(String id, double cameraFps, double pipelineFps) throws java.io.IOException {
        ConfigurationAdmin admin = context.getService(context.getServiceReference(ConfigurationAdmin.class));
        Configuration camera = admin.createFactoryConfiguration("org.osprey.camera.files", "?");
        Hashtable<String, Object> c = new Hashtable<>();
        c.put("camera.id", id);
        c.put("path", "testpattern");
        c.put("fps", cameraFps);
        camera.update(c);
        Configuration pipeline = admin.createFactoryConfiguration("org.osprey.pipeline", "?");
        Hashtable<String, Object> p = new Hashtable<>();
        p.put("camera", id);
        p.put("model", "blazeface");
        p.put("fps", pipelineFps);
        pipeline.update(p);
        return new Configuration[] {camera, pipeline};
    }

    /** The least heap in use after a collection, over a few seconds (one collection alone is noisy). */
    private static long usedHeapAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(500);
            best = Math.min(best, rt.totalMemory() - rt.freeMemory());
        }
        return best;
    }

    /** The FFmpeg camera (JavaCV natives inside its bundle) reads an MJPEG stream served here, and faces are seen. */
    @Test
    public void videoCameraReadsAnMjpegStream() throws Exception {
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(ImageIO.read(Path.of(System.getProperty("osprey.samples"), "astronaut.png").toFile()), "jpg", jpeg);
        byte[] frame = jpeg.toByteArray();
        java.util.concurrent.atomic.AtomicBoolean serving = new java.util.concurrent.atomic.AtomicBoolean(true);
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("osgi.http.whiteboard.servlet.pattern", "/it/stream.mjpg");
        ServiceRegistration<Servlet> stream = context.registerService(Servlet.class, new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws java.io.IOException {
                resp.setContentType("multipart/x-mixed-replace; boundary=frame");
                java.io.OutputStream out = resp.getOutputStream();
                try {
                    while (serving.get()) {
                        out.write(("--frame\r\nContent-Type: image/jpeg\r\nContent-Length: " + frame.length + "\r\n\r\n").getBytes());
                        out.write(frame);
                        out.write("\r\n".getBytes());
                        out.flush();
                        Thread.sleep(100);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, props);
        ConfigurationAdmin admin = context.getService(context.getServiceReference(ConfigurationAdmin.class));
        Configuration camera = admin.createFactoryConfiguration("org.osprey.camera.javacv", "?");
        Configuration pipeline = admin.createFactoryConfiguration("org.osprey.pipeline", "?");
        try {
            Hashtable<String, Object> c = new Hashtable<>();
            c.put("camera.id", "stream");
            c.put("source", "http://localhost:" + System.getProperty(PORT_PROPERTY) + "/it/stream.mjpg");
            c.put("format", "mjpeg");
            camera.update(c);
            Hashtable<String, Object> p = new Hashtable<>();
            p.put("camera", "stream");
            p.put("model", "blazeface");
            p.put("fps", 5.0);
            pipeline.update(p);
            VisionEvent face = await(e -> e.type() == EventType.APPEARED && e.cameraId().equals("stream"), 30_000);
            assertEquals("face", face.label());
            assertEquals(SourceState.STREAMING, pipeline("stream").camera().state());
        } finally {
            serving.set(false);
            pipeline.delete();
            camera.delete();
            stream.unregister();
        }
    }

    /** The cameras and events APIs (admin): figures per camera, recent events, and a live stream. */
    @Test
    public void camerasAndEventsOverHttp() throws Exception {
        await(e -> e.cameraId().equals("sample"), 30_000);
        assertEquals(401, get("/api/v1/cameras", null).status);
        com.google.gson.JsonObject sample = InferenceIT.json(get("/api/v1/cameras", ADMIN_PASSWORD)).getAsJsonArray("cameras").get(0).getAsJsonObject();
        assertEquals("sample", sample.get("id").getAsString());
        assertEquals("streaming", sample.get("state").getAsString());
        com.google.gson.JsonObject pipeline = sample.getAsJsonObject("pipeline");
        assertEquals("running", pipeline.get("state").getAsString());
        assertEquals("blazeface", pipeline.get("model").getAsString());
        assertTrue(pipeline.get("framesProcessed").getAsLong() > 0);
        assertTrue(pipeline.getAsJsonObject("stageMillis").has("inference"));

        com.google.gson.JsonArray recent = InferenceIT.json(get("/api/v1/events", ADMIN_PASSWORD)).getAsJsonArray("events");
        assertTrue("recent events: " + recent, recent.size() > 0);
        assertEquals("face", recent.get(0).getAsJsonObject().get("label").getAsString());

        java.net.HttpURLConnection c = (java.net.HttpURLConnection) new java.net.URL("http://localhost:" + System.getProperty(PORT_PROPERTY)
                + "/api/v1/events").openConnection();
        c.setRequestProperty("Accept", "text/event-stream");
        c.setRequestProperty("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD).getBytes()));
        c.setReadTimeout(30_000);
        assertEquals("text/event-stream", c.getContentType().split(";")[0]);
        try (java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(c.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
            String line;
            String data = null;
            while ((line = in.readLine()) != null && data == null) {
                if (line.startsWith("data: ")) {
                    data = line.substring(6);
                }
            }
            assertTrue("a streamed event: " + data, data != null && data.contains("\"camera\":\"sample\""));
        } finally {
            c.disconnect();
        }
    }

    private static java.awt.image.BufferedImage jpeg(HttpAnswer a) throws java.io.IOException {
        assertEquals(a.body, 200, a.status);
        assertEquals("image/jpeg", a.contentType);
        java.awt.image.BufferedImage image = ImageIO.read(new java.io.ByteArrayInputStream(a.bytes));
        assertTrue("a JPEG that decodes", image != null);
        return image;
    }

    /**
     * What the pipeline saw, as pictures (admin): the newest frame with its boxes, an MJPEG stream of new
     * frames, and the picture kept of each event.
     */
    @Test
    public void liveFramesAndEventSnapshotsOverHttp() throws Exception {
        VisionEvent face = await(e -> e.cameraId().equals("sample") && e.type() == EventType.APPEARED, 30_000);
        assertEquals(401, get("/api/v1/cameras/sample/frame.jpg", null).status);
        java.awt.image.BufferedImage annotated = jpeg(get("/api/v1/cameras/sample/frame.jpg", ADMIN_PASSWORD));
        assertTrue("at most 640 wide: " + annotated.getWidth(), annotated.getWidth() <= 640 && annotated.getWidth() > 100);
        jpeg(get("/api/v1/cameras/sample/frame.jpg?annotate=false&width=320", ADMIN_PASSWORD));
        HttpAnswer badWidth = get("/api/v1/cameras/sample/frame.jpg?width=huge", ADMIN_PASSWORD);
        assertEquals(400, badWidth.status);
        assertEquals("bad_request", InferenceIT.json(badWidth).get("code").getAsString());
        HttpAnswer unknown = get("/api/v1/cameras/nowhere/frame.jpg", ADMIN_PASSWORD);
        assertEquals(404, unknown.status);
        assertEquals("not_found", InferenceIT.json(unknown).get("code").getAsString());

        // the stream: parts of new frames, each a JPEG, in order
        java.net.HttpURLConnection c = openStream("sample");
        try {
            java.io.DataInputStream in = new java.io.DataInputStream(c.getInputStream());
            long previous = -1;
            for (int part = 0; part < 2; part++) {
                long sequence = nextPart(in);
                assertTrue("a new frame each part: " + previous + " then " + sequence, sequence > previous);
                previous = sequence;
            }
        } finally {
            c.disconnect();
        }

        // each event has its picture, listed with it, written before the event was published
        com.google.gson.JsonArray recent = InferenceIT.json(get("/api/v1/events", ADMIN_PASSWORD)).getAsJsonArray("events");
        String path = null;
        for (com.google.gson.JsonElement e : recent) {
            if (e.getAsJsonObject().get("id").getAsString().equals(face.id())) {
                path = e.getAsJsonObject().get("snapshot").getAsString();
            }
        }
        assertEquals("/api/v1/events/" + face.id() + "/snapshot.jpg", path);
        jpeg(get(path, ADMIN_PASSWORD));
        assertEquals(401, get(path, null).status);
        assertEquals(404, get("/api/v1/events/no-such-event/snapshot.jpg", ADMIN_PASSWORD).status);
    }

    /** The camera's MJPEG stream, 5 pictures a second at most, as admin. */
    private static java.net.HttpURLConnection openStream(String camera) throws java.io.IOException {
        java.net.HttpURLConnection c = (java.net.HttpURLConnection) new java.net.URL("http://localhost:" + System.getProperty(PORT_PROPERTY)
                + "/api/v1/cameras/" + camera + "/stream.mjpeg?fps=5").openConnection();
        c.setRequestProperty("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD).getBytes()));
        c.setReadTimeout(30_000);
        assertTrue(c.getContentType(), c.getContentType().startsWith("multipart/x-mixed-replace; boundary="));
        return c;
    }

    /** Reads the stream's next part, checks it is a JPEG, and gives its frame's sequence number. */
    private static long nextPart(java.io.DataInputStream in) throws java.io.IOException {
        Map<String, String> headers = new HashMap<>();
        String line;
        while (!(line = readLine(in)).isEmpty() || headers.isEmpty()) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).toLowerCase(java.util.Locale.ROOT), line.substring(colon + 1).strip());
            }
        }
        byte[] body = new byte[Integer.parseInt(headers.get("content-length"))];
        in.readFully(body);
        assertTrue("a part is a JPEG", ImageIO.read(new java.io.ByteArrayInputStream(body)) != null);
        return Long.parseLong(headers.get("x-frame-sequence"));
    }

    /**
     * A pipeline that restarts (its configuration changed, its bundle updated) while the camera stays
     * configured: the camera's last picture is still served and its stream goes on with the new
     * pipeline's frames; a pipeline gone for longer than the grace is no longer shown.
     */
    @Test
    public void aPipelineRestartPausesTheCamerasPicturesWithoutEndingThem() throws Exception {
        await(e -> e.cameraId().equals("sample"), 30_000);
        Bundle pipelines = java.util.Arrays.stream(context.getBundles()).filter(b -> b.getSymbolicName().equals("org.osprey.pipeline")).findFirst().orElseThrow();
        jpeg(get("/api/v1/cameras/sample/frame.jpg", ADMIN_PASSWORD));
        java.net.HttpURLConnection c = openStream("sample");
        try {
            java.io.DataInputStream in = new java.io.DataInputStream(c.getInputStream());
            long before = nextPart(in);
            pipelines.stop();
            assertEquals(null, pipeline("sample"));
            HttpAnswer kept = get("/api/v1/cameras/sample/frame.jpg", ADMIN_PASSWORD);
            assertEquals("the last picture while the pipeline restarts: " + kept.body, 200, kept.status);
            jpeg(kept);
            HttpAnswer none = get("/api/v1/cameras/sample/frame.jpg?width=123", ADMIN_PASSWORD);
            assertEquals("no picture of this width yet: " + none.body, 503, none.status);
            assertEquals(List.of("1"), none.headers.get("Retry-After"));
            pipelines.start();
            assertTrue("the stream goes on with frames of the new pipeline", nextPart(in) > before);
        } finally {
            c.disconnect();
            pipelines.start();
        }
        // gone for good: once the grace has passed, the picture is no longer served
        pipelines.stop();
        try {
            long deadline = System.currentTimeMillis() + 30_000;
            int status;
            while ((status = get("/api/v1/cameras/sample/frame.jpg", ADMIN_PASSWORD).status) == 200 && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
            }
            assertEquals(404, status);
        } finally {
            pipelines.start();
        }
        long deadline = System.currentTimeMillis() + 30_000;
        while (pipeline("sample") == null && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertTrue("the sample pipeline is back", pipeline("sample") != null);
    }

    private static String readLine(java.io.DataInputStream in) throws java.io.IOException {
        StringBuilder sb = new StringBuilder();
        for (int b; (b = in.read()) != '\n';) {
            if (b < 0) {
                throw new java.io.EOFException("the stream ended");
            }
            if (b != '\r') {
                sb.append((char) b);
            }
        }
        return sb.toString();
    }

    /**
     * What the web console's forms send: a blank row in a list is no entry (the pipeline runs), and a zone
     * that cannot be parsed leaves the pipeline listed with the reason instead of failing its component.
     */
    @Test
    public void aPipelineConfigurationFromTheConsoleCannotBreakThePipeline() throws Exception {
        ConfigurationAdmin admin = context.getService(context.getServiceReference(ConfigurationAdmin.class));
        Configuration blank = admin.createFactoryConfiguration("org.osprey.pipeline", "?");
        Configuration broken = admin.createFactoryConfiguration("org.osprey.pipeline", "?");
        try {
            Hashtable<String, Object> p = new Hashtable<>();
            p.put("camera", "console-blank");
            p.put("zones", new String[] {""});
            p.put("labels", new String[] {""});
            blank.update(p);
            Hashtable<String, Object> q = new Hashtable<>();
            q.put("camera", "console-broken");
            q.put("zones", new String[] {"door: 0.1,0.1 0.9,NaN 0.5,0.5"});
            broken.update(q);
            long deadline = System.currentTimeMillis() + 20_000;
            PipelineStatus ok = null, bad = null;
            while (System.currentTimeMillis() < deadline && (ok == null || bad == null)) {
                ok = pipeline("console-blank");
                bad = pipeline("console-broken");
                Thread.sleep(100);
            }
            assertTrue("both pipelines are listed: " + ok + ", " + bad, ok != null && bad != null);
            assertEquals("waiting for camera", ok.state());
            assertTrue(bad.state(), bad.state().equals("invalid configuration: zone door: a corner is x,y in fractions of the image (0..1), was '0.9,NaN'"));
            com.google.gson.JsonArray cameras = InferenceIT.json(get("/api/v1/cameras", ADMIN_PASSWORD)).getAsJsonArray("cameras");
            assertTrue(cameras.toString(), cameras.toString().contains("invalid configuration: zone door"));
        } finally {
            blank.delete();
            broken.delete();
        }
    }

    /**
     * A snapshot camera bundle installed at run time, and the pipeline's configuration switched to it:
     * frames flow and faces are seen, while the inference, model and pipeline bundles keep running. When
     * the camera stops answering the pipeline waits, and goes on when it is back.
     */
    @Test
    public void cameraBundleInstalledAtRunTimeIsSwitchedTo() throws Exception {
        Map<String, Long> ids = new HashMap<>();
        for (Bundle b : context.getBundles()) {
            ids.put(b.getSymbolicName(), b.getBundleId());
        }
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(ImageIO.read(Path.of(System.getProperty("osprey.samples"), "astronaut.png").toFile()), "jpg", jpeg);
        ServiceRegistration<Servlet> door = serve("/it/door.jpg", jpeg.toByteArray());
        Bundle snapshot = null;
        Configuration camera = null, pipeline = null;
        java.util.Dictionary<String, Object> original = null;
        try {
            snapshot = context.installBundle(Path.of(System.getProperty("osprey.camera.snapshot.jar")).toUri().toString());
            snapshot.start();
            ConfigurationAdmin admin = context.getService(context.getServiceReference(ConfigurationAdmin.class));
            camera = admin.createFactoryConfiguration("org.osprey.camera.snapshot", "?");
            Hashtable<String, Object> props = new Hashtable<>();
            props.put("camera.id", "door");
            props.put("url", "http://localhost:" + System.getProperty(PORT_PROPERTY) + "/it/door.jpg");
            props.put("fps", 5.0);
            camera.update(props);
            pipeline = admin.listConfigurations("(service.factoryPid=org.osprey.pipeline)")[0];
            original = pipeline.getProperties();
            Hashtable<String, Object> p = new Hashtable<>();
            p.put("camera", "door");
            p.put("model", "blazeface");
            p.put("fps", 5.0);
            pipeline.update(p);

            await(e -> e.type() == EventType.APPEARED && e.cameraId().equals("door"), 30_000);
            for (String bsn : new String[] {"org.osprey.inference.onnx", "osprey.model.blazeface", "org.osprey.pipeline", "org.osprey.http"}) {
                assertEquals(bsn + " kept its bundle id", ids.get(bsn), (Long) bundle(bsn).getBundleId());
                assertEquals(bsn + " is active", Bundle.ACTIVE, bundle(bsn).getState());
            }
            assertEquals("no bundle was stopped", List.of(), stopped);

            // the camera goes away: the pipeline waits; it comes back: frames flow again
            door.unregister();
            door = null;
            long deadline = System.currentTimeMillis() + 15_000;
            while (pipeline("door").camera().state() != SourceState.RECONNECTING && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(SourceState.RECONNECTING, pipeline("door").camera().state());
            // nothing new comes: the pipeline's rate falls to 0 instead of staying at the last one
            deadline = System.currentTimeMillis() + 15_000;
            while (pipeline("door").fps() > 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(pipeline("door").toString(), 0.0, pipeline("door").fps(), 0);
            long before = pipeline("door").framesProcessed();
            door = serve("/it/door.jpg", jpeg.toByteArray());
            deadline = System.currentTimeMillis() + 30_000;
            while (pipeline("door").framesProcessed() == before && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            assertTrue("frames flow again", pipeline("door").framesProcessed() > before);
            deadline = System.currentTimeMillis() + 15_000;
            while (pipeline("door").fps() == 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            assertTrue("a rate again: " + pipeline("door"), pipeline("door").fps() > 0);
            assertEquals(SourceState.STREAMING, pipeline("door").camera().state());
        } finally {
            // put back as found, whatever failed: the other tests share this gateway
            if (door != null) {
                door.unregister();
            }
            if (camera != null) {
                camera.delete();
            }
            if (snapshot != null) {
                snapshot.uninstall();
            }
            if (pipeline != null && original != null) {
                pipeline.update(original);
            }
        }
    }

    private Bundle bundle(String bsn) {
        for (Bundle b : context.getBundles()) {
            if (bsn.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("no bundle " + bsn);
    }

    private ServiceRegistration<Servlet> serve(String path, byte[] body) throws Exception {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("osgi.http.whiteboard.servlet.pattern", path);
        ServiceRegistration<Servlet> r = context.registerService(Servlet.class, new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws java.io.IOException {
                resp.setContentType("image/jpeg");
                resp.getOutputStream().write(body);
            }
        }, props);
        awaitStatus(path, null, 200, 10_000);
        return r;
    }
}
