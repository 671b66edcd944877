package org.osprey.runtime.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.Test;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

import org.osprey.testsupport.Mosquitto;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Telemetry in the real gateway to a real broker (Mosquitto, started by the test): once configured, the
 * sample camera's events arrive on osprey/<gateway>/events/<camera> with their ids, the retained status
 * says online, and /api/v1/telemetry shows the uplink connected with what it sent.
 */
public class TelemetryIT extends OspreyTestSupport {

    @Override
    protected org.ops4j.pax.exam.Option[] extraOptions() {
        return new org.ops4j.pax.exam.Option[] {testSupport()};
    }

    @Test
    public void eventsReachTheBroker() throws Exception {
        Mosquitto broker = Mosquitto.anonymous(Files.createTempDirectory("mosquitto"));
        Configuration config = null;
        MqttClient subscriber = null;
        try {
            String url = broker.url();
            List<JsonObject> events = new CopyOnWriteArrayList<>();
            Map<String, String> status = new ConcurrentHashMap<>();
            subscriber = new MqttClient(url, "it-subscriber", new MemoryPersistence());
            subscriber.connect(new MqttConnectOptions());
            subscriber.subscribe("osprey/it-gateway/status", 1, (topic, msg) -> status.put("status", new String(msg.getPayload(), StandardCharsets.UTF_8)));
            subscriber.subscribe("osprey/it-gateway/events/+", 1, (topic, msg) -> events.add(JsonParser.parseString(new String(msg.getPayload(),
                    StandardCharsets.UTF_8)).getAsJsonObject()));
            subscriber.subscribe("osprey/it-gateway/reply/+", 1, (topic, msg) -> replies.add(JsonParser.parseString(new String(msg.getPayload(),
                    StandardCharsets.UTF_8)).getAsJsonObject()));

            ConfigurationAdmin admin = context.getService(context.getServiceReference(ConfigurationAdmin.class));
            config = admin.getConfiguration("org.osprey.telemetry.mqtt", "?");
            Hashtable<String, Object> p = new Hashtable<>();
            p.put("broker", url);
            p.put("gateway", "it-gateway");
            config.update(p);

            long deadline = System.currentTimeMillis() + 30_000;
            while (events.isEmpty() && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            assertTrue("an event arrived", !events.isEmpty());
            JsonObject first = events.get(0);
            assertEquals("sample", first.get("camera").getAsString());
            assertEquals(36, first.get("id").getAsString().length());
            assertEquals("face", first.get("label").getAsString());
            assertEquals("blazeface", first.get("model").getAsString());
            assertEquals("online", status.get("status"));

            JsonObject uplink = InferenceIT.json(get("/api/v1/telemetry", ADMIN_PASSWORD)).getAsJsonObject("uplinks").getAsJsonObject("mqtt");
            assertTrue(uplink.toString(), uplink.get("connected").getAsBoolean());
            assertTrue(uplink.toString(), uplink.get("sent").getAsLong() >= 1);
            assertEquals(0, uplink.get("expired").getAsLong());

            // the same figures in the metrics, with the pipeline's
            HttpAnswer metrics = get("/api/v1/metrics", ADMIN_PASSWORD);
            assertEquals(200, metrics.status);
            assertTrue(metrics.body, metrics.body.contains("# TYPE osprey_uplink_sent_total counter"));
            assertTrue(metrics.body, metrics.body.contains("osprey_uplink_connected{uplink=\"mqtt\"} 1"));
            assertTrue(metrics.body, metrics.body.contains("osprey_pipeline_frames_processed_total{camera=\"sample\"}"));
            assertTrue(metrics.body, metrics.body.contains("osprey_model_active{model=\"blazeface\",version=\"1.2.0\",state=\"active\"} 1"));
            assertEquals(401, get("/api/v1/metrics", null).status);

            // commands: getStatus, and selectModel changing the pipeline's configuration
            JsonObject reply = command(subscriber, "getStatus", "{\"requestId\":\"r1\"}");
            assertEquals(reply.toString(), 200, reply.get("status").getAsInt());
            assertEquals("r1", reply.get("requestId").getAsString());
            JsonObject result = reply.getAsJsonObject("result");
            assertEquals(result.toString(), "active", result.getAsJsonObject("models").getAsJsonObject("blazeface").get("state").getAsString());
            assertTrue(result.toString(), result.getAsJsonObject("cameras").has("sample"));
            assertTrue(result.toString(), result.getAsJsonObject("telemetry").getAsJsonObject("uplinks").getAsJsonObject("mqtt").get("connected").getAsBoolean());

            reply = command(subscriber, "selectModel", "{\"model\":\"no-such-model\"}");
            assertEquals(reply.toString(), 404, reply.get("status").getAsInt());
            assertTrue(reply.toString(), reply.get("error").getAsString().contains("blazeface"));
            reply = command(subscriber, "selectModel", "{\"model\":\"\",\"camera\":\"sample\"}");
            assertEquals(reply.toString(), 200, reply.get("status").getAsInt());
            assertEquals("", pipelineModel(admin, "sample"));
            reply = command(subscriber, "selectModel", "{\"model\":\"blazeface\"}");
            assertEquals(reply.toString(), "[\"sample\"]", reply.getAsJsonObject("result").get("cameras").toString());
            assertEquals("blazeface", pipelineModel(admin, "sample"));
            reply = command(subscriber, "reboot", "");
            assertEquals(reply.toString(), 404, reply.get("status").getAsInt());
        } finally {
            if (config != null) {
                config.delete();
            }
            if (subscriber != null) {
                subscriber.disconnectForcibly(1000);
                subscriber.close();
            }
            broker.stop();
        }
    }

    private final java.util.concurrent.BlockingQueue<JsonObject> replies = new java.util.concurrent.LinkedBlockingQueue<>();

    /** Publishes a command as a remote caller would and waits for its reply. */
    private JsonObject command(MqttClient client, String name, String request) throws Exception {
        client.publish("osprey/it-gateway/cmd/" + name, request.getBytes(StandardCharsets.UTF_8), 1, false);
        JsonObject reply = replies.poll(10, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue("a reply to " + name, reply != null);
        return reply;
    }

    private static String pipelineModel(ConfigurationAdmin admin, String camera) throws Exception {
        for (Configuration c : admin.listConfigurations("(service.factoryPid=org.osprey.pipeline)")) {
            if (camera.equals(c.getProperties().get("camera"))) {
                return String.valueOf(c.getProperties().get("model"));
            }
        }
        throw new AssertionError("no pipeline for " + camera);
    }
}
