package org.osprey.runtime.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.osprey.inference.onnx.model.ModelDescriptor;
import org.osprey.testsupport.HttpsFileServer;
import org.osprey.testsupport.LocalIotHub;
import org.osprey.testsupport.Mosquitto;
import org.osprey.testsupport.TestCa;
import org.osprey.tools.packager.ModelBundle;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * A model rolled out from the cloud to two gateways ({@code osprey.jar} processes, two IoT Hub device
 * identities on the local hub, which gives both the same twin as a layered deployment would): model
 * jars served over HTTPS by a server with a certificate from the test CA, the real Azure IoT SDK in each
 * gateway. Clients post images to both gateways the whole time; none may fail.
 */
public class RolloutIT {

    private static final String[] DEVICES = {"shop-7-door", "shop-7-till"};

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private final List<GatewayProcess> gateways = new ArrayList<>();

    @After
    public void stop() throws Exception {
        for (int i = 0; i < gateways.size(); i++) {
            gateways.get(i).close();
            gateways.get(i).keepLog("RolloutIT-" + DEVICES[i]);
        }
    }

    /** What the rollout says of a model on one gateway (GET /api/v1/models, rollout.NAME), if anything. */
    private static Optional<JsonObject> rollout(GatewayProcess g, String name) throws InterruptedException {
        return g.get("/api/v1/models").map(m -> m.getAsJsonObject("rollout")).filter(r -> r.has(name)).map(r -> r.getAsJsonObject(name));
    }

    private static List<String> installedVersions(GatewayProcess g, String name) throws InterruptedException {
        List<String> versions = new ArrayList<>();
        g.get("/api/v1/models").ifPresent(m -> m.getAsJsonArray("models").forEach(e -> {
            if (e.getAsJsonObject().get("name").getAsString().equals(name)) {
                versions.add(e.getAsJsonObject().get("version").getAsString());
            }
        }));
        return versions;
    }

    private interface Probe {
        boolean holds() throws Exception;
    }

    private void await(String what, int seconds, Probe probe) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!probe.holds()) {
            if (System.nanoTime() > deadline) {
                StringBuilder state = new StringBuilder();
                for (GatewayProcess g : gateways) {
                    state.append("\n--- ").append(g.get("/api/v1/models").orElse(null)).append("\n").append(tail(g.log()));
                }
                throw new AssertionError(what + ": not within " + seconds + " s" + state);
            }
            Thread.sleep(200);
        }
    }

    private static String tail(String log) {
        return log.substring(Math.max(0, log.length() - 4000));
    }

    private void awaitEverywhere(String what, String name, String state, String version) throws Exception {
        for (GatewayProcess g : gateways) {
            await(what, 120, () -> rollout(g, name).filter(r -> r.get("state").getAsString().equals(state)
                    && r.get("version").getAsString().equals(version)).isPresent());
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static String wanted(String version, String url, String sha256) {
        return "{\"version\":\"" + version + "\",\"url\":\"" + url + "\",\"sha256\":\"" + sha256 + "\"}";
    }

    @Test
    public void aModelRolledOutThroughTheTwinReachesEveryGatewayAndFailuresAreReported() throws Exception {
        Path dir = tmp.getRoot().toPath();
        TestCa ca = new TestCa(dir.resolve("ca"));
        Path models = TestModels.write(dir.resolve("models"));
        byte[] v2 = Files.readAllBytes(models.resolve("blazeface-2.0.0.jar"));
        byte[] v3 = Files.readAllBytes(models.resolve("blazeface-3.0.0.jar"));
        byte[] portrait = Files.readAllBytes(models.resolve("portrait-1.0.0.jar"));
        // a model bundle that carries a class: never installed from a rollout
        byte[] withCode;
        try (var in = new java.util.jar.JarInputStream(new java.io.ByteArrayInputStream(portrait))) {
            String json = null;
            byte[] onnx = null;
            for (java.util.jar.JarEntry e; (e = in.getNextJarEntry()) != null;) {
                if (e.getName().equals("model/model.json")) {
                    json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                } else if (e.getName().equals("model/model.onnx")) {
                    onnx = in.readAllBytes();
                }
            }
            ModelDescriptor d = ModelDescriptor.parse(json);
            d.name = "sneaky";
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            new ModelBundle(d, "1.0.0", onnx).labels("face\n").file("org/example/Payload.class", new byte[] {(byte) 0xCA, (byte) 0xFE}).write(out);
            withCode = out.toByteArray();
        }

        Mosquitto broker = Mosquitto.anonymous(dir.resolve("mosquitto"));
        BlockingQueue<JsonObject> replies = new LinkedBlockingQueue<>();
        MqttClient operator = new MqttClient(broker.url(), "rollout-it-operator", new MemoryPersistence());
        try (LocalIotHub hub = new LocalIotHub(dir.resolve("hub"), ca); HttpsFileServer files = new HttpsFileServer(ca, dir)) {
            files.serve("blazeface-2.0.0.jar", v2);
            files.serve("blazeface-3.0.0.jar", v3);
            files.serve("portrait-1.0.0.jar", portrait);
            files.serve("sneaky-1.0.0.jar", withCode);
            // the first download of 2.0.0 breaks off in the middle: it must resume, not start over
            files.cutOnce("blazeface-2.0.0.jar", v2.length / 3);
            hub.responder.desired("{}");
            for (String device : DEVICES) {
                GatewayProcess g = new GatewayProcess(dir.resolve(device));
                Path deploy = g.deploy();
                Files.writeString(deploy.resolve("org.osprey.telemetry.iothub.cfg"), ".connectionString=" + hub.connectionString(device,
                        (device + " key, 32 bytes long!!").substring(0, 32).getBytes(StandardCharsets.UTF_8)) + "\ncaFile=" + ca.caFile() + "\nreportSeconds=1\n");
                // quick retries, so the cut download resumes within the test
                Files.writeString(deploy.resolve("org.osprey.rollout.cfg"), "caFile=" + ca.caFile() + "\ntimeoutSeconds=10\nmaxBackoffSeconds=2\n");
                Files.writeString(deploy.resolve("org.osprey.telemetry.mqtt.cfg"), "broker=" + broker.url() + "\ngateway=" + device + "\n");
                gateways.add(g);
            }
            for (GatewayProcess g : gateways) {
                g.start(Map.of());
            }
            for (GatewayProcess g : gateways) {
                await("the gateway connected to the hub", 120, () -> g.uplink("iothub").filter(u -> u.get("connected").getAsBoolean()).isPresent());
            }
            operator.connect(new MqttConnectOptions());
            operator.subscribe("osprey/" + DEVICES[0] + "/reply/+", 1, (topic, msg) -> replies.add(JsonParser.parseString(new String(msg.getPayload(),
                    StandardCharsets.UTF_8)).getAsJsonObject()));
            await("the gateway's MQTT uplink is connected", 60, () -> gateways.get(0).uplink("mqtt").filter(u -> u.get("connected").getAsBoolean())
                    .isPresent());

            byte[] photo = Files.readAllBytes(Path.of(System.getProperty("osprey.samples"), "astronaut.png"));
            AtomicBoolean stop = new AtomicBoolean();
            List<String> failures = new CopyOnWriteArrayList<>();
            List<Thread> clients = new ArrayList<>();
            for (GatewayProcess g : gateways) {
                Thread t = new Thread(() -> {
                    while (!stop.get()) {
                        try {
                            JsonObject answer = g.postImage("/image", photo);
                            if (answer.getAsJsonArray("predictions").size() != 1) {
                                failures.add(answer.toString());
                            }
                        } catch (Throwable e) {
                            failures.add(e.toString());
                        }
                    }
                }, "rollout-it-client");
                t.start();
                clients.add(t);
            }
            try {
                // 1. the rollout: both gateways fetch, check and serve 2.0.0; the cut download was resumed
                hub.responder.patchDesired("{\"models\":{\"blazeface\":" + wanted("2.0.0", files.url("blazeface-2.0.0.jar"), sha256(v2)) + "}}");
                awaitEverywhere("blazeface 2.0.0 active on every gateway", "blazeface", "active", "2.0.0");
                for (GatewayProcess g : gateways) {
                    assertEquals("2.0.0", g.postImage("/image", photo).get("iteration").getAsString());
                }
                assertTrue("the cut download resumed with a range: " + files.requests,
                        files.requests.stream().anyMatch(r -> r.startsWith("GET /blazeface-2.0.0.jar bytes=")));
                JsonObject reported = awaitReported(hub.responder, r -> "active".equals(rolloutState(r, "blazeface")));
                assertEquals(reported.toString(), "2.0.0", reported.getAsJsonObject("models").getAsJsonObject("blazeface")
                        .getAsJsonObject("rollout").get("version").getAsString());

                // 2. a wrong hash and a jar with code: refused, reported, nothing installed
                hub.responder.patchDesired("{\"models\":{\"portrait\":" + wanted("1.0.0", files.url("portrait-1.0.0.jar"), "ab".repeat(32))
                        + ",\"sneaky\":" + wanted("1.0.0", files.url("sneaky-1.0.0.jar"), sha256(withCode)) + "}}");
                awaitEverywhere("the wrong hash refused", "portrait", "failed", "1.0.0");
                awaitEverywhere("the jar with a class refused", "sneaky", "failed", "1.0.0");
                for (GatewayProcess g : gateways) {
                    assertTrue(rollout(g, "portrait").orElseThrow().get("message").getAsString().startsWith("SHA-256 mismatch"));
                    assertEquals("a model bundle from a rollout has no code; this one has org/example/Payload.class",
                            rollout(g, "sneaky").orElseThrow().get("message").getAsString());
                    assertEquals(List.of(), installedVersions(g, "portrait"));
                    assertEquals(List.of(), installedVersions(g, "sneaky"));
                }

                // 3. the hub is unreachable while the twin changes: both converge when they are back
                hub.front.stop();
                for (GatewayProcess g : gateways) {
                    await("the gateway noticed the hub is gone", 60, () -> g.uplink("iothub").filter(u -> !u.get("connected").getAsBoolean()).isPresent());
                }
                hub.responder.patchDesiredWhileOffline("{\"models\":{\"blazeface\":" + wanted("3.0.0", files.url("blazeface-3.0.0.jar"), sha256(v3))
                        + ",\"portrait\":null,\"sneaky\":null}}");
                hub.front.start();
                awaitEverywhere("blazeface 3.0.0 active on every gateway after reconnecting", "blazeface", "active", "3.0.0");
                for (GatewayProcess g : gateways) {
                    await("2.0.0 removed once 3.0.0 serves", 30, () -> !installedVersions(g, "blazeface").contains("2.0.0"));
                    assertEquals("3.0.0", g.postImage("/image", photo).get("iteration").getAsString());
                    await("removed models are no longer reported", 30, () -> rollout(g, "portrait").isEmpty() && rollout(g, "sneaky").isEmpty());
                }

                // 4. removal: the rollout's version goes, the shipped one serves again
                hub.responder.patchDesired("{\"models\":{\"blazeface\":null}}");
                for (GatewayProcess g : gateways) {
                    await("back to the shipped model", 60, () -> installedVersions(g, "blazeface").equals(List.of("1.2.0"))
                            && rollout(g, "blazeface").isEmpty());
                    assertEquals("1.2.0", g.postImage("/image", photo).get("iteration").getAsString());
                }

                // 5. the same over MQTT: installModel and removeModel, with their answers
                mqttCommands(operator, replies, gateways.get(0), DEVICES[0], files.url("blazeface-3.0.0.jar"), sha256(v3));
            } finally {
                stop.set(true);
                for (Thread t : clients) {
                    t.join(60_000);
                }
            }
            assertEquals("failed requests while models were rolled out: " + failures, List.of(), failures);

            // 6. a download cut short by a crash of the gateway goes on from where it was after the restart
            GatewayProcess g = gateways.get(0);
            files.stallOnce("portrait-1.0.0.jar", portrait.length / 2);
            JsonObject started = command(operator, replies, DEVICES[0], "installModel", "{\"name\":\"portrait\",\"version\":\"1.0.0\",\"url\":\""
                    + files.url("portrait-1.0.0.jar") + "\",\"sha256\":\"" + sha256(portrait) + "\"}");
            assertEquals(started.toString(), 200, started.get("status").getAsInt());
            await("half of portrait downloaded", 60, () -> rollout(g, "portrait").filter(r -> r.get("bytes").getAsLong() >= portrait.length / 2).isPresent());
            g.kill();
            int before = files.requests.size();
            assertFalse("no range asked before the crash: " + files.requests,
                    files.requests.stream().anyMatch(r -> r.startsWith("GET /portrait-1.0.0.jar bytes=")));
            g.start(Map.of());
            await("portrait active after the restart", 120, () -> rollout(g, "portrait").filter(r -> r.get("state").getAsString().equals("active")).isPresent());
            List<String> after = files.requests.subList(before, files.requests.size());
            assertTrue("the download went on from the kept part: " + after, after.contains("GET /portrait-1.0.0.jar bytes=" + portrait.length / 2 + "-"));
        } finally {
            operator.disconnectForcibly(1000);
            operator.close();
            broker.stop();
        }
    }

    private void mqttCommands(MqttClient client, BlockingQueue<JsonObject> replies, GatewayProcess g, String device, String url, String sha256)
            throws Exception {
        JsonObject bad = command(client, replies, device, "installModel", "{\"name\":\"blazeface\",\"version\":\"3.0.0\",\"url\":\"" + url + "\"}");
        assertEquals(bad.toString(), 400, bad.get("status").getAsInt());
        assertTrue(bad.toString(), bad.get("error").getAsString().contains("sha256"));

        JsonObject started = command(client, replies, device, "installModel",
                "{\"name\":\"blazeface\",\"version\":\"3.0.0\",\"url\":\"" + url + "\",\"sha256\":\"" + sha256 + "\"}");
        assertEquals(started.toString(), 200, started.get("status").getAsInt());
        JsonObject result = started.getAsJsonObject("result");
        assertEquals("blazeface", result.get("name").getAsString());
        assertEquals("3.0.0", result.get("version").getAsString());
        assertTrue(result.toString(), List.of("pending", "downloading", "verifying", "installing", "active").contains(result.get("state").getAsString()));
        await("installModel: 3.0.0 active", 60, () -> rollout(g, "blazeface").filter(r -> r.get("state").getAsString().equals("active")).isPresent());
        JsonObject status = command(client, replies, device, "getStatus", "").getAsJsonObject("result");
        JsonObject blazeface = status.getAsJsonObject("models").getAsJsonObject("blazeface");
        assertEquals(blazeface.toString(), "3.0.0", blazeface.get("version").getAsString());
        assertEquals(blazeface.toString(), "active", blazeface.getAsJsonObject("rollout").get("state").getAsString());

        JsonObject removed = command(client, replies, device, "removeModel", "{\"name\":\"blazeface\"}");
        assertEquals(removed.toString(), 200, removed.get("status").getAsInt());
        await("removeModel: back to 1.2.0", 60, () -> installedVersions(g, "blazeface").equals(List.of("1.2.0")));
        JsonObject again = command(client, replies, device, "removeModel", "{\"name\":\"blazeface\"}");
        assertEquals(again.toString(), 404, again.get("status").getAsInt());
    }

    private static JsonObject command(MqttClient client, BlockingQueue<JsonObject> replies, String device, String name, String request)
            throws Exception {
        client.publish("osprey/" + device + "/cmd/" + name, request.getBytes(StandardCharsets.UTF_8), 1, false);
        JsonObject reply = replies.poll(30, TimeUnit.SECONDS);
        assertTrue("a reply to " + name, reply != null);
        return reply;
    }

    private static String rolloutState(JsonObject reported, String name) {
        JsonElement m = reported.get("models");
        if (m == null || !m.isJsonObject() || !m.getAsJsonObject().has(name) || !m.getAsJsonObject().get(name).isJsonObject()) {
            return null;
        }
        JsonElement r = m.getAsJsonObject().getAsJsonObject(name).get("rollout");
        return r == null || !r.isJsonObject() ? null : r.getAsJsonObject().get("state").getAsString();
    }

    /** The first reported-properties patch (from either device) that satisfies {@code wanted}. */
    private static JsonObject awaitReported(org.osprey.testsupport.MockIotHub hub, java.util.function.Predicate<JsonObject> wanted)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        List<String> seen = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            String patch = hub.reported.poll(1, TimeUnit.SECONDS);
            if (patch != null) {
                seen.add(patch);
                JsonObject o = JsonParser.parseString(patch).getAsJsonObject();
                if (wanted.test(o)) {
                    return o;
                }
            }
        }
        assertFalse("no reported patch matched; seen " + seen, true);
        return null;
    }
}
