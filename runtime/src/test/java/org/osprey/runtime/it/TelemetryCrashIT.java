package org.osprey.runtime.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.TestName;
import org.osprey.testsupport.Mosquitto;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Nothing accepted is lost when the gateway is killed: {@code java -jar osprey.jar} with a fast camera
 * and the MQTT uplink to a broker that is down accepts events into its outbox; it is killed with
 * SIGKILL (no shutdown hook runs), the broker is started, the gateway is started again, and every
 * event it had counted as accepted arrives, once each (nothing was sent before the kill, so nothing is sent
 * twice; every delivery is counted). And a fresh gateway with MQTT configured sends every event from its
 * first, once each.
 */
public class TelemetryCrashIT {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();
    @Rule
    public TestName test = new TestName();

    private GatewayProcess gateway;
    private Mosquitto broker;

    @After
    public void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
            gateway.keepLog(getClass().getSimpleName() + "." + test.getMethodName());
        }
        if (broker != null) {
            broker.stop();
        }
    }

    /** The camera, its pipeline (an event on nearly every frame) and the MQTT uplink, in the deploy folder. */
    private void configure(String name) throws Exception {
        Path deploy = gateway.deploy();
        Files.writeString(deploy.resolve("org.osprey.camera.files-" + name + ".cfg"), "camera.id=" + name + "\npath=samples\nfps=10\n");
        Files.writeString(deploy.resolve("org.osprey.pipeline-" + name + ".cfg"), "camera=" + name + "\nmodel=blazeface\nfps=10\nappearFrames=1\nleaveFrames=1\n");
        Files.writeString(deploy.resolve("org.osprey.pipeline.sample.cfg"), "enabled=false\n");
        Files.writeString(deploy.resolve("org.osprey.telemetry.cfg"), "maxPerSecond=0\n");
        Files.writeString(deploy.resolve("org.osprey.telemetry.mqtt.cfg"), "broker=" + broker.url() + "\ngateway=" + name + "\n");
    }

    @Test
    public void eventsAcceptedBeforeAKillMinus9ArriveAfterTheRestart() throws Exception {
        Path dir = tmp.getRoot().toPath();
        gateway = new GatewayProcess(dir.resolve("gateway"));
        // a camera that changes every frame, so events come fast; the uplink to a broker that is not running yet
        broker = new Mosquitto(dir.resolve("broker"), Mosquitto.freePort(), "allow_anonymous true");
        configure("crash");

        gateway.start(Map.of());
        long acceptedBeforeKill = 0;
        long deadline = System.currentTimeMillis() + 90_000;
        while (acceptedBeforeKill < 10 && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
            acceptedBeforeKill = gateway.uplink("mqtt").map(u -> u.get("accepted").getAsLong()).orElse(0L);
        }
        assertTrue("events were accepted while the broker was down: " + acceptedBeforeKill, acceptedBeforeKill >= 10);
        gateway.kill(); // SIGKILL

        broker.start();
        List<String> deliveries = Collections.synchronizedList(new ArrayList<>());
        MqttClient subscriber = subscribeToEventIds("crash", deliveries);
        try {
            gateway.start(Map.of());
            deadline = System.currentTimeMillis() + 60_000;
            while (unique(deliveries).size() < acceptedBeforeKill && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
            }
            assertTrue("received " + unique(deliveries).size() + " of the " + acceptedBeforeKill + " accepted before the kill",
                    unique(deliveries).size() >= acceptedBeforeKill);

            // stop the camera, let the outbox drain: everything counted as accepted was sent and received
            Files.delete(gateway.deploy().resolve("org.osprey.pipeline-crash.cfg"));
            JsonObject u = null;
            deadline = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < deadline) {
                Thread.sleep(500);
                // the first request after the restart: the HTTP server may still be starting while MQTT already delivers
                u = gateway.uplink("mqtt").orElse(null);
                if (u != null && u.get("queueDepth").getAsLong() == 0 && u.get("sent").getAsLong() == unique(deliveries).size()
                        && u.get("accepted").getAsLong() == u.get("sent").getAsLong()) {
                    break;
                }
            }
            assertTrue("the restarted gateway answers /api/v1/telemetry", u != null);
            assertEquals(u.toString(), 0, u.get("queueDepth").getAsLong());
            assertEquals(u.toString(), u.get("accepted").getAsLong(), u.get("sent").getAsLong());
            assertEquals(u.toString(), 0, u.get("expired").getAsLong() + u.get("evicted").getAsLong());
            Set<String> received = unique(deliveries);
            assertEquals("every event sent was received", u.get("sent").getAsLong(), received.size());
            assertEquals("each once: deliveries of the same id", received.size(), deliveries.size());
            System.out.println("TelemetryCrashIT: " + acceptedBeforeKill + " accepted before kill -9; " + received.size()
                    + " received after the restart, " + (deliveries.size() - received.size()) + " twice (accepted in all " + u.get("accepted")
                    + ", sent " + u.get("sent") + ")");
        } finally {
            subscriber.disconnectForcibly(1000);
            subscriber.close();
        }
    }

    /**
     * A fresh gateway with MQTT configured in the deploy folder from the first start: every event it
     * makes, the very first included, reaches the broker (the outbox queues for an uplink known from its
     * configuration, before the uplink's component is active).
     */
    @Test
    public void everyEventOfAFreshGatewayReachesTheBrokerFromTheFirst() throws Exception {
        Path dir = tmp.getRoot().toPath();
        gateway = new GatewayProcess(dir.resolve("gateway"));
        broker = new Mosquitto(dir.resolve("broker"), Mosquitto.freePort(), "allow_anonymous true");
        broker.start();
        configure("fresh");
        List<String> deliveries = Collections.synchronizedList(new ArrayList<>());
        MqttClient subscriber = subscribeToEventIds("fresh", deliveries);
        try {
            gateway.start(Map.of());
            long deadline = System.currentTimeMillis() + 90_000;
            while (unique(deliveries).size() < 10 && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
            }
            assertTrue("events reach the broker: " + deliveries.size(), unique(deliveries).size() >= 10);
            Files.delete(gateway.deploy().resolve("org.osprey.pipeline-fresh.cfg"));
            // every event the gateway made (its last 200, newest first: all of them, this early) arrives
            Set<String> made = Set.of();
            deadline = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < deadline) {
                made = gateway.eventIds();
                if (!made.isEmpty() && unique(deliveries).containsAll(made)) {
                    break;
                }
                Thread.sleep(500);
            }
            assertTrue("fewer than 200 events: the list holds the first", made.size() < 200);
            Set<String> missing = new java.util.LinkedHashSet<>(made);
            missing.removeAll(unique(deliveries));
            assertTrue("every event made reached the broker, the first included; missing " + missing + " of " + made.size(), missing.isEmpty());
            assertEquals("each once: deliveries of the same id", unique(deliveries).size(), deliveries.size());
        } finally {
            subscriber.disconnectForcibly(1000);
            subscriber.close();
        }
    }

    private static Set<String> unique(List<String> deliveries) {
        synchronized (deliveries) {
            return new java.util.LinkedHashSet<>(deliveries);
        }
    }

    /** A subscriber to the gateway's events on the broker that adds each delivered event's id to {@code ids}. */
    private MqttClient subscribeToEventIds(String gatewayName, List<String> ids) throws Exception {
        MqttClient subscriber = new MqttClient(broker.url(), gatewayName + "-subscriber", new MemoryPersistence());
        subscriber.connect(new MqttConnectOptions());
        subscriber.subscribe("osprey/" + gatewayName + "/events/+", 1, (topic, msg) -> ids.add(
                JsonParser.parseString(new String(msg.getPayload(), StandardCharsets.UTF_8)).getAsJsonObject().get("id").getAsString()));
        return subscriber;
    }
}
