package org.osprey.runtime.it;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.osprey.testsupport.Mosquitto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * Home Assistant MQTT discovery and event pictures, from {@code osprey.jar} to a real Mosquitto: the
 * retained configs Home Assistant would read, checked against its documented schema (written down in
 * src/test/resources/homeassistant), their states kept current, entities removed when their zone goes,
 * and the newest event picture retained per camera and label.
 */
public class HomeAssistantIT {

    private static final String GATEWAY = "ha-gateway";
    private static final String NODE = "osprey_ha-gateway";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private GatewayProcess gateway;

    @After
    public void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
            gateway.keepLog("HomeAssistantIT");
        }
    }

    private interface Probe {
        boolean holds() throws Exception;
    }

    private void await(String what, Probe probe) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!probe.holds()) {
            if (System.nanoTime() > deadline) {
                String log = gateway.log();
                throw new AssertionError(what + ": not within 90 s; topics seen: " + new TreeSet<>(seen.keySet()) + "\n" + log.substring(Math.max(0, log.length() - 4000)));
            }
            Thread.sleep(100);
        }
    }

    private static JsonSchema schema(String component) {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7);
        return factory.getSchema(SchemaLocation.of("classpath:homeassistant/mqtt-discovery.schema.json#/definitions/" + component));
    }

    /** Every message seen, by topic, in order; what the broker would give a newcomer is the last retained one. */
    private final Map<String, List<byte[]>> seen = new ConcurrentHashMap<>();

    private byte[] last(String topic) {
        List<byte[]> all = seen.get(topic);
        return all == null || all.isEmpty() ? null : all.get(all.size() - 1);
    }

    private String lastText(String topic) {
        byte[] b = last(topic);
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    @Test
    public void discoveryConfigsFollowTheSchemaStatesFollowTheEventsAndGoneZonesAreRemoved() throws Exception {
        Path dir = tmp.getRoot().toPath();
        Mosquitto broker = Mosquitto.anonymous(dir.resolve("mosquitto"));
        MqttClient ha = new MqttClient(broker.url(), "home-assistant", new MemoryPersistence());
        try {
            ha.connect(new MqttConnectOptions());
            ha.setCallback(new org.eclipse.paho.client.mqttv3.MqttCallback() {
                @Override
                public void connectionLost(Throwable cause) {
                }

                @Override
                public void messageArrived(String topic, org.eclipse.paho.client.mqttv3.MqttMessage message) {
                    seen.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(message.getPayload());
                }

                @Override
                public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {
                }
            });
            ha.subscribe(new String[] {"homeassistant/#", "osprey/" + GATEWAY + "/#"}, new int[] {1, 1});

            gateway = new GatewayProcess(dir.resolve("gateway"));
            Path deploy = gateway.deploy();
            Files.writeString(deploy.resolve("org.osprey.telemetry.mqtt.cfg"), "broker=" + broker.url() + "\ngateway=" + GATEWAY
                    + "\nhomeAssistant=true\nsnapshots=true\n");
            // two cameras on the sample photos: the yard's pipeline has no zone, the door's one over the whole picture
            Files.writeString(deploy.resolve("org.osprey.camera.files-yard.cfg"), "camera.id=yard\npath=samples\nfps=2\n");
            Files.writeString(deploy.resolve("org.osprey.pipeline-yard.cfg"), "camera=yard\nmodel=blazeface\nfps=2\nappearFrames=1\nleaveFrames=1\n");
            Files.writeString(deploy.resolve("org.osprey.camera.files-door.cfg"), "camera.id=door\npath=samples\nfps=2\n");
            Path doorPipeline = deploy.resolve("org.osprey.pipeline-door.config");
            Files.writeString(doorPipeline, "camera=\"door\"\nmodel=\"blazeface\"\nfps=D\"2.0\"\nappearFrames=I\"1\"\nleaveFrames=I\"1\"\n"
                    + "zones=[\"porch: 0.0,0.0 1.0,0.0 1.0,1.0 0.0,1.0\"]\n");
            gateway.start(Map.of());

            String[] configs = {
                "homeassistant/binary_sensor/" + NODE + "/yard_face_occupancy/config",
                "homeassistant/sensor/" + NODE + "/yard_face_count/config",
                "homeassistant/binary_sensor/" + NODE + "/door_face_occupancy/config",
                "homeassistant/sensor/" + NODE + "/door_face_count/config",
                "homeassistant/binary_sensor/" + NODE + "/door_zone_porch_face_occupancy/config",
                "homeassistant/sensor/" + NODE + "/door_zone_porch_face_count/config"};
            await("the discovery configs", () -> Arrays.stream(configs).allMatch(t -> last(t) != null && last(t).length > 0));

            // each follows Home Assistant's documented schema for its component, and they describe one device
            Set<String> devices = new TreeSet<>();
            for (String topic : configs) {
                JsonNode config = JSON.readTree(last(topic));
                String component = topic.split("/")[1];
                Set<ValidationMessage> errors = schema(component).validate(config);
                assertTrue(topic + " " + config + ": " + errors, errors.isEmpty());
                assertTrue(topic, topic.matches("homeassistant/(binary_sensor|sensor)/[a-zA-Z0-9_-]+/[a-zA-Z0-9_-]+/config"));
                assertEquals("osprey/" + GATEWAY + "/status", config.get("availability_topic").asText());
                devices.add(config.get("device").get("identifiers").toString());
                if (component.equals("binary_sensor")) {
                    assertEquals("occupancy", config.get("device_class").asText());
                }
            }
            assertEquals("one Home Assistant device per gateway", 1, devices.size());
            JsonNode occupancy = JSON.readTree(last(configs[0]));
            assertEquals("osprey/" + GATEWAY + "/yard/face/count", occupancy.get("state_topic").asText());
            assertEquals("osprey/" + GATEWAY + "/door/zones/porch/face/count", JSON.readTree(last(configs[4])).get("state_topic").asText());
            // the schema is strict: an invented key fails
            assertTrue(!schema("binary_sensor").validate(((com.fasterxml.jackson.databind.node.ObjectNode) occupancy.deepCopy()).put("colour", "red"))
                    .isEmpty());

            // the states follow the events: the astronaut's face comes and goes as the sample photos turn
            await("a face counted on the yard camera", () -> seen.getOrDefault("osprey/" + GATEWAY + "/yard/face/count", List.of()).stream()
                    .anyMatch(b -> new String(b, StandardCharsets.UTF_8).equals("1")));
            await("a face counted in the porch zone", () -> seen.getOrDefault("osprey/" + GATEWAY + "/door/zones/porch/face/count", List.of()).stream()
                    .anyMatch(b -> new String(b, StandardCharsets.UTF_8).equals("1")));
            assertEquals("online", lastText("osprey/" + GATEWAY + "/status"));

            // the newest event picture, as a JPEG
            await("an event picture", () -> last("osprey/" + GATEWAY + "/yard/face/snapshot") != null);
            byte[] jpeg = last("osprey/" + GATEWAY + "/yard/face/snapshot");
            assertArrayEquals(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}, Arrays.copyOf(jpeg, 3));
            assertTrue("at most 512 kB: " + jpeg.length, jpeg.length <= 512 * 1024);

            // all of it is retained: Home Assistant started later reads the same
            Map<String, byte[]> retained = new ConcurrentHashMap<>();
            MqttClient late = new MqttClient(broker.url(), "home-assistant-later", new MemoryPersistence());
            try {
                late.connect(new MqttConnectOptions());
                late.subscribe("homeassistant/#", 1, (t, m) -> retained.put(t, m.getPayload()));
                late.subscribe("osprey/" + GATEWAY + "/yard/face/snapshot", 1, (t, m) -> retained.put(t, m.getPayload()));
                await("the retained configs and picture", () -> Arrays.stream(configs).allMatch(retained::containsKey)
                        && retained.containsKey("osprey/" + GATEWAY + "/yard/face/snapshot"));
            } finally {
                late.disconnect();
                late.close();
            }

            // the door pipeline goes: its entities are removed (an empty retained config), the yard's stay
            Files.delete(doorPipeline);
            await("the door's configs removed", () -> Arrays.stream(configs).filter(t -> t.contains("/door_"))
                    .allMatch(t -> last(t) != null && last(t).length == 0));
            for (String t : configs) {
                if (t.contains("/yard_")) {
                    assertTrue(t, last(t).length > 0);
                }
            }

            // Home Assistant says it is back (it restarted and lost its entities): the configs are sent again
            int sent = seen.get(configs[0]).size();
            ha.publish("homeassistant/status", "online".getBytes(StandardCharsets.UTF_8), 1, false);
            await("the configs sent again for Home Assistant", () -> seen.get(configs[0]).size() > sent && last(configs[0]).length > 0);

            // an entity announced by an earlier run that is gone now (here: written while the gateway is off) is removed
            // when the gateway is back: it reads its retained configs at each connect
            gateway.kill();
            String ghost = "homeassistant/sensor/" + NODE + "/ghost_face_count/config";
            ha.publish(ghost, last(configs[1]), 1, true);
            await("the ghost config retained", () -> last(ghost) != null && last(ghost).length > 0);
            gateway.start(Map.of());
            await("the ghost config removed after the restart", () -> last(ghost).length == 0);
            assertTrue("the yard's stay", last(configs[0]).length > 0);
        } finally {
            try {
                ha.disconnectForcibly(1000);
                ha.close();
            } finally {
                broker.stop();
            }
        }
    }
}
