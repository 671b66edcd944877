package org.osprey.telemetry.service;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.osprey.api.event.VisionEvent;
import org.osprey.api.event.VisionEventListener;
import org.osprey.api.metrics.MetricSink;
import org.osprey.api.metrics.MetricSource;
import org.osprey.api.telemetry.TelemetryMessage;
import org.osprey.api.telemetry.Uplink;
import org.osprey.api.telemetry.UplinkStatus;
import org.osprey.telemetry.forward.Forwarder;
import org.osprey.telemetry.outbox.Outbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.gson.Gson;

/**
 * Every event, for every uplink: written to the outbox ({@code <data>/telemetry/outbox.mv.db}) when it
 * happens, then sent from there by one {@link Forwarder} per {@link Uplink} service, in order, and
 * deleted when that uplink acknowledged it. An uplink that is away (being updated, reconfigured, or
 * not yet started after a restart) still gets its messages queued: a destination is known from the
 * moment an uplink of that name first registered, or its configuration exists ({@link ConfiguredUplinks}). The event's id is the message id, so receivers can
 * drop the duplicates that at-least-once delivery may bring.
 */
@Component(service = {VisionEventListener.class, TelemetryService.class, MetricSource.class}, immediate = true, configurationPid = "org.osprey.telemetry")
@Designate(ocd = TelemetryConfiguration.class)
public class TelemetryService implements VisionEventListener, MetricSource {

    private static final Logger LOG = LoggerFactory.getLogger(TelemetryService.class);
    private static final Gson GSON = new Gson();
    /** A figure of status() as a counter in the metrics. */
    private record Counter(String figure, String metric, String help) {
    }

    private static final List<Counter> COUNTERS = List.of(
            new Counter("accepted", "osprey_uplink_accepted_total", "messages stored for the uplink"),
            new Counter("sent", "osprey_uplink_sent_total", "messages the uplink's far side acknowledged"),
            new Counter("expired", "osprey_uplink_expired_total", "messages dropped undelivered after their time to live"),
            new Counter("evicted", "osprey_uplink_evicted_total", "messages dropped undelivered because the outbox was full"),
            new Counter("failedAttempts", "osprey_uplink_failed_attempts_total", "sends that failed and were retried"));

    private final Outbox outbox;
    private final Duration ttl;
    private final double maxPerSecond;
    private final Map<String, Uplink> uplinks = new ConcurrentHashMap<>();
    private final Map<String, Forwarder> forwarders = new ConcurrentHashMap<>();

    private final ConfiguredUplinks configured;

    @Activate
    public TelemetryService(BundleContext context, TelemetryConfiguration config, @Reference ConfigurationAdmin admin) throws Exception {
        this.configured = new ConfiguredUplinks(context, admin, System.getenv());
        String data = context.getProperty("osprey.data");
        Path dir = Files.createDirectories(Path.of(data == null ? "data" : data, "telemetry"));
        this.outbox = new Outbox(dir.resolve("outbox.mv.db"), config.capacity(), Clock.systemUTC());
        this.ttl = Duration.ofSeconds(config.ttlSeconds());
        this.maxPerSecond = config.maxPerSecond();
        if (outbox.size() > 0) {
            LOG.info("Telemetry outbox: {} messages waiting for {}", outbox.size(), outbox.destinations());
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindUplink(Uplink uplink, Map<String, Object> properties) {
        String name = String.valueOf(properties.getOrDefault(Uplink.NAME, "uplink"));
        if (uplinks.putIfAbsent(name, uplink) != null) {
            LOG.warn("A second uplink named {} is ignored while the first is there", name);
            return;
        }
        forwarders.put(name, new Forwarder(outbox, name, uplink, maxPerSecond));
        LOG.info("Telemetry to {} ({}), {} messages waiting", name, uplink.status().target(), outbox.depth(name));
    }

    void unbindUplink(Uplink uplink, Map<String, Object> properties) throws InterruptedException {
        String name = String.valueOf(properties.getOrDefault(Uplink.NAME, "uplink"));
        if (uplinks.remove(name, uplink)) {
            forwarders.remove(name).close();
        }
    }

    @Override
    public void onEvent(VisionEvent e) {
        Set<String> destinations = new TreeSet<>(outbox.destinations());
        destinations.addAll(uplinks.keySet());
        // configured, but the service may not have registered yet (a fresh start): queued for it all the same
        destinations.addAll(configured.names());
        if (destinations.isEmpty()) {
            return;
        }
        outbox.accept(destinations, message(e, Instant.now().plus(ttl)));
        forwarders.values().forEach(Forwarder::nudge);
    }

    /** The event as the cloud sees it: flat JSON with its id, plus routing properties (type, label, camera, zone). */
    static TelemetryMessage message(VisionEvent e, Instant expiresAt) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("id", e.id());
        event.put("type", e.type().wireName());
        event.put("time", e.time().toString());
        event.put("camera", e.cameraId());
        event.put("label", e.label());
        event.put("zone", e.zone());
        event.put("count", e.count());
        event.put("score", e.score());
        if (e.box() != null) {
            event.put("box", Map.of("left", e.box().left(), "top", e.box().top(), "width", e.box().width(), "height", e.box().height()));
        }
        event.put("model", e.modelName());
        event.put("modelVersion", e.modelVersion());
        TelemetryMessage.Builder m = TelemetryMessage.builder(e.type().wireName(), GSON.toJson(event)).id(e.id()).camera(e.cameraId())
                .created(e.time()).expiresAt(expiresAt).property("type", e.type().wireName()).property("label", e.label())
                .property("camera", e.cameraId());
        if (e.zone() != null) {
            m.property("zone", e.zone());
        }
        return m.build();
    }

    /** Messages waiting, for all uplinks together. */
    public int outboxDepth() {
        return outbox.size();
    }

    /** Per uplink (and per destination whose uplink is away): connected, last error, queue depth, accepted, sent, expired, evicted. */
    public Map<String, Map<String, Object>> status() {
        Set<String> names = new TreeSet<>(outbox.destinations());
        names.addAll(uplinks.keySet());
        names.addAll(configured.names());
        Map<String, Map<String, Object>> all = new LinkedHashMap<>();
        for (String name : names) {
            Uplink uplink = uplinks.get(name);
            Forwarder forwarder = forwarders.get(name);
            UplinkStatus s = uplink == null ? null : uplink.status();
            Map<String, Object> u = new LinkedHashMap<>();
            u.put("target", s == null ? null : s.target());
            u.put("present", uplink != null);
            u.put("connected", s != null && s.connected());
            u.put("since", s == null ? null : s.since().toString());
            u.put("lastError", forwarder != null && forwarder.lastError() != null ? forwarder.lastError() : s == null ? null : s.lastError());
            u.put("queueDepth", outbox.depth(name));
            u.put("accepted", outbox.count(name, "accepted"));
            u.put("sent", outbox.count(name, "delivered"));
            u.put("expired", outbox.count(name, "expired"));
            u.put("evicted", outbox.count(name, "evicted"));
            u.put("failedAttempts", forwarder == null ? 0 : forwarder.failures());
            all.put(name, u);
        }
        return all;
    }

    /** The figures of {@link #status()} for the metrics endpoint. */
    @Override
    public void collect(MetricSink sink) {
        sink.gauge("osprey_outbox_depth", "messages waiting in the telemetry outbox, all uplinks together", outboxDepth());
        status().forEach((name, u) -> {
            sink.gauge("osprey_uplink_connected", "1 while the uplink is connected", Boolean.TRUE.equals(u.get("connected")) ? 1 : 0, "uplink", name);
            sink.gauge("osprey_uplink_queue_depth", "messages waiting for the uplink", ((Number) u.get("queueDepth")).doubleValue(), "uplink", name);
            if (u.get("lastError") instanceof String reason) {
                // the reason as a label (as Prometheus' *_info series carry text): an alert can show it
                sink.gauge("osprey_uplink_error", "1 while the uplink's last attempt failed, the reason in its label", 1, "uplink", name,
                        "reason", reason);
            }
            for (Counter c : COUNTERS) {
                sink.counter(c.metric(), c.help(), ((Number) u.get(c.figure())).doubleValue(), "uplink", name);
            }
        });
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        for (Forwarder f : forwarders.values()) {
            f.close();
        }
        forwarders.clear();
        outbox.close();
    }
}
