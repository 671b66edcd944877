package org.osprey.telemetry.mqtt;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.osprey.api.telemetry.TelemetryMessage;
import org.osprey.telemetry.forward.Forwarder;
import org.osprey.telemetry.outbox.Outbox;

import com.google.gson.JsonParser;

/**
 * Store and forward against a real broker: Mosquitto (Debian's, installed by .ci/run), started and
 * stopped by the test. Events accepted while the broker is down arrive once it is back, all of them, in
 * order (after dropping duplicates by id, as at-least-once receivers do).
 */
public class MqttForwardingTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Process broker;

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Mosquitto on the port, keeping sessions and queued messages across its restarts. */
    private void startBroker(int port) throws Exception {
        startBroker(port, "allow_anonymous true\n");
    }

    private void startBroker(int port, String access) throws Exception {
        Path dir = tmp.getRoot().toPath();
        Path conf = dir.resolve("mosquitto.conf");
        // run as ourselves: started as root, mosquitto would switch to its own user, which cannot write here
        Files.writeString(conf, "listener " + port + " 127.0.0.1\n" + access + "persistence true\npersistence_location " + dir + "/\n"
                + "user " + System.getProperty("user.name") + "\n", StandardCharsets.UTF_8);
        String mosquitto = Files.isExecutable(Path.of("/usr/sbin/mosquitto")) ? "/usr/sbin/mosquitto" : "mosquitto";
        broker = new ProcessBuilder(mosquitto, "-c", conf.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("mosquitto.log").toFile()).start();
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("mosquitto did not start: " + Files.readString(dir.resolve("mosquitto.log")));
    }

    private void stopBroker() throws InterruptedException {
        broker.destroy();
        broker.waitFor();
    }

    @After
    public void cleanUp() throws InterruptedException {
        if (broker != null && broker.isAlive()) {
            stopBroker();
        }
    }

    private static TelemetryMessage event(int i) {
        return TelemetryMessage.builder("appeared", "{\"label\":\"car\",\"n\":" + i + "}").id("m" + i).camera("lot")
                .expiresAt(java.time.Instant.now().plus(Duration.ofHours(2))).build();
    }

    @Test
    public void eventsAcceptedWhileTheBrokerIsDownArriveAllInOrder() throws Exception {
        int port = freePort();
        startBroker(port);
        String url = "tcp://127.0.0.1:" + port;
        List<String> received = Collections.synchronizedList(new ArrayList<>());
        MqttClient subscriber = new MqttClient(url, "osprey-test-subscriber", new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(false);
        o.setAutomaticReconnect(true);
        subscriber.connect(o);
        subscriber.subscribe("osprey/test/events/#", 1, (topic, msg) -> {
            assertEquals("osprey/test/events/lot", topic);
            received.add(JsonParser.parseString(new String(msg.getPayload(), StandardCharsets.UTF_8)).getAsJsonObject().get("id").getAsString());
        });

        try (Outbox outbox = new Outbox(tmp.getRoot().toPath().resolve("outbox.mv.db"), 10_000, Clock.systemUTC());
                MqttSender sender = new MqttSender(url, "osprey-test-gateway", "test", null, null);
                Forwarder forwarder = new Forwarder(outbox, "mqtt", sender, 0)) {
            for (int i = 0; i < 20; i++) {
                outbox.accept("mqtt", event(i));
            }
            forwarder.nudge();
            awaitUnique(received, 20, 20_000);

            stopBroker();
            for (int i = 20; i < 40; i++) {
                outbox.accept("mqtt", event(i));
            }
            forwarder.nudge();
            Thread.sleep(1500);
            assertTrue("the broker is down: nothing more can be sent", outbox.size() > 0);
            startBroker(port);
            long deadline = System.currentTimeMillis() + 60_000;
            while (outbox.size() > 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            assertEquals("sent after the broker came back; last error: " + forwarder.lastError(), 0, outbox.size());
            awaitUnique(received, 40, 20_000);
            assertEquals(0, outbox.size());
            assertEquals(40, outbox.count("delivered"));
        } finally {
            subscriber.disconnectForcibly(1000);
            subscriber.close();
        }
        List<String> inOrder = new ArrayList<>(new LinkedHashSet<>(received));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            expected.add("m" + i);
        }
        assertEquals("every event, once each after de-duplication, in order", expected, inOrder);
    }

    /** A wrong password: a clear reason, nothing sent, and the back-off keeps the attempts few. */
    @Test
    public void aWrongPasswordGivesAClearStateNotARetryStorm() throws Exception {
        Path passwords = tmp.getRoot().toPath().resolve("passwords");
        String tool = Files.isExecutable(Path.of("/usr/bin/mosquitto_passwd")) ? "/usr/bin/mosquitto_passwd" : "mosquitto_passwd";
        assertEquals(0, new ProcessBuilder(tool, "-b", "-c", passwords.toString(), "gateway", "right-password").start().waitFor());
        int port = freePort();
        startBroker(port, "allow_anonymous false\npassword_file " + passwords + "\n");
        try (Outbox outbox = new Outbox(tmp.getRoot().toPath().resolve("outbox.mv.db"), 100, Clock.systemUTC());
                MqttSender sender = new MqttSender("tcp://127.0.0.1:" + port, "osprey-wrong", "test", "gateway", "wrong-password".toCharArray());
                Forwarder forwarder = new Forwarder(outbox, "mqtt", sender, 0)) {
            outbox.accept("mqtt", event(0));
            forwarder.nudge();
            Thread.sleep(6000);
            assertTrue("the reason: " + forwarder.lastError(), forwarder.lastError() != null && forwarder.lastError().toLowerCase().contains("not authori"));
            assertTrue("few attempts in 6 s: " + forwarder.failures(), forwarder.failures() <= 5);
            assertEquals("kept for when the password is right", 1, outbox.size());
        }
    }

    /** Runs a command in the test folder, failing the test if it fails. */
    private void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(tmp.getRoot()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(String.join(" ", command) + ": " + out, 0, p.waitFor());
    }

    /** A test CA and a broker certificate for the given names, made with openssl. */
    private Path certificates(String san) throws Exception {
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=Osprey test CA");
        run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=broker");
        Files.writeString(tmp.getRoot().toPath().resolve("san.ext"), "subjectAltName=" + san + "\n");
        run("openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem",
                "-days", "2", "-extfile", "san.ext");
        return tmp.getRoot().toPath();
    }

    private String tlsListener(Path dir) {
        return "cafile " + dir.resolve("ca.pem") + "\ncertfile " + dir.resolve("server.pem") + "\nkeyfile " + dir.resolve("server.key")
                + "\nallow_anonymous true\n";
    }

    /** TLS with a private CA: events flow when the broker's certificate names the host. */
    @Test
    public void tlsWithATestCa() throws Exception {
        Path dir = certificates("DNS:localhost,IP:127.0.0.1");
        int port = freePort();
        startBroker(port, tlsListener(dir));
        String url = "ssl://localhost:" + port;
        List<String> received = Collections.synchronizedList(new ArrayList<>());
        MqttClient subscriber = new MqttClient(url, "osprey-tls-subscriber", new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setSocketFactory(Tls.trusting(dir.resolve("ca.pem")).getSocketFactory());
        subscriber.connect(o);
        subscriber.subscribe("osprey/test/events/#", 1, (topic, msg) -> received.add(
                JsonParser.parseString(new String(msg.getPayload(), StandardCharsets.UTF_8)).getAsJsonObject().get("id").getAsString()));
        try (Outbox outbox = new Outbox(dir.resolve("outbox.mv.db"), 100, Clock.systemUTC());
                MqttSender sender = new MqttSender(url, "osprey-tls", "test", null, null, dir.resolve("ca.pem"), true);
                Forwarder forwarder = new Forwarder(outbox, "mqtt", sender, 0)) {
            outbox.accept("mqtt", event(0));
            forwarder.nudge();
            awaitUnique(received, 1, 15_000);
        } finally {
            subscriber.disconnectForcibly(1000);
            subscriber.close();
        }
    }

    /** A certificate for another host is refused (hostname verification is on by default): nothing is sent. */
    @Test
    public void tlsRefusesACertificateForAnotherHost() throws Exception {
        Path dir = certificates("DNS:other.example");
        int port = freePort();
        startBroker(port, tlsListener(dir));
        try (Outbox outbox = new Outbox(dir.resolve("outbox.mv.db"), 100, Clock.systemUTC());
                MqttSender sender = new MqttSender("ssl://localhost:" + port, "osprey-tls", "test", null, null, dir.resolve("ca.pem"), true);
                Forwarder forwarder = new Forwarder(outbox, "mqtt", sender, 0)) {
            outbox.accept("mqtt", event(0));
            forwarder.nudge();
            Thread.sleep(3000);
            assertTrue("refused: " + forwarder.lastError(), forwarder.lastError() != null);
            assertEquals(0, forwarder.sent());
            assertEquals(1, outbox.size());
        }
    }

    private static void awaitUnique(List<String> received, int n, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (new LinkedHashSet<>(received).size() < n && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertEquals("events received: " + received, n, new LinkedHashSet<>(received).size());
    }
}
