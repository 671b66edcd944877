package org.osprey.telemetry.status;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osprey.api.command.GatewayCommand;
import org.osprey.api.pipeline.CameraPipeline;
import org.osprey.api.pipeline.PipelineStatus;
import org.osprey.api.rollout.ModelRollout;
import org.osprey.api.vision.ModelCatalog;
import org.osprey.api.vision.ModelRecord;
import org.osprey.telemetry.service.TelemetryService;

/**
 * {@code getStatus}: the gateway at a glance, for a remote caller and for an IoT Hub twin's reported
 * properties: its version, the serving model of each name, each camera's pipeline, and the outbox. Maps
 * are keyed by model name and camera id, as twins want them (no lists).
 */
@Component(service = GatewayCommand.class, property = GatewayCommand.NAME + "=getStatus")
public class StatusCommand implements GatewayCommand {

    private final String version;
    private final TelemetryService telemetry;
    private final List<CameraPipeline> pipelines = new CopyOnWriteArrayList<>();
    private volatile ModelCatalog catalog;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile ModelRollout rollout;

    @Activate
    public StatusCommand(BundleContext context, @Reference TelemetryService telemetry) {
        this.version = context.getBundle().getVersion().toString();
        this.telemetry = telemetry;
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

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addPipeline(CameraPipeline p) {
        pipelines.add(p);
    }

    void removePipeline(CameraPipeline p) {
        pipelines.remove(p);
    }

    @Override
    public Object execute(Map<String, Object> arguments) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("version", version);
        status.put("uptimeSeconds", ManagementFactory.getRuntimeMXBean().getUptime() / 1000);
        status.put("models", models());
        status.put("cameras", cameras());
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("outboxDepth", telemetry.outboxDepth());
        t.put("uplinks", telemetry.status());
        status.put("telemetry", t);
        return status;
    }

    /**
     * Per name, the version that serves (or the newest one's state when none serves), and where the
     * rollout of a wanted version stands ({@code rollout}: version, state, progress in percent, message).
     */
    private Map<String, Object> models() {
        Map<String, Object> models = new LinkedHashMap<>();
        ModelCatalog c = catalog;
        if (c == null) {
            return models;
        }
        for (ModelRecord r : c.models()) {
            // records come newest first per name: an active one replaces a failed newer one
            if (!models.containsKey(r.name()) || r.state() == ModelRecord.State.ACTIVE) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("version", r.version());
                m.put("state", r.state().name().toLowerCase());
                m.put("task", r.task().map(t -> t.name().toLowerCase()).orElse(null));
                r.message().ifPresent(why -> m.put("message", why));
                models.put(r.name(), m);
            }
        }
        ModelRollout ro = rollout;
        if (ro != null) {
            ro.status().forEach((name, s) -> {
                Map<String, Object> rolling = new LinkedHashMap<>();
                rolling.put("version", s.version());
                rolling.put("state", s.state().name().toLowerCase(java.util.Locale.ROOT));
                s.progress().ifPresent(p -> rolling.put("progress", (int) Math.floor(p * 100)));
                s.why().ifPresent(why -> rolling.put("message", why));
                @SuppressWarnings("unchecked")
                Map<String, Object> m = (Map<String, Object>) models.computeIfAbsent(name, n -> new LinkedHashMap<>());
                m.put("rollout", rolling);
            });
        }
        return models;
    }

    private Map<String, Object> cameras() {
        Map<String, Object> cameras = new LinkedHashMap<>();
        for (CameraPipeline p : pipelines) {
            PipelineStatus s = p.status();
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("state", s.state());
            c.put("camera", s.camera() == null ? null : s.camera().state().name().toLowerCase());
            c.put("model", s.modelName());
            c.put("modelVersion", s.modelVersion());
            c.put("fps", Math.round(s.fps() * 100) / 100.0);
            c.put("framesProcessed", s.framesProcessed());
            c.put("framesDropped", s.framesDropped());
            c.put("framesSkipped", s.framesSkipped());
            c.put("latencyMillis", Map.of("p50", Math.round(s.latencyP50Millis() * 10) / 10.0, "p99", Math.round(s.latencyP99Millis() * 10) / 10.0));
            c.put("errors", s.errors());
            cameras.put(p.cameraId(), c);
        }
        return cameras;
    }
}
