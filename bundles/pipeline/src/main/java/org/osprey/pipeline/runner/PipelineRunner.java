package org.osprey.pipeline.runner;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.util.tracker.ServiceTracker;
import org.osprey.api.camera.CameraException;
import org.osprey.api.config.ConfigLists;
import org.osprey.api.camera.Frame;
import org.osprey.api.camera.FrameSource;
import org.osprey.api.event.VisionEvent;
import org.osprey.api.pipeline.CameraPipeline;
import org.osprey.api.pipeline.Observation;
import org.osprey.api.pipeline.PipelineStatus;
import org.osprey.api.vision.InferenceException;
import org.osprey.api.vision.InferenceResult;
import org.osprey.api.vision.Model;
import org.osprey.api.vision.Region;
import org.osprey.pipeline.dispatch.EventDispatcher;
import org.osprey.pipeline.snapshots.SnapshotKeeper;
import org.osprey.pipeline.tracker.EventTracker;
import org.osprey.pipeline.tracker.TrackerSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One camera's loop on its own thread: take the newest frame, run the model, track, publish; paced to
 * the configured rate. The camera and the model are looked up in the service registry on every frame,
 * so a camera bundle or a model installed, updated or removed at run time is simply used from the next
 * frame on, and nothing queues: a slow model means dropped (counted) frames, never a growing backlog.
 */
@Component(service = CameraPipeline.class, immediate = true, configurationPid = "org.osprey.pipeline", configurationPolicy = ConfigurationPolicy.REQUIRE,
        // the console lists pipelines by camera, not by a generated PID
        property = "webconsole.configurationFactory.nameHint=Pipeline for {camera}")
@Designate(ocd = PipelineConfiguration.class, factory = true)
public class PipelineRunner implements CameraPipeline {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineRunner.class);

    private final String cameraId;
    private final double fps;
    private final EventDispatcher dispatcher;
    private final SnapshotKeeper snapshots;
    private final EventTracker tracker;
    private final ServiceTracker<FrameSource, FrameSource> cameras;
    private final ServiceTracker<Model, Model> models;
    private final Thread loop;
    private final Stages stages = new Stages();
    private final AtomicLong processed = new AtomicLong();
    private final FrameAccounting frames = new FrameAccounting();
    private final LatencyWindow latencies = new LatencyWindow();
    private final AtomicLong errors = new AtomicLong();
    private volatile String state = "starting";
    private volatile Model lastModel;
    private final List<String> labels;
    private volatile FrameSource lastCamera;
    private volatile boolean running = true;
    /** Why the configuration cannot run, or null. */
    private final String invalid;
    private final List<Region> regions;
    private volatile Observation latest;

    @Activate
    public PipelineRunner(BundleContext context, PipelineConfiguration config, @Reference EventDispatcher dispatcher,
            @Reference SnapshotKeeper snapshots) throws InvalidSyntaxException {
        this.cameraId = config.camera().strip();
        if (cameraId.isEmpty()) {
            throw new IllegalArgumentException("a pipeline needs the camera.id of its camera");
        }
        this.fps = config.fps();
        this.dispatcher = dispatcher;
        this.snapshots = snapshots;
        // a configuration the console let through must not kill the component: it stays listed, with the reason
        String problem = null;
        List<Region> zones = new ArrayList<>();
        try {
            if (!(fps > 0) || Double.isInfinite(fps)) {
                throw new IllegalArgumentException("fps must be a number above 0, was " + fps);
            }
            for (String z : ConfigLists.entries(config.zones())) {
                zones.add(Region.parse(z));
            }
        } catch (IllegalArgumentException e) {
            problem = "invalid configuration: " + e.getMessage();
            zones.clear();
        }
        this.invalid = problem;
        this.regions = List.copyOf(zones);
        this.labels = ConfigLists.entries(config.labels()).stream().distinct().toList();
        this.tracker = new EventTracker(cameraId, new TrackerSettings(config.appearFrames(), config.leaveFrames(), config.minScore(),
                Set.copyOf(ConfigLists.entries(config.labels())), zones));
        Filter camera = FrameworkUtil.createFilter("(&(objectClass=" + FrameSource.class.getName() + ")(" + FrameSource.CAMERA_ID + "="
                + escape(cameraId) + "))");
        String model = config.model().strip();
        Filter modelFilter = FrameworkUtil.createFilter("(&(objectClass=" + Model.class.getName() + ")"
                + (model.isEmpty() ? "" : "(" + Model.NAME + "=" + escape(model) + ")") + ")");
        this.cameras = new ServiceTracker<>(context, camera, null);
        this.models = new ServiceTracker<>(context, modelFilter, null);
        this.loop = new Thread(this::run, "osprey-pipeline-" + cameraId);
        loop.setDaemon(true);
        if (invalid != null) {
            running = false;
            LOG.warn("Pipeline for camera {} not started: {}", cameraId, invalid);
            return;
        }
        cameras.open();
        models.open();
        loop.start();
        LOG.info("Pipeline for camera {} started ({} fps, model {})", cameraId, fps, model.isEmpty() ? "newest" : model);
    }

    private static String escape(String v) {
        return v.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").replace("*", "\\*");
    }

    private void run() {
        long period = (long) (TimeUnit.SECONDS.toNanos(1) / fps);
        long lastSequence = -1;
        long busy = 0, idleSince = System.nanoTime();
        while (running) {
            long start = System.nanoTime();
            try {
                FrameSource camera = cameras.getService();
                lastCamera = camera;
                if (camera == null) {
                    state = "waiting for camera";
                    Thread.sleep(200);
                    continue;
                }
                Model model = models.getService();
                lastModel = model;
                if (model == null) {
                    state = "waiting for model";
                    Thread.sleep(200);
                    continue;
                }
                Frame frame = camera.nextFrame(1, TimeUnit.SECONDS);
                long captured = System.nanoTime();
                if (frame == null) {
                    continue;
                }
                if (lastSequence >= 0) {
                    frames.missed(frame.sequence() - lastSequence - 1, busy, captured - idleSince);
                }
                lastSequence = frame.sequence();
                state = "running";
                try {
                    InferenceResult r = model.infer(frame);
                    Observation seen = new Observation(frame, r, regions);
                    latest = seen;
                    processed.incrementAndGet();
                    stages.record(captured - start, r);
                    for (VisionEvent e : tracker.update(r, Instant.now())) {
                        // the picture exists before anyone hears of the event
                        snapshots.keep(e, seen);
                        dispatcher.publish(e);
                    }
                    latencies.record(java.time.Duration.between(frame.capturedAt(), Instant.now()).toNanos());
                } catch (InferenceException e) {
                    errors.incrementAndGet();
                    LOG.warn("camera {}: frame {} not processed: {}", cameraId, frame.sequence(), e.getMessage());
                }
                idleSince = System.nanoTime();
                busy = idleSince - captured;
            } catch (CameraException e) {
                state = "camera failed: " + e.getMessage();
                sleepQuietly(1000);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // a misbehaving camera or model must not end the loop
                errors.incrementAndGet();
                LOG.error("camera {}: unexpected failure, going on", cameraId, e);
                sleepQuietly(1000);
            }
            long rest = period - (System.nanoTime() - start);
            if (rest > 0) {
                sleepQuietly(TimeUnit.NANOSECONDS.toMillis(rest));
            }
        }
    }

    private void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public String cameraId() {
        return cameraId;
    }

    @Override
    public PipelineStatus status() {
        // nothing new for three frame intervals (two seconds at least): the rate is 0, not the last one seen
        long quiet = Math.max(TimeUnit.SECONDS.toNanos(2), (long) (3e9 / fps));
        Model m = lastModel;
        FrameSource c = lastCamera;
        return new PipelineStatus(invalid != null ? invalid : running ? state : "stopped", c == null ? null : c.status(), fps, stages.fps(quiet), processed.get(),
                frames.dropped(), errors.get(), m == null ? null : m.info().name(), m == null ? null : m.info().version(), stages.means(),
                frames.skipped(), latencies.percentileMillis(0.5), latencies.percentileMillis(0.99));
    }

    @Override
    public Optional<Observation> latest() {
        return Optional.ofNullable(latest);
    }

    @Override
    public List<String> watchedLabels() {
        if (!labels.isEmpty()) {
            return labels;
        }
        Model m = models == null ? null : models.getService();
        return m == null ? List.of() : m.info().labels().stream().distinct().toList();
    }

    @Override
    public List<Region> zones() {
        return regions;
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        if (invalid != null) {
            return;
        }
        running = false;
        loop.interrupt();
        loop.join(5000);
        cameras.close();
        models.close();
        LOG.info("Pipeline for camera {} stopped after {} frames", cameraId, processed.get());
    }

    /** Recent mean time per stage (exponentially weighted) and the processing rate. */
    private static final class Stages {
        private double capture, preprocess, inference, postprocess;
        private long lastNanos;
        private double rate;

        synchronized void record(long captureNanos, InferenceResult r) {
            capture = mix(capture, captureNanos / 1e6);
            preprocess = mix(preprocess, r.preprocessTime().toNanos() / 1e6);
            inference = mix(inference, r.inferenceTime().toNanos() / 1e6);
            postprocess = mix(postprocess, r.postprocessTime().toNanos() / 1e6);
            long now = System.nanoTime();
            if (lastNanos != 0) {
                rate = mix(rate, 1e9 / Math.max(1, now - lastNanos));
            }
            lastNanos = now;
        }

        private static double mix(double mean, double value) {
            return mean == 0 ? value : mean * 0.9 + value * 0.1;
        }

        /** The recent rate; 0 once nothing new has been processed for longer than {@code quietNanos} (a stalled or absent camera). */
        synchronized double fps(long quietNanos) {
            return lastNanos == 0 || System.nanoTime() - lastNanos > quietNanos ? 0 : rate;
        }

        synchronized Map<String, Double> means() {
            return Map.of("capture", capture, "preprocess", preprocess, "inference", inference, "postprocess", postprocess);
        }
    }
}
