package org.osprey.runtime.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.osprey.testsupport.FakeEdgeDaemon;
import org.osprey.testsupport.LocalIotHub;
import org.osprey.testsupport.MockIotHub;
import org.osprey.testsupport.TestCa;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * {@code osprey.jar} as an IoT Edge module, the way a device starts it: the {@code IOTEDGE_*} variables
 * set, the edge daemon's workload socket not there for the first 20 s (the module often starts first),
 * then the hub down for a while. Every event the gateway made meanwhile reaches the hub on the module's
 * {@code output1}, each id at least once (duplicates counted and reported). The hub is {@link LocalIotHub}
 * (TLS, SAS tokens signed by the fake edge daemon with the module's key): the Azure cloud is not
 * reachable here.
 */
public class EdgeModuleIT {

    private static final String MODULE = "edge-it/osprey";

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private GatewayProcess gateway;

    @After
    public void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
            gateway.keepLog("EdgeModuleIT");
        }
    }

    @Test
    public void everyEventMadeBeforeTheEdgeDaemonAndWhileTheHubIsDownReachesOutput1() throws Exception {
        Path dir = tmp.getRoot().toPath();
        TestCa ca = new TestCa(dir.resolve("ca"));
        byte[] moduleKey = "the edge module's key, 32 bytes!".getBytes();
        Path socket = dir.resolve("workload.sock");
        gateway = new GatewayProcess(dir.resolve("gateway"));
        Path deploy = gateway.deploy();
        Files.writeString(deploy.resolve("org.osprey.camera.files-gate.cfg"), "camera.id=gate\npath=samples\nfps=2\n");
        Files.writeString(deploy.resolve("org.osprey.pipeline-gate.cfg"), "camera=gate\nmodel=blazeface\nfps=2\nappearFrames=1\nleaveFrames=1\n");
        Files.writeString(deploy.resolve("org.osprey.pipeline.sample.cfg"), "enabled=false\n");
        Files.writeString(deploy.resolve("org.osprey.telemetry.cfg"), "maxPerSecond=0\n");
        Map<String, String> env = new HashMap<>();
        env.put("IOTEDGE_WORKLOADURI", "unix://" + socket);
        env.put("IOTEDGE_DEVICEID", MODULE.split("/")[0]);
        env.put("IOTEDGE_MODULEID", MODULE.split("/")[1]);
        env.put("IOTEDGE_MODULEGENERATIONID", "gen-1");
        env.put("IOTEDGE_IOTHUBHOSTNAME", LocalIotHub.HOST);
        env.put("IOTEDGE_GATEWAYHOSTNAME", "localhost");
        env.put("IOTEDGE_AUTHSCHEME", "sasToken");

        try (LocalIotHub hub = new LocalIotHub(dir.resolve("hub"), ca)) {
            hub.front.register(MODULE, moduleKey);
            Set<String> received = java.util.concurrent.ConcurrentHashMap.newKeySet();
            java.util.concurrent.atomic.AtomicInteger duplicates = new java.util.concurrent.atomic.AtomicInteger();
            Thread collector = collect(hub.responder, received, duplicates);

            long started = System.nanoTime();
            gateway.start(env);
            // no edge daemon: the uplink is there, says why it waits, and queues what the camera makes
            JsonObject waiting = await("the IoT Hub uplink queues and names the missing workload socket", 60,
                    () -> gateway.uplink("iothub").filter(u -> u.get("accepted").getAsLong() >= 3 && u.has("lastError")
                            && !u.get("lastError").isJsonNull() && u.get("lastError").getAsString().contains("workload socket")));
            assertEquals(waiting.toString(), false, waiting.get("connected").getAsBoolean());
            // the same reason in /health and in the metrics
            JsonObject health = gateway.get("/health").orElseThrow().getAsJsonObject("uplinks").getAsJsonObject("iothub");
            assertTrue(health.toString(), !health.get("connected").getAsBoolean() && health.get("reason").getAsString().contains("workload socket"));
            String metrics = gateway.getText("/api/v1/metrics").orElseThrow();
            assertTrue(metrics, metrics.contains("osprey_uplink_error{uplink=\"iothub\",reason=\"IoT Edge workload socket"));
            // the edge daemon comes up 20 s after the module (a scenario's length, not a wait for a condition)
            long absent = TimeUnit.SECONDS.toNanos(20) - (System.nanoTime() - started);
            if (absent > 0) {
                Thread.sleep(TimeUnit.NANOSECONDS.toMillis(absent));
            }
            try (FakeEdgeDaemon daemon = new FakeEdgeDaemon(socket, moduleKey, ca.caFile())) {
                await("the module connected and sent", 90, () -> gateway.uplink("iothub").filter(u -> u.get("connected").getAsBoolean()
                        && u.get("sent").getAsLong() >= 3));

                // the hub goes down: events keep being made and queued
                hub.front.stop();
                long sentBefore = gateway.uplink("iothub").orElseThrow().get("sent").getAsLong();
                JsonObject down = await("events queued while the hub is down", 90, () -> gateway.uplink("iothub")
                        .filter(u -> !u.get("connected").getAsBoolean() && u.get("queueDepth").getAsLong() >= 5));
                assertEquals(down.toString(), sentBefore, down.get("sent").getAsLong());
                hub.front.start();

                // the camera stops; the outbox drains to the hub
                Files.delete(deploy.resolve("org.osprey.pipeline-gate.cfg"));
                JsonObject drained = await("everything accepted was sent", 120, () -> gateway.uplink("iothub").filter(u -> u.get("connected").getAsBoolean()
                        && u.get("queueDepth").getAsLong() == 0 && u.get("sent").getAsLong() == u.get("accepted").getAsLong()));
                assertEquals(drained.toString(), 0, drained.get("expired").getAsLong() + drained.get("evicted").getAsLong());
                assertTrue("tokens signed by the edge daemon", daemon.signatures.get() > 0);

                Set<String> made = gateway.eventIds();
                assertTrue("fewer than 200 events: the list holds them all (" + made.size() + ")", !made.isEmpty() && made.size() < 200);
                await("every event made reached output1", 30, () -> received.containsAll(made) ? java.util.Optional.of(new JsonObject())
                        : java.util.Optional.empty());
                Set<String> missing = new LinkedHashSet<>(made);
                missing.removeAll(received);
                assertTrue("missing " + missing, missing.isEmpty());
                System.out.println("EdgeModuleIT: " + made.size() + " events made (" + down.get("queueDepth") + " queued while the hub was down), "
                        + received.size() + " distinct ids at the hub, " + duplicates.get() + " duplicates");
            } finally {
                collector.interrupt();
            }
        }
    }

    /** Takes the hub's telemetry from the module's output1: each id once in {@code ids}, repeats counted. */
    private static Thread collect(MockIotHub hub, Set<String> ids, java.util.concurrent.atomic.AtomicInteger duplicates) {
        Thread t = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    MockIotHub.Telemetry m = hub.telemetry.poll(100, TimeUnit.MILLISECONDS);
                    if (m != null && m.topic().startsWith("devices/" + MODULE.replace("/", "/modules/") + "/messages/events/")
                            && "output1".equals(m.properties().get("$.on"))) {
                        if (!ids.add(JsonParser.parseString(m.body()).getAsJsonObject().get("id").getAsString())) {
                            duplicates.incrementAndGet();
                        }
                    }
                }
            } catch (InterruptedException e) {
                // done
            }
        }, "edge-module-it-collector");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private interface Probe {
        java.util.Optional<JsonObject> get() throws Exception;
    }

    private JsonObject await(String what, int seconds, Probe probe) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            java.util.Optional<JsonObject> v = probe.get();
            if (v.isPresent()) {
                return v.get();
            }
            Thread.sleep(200);
        }
        throw new AssertionError(what + ": not within " + seconds + " s; telemetry " + gateway.get("/api/v1/telemetry").orElse(null)
                + "\n--- the gateway's log (end) ---\n" + tail(gateway.log()));
    }

    private static String tail(String log) {
        return log.substring(Math.max(0, log.length() - 6000));
    }
}
