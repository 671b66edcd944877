package org.osprey.telemetry.mqtt;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.osprey.api.telemetry.TelemetryMessage;
import org.osprey.api.telemetry.Uplink;
import org.osprey.api.telemetry.UplinkStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection to an MQTT broker that stays up: connects at start and after every loss, with an
 * exponential back-off and jitter (0.5 s doubling to 30 s), so a wrong password or a broker that is down
 * costs a few attempts a minute, not a storm. Events are published with QoS 1 on
 * {@code osprey/<gateway>/events/<camera>}; the gateway's presence is the retained
 * {@code osprey/<gateway>/status} ({@code online}, and {@code offline} as last will or on close);
 * commands arrive on {@code osprey/<gateway>/cmd/<name>} and are answered on
 * {@code osprey/<gateway>/reply/<name>}. The outbox holds messages across restarts, so the client keeps
 * none of its own.
 */
public final class MqttLink implements Uplink, AutoCloseable {

    /** How to reach the broker. {@code caFile}, {@code certFile} and {@code keyFile} may be null. */
    public record Settings(String broker, String clientId, String gateway, String user, char[] password, Path caFile, Path certFile,
            Path keyFile, boolean verifyHostname) {
    }

    /** Answers one command: the JSON reply to publish. */
    public interface CommandHandler {
        byte[] answer(String command, byte[] request);
    }

    private static final Logger LOG = LoggerFactory.getLogger(MqttLink.class);
    private static final long MAX_BACKOFF_MILLIS = 30_000;
    private static final byte[] ONLINE = "online".getBytes(StandardCharsets.UTF_8);
    private static final byte[] OFFLINE = "offline".getBytes(StandardCharsets.UTF_8);

    private final Settings settings;
    private final String broker;
    private final String prefix;
    private final CommandHandler commands;
    private final ScheduledExecutorService connector;
    private final ExecutorService commandRunner;
    /** Made on the first attempt (and again after one that could not make it): a wrong URL or a missing file never fails the start. */
    private volatile MqttAsyncClient client;
    private MqttConnectOptions options;
    private volatile boolean closed;
    private volatile String lastError;
    private volatile Instant since = Instant.now();
    private long backoff;
    private volatile long attempts;
    private final java.util.List<Runnable> connectedListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * Never fails: the client is made and connected in the background; what is wrong with the settings
     * shows in {@link #status()} and the log, and is tried again with back-off.
     *
     * @param commands answers {@code cmd/<name>} messages; null: no commands are taken
     */
    public MqttLink(Settings s, CommandHandler commands) {
        this.settings = s;
        this.broker = s.broker();
        this.prefix = "osprey/" + s.gateway() + "/";
        this.commands = commands;
        this.connector = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "osprey-mqtt-connect"));
        this.commandRunner = Executors.newSingleThreadExecutor(r -> daemon(r, "osprey-mqtt-commands"));
        connector.execute(this::connect);
    }

    /** The client and its options from the settings; throws with a reason a user can act on. */
    private MqttAsyncClient newClient() throws Exception {
        Settings s = settings;
        MqttAsyncClient c;
        try {
            c = new MqttAsyncClient(s.broker(), s.clientId(), new MemoryPersistence());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a broker URL: \"" + s.broker() + "\" (tcp://host:1883 or ssl://host:8883)");
        }
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setAutomaticReconnect(false);
        o.setConnectionTimeout(10);
        o.setKeepAliveInterval(30);
        // Paho refuses an 11th QoS 1 publish in flight by default; discovery configs and states go out in bursts
        o.setMaxInflight(1000);
        // the broker tells everyone when the gateway is gone
        o.setWill(prefix + "status", OFFLINE, 1, true);
        if (s.broker().startsWith("ssl://")) {
            o.setHttpsHostnameVerificationEnabled(s.verifyHostname());
            if (s.caFile() != null || s.certFile() != null) {
                o.setSocketFactory(Tls.context(s.caFile(), s.certFile(), s.keyFile()).getSocketFactory());
            }
        } else if (s.caFile() != null || s.certFile() != null) {
            throw new IllegalArgumentException("CA and client certificate files are for ssl:// brokers, not " + s.broker());
        }
        if (s.user() != null && !s.user().isEmpty()) {
            o.setUserName(s.user());
            o.setPassword(s.password());
        }
        c.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                disconnected(reason(cause));
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                String command = topic.substring((prefix + "cmd/").length());
                // off Paho's callback thread: answering publishes, and a publish waits for that thread
                commandRunner.execute(() -> answer(command, message.getPayload()));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
                // completion is handled per publish
            }
        });
        options = o;
        return c;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private void connect() {
        MqttAsyncClient c = client;
        if (closed || c != null && c.isConnected()) {
            return;
        }
        attempts++;
        if (c == null) {
            try {
                synchronized (this) { // not while close() runs: it would miss the new client
                    if (closed) {
                        return;
                    }
                    c = newClient();
                    client = c;
                }
            } catch (Exception e) {
                disconnected(reason(e));
                return;
            }
        }
        try {
            c.connect(options).waitForCompletion(15_000);
            if (commands != null) {
                c.subscribe(prefix + "cmd/+", 1).waitForCompletion(15_000);
            }
            c.publish(prefix + "status", ONLINE, 1, true);
            backoff = 0;
            lastError = null;
            since = Instant.now();
            LOG.info("Connected to MQTT broker {}", broker);
            for (Runnable r : connectedListeners) {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    LOG.warn("After connecting to {}: {}", broker, e.toString());
                }
            }
        } catch (MqttException e) {
            disconnected(reason(e));
        }
    }

    private synchronized void disconnected(String reason) {
        if (closed) {
            return;
        }
        if (lastError == null || !lastError.equals(reason)) {
            LOG.warn("MQTT broker {}: {}", broker, reason);
        }
        lastError = reason;
        since = Instant.now();
        backoff = backoff == 0 ? 500 : Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
        long delay = backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
        try {
            connector.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // closed meanwhile
        }
    }

    private static String reason(Throwable e) {
        String text = e.getMessage() == null ? e.toString() : e.getMessage();
        Throwable cause = e.getCause();
        return cause == null || cause.getMessage() == null || text.contains(cause.getMessage()) ? text : text + ": " + cause.getMessage();
    }

    @Override
    public CompletionStage<Void> send(TelemetryMessage m) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            MqttAsyncClient client = this.client;
            if (client == null || !client.isConnected()) {
                throw new IllegalStateException("not connected to " + broker + (lastError == null ? "" : ": " + lastError));
            }
            MqttMessage msg = new MqttMessage(m.payload());
            msg.setQos(1);
            client.publish(prefix + "events/" + (m.cameraId() == null ? "gateway" : m.cameraId()), msg, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    done.complete(null);
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    done.completeExceptionally(e);
                }
            });
        } catch (Exception e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    /** Runs {@code r} on the link's thread after each connect (and at once if connected now). */
    public void onConnected(Runnable r) {
        connectedListeners.add(r);
        MqttAsyncClient c = client;
        if (c != null && c.isConnected()) {
            connector.execute(r);
        }
    }

    /**
     * Publishes with QoS 1 if connected; a message that finds the link down is dropped (retained state is
     * published again after the next connect by whoever keeps it).
     *
     * @return whether it was handed to the client
     */
    public boolean publish(String topic, byte[] payload, boolean retained) {
        MqttAsyncClient c = client;
        if (c == null || !c.isConnected()) {
            return false;
        }
        try {
            c.publish(topic, payload, 1, retained);
            return true;
        } catch (MqttException e) {
            LOG.warn("MQTT publish to {} failed: {}", topic, e.toString());
            return false;
        }
    }

    /**
     * The topics of the retained messages (not empty) that match {@code filter} now: subscribes, collects
     * for {@code millis}, unsubscribes. Call on the link's thread ({@link #onConnected}).
     */
    public java.util.Set<String> retained(String filter, long millis) throws MqttException, InterruptedException {
        java.util.Set<String> topics = java.util.concurrent.ConcurrentHashMap.newKeySet();
        MqttAsyncClient c = client;
        if (c == null || !c.isConnected()) {
            return topics;
        }
        c.subscribe(filter, 1, (topic, message) -> {
            if (message.isRetained() && message.getPayload().length > 0) {
                topics.add(topic);
            }
        }).waitForCompletion(10_000);
        Thread.sleep(millis); // retained messages come right after the subscription; there is no end marker to wait for
        c.unsubscribe(filter).waitForCompletion(10_000);
        return topics;
    }

    /** Calls {@code listener} with each message on {@code filter}, off Paho's thread. */
    public void subscribe(String filter, java.util.function.BiConsumer<String, byte[]> listener) throws MqttException {
        MqttAsyncClient c = client;
        if (c != null && c.isConnected()) {
            c.subscribe(filter, 1, (topic, message) -> commandRunner.execute(() -> listener.accept(topic, message.getPayload())))
                    .waitForCompletion(10_000);
        }
    }

    /** The topic prefix of this gateway: {@code osprey/<gateway>/}. */
    public String prefix() {
        return prefix;
    }

    private void answer(String command, byte[] request) {
        try {
            MqttAsyncClient client = this.client;
            client.publish(prefix + "reply/" + command, commands.answer(command, request), 1, false);
        } catch (Exception e) {
            LOG.warn("Could not answer command {}: {}", command, e.toString());
        }
    }

    @Override
    public UplinkStatus status() {
        MqttAsyncClient c = client;
        return new UplinkStatus(broker, c != null && c.isConnected(), lastError, since);
    }

    /** Connection attempts since start, successful or not. */
    public long attempts() {
        return attempts;
    }

    @Override
    public void close() throws MqttException {
        MqttAsyncClient client;
        synchronized (this) {
            closed = true;
            client = this.client;
        }
        connector.shutdownNow();
        commandRunner.shutdownNow();
        if (client == null) {
            return;
        }
        try {
            if (client.isConnected()) {
                // a clean goodbye does not fire the will, so say it
                client.publish(prefix + "status", OFFLINE, 1, true).waitForCompletion(2000);
                client.disconnect(2000).waitForCompletion(3000);
            }
        } catch (MqttException e) {
            LOG.debug("MQTT disconnect: {}", e.toString());
        } finally {
            try {
                client.close(true);
            } catch (MqttException connectingOrConnected) {
                // an attempt still under way (a TLS handshake, a broker slow to answer): cut it, then close
                client.disconnectForcibly(0, 1000, false);
                client.close(true);
            }
        }
    }
}
