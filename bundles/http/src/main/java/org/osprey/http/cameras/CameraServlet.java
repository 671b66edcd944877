package org.osprey.http.cameras;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.annotations.RequireHttpWhiteboard;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.osgi.util.tracker.ServiceTracker;
import org.osprey.api.camera.Frame;
import org.osprey.api.camera.FrameSource;
import org.osprey.api.pipeline.CameraPipeline;
import org.osprey.api.pipeline.Observation;
import org.osprey.api.vision.FrameRenderer;
import org.osprey.api.vision.InferenceException;
import org.osprey.api.vision.Region;
import org.osprey.http.auth.AdminContext;
import org.osprey.http.errors.ApiError;
import org.osprey.http.errors.JsonErrorPages;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * What each camera's pipeline saw last, as a picture (admin):
 * {@code GET /api/v1/cameras/{id}/frame.jpg} and {@code GET /api/v1/cameras/{id}/stream.mjpeg} (a
 * {@code multipart/x-mixed-replace} stream that browsers, VLC and Home Assistant show as video), each with
 * {@code ?annotate=true|false} (boxes, labels, scores and zones drawn; default true), {@code width} (pixels,
 * default 640, 0 for the frame's own) and, for the stream, {@code fps} (most pictures a second, default 10).
 * A picture is made only when asked for, once per frame whoever asks: a camera nobody watches costs nothing.
 * {@code PUT .../{id}/zones} sets the pipeline's zones; {@code DELETE .../{id}} removes a camera and its pipeline.
 */
@Component(service = Servlet.class)
@RequireHttpWhiteboard
@HttpWhiteboardContextSelect(AdminContext.SELECT)
@HttpWhiteboardServletName("osprey-camera")
@HttpWhiteboardServletPattern("/v1/cameras/*")
public class CameraServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final String BOUNDARY = "osprey-frame";
    private static final int QUALITY = 80;
    static final int TEST_SECONDS = 15;
    /** Pictures kept, one per camera and set of options asked for. */
    private static final int MAX_KEPT_PICTURES = 64;

    /** One picture made for one frame with one set of options. */
    private record Picture(long sequence, java.time.Instant captured, boolean annotate, int width, byte[] jpeg) {
    }

    /** How long a camera's pictures are still served from the last one after its pipeline went while it stays configured: a restart. */
    static final long RESTART_GRACE_MILLIS = 5000;

    private final transient List<CameraPipeline> pipelines = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** When each camera's pipeline last went (nanoTime), until one comes back. */
    private final transient Map<String, Long> pipelineGone = new ConcurrentHashMap<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addPipeline(CameraPipeline pipeline) {
        pipelines.add(pipeline);
        pipelineGone.remove(pipeline.cameraId());
    }

    void removePipeline(CameraPipeline pipeline) {
        pipelines.remove(pipeline);
        pipelineGone.put(pipeline.cameraId(), System.nanoTime());
    }

    private Optional<CameraPipeline> pipeline(String camera) {
        return pipelines.stream().filter(p -> p.cameraId().equals(camera)).findFirst();
    }

    /**
     * Whether the camera's pipeline went moments ago and is still configured: a configuration change (a
     * zone saved, a model chosen) or an update of the pipeline bundle restarts it, and a viewer should
     * not see that as the camera gone.
     */
    private boolean restarting(String camera) {
        Long gone = pipelineGone.get(camera);
        if (gone == null || System.nanoTime() - gone > TimeUnit.MILLISECONDS.toNanos(RESTART_GRACE_MILLIS)) {
            return false;
        }
        try {
            return new PipelineConfigurations(configurationAdmin).pipeline(camera).isPresent();
        } catch (IOException e) {
            return false;
        }
    }
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private transient volatile FrameRenderer renderer;
    /** The last picture made per camera and options; kept when a pipeline goes, so its successor (after a configuration change) shows it until its first frame. */
    private final transient Map<String, Picture> lastPictures = new ConcurrentHashMap<>();
    private volatile boolean open = true;

    @Deactivate
    void deactivate() {
        open = false;
    }

    @Reference
    private transient ConfigurationAdmin configurationAdmin;

    /** {@code PUT /api/v1/cameras/{id}/zones} with {@code {"zones":["door: 0.1,0.5 ..."]}}: the pipeline's zones, all checked first. */
    @Override
    protected void doPut(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo() == null ? "" : req.getPathInfo();
        if (!path.endsWith("/zones") || path.length() <= "/zones".length() + 1) {
            JsonErrorPages.send(resp, 405, "method_not_allowed", "PUT is for /api/v1/cameras/{id}/zones");
            return;
        }
        String camera = path.substring(1, path.length() - "/zones".length());
        try {
            JsonArray zones = AdminJson.read(req).getAsJsonArray("zones");
            if (zones == null) {
                throw new ApiError(400, "bad_request", "the body is {\"zones\": [\"name: x,y x,y x,y\", ...]}");
            }
            List<String> texts = new java.util.ArrayList<>();
            zones.forEach(z -> texts.add(z.getAsString()));
            List<Region> saved = new PipelineConfigurations(configurationAdmin).setZones(camera, texts);
            AdminJson.write(resp, 200, Map.of("camera", camera, "zones", saved.stream().map(Region::toString).toList()));
        } catch (ApiError e) {
            JsonErrorPages.send(resp, e);
        } catch (RuntimeException e) {
            JsonErrorPages.send(resp, 400, "bad_request", "the body is {\"zones\": [\"name: x,y x,y x,y\", ...]}: " + e.getMessage());
        }
    }

    private transient BundleContext context;

    @Activate
    void activate(BundleContext bundleContext) {
        this.context = bundleContext;
    }

    /**
     * {@code POST /api/v1/cameras/test} with {@code {"kind","source","fps"}}: tries a camera before it is
     * added. A camera of that kind is configured for the moment, its first frame answered as a JPEG (640
     * wide), or a 400 with what the camera says (within {@value #TEST_SECONDS} s); it is removed again.
     */
    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!"/test".equals(req.getPathInfo())) {
            JsonErrorPages.send(resp, 405, "method_not_allowed", "POST is for /api/v1/cameras/test (and /api/v1/cameras to add one)");
            return;
        }
        String id = "osprey-test-" + Long.toHexString(System.nanoTime());
        org.osgi.service.cm.Configuration config = null;
        ServiceTracker<FrameSource, FrameSource> camera = null;
        try {
            JsonObject o = AdminJson.read(req);
            String kind = o.has("kind") ? o.get("kind").getAsString() : null;
            String source = o.has("source") ? o.get("source").getAsString() : null;
            double fps = o.has("fps") ? o.get("fps").getAsDouble() : 2;
            camera = new ServiceTracker<>(context, context.createFilter("(&(objectClass=" + FrameSource.class.getName() + ")("
                    + FrameSource.CAMERA_ID + "=" + id + "))"), null);
            camera.open();
            config = new PipelineConfigurations(configurationAdmin).addCamera(id, kind, source, fps);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TEST_SECONDS);
            FrameSource s = null;
            Frame frame = null;
            String said = "the camera did not start (is its bundle installed?)";
            while (frame == null && System.nanoTime() < deadline) {
                s = s != null ? s : camera.waitForService(200);
                if (s != null) {
                    frame = s.nextFrame(500, TimeUnit.MILLISECONDS);
                    said = s.status().state().name().toLowerCase(java.util.Locale.ROOT) + (s.status().message() == null ? "" : ": " + s.status().message());
                }
            }
            if (frame == null) {
                JsonErrorPages.send(resp, 400, "camera_failed", "no frame within " + TEST_SECONDS + " s; the camera says " + said);
                return;
            }
            FrameRenderer r = renderer;
            if (r == null) {
                JsonErrorPages.send(resp, 503, "unavailable", "no picture renderer is installed (it comes with the inference bundle)");
                return;
            }
            byte[] jpeg = r.jpeg(frame, List.of(), List.of(), 640, QUALITY);
            resp.setContentType("image/jpeg");
            resp.setHeader("Cache-Control", "no-store");
            resp.setContentLength(jpeg.length);
            resp.getOutputStream().write(jpeg);
        } catch (ApiError e) {
            JsonErrorPages.send(resp, e);
        } catch (InferenceException | org.osprey.api.camera.CameraException e) {
            JsonErrorPages.send(resp, 400, "camera_failed", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (org.osgi.framework.InvalidSyntaxException | RuntimeException e) {
            JsonErrorPages.send(resp, 400, "bad_request", "the body is {\"kind\", \"source\", \"fps\"}: " + e.getMessage());
        } finally {
            if (camera != null) {
                camera.close();
            }
            if (config != null) {
                config.delete();
            }
        }
    }

    /** {@code DELETE /api/v1/cameras/{id}}: the camera's configuration and its pipeline's. */
    @Override
    protected void doDelete(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo() == null ? "" : req.getPathInfo();
        String camera = path.length() > 1 ? path.substring(1) : "";
        if (camera.isEmpty() || camera.contains("/")) {
            JsonErrorPages.send(resp, 405, "method_not_allowed", "DELETE is for /api/v1/cameras/{id}");
            return;
        }
        try {
            new PipelineConfigurations(configurationAdmin).remove(camera);
            resp.setStatus(204);
        } catch (ApiError e) {
            JsonErrorPages.send(resp, e);
        }
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo() == null ? "" : req.getPathInfo();
        int slash = path.lastIndexOf('/');
        String camera = slash > 0 ? path.substring(1, slash) : "";
        String file = path.substring(slash + 1);
        if (camera.isEmpty() || !(file.equals("frame.jpg") || file.equals("stream.mjpeg"))) {
            JsonErrorPages.send(resp, 404, "not_found", "nothing here: /api/v1/cameras" + path
                    + " (a camera's pictures are /api/v1/cameras/{id}/frame.jpg and .../stream.mjpeg)");
            return;
        }
        boolean annotate;
        int width;
        double fps;
        try {
            annotate = bool(req.getParameter("annotate"));
            width = number(req.getParameter("width"), 640, 0, 8192, "width");
            fps = number(req.getParameter("fps"), 10, 1, 30, "fps");
        } catch (IllegalArgumentException e) {
            JsonErrorPages.send(resp, 400, "bad_request", e.getMessage());
            return;
        }
        Optional<CameraPipeline> pipeline = pipeline(camera);
        if (pipeline.isEmpty() && !restarting(camera)) {
            JsonErrorPages.send(resp, 404, "not_found", "no pipeline watches a camera " + camera + "; pictures are of what a pipeline processes");
            return;
        }
        if (file.equals("frame.jpg")) {
            Picture p = picture(camera, pipeline, annotate, width, resp);
            if (p != null) {
                resp.setContentType("image/jpeg");
                resp.setHeader("Cache-Control", "no-store");
                resp.setHeader("X-Frame-Sequence", Long.toString(p.sequence()));
                resp.setHeader("X-Frame-Captured", p.captured().toString());
                resp.setContentLength(p.jpeg().length);
                resp.getOutputStream().write(p.jpeg());
            }
            return;
        }
        stream(camera, annotate, width, fps, resp);
    }

    /** New frames of the camera until it is gone; a restart of its pipeline only pauses the stream. */
    private void stream(String camera, boolean annotate, int width, double fps, HttpServletResponse resp) throws IOException {
        resp.setContentType("multipart/x-mixed-replace; boundary=" + BOUNDARY);
        resp.setHeader("Cache-Control", "no-store");
        OutputStream out = resp.getOutputStream();
        long period = (long) (1000 / fps);
        long sent = -1;
        try {
            for (Optional<CameraPipeline> pipeline = pipeline(camera); open && (pipeline.isPresent() || restarting(camera)); pipeline = pipeline(camera)) {
                long start = System.nanoTime();
                Optional<Observation> o = pipeline.flatMap(CameraPipeline::latest);
                if (o.isPresent() && o.get().frame().sequence() != sent) {
                    Picture p = render(camera, o.get(), annotate, width);
                    out.write(("--" + BOUNDARY + "\r\nContent-Type: image/jpeg\r\nContent-Length: " + p.jpeg().length + "\r\nX-Frame-Sequence: "
                            + p.sequence() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(p.jpeg());
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    sent = p.sequence();
                }
                long rest = period - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                Thread.sleep(Math.max(rest, 10));
            }
        } catch (InferenceException e) {
            // the stream has started: nothing but ending it can be said
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The picture of the newest frame of the camera's pipeline, the last one made while the pipeline
     * (re)starts, or null when an error was sent.
     */
    private Picture picture(String camera, Optional<CameraPipeline> pipeline, boolean annotate, int width, HttpServletResponse resp) throws IOException {
        Optional<Observation> o = pipeline.flatMap(CameraPipeline::latest);
        Picture before = lastPictures.get(key(camera, annotate, width));
        if (o.isEmpty() && before != null) {
            return before;
        }
        if (o.isEmpty()) {
            resp.setHeader("Retry-After", "1");
            JsonErrorPages.send(resp, 503, "unavailable", "camera " + camera + " has no processed frame yet (pipeline: "
                    + pipeline.map(p -> p.status().state()).orElse("restarting") + ")");
            return null;
        }
        try {
            return render(camera, o.get(), annotate, width);
        } catch (InferenceException e) {
            JsonErrorPages.send(resp, 503, "unavailable", e.getMessage());
            return null;
        }
    }

    private Picture render(String camera, Observation o, boolean annotate, int width) throws InferenceException {
        String key = key(camera, annotate, width);
        Picture last = lastPictures.get(key);
        if (last != null && last.sequence() == o.frame().sequence()) {
            return last;
        }
        FrameRenderer r = renderer;
        if (r == null) {
            throw new InferenceException(InferenceException.Reason.INTERNAL, "no picture renderer is installed (it comes with the inference bundle)");
        }
        byte[] jpeg = r.jpeg(o.frame(), annotate ? o.result().predictions() : List.of(), annotate ? o.zones() : List.of(), width, QUALITY);
        Picture p = new Picture(o.frame().sequence(), o.frame().capturedAt(), annotate, width, jpeg);
        if (lastPictures.size() >= MAX_KEPT_PICTURES && !lastPictures.containsKey(key)) {
            lastPictures.clear(); // many widths asked for: start over rather than keep them all
        }
        lastPictures.put(key, p);
        return p;
    }

    private static String key(String camera, boolean annotate, int width) {
        return camera + "|" + annotate + "|" + width;
    }

    private static boolean bool(String v) {
        if (v == null || v.equals("true") || v.equals("1")) {
            return true;
        }
        if (v.equals("false") || v.equals("0")) {
            return false;
        }
        throw new IllegalArgumentException("annotate is true or false, was '" + v + "'");
    }

    private static int number(String v, int fallback, int min, int max, String name) {
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException(name + " is a whole number from " + min + " to " + max + ", was '" + v + "'");
    }
}
