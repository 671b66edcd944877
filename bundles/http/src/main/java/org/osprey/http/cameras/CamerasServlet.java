package org.osprey.http.cameras;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.annotations.RequireHttpWhiteboard;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.osprey.api.camera.FrameSource;
import org.osprey.api.camera.SourceStatus;
import org.osprey.api.config.ConfigLists;
import org.osprey.api.pipeline.CameraPipeline;
import org.osprey.api.pipeline.PipelineStatus;
import org.osprey.http.auth.AdminContext;
import org.osprey.http.errors.ApiError;
import org.osprey.http.errors.JsonErrorPages;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /api/v1/cameras} (admin): every camera with its state, and for the watched ones the
 * pipeline's figures: rate, frames processed and dropped, errors, the model in use, time per stage;
 * {@code POST} adds a camera with its pipeline.
 */
@Component(service = Servlet.class)
@RequireHttpWhiteboard
@HttpWhiteboardContextSelect(AdminContext.SELECT)
@HttpWhiteboardServletName("osprey-cameras")
@HttpWhiteboardServletPattern("/v1/cameras")
public class CamerasServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Gson GSON = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();

    record Camera(String id, String state, String message, long framesDelivered, Pipeline pipeline) {
    }

    /** {@code zones} as configured; {@code editable} false when a deploy-folder file configures the pipeline. */
    record Pipeline(String state, double targetFps, double fps, long framesProcessed, long framesDropped, long errors, String model,
            String modelVersion, Map<String, Double> stageMillis, List<String> zones, boolean editable, long framesSkipped, Map<String, Double> latencyMillis) {
    }

    private final transient List<FrameSource> sources = new CopyOnWriteArrayList<>();
    private final transient List<CameraPipeline> pipelines = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addSource(FrameSource s) {
        sources.add(s);
    }

    void removeSource(FrameSource s) {
        sources.remove(s);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addPipeline(CameraPipeline p) {
        pipelines.add(p);
    }

    void removePipeline(CameraPipeline p) {
        pipelines.remove(p);
    }

    @Reference
    private transient ConfigurationAdmin configurationAdmin;

    /**
     * {@code POST /api/v1/cameras} with {@code {"id","kind","source","fps","model","pipelineFps"}}: a camera
     * ({@code kind} is its factory PID) and a pipeline that watches it, in one step; 201 when both are
     * configured (they start a moment later).
     */
    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try {
            JsonObject o = AdminJson.read(req);
            String id = text(o, "id");
            new PipelineConfigurations(configurationAdmin).add(id, text(o, "kind"), text(o, "source"), number(o, "fps", 2),
                    text(o, "model"), number(o, "pipelineFps", 2));
            AdminJson.write(resp, 201, Map.of("id", id));
        } catch (ApiError e) {
            JsonErrorPages.send(resp, e);
        } catch (RuntimeException e) {
            JsonErrorPages.send(resp, 400, "bad_request", "the body is {\"id\", \"kind\", \"source\", \"fps\", \"model\", \"pipelineFps\"}: " + e.getMessage());
        }
    }

    private static String text(JsonObject o, String name) {
        return o.has(name) && !o.get(name).isJsonNull() ? o.get(name).getAsString() : null;
    }

    private static double number(JsonObject o, String name, double fallback) {
        return o.has(name) && !o.get(name).isJsonNull() ? o.get(name).getAsDouble() : fallback;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        PipelineConfigurations configurations = new PipelineConfigurations(configurationAdmin);
        Map<String, Camera> cameras = new TreeMap<>();
        for (FrameSource s : sources) {
            SourceStatus st = s.status();
            cameras.put(s.id(), new Camera(s.id(), st.state().name().toLowerCase(java.util.Locale.ROOT), st.message(), st.framesDelivered(), null));
        }
        for (CameraPipeline p : pipelines) {
            PipelineStatus st = p.status();
            Optional<org.osgi.service.cm.Configuration> config = configurations.pipeline(p.cameraId());
            Dictionary<String, Object> props = config.map(org.osgi.service.cm.Configuration::getProperties).orElse(null);
            List<String> zones = props != null && props.get("zones") instanceof String[] z ? ConfigLists.entries(z) : List.of();
            boolean editable = props != null && props.get(PipelineConfigurations.FROM_FILE) == null;
            Pipeline pipeline = new Pipeline(st.state(), st.targetFps(), round(st.fps()), st.framesProcessed(), st.framesDropped(), st.errors(),
                    st.modelName(), st.modelVersion(), rounded(st.stageMillis()), zones, editable, st.framesSkipped(),
                    rounded(Map.of("p50", st.latencyP50Millis(), "p99", st.latencyP99Millis())));
            Camera c = cameras.get(p.cameraId());
            cameras.put(p.cameraId(), c == null ? new Camera(p.cameraId(), "absent", "no camera with this id is installed", 0, pipeline)
                    : new Camera(c.id(), c.state(), c.message(), c.framesDelivered(), pipeline));
        }
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.getWriter().write(GSON.toJson(Map.of("cameras", new ArrayList<>(cameras.values()))));
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static Map<String, Double> rounded(Map<String, Double> m) {
        Map<String, Double> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, round(v)));
        return out;
    }
}
