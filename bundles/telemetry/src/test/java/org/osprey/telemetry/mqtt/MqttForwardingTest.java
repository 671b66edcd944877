package org.osprey.telemetry.mqtt;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

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
import org.osprey.testsupport.Mosquitto;
import org.osprey.testsupport.TestCa;

import com.google.gson.JsonParser;

/**
 * Store and forward against a real broker: Mosquitto (Debian's, installed by .ci/run), started and
 * stopped by the test. Events accepted while the broker is down arrive once it is back, all of them, in
 * order (after dropping duplicates by id, as at-least-once receivers do).
 */
public class MqttForwardingTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Mosquitto broker;

    @After
    public void cleanUp() throws InterruptedException {
        if (broker != null) {
            broker.stop();
        }
    }

    private Path dir(String name) {
        return tmp.getRoot().toPath().resolve(name);
    }

    private static TelemetryMessage event(int i) {
        return TelemetryMessage.builder("appeared", "{\"id\":\"m" + i + "\",\"label\":\"car\",\"n\":" + i + "}").id("m" + i).camera("lot")
                .expiresAt(Instant.now().plus(Duration.ofHours(2))).build();
    }

    private static MqttLink.Settings settings(String url, String clientId) {
        return new MqttLink.Settings(url, clientId, "test", null, null, null, null, null, true);
    }

    /**
     * A subscriber that collects the ids of the events on osprey/test/events/#; one that came on another topic
     * than the camera's is collected as "on TOPIC: id", for the test's thread to see (Paho's would lose a failure).
     */
    private static MqttClient subscriber(String url, List<String> ids, MqttConnectOptions o) throws Exception {
        MqttClient subscriber = new MqttClient(url, "osprey-test-subscriber", new MemoryPersistence());
        subscriber.connect(o);
        subscriber.subscribe("osprey/test/events/#", 1, (topic, msg) -> {
            String id = JsonParser.parseString(new String(msg.getPayload(), StandardCharsets.UTF_8)).getAsJsonObject().get("id").getAsString();
            ids.add(topic.equals("osprey/test/events/lot") ? id : "on " + topic + ": " + id);
        });
        return subscriber;
    }

    /** A broker the test can stop and start again, keeping its sessions. */
    interface Restartable {
        String url();

        void stop() throws Exception;

        void start() throws Exception;
    }

    @Test
    public void eventsAcceptedWhileMosquittoIsDownArriveAllInOrder() throws Exception {
        broker = Mosquitto.anonymous(dir("broker"));
        eventsAcceptedWhileTheBrokerIsDownArriveAllInOrder(new Restartable() {
            @Override
            public String url() {
                return broker.url();
            }

            @Override
            public void stop() throws Exception {
                broker.stop();
            }

            @Override
            public void start() throws Exception {
                broker.start();
            }
        });
    }

    /** The same with HiveMQ CE, embedded in the test JVM, its sessions in a data folder. */
    @Test
    public void eventsAcceptedWhileHiveMqIsDownArriveAllInOrder() throws Exception {
        int port = Mosquitto.freePort();
        Path conf = java.nio.file.Files.createDirectories(dir("hivemq-conf"));
        java.nio.file.Files.writeString(conf.resolve("config.xml"), "<?xml version=\"1.0\"?>\n<hivemq><listeners><tcp-listener><port>" + port
                + "</port><bind-address>127.0.0.1</bind-address></tcp-listener></listeners><anonymous-usage-statistics><enabled>false"
                + "</enabled></anonymous-usage-statistics></hivemq>\n");
        // a new instance on the same folders for each start: one instance does not start twice in a JVM (its metrics clash)
        com.hivemq.embedded.EmbeddedHiveMQ[] hivemq = new com.hivemq.embedded.EmbeddedHiveMQ[1];
        Restartable b = new Restartable() {
            @Override
            public String url() {
                return "tcp://127.0.0.1:" + port;
            }

            @Override
            public void stop() throws Exception {
                hivemq[0].close();
            }

            @Override
            public void start() throws Exception {
                hivemq[0] = com.hivemq.embedded.EmbeddedHiveMQ.builder().withConfigurationFolder(conf)
                        .withDataFolder(java.nio.file.Files.createDirectories(dir("hivemq-data")))
                        .withExtensionsFolder(java.nio.file.Files.createDirectories(dir("hivemq-extensions"))).build();
                hivemq[0].start().join();
            }
        };
        b.start();
        try {
            eventsAcceptedWhileTheBrokerIsDownArriveAllInOrder(b);
        } finally {
            b.stop();
        }
    }

    /** 20 events sent, the broker stopped, 20 more accepted, the broker started: all 40 arrive, in order, once each after de-duplication. */
    private void eventsAcceptedWhileTheBrokerIsDownArriveAllInOrder(Restartable b) throws Exception {
        List<String> received = Collections.synchronizedList(new ArrayList<>());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(false);
        o.setAutomaticReconnect(true);
        MqttClient subscriber = subscriber(b.url(), received, o);
        try (Outbox outbox = new Outbox(dir("outbox.mv.db"), 10_000, Clock.systemUTC());
                MqttLink link = new MqttLink(settings(b.url(), "osprey-test-gateway"), null);
                Forwarder forwarder = new Forwarder(outbox, "mqtt", link, 0)) {
            for (int i = 0; i < 20; i++) {
                outbox.accept("mqtt", event(i));
            }
            forwarder.nudge();
            awaitUnique(received, 20, 20_000);

            b.stop();
            for (int i = 20; i < 40; i++) {
                outbox.accept("mqtt", event(i));
            }
            forwarder.nudge();
            Thread.sleep(1500);
            assertFalse(link.status().connected());
            assertTrue("the broker is down: nothing more can be sent", outbox.size() > 0);
            b.start();
            long deadline = System.currentTimeMillis() + 60_000;
            while (outbox.size() > 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            assertEquals("sent after the broker came back; last error: " + link.status().lastError(), 0, outbox.size());
            awaitUnique(received, 40, 20_000);
            assertEquals(40, outbox.count("mqtt", "delivered"));
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
        Path passwords = Mosquitto.passwordFile(dir("passwords"), "gateway", "right-password");
        broker = new Mosquitto(dir("broker"), Mosquitto.freePort(), "allow_anonymous false\npassword_file " + passwords);
        broker.start();
        try (Outbox outbox = new Outbox(dir("outbox.mv.db"), 100, Clock.systemUTC());
                MqttLink link = new MqttLink(new MqttLink.Settings(broker.url(), "osprey-wrong", "test", "gateway", "wrong-password".toCharArray(),
                        null, null, null, true), null);
                Forwarder forwarder = new Forwarder(outbox, "mqtt", link, 0)) {
            outbox.accept("mqtt", event(0));
            forwarder.nudge();
            Thread.sleep(6000);
            String reason = link.status().lastError();
            assertTrue("the reason: " + reason, reason != null && reason.toLowerCase().contains("not authori"));
            assertTrue("few attempts in 6 s: " + link.attempts(), link.attempts() <= 5);
            assertEquals("kept for when the password is right", 1, outbox.size());
        }
    }

    /** TLS with a private CA: events flow when the broker's certificate names the host. */
    @Test
    public void tlsWithATestCa() throws Exception {
        TestCa ca = new TestCa(dir("ca"));
        broker = new Mosquitto(dir("broker"), Mosquitto.freePort(),
                Mosquitto.tls(ca, ca.issue("server", "broker", "DNS:localhost,IP:127.0.0.1")) + "\nallow_anonymous true");
        broker.start();
        String url = "ssl://localhost:" + broker.port();
        List<String> received = Collections.synchronizedList(new ArrayList<>());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setSocketFactory(Tls.context(ca.caFile(), null, null).getSocketFactory());
        MqttClient subscriber = subscriber(url, received, o);
        try (Outbox outbox = new Outbox(dir("outbox.mv.db"), 100, Clock.systemUTC());
                MqttLink link = new MqttLink(new MqttLink.Settings(url, "osprey-tls", "test", null, null, ca.caFile(), null, null, true), null);
                Forwarder forwarder = new Forwarder(outbox, "mqtt", link, 0)) {
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
        TestCa ca = new TestCa(dir("ca"));
        broker = new Mosquitto(dir("broker"), Mosquitto.freePort(), Mosquitto.tls(ca, ca.issue("server", "broker", "DNS:other.example"))
                + "\nallow_anonymous true");
        broker.start();
        try (Outbox outbox = new Outbox(dir("outbox.mv.db"), 100, Clock.systemUTC());
                MqttLink link = new MqttLink(new MqttLink.Settings("ssl://localhost:" + broker.port(), "osprey-tls", "test", null, null,
                        ca.caFile(), null, null, true), null);
                Forwarder forwarder = new Forwarder(outbox, "mqtt", link, 0)) {
            outbox.accept("mqtt", event(0));
            forwarder.nudge();
            Thread.sleep(3000);
            assertTrue("refused: " + link.status().lastError(), link.status().lastError() != null);
            assertFalse(link.status().connected());
            assertEquals(0, forwarder.sent());
            assertEquals(1, outbox.size());
        }
    }

    /**
     * Closing (a configuration change, a bundle stop) while an attempt is still under way, against a
     * server that takes the connection and never answers: no "connect already in progress", no waiting
     * for the 10 s connect timeout, and none of Osprey's threads left behind. (Paho's own connect thread
     * can be: eclipse-paho/paho.mqtt.java#850, open in 1.2.5.)
     */
    @Test
    public void closingWhileAConnectIsUnderWayIsClean() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            for (int i = 0; i < 5; i++) {
                MqttLink link = new MqttLink(new MqttLink.Settings("tcp://127.0.0.1:" + silent.getLocalPort(), "osprey-silent-" + i, "test",
                        null, null, null, null, null, true), null);
                try (java.net.Socket accepted = silent.accept()) {
                    long start = System.nanoTime();
                    link.close();
                    long millis = (System.nanoTime() - start) / 1_000_000;
                    assertTrue("closed in " + millis + " ms, not after the 10 s connect timeout", millis < 8000);
                    assertFalse(link.status().connected());
                }
            }
        }
        long deadline = System.currentTimeMillis() + 3000;
        while (System.currentTimeMillis() < deadline
                && Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().startsWith("osprey-mqtt-"))) {
            Thread.sleep(50);
        }
        assertTrue("no connector thread left: " + Thread.getAllStackTraces().keySet(), Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("osprey-mqtt-")));
    }

    /**
     * A broker that wants client certificates: with the gateway's certificate (and key, PKCS#8 from
     * openssl) events flow and the broker knows the gateway by the certificate's name; without one, the
     * TLS handshake is refused and nothing is sent.
     */
    @Test
    public void clientCertificates() throws Exception {
        TestCa ca = new TestCa(dir("ca"));
        Path server = ca.issue("server", "broker", "DNS:localhost,IP:127.0.0.1");
        Path client = ca.issue("gateway", "gateway-7", null);
        broker = new Mosquitto(dir("broker"), Mosquitto.freePort(), Mosquitto.tls(ca, server)
                + "\nrequire_certificate true\nuse_identity_as_username true\nallow_anonymous false");
        broker.start();
        String url = "ssl://localhost:" + broker.port();
        List<String> received = Collections.synchronizedList(new ArrayList<>());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setSocketFactory(Tls.context(ca.caFile(), ca.issue("subscriber", "subscriber", null),
                TestCa.keyOf(dir("ca").resolve("subscriber.pem"))).getSocketFactory());
        MqttClient subscriber = subscriber(url, received, o);
        try (Outbox outbox = new Outbox(dir("outbox.mv.db"), 100, Clock.systemUTC());
                MqttLink link = new MqttLink(new MqttLink.Settings(url, "osprey-cert", "test", null, null, ca.caFile(), client,
                        TestCa.keyOf(client), true), null);
                Forwarder forwarder = new Forwarder(outbox, "mqtt", link, 0)) {
            outbox.accept("mqtt", event(0));
            forwarder.nudge();
            awaitUnique(received, 1, 15_000);
            assertTrue(broker.log(), broker.log().contains("u'gateway-7'"));
        } finally {
            subscriber.disconnectForcibly(1000);
            subscriber.close();
        }
        try (MqttLink anonymous = new MqttLink(new MqttLink.Settings(url, "osprey-nocert", "test", null, null, ca.caFile(), null, null, true),
                null)) {
            Thread.sleep(2000);
            assertFalse(anonymous.status().connected());
            assertTrue("refused: " + anonymous.status().lastError(), anonymous.status().lastError() != null);
        }
    }

    /** Commands: a request on cmd/<name> is answered on reply/<name>; the retained status says online, then offline on close. */
    @Test
    public void commandsAreAnsweredAndTheStatusIsRetained() throws Exception {
        broker = Mosquitto.anonymous(dir("broker"));
        BlockingQueue<String> replies = new ArrayBlockingQueue<>(10);
        BlockingQueue<String> status = new ArrayBlockingQueue<>(10);
        MqttClient caller = new MqttClient(broker.url(), "osprey-test-caller", new MemoryPersistence());
        caller.connect();
        caller.subscribe("osprey/test/reply/#", 1, (topic, msg) -> replies.add(topic + " " + new String(msg.getPayload(), StandardCharsets.UTF_8)));
        try (MqttLink link = new MqttLink(settings(broker.url(), "osprey-commands"),
                (command, request) -> ("{\"command\":\"" + command + "\",\"request\":" + new String(request, StandardCharsets.UTF_8) + "}")
                        .getBytes(StandardCharsets.UTF_8))) {
            long deadline = System.currentTimeMillis() + 10_000;
            while (!link.status().connected() && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            caller.subscribe("osprey/test/status", 1, (topic, msg) -> status.add(new String(msg.getPayload(), StandardCharsets.UTF_8)));
            assertEquals("online", status.poll(5, TimeUnit.SECONDS));
            caller.publish("osprey/test/cmd/getStatus", "{\"requestId\":\"r1\"}".getBytes(StandardCharsets.UTF_8), 1, false);
            assertEquals("osprey/test/reply/getStatus {\"command\":\"getStatus\",\"request\":{\"requestId\":\"r1\"}}", replies.poll(5, TimeUnit.SECONDS));
        }
        assertEquals("a clean close says offline", "offline", status.poll(5, TimeUnit.SECONDS));
        caller.disconnect();
        caller.close();
    }

    private static void awaitUnique(List<String> received, int n, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (new LinkedHashSet<>(received).size() < n && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertEquals("events received: " + received, n, new LinkedHashSet<>(received).size());
        assertTrue("events on the camera's topic only: " + received, received.stream().noneMatch(r -> r.startsWith("on ")));
    }
}
