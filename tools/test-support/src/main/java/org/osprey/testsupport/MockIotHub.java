package org.osprey.testsupport;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.paho.client.mqttv3.MqttClient;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Plays IoT Hub's side of its device MQTT protocol, which is public
 * (learn.microsoft.com/azure/iot/iot-mqtt-connect-to-iot-hub), so the real SDK is tested over MQTT/TLS
 * against a local broker: it takes telemetry on {@code devices/<id>/messages/events/<properties>},
 * answers twin GETs and reported PATCHes on {@code $iothub/twin/res/<status>/?$rid=...}, pushes desired
 * patches, and calls direct methods on {@code $iothub/methods/POST/<name>/?$rid=...}. The Azure cloud
 * itself is not reachable here: this stands in for it.
 */
public final class MockIotHub implements AutoCloseable {

    /** One telemetry message as the hub received it. */
    public record Telemetry(String topic, Map<String, String> properties, String body) {
    }

    /** The user name the hub's side connects to its broker with. */
    public static final String USER = "mock-iot-hub";
    private static final Pattern RID = Pattern.compile("\\$rid=([^&]+)");
    private static final Pattern STATUS = Pattern.compile("\\$iothub/methods/res/(\\d+)/");

    private final MqttClient client;
    private final AtomicInteger version = new AtomicInteger(1);
    /** The twin's desired properties: the real merge of every patch (a null removes), as the hub keeps them. */
    private JsonObject desired = new JsonObject();
    /** Telemetry as received, in order. */
    public final BlockingQueue<Telemetry> telemetry = new LinkedBlockingQueue<>();
    /** Reported-property patches as received (JSON), in order. */
    public final BlockingQueue<String> reported = new LinkedBlockingQueue<>();
    private final BlockingQueue<String[]> methodResponses = new LinkedBlockingQueue<>();
    private final AtomicInteger requests = new AtomicInteger();

    /** Connects to the broker the device connects to, on a listener of its own. */
    public MockIotHub(String brokerUrl) throws Exception {
        client = new MqttClient(brokerUrl, "mock-iot-hub", new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        // the hub is stopped and started by tests: keep the subscriptions and come back by ourselves
        o.setCleanSession(false);
        o.setUserName(USER); // the broker's ACL lets this user, the hub's own side, see every topic
        o.setAutomaticReconnect(true);
        client.connect(o);
        client.subscribe("devices/#", 1, (topic, msg) -> {
            String body = new String(msg.getPayload(), StandardCharsets.UTF_8);
            int at = topic.indexOf("/messages/events/");
            if (at >= 0) {
                telemetry.add(new Telemetry(topic, properties(topic.substring(at + "/messages/events/".length())), body));
            }
        });
        client.subscribe("$iothub/#", 1, (topic, msg) -> {
            String body = new String(msg.getPayload(), StandardCharsets.UTF_8);
            Matcher rid = RID.matcher(topic);
            if (topic.startsWith("$iothub/twin/GET/") && rid.find()) {
                String twin;
                synchronized (this) {
                    twin = "{\"desired\":" + withVersion(desired.toString(), version.get()) + ",\"reported\":{\"$version\":1}}";
                }
                publish("$iothub/twin/res/200/?$rid=" + rid.group(1), twin);
            } else if (topic.startsWith("$iothub/twin/PATCH/properties/reported/") && rid.find()) {
                reported.add(body);
                publish("$iothub/twin/res/204/?$rid=" + rid.group(1) + "&$version=" + version.get(), "");
            } else if (topic.startsWith("$iothub/methods/res/") && rid.find()) {
                Matcher status = STATUS.matcher(topic);
                status.find();
                methodResponses.add(new String[] {rid.group(1), status.group(1), body});
            }
        });
    }

    private static String withVersion(String json, int version) {
        String inner = json.trim().substring(1, json.trim().length() - 1).trim();
        return "{" + inner + (inner.isEmpty() ? "" : ",") + "\"$version\":" + version + "}";
    }

    /** {@code $.mid=1&$.ct=application%2Fjson&type=appeared} to a map. */
    private static Map<String, String> properties(String encoded) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    /** Answers off the callback thread (Paho cannot publish from it); a refused publish is tried again and said. */
    private void publish(String topic, String body) {
        new Thread(() -> {
            for (int attempt = 1; ; attempt++) {
                try {
                    client.publish(topic, body.getBytes(StandardCharsets.UTF_8), 1, false);
                    return;
                } catch (Exception e) {
                    System.err.println("mock IoT Hub: publishing " + topic + " failed (attempt " + attempt + "): " + e);
                    if (attempt == 5) {
                        return;
                    }
                    try {
                        Thread.sleep(200L * attempt);
                    } catch (InterruptedException stop) {
                        return;
                    }
                }
            }
        }, "mock-iot-hub-answer").start();
    }

    /** The twin's desired properties (without $version) a device gets when it asks for its twin. */
    public synchronized void desired(String json) {
        desired = JsonParser.parseString(json).getAsJsonObject();
    }

    /** Sends a desired-properties patch, as the hub does when the operator changes the twin; returns its version. */
    public int patchDesired(String json) {
        int v = patchDesiredWhileOffline(json);
        publish("$iothub/twin/PATCH/properties/desired/?$version=" + v, withVersion(json, v));
        return v;
    }

    /**
     * Changes the twin as the hub does for a device that is not connected: merged into the twin, never
     * sent; the device sees it only in the full twin it asks for when it connects. Returns the version.
     */
    public synchronized int patchDesiredWhileOffline(String json) {
        merge(desired, JsonParser.parseString(json).getAsJsonObject());
        return version.incrementAndGet();
    }

    /** The hub's merge of a patch: objects merge, a null removes, anything else replaces. */
    static void merge(JsonObject into, JsonObject patch) {
        for (Map.Entry<String, JsonElement> e : patch.entrySet()) {
            JsonElement now = into.get(e.getKey());
            if (e.getValue().isJsonNull()) {
                into.remove(e.getKey());
            } else if (e.getValue().isJsonObject() && now != null && now.isJsonObject()) {
                merge(now.getAsJsonObject(), e.getValue().getAsJsonObject());
            } else {
                into.add(e.getKey(), e.getValue().deepCopy());
            }
        }
    }

    /** The twin's desired properties now (without $version). */
    public synchronized String desired() {
        return desired.toString();
    }

    /** Calls a direct method and waits for the answer: {status, payload}. */
    public String[] invoke(String method, String payload, long timeoutSeconds) throws InterruptedException {
        String rid = Integer.toString(requests.incrementAndGet(), 16);
        publish("$iothub/methods/POST/" + method + "/?$rid=" + rid, payload);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (System.nanoTime() < deadline) {
            String[] r = methodResponses.poll(100, TimeUnit.MILLISECONDS);
            if (r != null && r[0].equals(rid)) {
                return new String[] {r[1], r[2]};
            }
        }
        throw new AssertionError("no answer to method " + method);
    }

    @Override
    public void close() throws Exception {
        client.disconnectForcibly(1000);
        client.close();
    }
}
