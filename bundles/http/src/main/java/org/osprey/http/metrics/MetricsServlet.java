package org.osprey.http.metrics;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.annotations.RequireHttpWhiteboard;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.osprey.api.metrics.MetricSource;
import org.osprey.api.pipeline.CameraPipeline;
import org.osprey.api.pipeline.PipelineStatus;
import org.osprey.api.vision.ModelCatalog;
import org.osprey.api.vision.ModelRecord;
import org.osprey.http.auth.AdminContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /api/v1/metrics} (admin; Prometheus scrapes it with {@code basic_auth}): the pipelines'
 * and models' figures, and those of every {@link MetricSource} (the telemetry uplinks...), in
 * Prometheus' text format. A source that fails is left out of that scrape, and logged.
 */
@Component(service = Servlet.class)
@RequireHttpWhiteboard
@HttpWhiteboardContextSelect(AdminContext.SELECT)
@HttpWhiteboardServletName("osprey-metrics")
@HttpWhiteboardServletPattern("/v1/metrics")
public class MetricsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(MetricsServlet.class);

    private final transient List<MetricSource> sources = new CopyOnWriteArrayList<>();
    private final transient List<CameraPipeline> pipelines = new CopyOnWriteArrayList<>();
    private transient volatile ModelCatalog catalog;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addSource(MetricSource s) {
        sources.add(s);
    }

    void removeSource(MetricSource s) {
        sources.remove(s);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addPipeline(CameraPipeline p) {
        pipelines.add(p);
    }

    void removePipeline(CameraPipeline p) {
        pipelines.remove(p);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void setCatalog(ModelCatalog c) {
        catalog = c;
    }

    void unsetCatalog(ModelCatalog c) {
        if (catalog == c) {
            catalog = null;
        }
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        PrometheusText text = new PrometheusText();
        for (CameraPipeline p : pipelines) {
            PipelineStatus s = p.status();
            String camera = p.cameraId();
            text.gauge("osprey_pipeline_fps", "frames processed per second, recently", s.fps(), "camera", camera);
            text.counter("osprey_pipeline_frames_processed_total", "frames run through the model", s.framesProcessed(), "camera", camera);
            text.counter("osprey_pipeline_frames_dropped_total", "frames the pipeline could not take, busy with the model", s.framesDropped(), "camera",
                    camera);
            text.counter("osprey_pipeline_frames_skipped_total", "frames left out as the pipeline's rate asks", s.framesSkipped(), "camera", camera);
            text.gauge("osprey_pipeline_latency_milliseconds", "capture to events dispatched, over the recent frames", s.latencyP50Millis(), "camera",
                    camera, "quantile", "0.5");
            text.gauge("osprey_pipeline_latency_milliseconds", "capture to events dispatched, over the recent frames", s.latencyP99Millis(), "camera",
                    camera, "quantile", "0.99");
            text.counter("osprey_pipeline_errors_total", "frames the model failed on", s.errors(), "camera", camera);
            s.stageMillis().forEach((stage, ms) -> text.gauge("osprey_pipeline_stage_milliseconds", "recent mean time per stage", ms, "camera",
                    camera, "stage", stage));
        }
        ModelCatalog c = catalog;
        if (c != null) {
            text.gauge("osprey_model_sessions_open", "ONNX Runtime sessions open, including those finishing requests of removed models", c.openSessions());
            for (ModelRecord r : c.models()) {
                text.gauge("osprey_model_active", "1 for the version of a name that serves", r.state() == ModelRecord.State.ACTIVE ? 1 : 0, "model",
                        r.name(), "version", r.version(), "state", r.state().name().toLowerCase(Locale.ROOT));
            }
        }
        for (MetricSource source : sources) {
            try {
                source.collect(text);
            } catch (RuntimeException e) {
                LOG.warn("Metric source {} failed: {}", source, e.toString());
            }
        }
        resp.setContentType(PrometheusText.CONTENT_TYPE);
        resp.setHeader("Cache-Control", "no-store");
        resp.getWriter().write(text.text());
    }
}
