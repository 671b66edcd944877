package org.osprey.telemetry.mqtt;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.osprey.api.event.VisionEvent;
import org.osprey.api.event.VisionEventListener;
import org.osprey.api.pipeline.CameraPipeline;
import org.osprey.api.vision.Region;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.gson.Gson;

/**
 * Home Assistant's MQTT discovery (https://www.home-assistant.io/integrations/mqtt/#mqtt-discovery):
 * for each camera and label a pipeline watches, and for each of its zones and labels, a
 * {@code binary_sensor} (device class {@code occupancy}) and a {@code sensor} (the count), retained under
 * {@code <prefix>/<component>/osprey_<gateway>/<object id>/config}, all of one HA device per gateway, with
 * the gateway's status topic as availability. Their state is the count, retained on
 * {@code osprey/<gateway>/<camera>/<label>/count} and {@code osprey/<gateway>/<camera>/zones/<zone>/<label>/count},
 * kept current from the events. Entities that go away (a pipeline, a label, a zone) get an empty retained
 * config, which removes them from Home Assistant; those of an earlier run are found by reading the
 * retained configs back after each connect. Configs are sent again when Home Assistant says it is back
 * ({@code <prefix>/status} = {@code online}).
 */
final class HomeAssistantDiscovery implements VisionEventListener {

    private static final Logger LOG = LoggerFactory.getLogger(HomeAssistantDiscovery.class);
    private static final Gson GSON = new Gson();
    private static final long RETAINED_SCAN_MILLIS = 1000;

    /** One entity pair's state: a camera's (zone null) or a zone's count of a label. */
    record Key(String camera, String zone, String label) {
    }

    private final MqttLink link;
    private final String gateway;
    private final String prefix;
    private final String node;
    private final String version;
    private final Supplier<List<CameraPipeline>> pipelines;
    private final Map<Key, Integer> counts = new ConcurrentHashMap<>();
    /** Config topics published (or found retained) and not removed since. */
    private final Set<String> published = ConcurrentHashMap.newKeySet();

    HomeAssistantDiscovery(MqttLink link, String gateway, String discoveryPrefix, String version, Supplier<List<CameraPipeline>> pipelines) {
        this.link = link;
        this.gateway = gateway;
        this.prefix = discoveryPrefix.endsWith("/") ? discoveryPrefix.substring(0, discoveryPrefix.length() - 1) : discoveryPrefix;
        this.node = "osprey_" + id(gateway);
        this.version = version;
        this.pipelines = pipelines;
        link.onConnected(this::connected);
    }

    /** HA's object and node ids are {@code [a-zA-Z0-9_-]+}; topics use the same spelling. */
    static String id(String name) {
        return name.replaceAll("[^A-Za-z0-9_-]", "_");
    }

    private void connected() {
        try {
            published.clear();
            published.addAll(link.retained(prefix + "/+/" + node + "/+/config", RETAINED_SCAN_MILLIS));
            link.subscribe(prefix + "/status", (topic, payload) -> {
                if (new String(payload, StandardCharsets.UTF_8).equals("online")) {
                    published.clear(); // Home Assistant restarted: everything again
                    sync();
                }
            });
        } catch (Exception e) {
            LOG.warn("Home Assistant discovery: cannot read the retained configs back: {}", e.toString());
        }
        sync();
    }

    /** Publishes the configs of the entities there are now, removes those there no longer are, and the states. */
    synchronized void sync() {
        Map<String, Map<String, Object>> configs = new LinkedHashMap<>();
        Map<Key, String> states = new LinkedHashMap<>();
        for (CameraPipeline p : pipelines.get()) {
            String camera = p.cameraId();
            List<String> labels = p.watchedLabels();
            for (String label : labels) {
                add(configs, states, new Key(camera, null, label));
            }
            for (Region zone : p.zones()) {
                for (String label : labels) {
                    add(configs, states, new Key(camera, zone.name(), label));
                }
            }
        }
        for (String topic : Set.copyOf(published)) {
            if (!configs.containsKey(topic) && link.publish(topic, new byte[0], true)) {
                published.remove(topic);
                LOG.info("Home Assistant discovery: removed {}", topic);
            }
        }
        configs.forEach((topic, config) -> {
            if (!published.contains(topic) && link.publish(topic, GSON.toJson(config).getBytes(StandardCharsets.UTF_8), true)) {
                published.add(topic);
            }
        });
        states.forEach((key, topic) -> link.publish(topic, Integer.toString(counts.getOrDefault(key, 0)).getBytes(StandardCharsets.UTF_8), true));
    }

    private void add(Map<String, Map<String, Object>> configs, Map<Key, String> states, Key key) {
        String object = id(key.camera()) + (key.zone() == null ? "" : "_zone_" + id(key.zone())) + "_" + id(key.label());
        String where = key.camera() + (key.zone() == null ? "" : " " + key.zone());
        String state = stateTopic(key);
        states.put(key, state);

        Map<String, Object> occupancy = common(object + "_occupancy", where + " " + key.label(), state);
        occupancy.put("device_class", "occupancy");
        occupancy.put("value_template", "{{ 'ON' if (value | int(0)) > 0 else 'OFF' }}");
        configs.put(prefix + "/binary_sensor/" + node + "/" + object + "_occupancy/config", occupancy);

        Map<String, Object> count = common(object + "_count", where + " " + key.label() + " count", state);
        count.put("state_class", "measurement");
        count.put("icon", "mdi:counter");
        configs.put(prefix + "/sensor/" + node + "/" + object + "_count/config", count);
    }

    private Map<String, Object> common(String objectId, String name, String stateTopic) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", name);
        c.put("unique_id", node + "_" + objectId);
        c.put("state_topic", stateTopic);
        c.put("availability_topic", link.prefix() + "status");
        c.put("payload_available", "online");
        c.put("payload_not_available", "offline");
        Map<String, Object> device = new LinkedHashMap<>();
        device.put("identifiers", List.of(node));
        device.put("name", "Osprey " + gateway);
        device.put("manufacturer", "Osprey");
        device.put("model", "Edge vision gateway");
        device.put("sw_version", version);
        c.put("device", device);
        c.put("origin", Map.of("name", "Osprey", "sw_version", version));
        return c;
    }

    /** {@code osprey/<gateway>/<camera>/<label>/count}, or {@code .../<camera>/zones/<zone>/<label>/count}. */
    String stateTopic(Key key) {
        return link.prefix() + id(key.camera()) + "/" + (key.zone() == null ? "" : "zones/" + id(key.zone()) + "/") + id(key.label()) + "/count";
    }

    @Override
    public void onEvent(VisionEvent e) {
        Key key = new Key(e.cameraId(), e.zone(), e.label());
        counts.put(key, e.count());
        link.publish(stateTopic(key), Integer.toString(e.count()).getBytes(StandardCharsets.UTF_8), true);
    }
}
