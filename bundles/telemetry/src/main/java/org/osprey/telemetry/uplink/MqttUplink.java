package org.osprey.telemetry.uplink;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.osprey.api.event.VisionEvent;
import org.osprey.api.event.VisionEventListener;
import org.osprey.api.telemetry.TelemetryMessage;
import org.osprey.telemetry.forward.Forwarder;
import org.osprey.telemetry.mqtt.MqttSender;
import org.osprey.telemetry.outbox.Outbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.gson.Gson;

/**
 * Every event to an MQTT broker: written to the outbox ({@code <data>/telemetry/mqtt.mv.db}) when it
 * happens, sent from there in order with QoS 1, deleted when the broker acknowledged it. The event's id
 * is the message id, so a receiver can drop the duplicates at-least-once delivery may bring.
 */
@Component(service = {VisionEventListener.class, MqttUplink.class}, configurationPid = "org.osprey.telemetry.mqtt",
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = MqttUplinkConfiguration.class)
public class MqttUplink implements VisionEventListener {

    static final String DESTINATION = "mqtt";
    private static final Logger LOG = LoggerFactory.getLogger(MqttUplink.class);
    private static final Gson GSON = new Gson();

    private final Duration ttl;
    private final Outbox outbox;
    private final MqttSender sender;
    private final Forwarder forwarder;
    private final String broker;

    @Activate
    public MqttUplink(BundleContext context, MqttUplinkConfiguration config) throws Exception {
        String data = context.getProperty("osprey.data");
        Path dir = Files.createDirectories(Path.of(data == null ? "data" : data, "telemetry"));
        this.ttl = Duration.ofSeconds(config.ttlSeconds());
        this.broker = config.broker();
        this.outbox = new Outbox(dir.resolve("mqtt.mv.db"), config.capacity(), Clock.systemUTC());
        String clientId = config.clientId().isBlank() ? "osprey-" + config.gateway() : config.clientId();
        this.sender = new MqttSender(config.broker(), clientId, config.gateway(), config.user(), config._password().toCharArray(),
                config.caFile().isBlank() ? null : Path.of(config.caFile()), config.verifyHostname());
        this.forwarder = new Forwarder(outbox, DESTINATION, sender, config.maxPerSecond());
        LOG.info("Telemetry to MQTT broker {} as {} ({} events waiting in the outbox)", config.broker(), clientId, outbox.size());
    }

    @Override
    public void onEvent(VisionEvent e) {
        Map<String, Object> event = new LinkedHashMap<>();
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
                .created(e.time()).expiresAt(Instant.now().plus(ttl)).property("type", e.type().wireName()).property("label", e.label());
        if (e.zone() != null) {
            m.property("zone", e.zone());
        }
        outbox.accept(DESTINATION, m.build());
        forwarder.nudge();
    }

    /** Figures for the telemetry API. */
    public Map<String, Object> status() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("uplink", "mqtt");
        s.put("broker", broker);
        s.put("connected", forwarder.connected() && sender.connected());
        s.put("lastError", forwarder.lastError());
        s.put("queueDepth", outbox.size());
        s.put("accepted", outbox.count("accepted"));
        s.put("sent", outbox.count("delivered"));
        s.put("expired", outbox.count("expired"));
        s.put("evicted", outbox.count("evicted"));
        return s;
    }

    @Deactivate
    void deactivate() throws Exception {
        forwarder.close();
        sender.close();
        outbox.close();
    }
}
