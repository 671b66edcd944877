package org.osprey.telemetry.iothub;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;


import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.osprey.api.telemetry.TelemetryMessage;
import org.osprey.telemetry.iothub.link.IotHubLink;
import org.osprey.testsupport.FakeEdgeDaemon;
import org.osprey.testsupport.IotHubFront;
import org.osprey.testsupport.LocalIotHub;
import org.osprey.testsupport.MockIotHub;
import org.osprey.testsupport.TestCa;

import com.google.gson.JsonParser;
import com.microsoft.azure.sdk.iot.device.twin.DirectMethodResponse;

/**
 * The real Azure IoT Device SDK, over MQTT and TLS, against IoT Hub's endpoint on this machine
 * ({@link LocalIotHub}: TLS on 8883, the SDK's fixed MQTT port, with a certificate for localhost from a
 * test CA; SAS tokens checked and expired connections cut as the hub does; per-device topics; the hub's
 * side played by {@link MockIotHub}). The Azure cloud is not reachable here; what is tested is everything
 * the gateway does up to the wire.
 */
public class IotHubSdkAgainstMockHubTest {

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    static LocalIotHub hub;
    static MockIotHub responder;
    static Path trust;
    static TestCa ca;

    @BeforeClass
    public static void startHub() throws Exception {
        ca = new TestCa(tmp.getRoot().toPath().resolve("ca"));
        hub = new LocalIotHub(tmp.getRoot().toPath().resolve("hub"), ca);
        responder = hub.responder;
        trust = ca.caFile();
    }

    @AfterClass
    public static void stopHub() throws Exception {
        if (hub != null) {
            hub.close();
        }
    }

    /** Records what the link calls back with. */
    static final class Recorder implements IotHubLink.Handler {
        final BlockingQueue<Object[]> desired = new LinkedBlockingQueue<>();
        final BlockingQueue<String> methods = new LinkedBlockingQueue<>();

        @Override
        public DirectMethodResponse method(String name, String jsonPayload) {
            methods.add(name + " " + jsonPayload);
            return name.equals("getStatus") ? new DirectMethodResponse(200, Map.of("cameras", Map.of("door", Map.of("state", "running"))))
                    : new DirectMethodResponse(404, Map.of("error", "no method " + name));
        }

        @Override
        public void desired(Map<String, Object> properties, int version, boolean complete) {
            desired.add(new Object[] {properties, version, complete});
        }

        @Override
        public void connected() {
            // nothing to do
        }
    }

    static void await(String what, BooleanSupplier condition, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    static TelemetryMessage event(String id) {
        return TelemetryMessage.builder("zone_freed", "{\"id\":\"" + id + "\",\"label\":\"car\",\"zone\":\"spot 1\"}").id(id).camera("lot")
                .expiresAt(Instant.now().plus(Duration.ofHours(2))).property("type", "zone_freed").property("label", "car")
                .property("camera", "lot").property("zone", "spot 1").build();
    }

    @Test
    public void aDeviceSendsTelemetryWithRoutingPropertiesAnswersMethodsAndFollowsItsTwin() throws Exception {
        responder.desired("{\"pipeline\":{\"door\":{\"model\":\"blazeface\"}}}");
        Recorder recorder = new Recorder();
        try (IotHubLink link = IotHubLink.fromConnectionString(hub.connectionString("gw1", "a device key of 32 bytes, test!!".getBytes()), trust, recorder)) {
            // the whole twin on connect (the SDK itself waits up to 60 s for the hub's answer)
            Object[] twin = recorder.desired.poll(90, TimeUnit.SECONDS);
            assertNotNull("the twin's desired properties after connecting; connected: " + link.status().connected() + ", last error: "
                    + link.status().lastError() + ", accepted by the hub: " + hub.front.accepted, twin);
            assertTrue(twin[0].toString(), twin[0].toString().contains("blazeface"));
            assertEquals(1, twin[1]);
            assertEquals(true, twin[2]);
            assertTrue(link.status().connected());
            assertEquals("localhost/gw1", link.status().target());

            // telemetry, acknowledged, with what IoT Hub routes filter on
            link.send(event("e-1")).toCompletableFuture().get(20, TimeUnit.SECONDS);
            MockIotHub.Telemetry t = responder.telemetry.poll(10, TimeUnit.SECONDS);
            assertNotNull(t);
            assertTrue(t.topic(), t.topic().startsWith("devices/gw1/messages/events/"));
            assertEquals("e-1", t.properties().get("$.mid"));
            assertEquals("application/json", t.properties().get("$.ct"));
            assertEquals("UTF-8", t.properties().get("$.ce"));
            assertEquals("zone_freed", t.properties().get("type"));
            assertEquals("spot 1", t.properties().get("zone"));
            assertEquals("lot", t.properties().get("camera"));
            assertEquals("car", JsonParser.parseString(t.body()).getAsJsonObject().get("label").getAsString());

            // direct methods
            String[] answer = responder.invoke("getStatus", "{}", 10);
            assertEquals("200", answer[0]);
            assertEquals("running", JsonParser.parseString(answer[1]).getAsJsonObject().getAsJsonObject("cameras").getAsJsonObject("door")
                    .get("state").getAsString());
            assertEquals("404", responder.invoke("reboot", "{\"now\":true}", 10)[0]);
            assertEquals("getStatus {}", recorder.methods.poll(1, TimeUnit.SECONDS));
            assertEquals("reboot {\"now\":true}", recorder.methods.poll(1, TimeUnit.SECONDS));

            // a desired patch
            int v = responder.patchDesired("{\"speech_announcer\":{\"language\":\"fr\"}}");
            Object[] patch = recorder.desired.poll(10, TimeUnit.SECONDS);
            assertNotNull(patch);
            assertTrue(patch[0].toString(), patch[0].toString().contains("\"language\":\"fr\""));
            assertEquals(v, patch[1]);
            assertEquals(false, patch[2]);

            // reported properties
            Map<String, Object> properties = Map.of("outboxDepth", 3, "models", Map.of("blazeface", Map.of("version", "1.2.0")));
            try {
                link.report(properties).toCompletableFuture().get(20, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException unanswered) {
                // seen once in CI: no answer to a report (whether the hub got it is said here); the uplink
                // reports again on its next change or reconnect, and so does this test, once
                System.err.println("IotHubSdkAgainstMockHubTest: a report was not acknowledged within 20 s; the hub "
                        + (responder.reported.isEmpty() ? "did not get it" : "got it") + "; reporting again");
                responder.reported.clear();
                link.report(properties).toCompletableFuture().get(20, TimeUnit.SECONDS);
            }
            String reported = responder.reported.poll(5, TimeUnit.SECONDS);
            assertNotNull(reported);
            assertEquals(3, JsonParser.parseString(reported).getAsJsonObject().get("outboxDepth").getAsInt());
        }
    }

    /**
     * Inside IoT Edge: a module JVM with the IOTEDGE_* variables, its key held by the (fake) edge daemon
     * on a Unix socket, which signs its tokens and gives the trust bundle for the edge hub (here
     * localhost:8883). Telemetry goes to output1 of the module, and the module answers direct methods.
     */
    @Test
    public void aModuleInsideIotEdgeGetsItsCredentialsFromTheWorkloadSocketAndSendsToOutput1() throws Exception {
        Path socket = tmp.getRoot().toPath().resolve("workload.sock");
        Path moduleLog = tmp.getRoot().toPath().resolve("module.log");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), EdgeModuleMain.class.getName());
        Map<String, String> env = pb.environment();
        env.put("IOTEDGE_WORKLOADURI", "unix://" + socket);
        env.put("IOTEDGE_DEVICEID", "edge1");
        env.put("IOTEDGE_MODULEID", "osprey");
        env.put("IOTEDGE_MODULEGENERATIONID", "gen-1");
        env.put("IOTEDGE_IOTHUBHOSTNAME", "testhub.azure-devices.net");
        env.put("IOTEDGE_GATEWAYHOSTNAME", "localhost");
        env.put("IOTEDGE_AUTHSCHEME", "sasToken");
        assertTrue(IotHubLink.inEdgeEnvironment(env));
        pb.redirectErrorStream(true).redirectOutput(moduleLog.toFile());
        responder.telemetry.clear();
        Files.deleteIfExists(socket);
        // the module starts before the edge daemon (as it often does on a device): it says why it waits, and keeps trying
        Process module = pb.start();
        try {
            await("the module names the missing workload socket", () -> {
                try {
                    return Files.readString(moduleLog).contains("REASON IoT Edge workload socket unix://" + socket + ": no such file");
                } catch (java.io.IOException e) {
                    return false;
                }
            }, 30);
            byte[] moduleKey = "the module's key, 32 bytes long!".getBytes();
            hub.front.register("edge1/osprey", moduleKey);
            try (FakeEdgeDaemon daemon = new FakeEdgeDaemon(socket, moduleKey, ca.caFile())) {
                MockIotHub.Telemetry t = responder.telemetry.poll(90, TimeUnit.SECONDS);
                String log = Files.readString(moduleLog);
                assertNotNull("telemetry from the module; refused by the hub: " + hub.front.refused + "; its log:\n" + log, t);
                assertTrue(t.topic(), t.topic().startsWith("devices/edge1/modules/osprey/messages/events/"));
                assertEquals(IotHubLink.OUTPUT, t.properties().get("$.on"));
                assertEquals("edge-1", t.properties().get("$.mid"));
                assertTrue("tokens signed by the edge daemon", daemon.signatures.get() > 0);
                assertTrue("the edge hub's CA from the edge daemon", daemon.trustBundles.get() > 0);
                String[] answer = responder.invoke("getStatus", "{}", 10);
                assertEquals("200", answer[0]);
                assertEquals("{\"module\":\"osprey\"}", answer[1]);
            }
        } finally {
            module.getOutputStream().close();
            if (!module.waitFor(10, TimeUnit.SECONDS)) {
                module.destroyForcibly();
            }
        }
    }

    @Test
    public void aHubThatIsDownGivesAReasonAndTheLinkComesUpWhenItIsBack() throws Exception {
        Recorder recorder = new Recorder();
        String connectionString = hub.connectionString("gw2", "another device key of 32 bytes!!".getBytes());
        hub.front.stop();
        try (IotHubLink link = IotHubLink.fromConnectionString(connectionString, trust, recorder)) {
            await("a reason", () -> link.status().lastError() != null, 20);
            assertFalse(link.status().connected());
            assertTrue("sending fails at once while down (the outbox keeps the message)",
                    link.send(event("e-2")).toCompletableFuture().isCompletedExceptionally());
            hub.front.start();
            await("connected after the hub came back", () -> link.status().connected(), 90);
            responder.telemetry.clear();
            link.send(event("e-3")).toCompletableFuture().get(20, TimeUnit.SECONDS);
            assertEquals("e-3", responder.telemetry.poll(10, TimeUnit.SECONDS).properties().get("$.mid"));
        } finally {
            hub.front.start();
        }
    }

    @Test
    public void aWrongKeyIsRefusedByTheHubAndSaidInTheStatus() throws Exception {
        hub.connectionString("gw3", "the key the hub has for gw3 !!!!".getBytes());
        String wrong = "HostName=" + LocalIotHub.HOST + ";DeviceId=gw3;SharedAccessKey="
                + Base64.getEncoder().encodeToString("a key the hub does not know !!!!".getBytes()) + ";GatewayHostName=localhost";
        hub.front.refused.clear();
        try (IotHubLink link = IotHubLink.fromConnectionString(wrong, trust, new Recorder())) {
            String refusal = hub.front.refused.poll(30, TimeUnit.SECONDS);
            assertEquals("gw3: signature does not match the key", refusal);
            await("a reason", () -> link.status().lastError() != null, 20);
            assertFalse(link.status().connected());
        }
    }

    /** A raw MQTT client as a device would connect with its own token: the hub's checks, byte for byte. */
    private static org.eclipse.paho.client.mqttv3.MqttClient device(String clientId, byte[] key, long expiry) throws Exception {
        String sr = java.net.URLEncoder.encode(LocalIotHub.HOST + "/devices/" + clientId, java.nio.charset.StandardCharsets.UTF_8);
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
        String sig = Base64.getEncoder().encodeToString(mac.doFinal((sr + "\n" + expiry).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        org.eclipse.paho.client.mqttv3.MqttConnectOptions o = new org.eclipse.paho.client.mqttv3.MqttConnectOptions();
        o.setUserName(LocalIotHub.HOST + "/" + clientId + "/?api-version=2021-04-12");
        o.setPassword(("SharedAccessSignature sr=" + sr + "&sig=" + java.net.URLEncoder.encode(sig, java.nio.charset.StandardCharsets.UTF_8) + "&se=" + expiry)
                .toCharArray());
        o.setSocketFactory(ca.clientContext().getSocketFactory());
        o.setMqttVersion(org.eclipse.paho.client.mqttv3.MqttConnectOptions.MQTT_VERSION_3_1_1);
        org.eclipse.paho.client.mqttv3.MqttClient c = new org.eclipse.paho.client.mqttv3.MqttClient("ssl://localhost:" + LocalIotHub.PORT, clientId,
                new org.eclipse.paho.client.mqttv3.persist.MemoryPersistence());
        c.connect(o);
        return c;
    }

    @Test
    public void anExpiredTokenIsRefusedAndADeviceSendsOnlyAsItself() throws Exception {
        byte[] key = "the key of device gw4, 32 bytes!".getBytes();
        hub.connectionString("gw4", key);
        hub.front.refused.clear();
        try {
            device("gw4", key, Instant.now().getEpochSecond() - 1).close();
            throw new AssertionError("an expired token was let through");
        } catch (org.eclipse.paho.client.mqttv3.MqttException e) {
            assertEquals(org.eclipse.paho.client.mqttv3.MqttException.REASON_CODE_NOT_AUTHORIZED, e.getReasonCode());
        }
        assertTrue(hub.front.refused.poll(5, TimeUnit.SECONDS).startsWith("gw4: token expired at "));

        org.eclipse.paho.client.mqttv3.MqttClient gw4 = device("gw4", key, Instant.now().getEpochSecond() + 600);
        try {
            responder.telemetry.clear();
            // another device's telemetry topic is not gw4's to write: the broker drops it; gw4's own, sent after it, arrives
            gw4.publish("devices/gw1/messages/events/", "{\"spoofed\":true}".getBytes(), 1, false);
            gw4.publish("devices/gw4/messages/events/", "{\"own\":true}".getBytes(), 1, false);
            MockIotHub.Telemetry first = responder.telemetry.poll(10, TimeUnit.SECONDS);
            assertNotNull(first);
            assertEquals("devices/gw4/messages/events/", first.topic());
        } finally {
            gw4.disconnectForcibly(1000);
            gw4.close();
        }
    }

    @Test
    public void theSdkComesBackWithANewTokenWhenTheHubCutsAnExpiredOne() throws Exception {
        hub.front.accepted.clear();
        try (IotHubLink link = IotHubLink.fromConnectionString(hub.connectionString("gw5", "the key of device gw5, 32 bytes!".getBytes()), trust, 20,
                new Recorder())) {
            IotHubFront.Connect first = hub.front.accepted.poll(30, TimeUnit.SECONDS);
            assertNotNull(first);
            assertEquals("gw5", first.clientId());
            // the hub closes the connection when the token expires: a second connection with a later token is the renewal
            IotHubFront.Connect second = hub.front.accepted.poll(60, TimeUnit.SECONDS);
            assertNotNull("the SDK connected again with a new token", second);
            assertTrue(second.expiry() > first.expiry());
            await("connected with the renewed token", () -> link.status().connected(), 30);
            responder.telemetry.clear();
            link.send(event("e-5")).toCompletableFuture().get(20, TimeUnit.SECONDS);
            assertEquals("e-5", responder.telemetry.poll(10, TimeUnit.SECONDS).properties().get("$.mid"));
        }
    }
}
