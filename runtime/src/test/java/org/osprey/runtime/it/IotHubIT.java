package org.osprey.runtime.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.concurrent.TimeUnit;

import org.junit.Test;
import org.ops4j.pax.exam.Option;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osprey.testsupport.LocalIotHub;
import org.osprey.testsupport.MockIotHub;
import org.osprey.testsupport.TestCa;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The IoT Hub uplink in the real gateway, with the real Azure IoT Device SDK over MQTT/TLS, against a
 * local stand-in for the hub (the Azure cloud is not reachable here): {@link LocalIotHub}, TLS on 8883
 * with a test CA, SAS tokens checked, {@link MockIotHub} playing the hub's side. The twin's desired properties add a camera and its
 * pipeline; their events arrive as hub telemetry with routing properties; the reported properties name
 * the model and the new camera; direct methods answer; a desired patch removes the camera again.
 */
public class IotHubIT extends OspreyTestSupport {

    @Override
    protected Option[] extraOptions() {
        return new Option[] {testSupport()};
    }

    @Test
    public void theTwinConfiguresTheGatewayAndEventsReachTheHub() throws Exception {
        Path dir = Files.createTempDirectory("iothub-it");
        TestCa ca = new TestCa(dir.resolve("ca"));
        ConfigurationAdmin admin = context.getService(context.getServiceReference(ConfigurationAdmin.class));
        Configuration uplink = admin.getConfiguration("org.osprey.telemetry.iothub", "?");
        try (LocalIotHub iotHub = new LocalIotHub(dir.resolve("hub"), ca)) {
            MockIotHub hub = iotHub.responder;
            hub.desired("{\"camera_files\":{\"twin-cam\":{\"camera_id\":\"twin-cam\",\"path\":\"samples\",\"fps\":4}},"
                    + "\"pipeline\":{\"twin-cam\":{\"camera\":\"twin-cam\",\"model\":\"blazeface\",\"fps\":4,\"appearFrames\":1}},"
                    + "\"telemetry_iothub\":{\"caFile\":\"/nowhere\"}}");
            Hashtable<String, Object> p = new Hashtable<>();
            p.put(".connectionString", iotHub.connectionString("gateway-it", "the gateway's device key 32 byte".getBytes()));
            p.put("caFile", ca.caFile().toString());
            p.put("reportSeconds", 1);
            uplink.update(p);

            // the twin made a camera and a pipeline; their events come to the hub with routing properties
            MockIotHub.Telemetry event = null;
            long deadline = System.currentTimeMillis() + 60_000;
            while (event == null && System.currentTimeMillis() < deadline) {
                MockIotHub.Telemetry t = hub.telemetry.poll(1, TimeUnit.SECONDS);
                if (t != null && "twin-cam".equals(t.properties().get("camera"))) {
                    event = t;
                }
            }
            assertNotNull("an event of the camera the twin configured; telemetry API: " + get("/api/v1/telemetry", ADMIN_PASSWORD).body, event);
            assertTrue(event.topic(), event.topic().startsWith("devices/gateway-it/messages/events/"));
            assertEquals("application/json", event.properties().get("$.ct"));
            assertEquals("face", event.properties().get("label"));
            JsonObject body = JsonParser.parseString(event.body()).getAsJsonObject();
            assertEquals(body.get("id").getAsString(), event.properties().get("$.mid"));
            assertEquals(body.get("type").getAsString(), event.properties().get("type"));

            // reported: the model, the new camera, and what became of each desired property
            // (an earlier patch may hold the camera before its pipeline had a model: the one with the model is awaited)
            JsonObject reported = awaitReported(hub, r -> r.has("cameras") && r.getAsJsonObject("cameras").has("twin-cam")
                    && r.getAsJsonObject("cameras").getAsJsonObject("twin-cam").get("model") instanceof com.google.gson.JsonPrimitive);
            assertEquals(reported.toString(), "active", reported.getAsJsonObject("models").getAsJsonObject("blazeface").get("state").getAsString());
            assertEquals("blazeface", reported.getAsJsonObject("cameras").getAsJsonObject("twin-cam").get("model").getAsString());
            JsonObject status = reported.getAsJsonObject("desired").getAsJsonObject("status");
            assertEquals("ok", status.get("pipeline").getAsString());
            assertEquals("ok", status.get("camera_files").getAsString());
            assertTrue(status.toString(), status.get("telemetry_iothub").getAsString().contains("not configured from its own twin"));

            // direct methods
            String[] answer = hub.invoke("getStatus", "{}", 10);
            assertEquals("200", answer[0]);
            assertTrue(answer[1], JsonParser.parseString(answer[1]).getAsJsonObject().getAsJsonObject("cameras").has("twin-cam"));
            answer = hub.invoke("selectModel", "{\"model\":\"no-such-model\",\"camera\":\"twin-cam\"}", 10);
            assertEquals("404", answer[0]);
            assertTrue(answer[1], answer[1].contains("no model named no-such-model"));

            // a desired patch removes the camera; the reported properties drop it
            hub.patchDesired("{\"camera_files\":{\"twin-cam\":null},\"pipeline\":{\"twin-cam\":null}}");
            reported = awaitReported(hub, r -> r.has("cameras") && r.getAsJsonObject("cameras").has("twin-cam")
                    && r.getAsJsonObject("cameras").get("twin-cam").isJsonNull());
            assertTrue(admin.listConfigurations("(service.factoryPid=org.osprey.pipeline)") == null
                    || java.util.Arrays.stream(admin.listConfigurations("(service.factoryPid=org.osprey.pipeline)"))
                            .noneMatch(c -> "twin-cam".equals(c.getProperties().get("camera"))));

            // the hub does not replay patches: one made while the gateway is offline arrives in the full twin it
            // reads when it is back, and what the twin created and no longer has is removed; a pipeline made
            // elsewhere (the deploy folder, the console) is not the twin's to remove
            Configuration local = admin.getFactoryConfiguration("org.osprey.pipeline", "local-it", "?");
            Hashtable<String, Object> localProps = new Hashtable<>();
            localProps.put("camera", "local-cam");
            local.update(localProps);
            hub.patchDesired("{\"pipeline\":{\"offline-it\":{\"camera\":\"offline-cam\",\"model\":\"blazeface\"}}}");
            awaitCondition("the twin's pipeline exists", () -> pipelineFor(admin, "offline-cam"));
            iotHub.front.stop();
            hub.patchDesiredWhileOffline("{\"pipeline\":{\"offline-it\":null}}");
            iotHub.front.start();
            awaitCondition("the pipeline removed while offline is gone after the reconnect", () -> !pipelineFor(admin, "offline-cam"));
            assertTrue("the pipeline made outside the twin stays", pipelineFor(admin, "local-cam"));
            local.delete();
        } finally {
            uplink.delete();
        }
    }

    private static boolean pipelineFor(ConfigurationAdmin admin, String camera) throws Exception {
        Configuration[] all = admin.listConfigurations("(service.factoryPid=org.osprey.pipeline)");
        return all != null && java.util.Arrays.stream(all).anyMatch(c -> camera.equals(c.getProperties().get("camera")));
    }

    private static void awaitCondition(String what, java.util.concurrent.Callable<Boolean> condition) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            if (condition.call()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(what + ": not within 120 s");
    }

    private static JsonObject awaitReported(MockIotHub hub, java.util.function.Predicate<JsonObject> wanted) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        StringBuilder seen = new StringBuilder();
        while (System.currentTimeMillis() < deadline) {
            String r = hub.reported.poll(1, TimeUnit.SECONDS);
            if (r != null) {
                seen.append(r).append('\n');
                JsonObject json = JsonParser.parseString(r).getAsJsonObject();
                if (wanted.test(json)) {
                    return json;
                }
            }
        }
        throw new AssertionError("no such reported properties; seen:\n" + seen);
    }
}
