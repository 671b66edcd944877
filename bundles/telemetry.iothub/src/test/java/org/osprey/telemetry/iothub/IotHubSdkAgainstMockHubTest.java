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
import org.osprey.testsupport.MockIotHub;
import org.osprey.testsupport.Mosquitto;
import org.osprey.testsupport.TestCa;

import com.google.gson.JsonParser;
import com.microsoft.azure.sdk.iot.device.twin.DirectMethodResponse;

/**
 * The real Azure IoT Device SDK, over MQTT and TLS, against a mock hub: Mosquitto on port 8883 (the
 * SDK's fixed MQTT port) with a certificate for localhost from a test CA, and {@link MockIotHub}
 * playing the hub's side of the protocol. The Azure cloud is not reachable here; what is tested is
 * everything the gateway does up to the wire.
 */
public class IotHubSdkAgainstMockHubTest {

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    static Mosquitto hub;
    static MockIotHub responder;
    static Path trust;
    static TestCa ca;

    @BeforeClass
    public static void startHub() throws Exception {
        ca = new TestCa(tmp.getRoot().toPath().resolve("ca"));
        int plain = Mosquitto.freePort();
        hub = new Mosquitto(tmp.getRoot().toPath().resolve("hub"), 8883, Mosquitto.tls(ca, ca.issue("hub", "localhost", "DNS:localhost"))
                + "\nallow_anonymous true\nlistener " + plain + " 127.0.0.1\nallow_anonymous true");
        hub.start();
        responder = new MockIotHub("tcp://127.0.0.1:" + plain);
        trust = ca.caFile();
    }

    @AfterClass
    public static void stopHub() throws Exception {
        if (responder != null) {
            responder.close();
        }
        if (hub != null) {
            hub.stop();
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
        String key = Base64.getEncoder().encodeToString("a device key of 32 bytes, test!!".getBytes());
        try (IotHubLink link = IotHubLink.fromConnectionString("HostName=testhub.azure-devices.net;DeviceId=gw1;SharedAccessKey=" + key + ";GatewayHostName=localhost", trust, recorder)) {
            // the whole twin on connect
            Object[] twin = recorder.desired.poll(30, TimeUnit.SECONDS);
            assertNotNull("the twin's desired properties after connecting; last error: " + link.status().lastError(), twin);
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
            link.report(Map.of("outboxDepth", 3, "models", Map.of("blazeface", Map.of("version", "1.2.0")))).toCompletableFuture().get(20, TimeUnit.SECONDS);
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
            try (FakeEdgeDaemon daemon = new FakeEdgeDaemon(socket, "the module's key, 32 bytes long!".getBytes(), ca.caFile())) {
                MockIotHub.Telemetry t = responder.telemetry.poll(90, TimeUnit.SECONDS);
                String log = Files.readString(moduleLog);
                assertNotNull("telemetry from the module; its log:\n" + log, t);
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
        String key = Base64.getEncoder().encodeToString("another device key of 32 bytes!!".getBytes());
        hub.stop();
        try (IotHubLink link = IotHubLink.fromConnectionString("HostName=testhub.azure-devices.net;DeviceId=gw2;SharedAccessKey=" + key + ";GatewayHostName=localhost", trust, recorder)) {
            await("a reason", () -> link.status().lastError() != null, 20);
            assertFalse(link.status().connected());
            assertTrue("sending fails at once while down (the outbox keeps the message)",
                    link.send(event("e-2")).toCompletableFuture().isCompletedExceptionally());
            hub.start();
            await("connected after the hub came back", () -> link.status().connected(), 90);
            responder.telemetry.clear();
            link.send(event("e-3")).toCompletableFuture().get(20, TimeUnit.SECONDS);
            assertEquals("e-3", responder.telemetry.poll(10, TimeUnit.SECONDS).properties().get("$.mid"));
        } finally {
            hub.start();
        }
    }
}
