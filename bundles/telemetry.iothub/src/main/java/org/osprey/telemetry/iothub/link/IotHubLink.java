package org.osprey.telemetry.iothub.link;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

import org.osprey.api.telemetry.TelemetryMessage;
import org.osprey.api.telemetry.Uplink;
import org.osprey.api.telemetry.UplinkStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.microsoft.azure.sdk.iot.device.ClientOptions;
import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.InternalClient;
import com.microsoft.azure.sdk.iot.device.IotHubClientProtocol;
import com.microsoft.azure.sdk.iot.device.IotHubConnectionString;
import com.microsoft.azure.sdk.iot.device.Message;
import com.microsoft.azure.sdk.iot.device.ModuleClient;
import com.microsoft.azure.sdk.iot.device.auth.IotHubSSLContext;
import com.microsoft.azure.sdk.iot.device.transport.IotHubConnectionStatus;
import com.microsoft.azure.sdk.iot.device.twin.DirectMethodResponse;
import com.microsoft.azure.sdk.iot.device.twin.TwinCollection;

/**
 * One connection to Azure IoT Hub (or to IoT Edge's hub) over MQTT with the Azure IoT Device SDK: as a
 * device from a connection string, or as a module (telemetry to output {@value #OUTPUT}). Opens in the
 * background and again whenever the SDK gives up, with an exponential back-off and jitter (1 s doubling
 * to 60 s). Each message is sent with its id, JSON UTF-8 content type and encoding, and its routing
 * properties; {@link #send} completes when the hub acknowledged it.
 */
public final class IotHubLink implements Uplink, AutoCloseable {

    /** The module output telemetry goes to inside IoT Edge, where routes pick it up. */
    public static final String OUTPUT = "output1";

    /** What the link calls back with; called on SDK threads, must not block long. */
    public interface Handler {
        /** A direct method: return the status and a payload Gson can write. */
        DirectMethodResponse method(String name, String jsonPayload);

        /** The desired properties: all of them after a connect, then each patch (a patch has only what changed). */
        void desired(Map<String, Object> properties, int version, boolean complete);

        /** Connected (again): a good time to report. */
        void connected();
    }

    /** Makes the SDK client; called again after each failure, so whatever it needs may come up later. */
    @FunctionalInterface
    public interface ClientFactory {
        InternalClient create() throws Exception;
    }

    private static final Logger LOG = LoggerFactory.getLogger(IotHubLink.class);
    private static final long MAX_BACKOFF_MILLIS = 60_000;
    /** The SDK's own default lifetime of a SAS token made from a key. */
    static final long DEFAULT_TOKEN_SECONDS = 3600;

    private final ClientFactory factory;
    private final boolean module;
    private final String target;
    private final Handler handler;
    private final ScheduledExecutorService opener = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "osprey-iothub-open");
        t.setDaemon(true);
        return t;
    });
    private volatile InternalClient client;
    private volatile boolean connected;
    private volatile boolean closed;
    private volatile String lastError;
    private volatile Instant since = Instant.now();
    private long backoff;
    private volatile long attempts;
    /** open() finished: later connects are the SDK's own reconnects, after which the twin is read again. */
    private volatile boolean opened;

    /**
     * Never fails: the client is made and opened in the background, and made again after every failure
     * (a missing edge daemon, a hub that is down, a wrong key), with an exponential back-off and jitter.
     *
     * @param target where it sends, for humans, without secrets
     */
    public IotHubLink(ClientFactory factory, boolean module, String target, Handler handler) {
        this.factory = factory;
        this.module = module;
        this.target = target;
        this.handler = handler;
        opener.execute(this::open);
    }

    /**
     * A device (or a module, when the string has a {@code ModuleId}) from its connection string.
     *
     * @param trust the CA file to trust instead of Azure's (a local gateway, a test hub); null for Azure's
     */
    public static IotHubLink fromConnectionString(String connectionString, Path trust, Handler handler) {
        return fromConnectionString(connectionString, trust, DEFAULT_TOKEN_SECONDS, handler);
    }

    /**
     * As {@link #fromConnectionString(String, Path, Handler)}, with the lifetime of the SAS tokens the SDK
     * makes from the key (it renews them before they expire).
     */
    public static IotHubLink fromConnectionString(String connectionString, Path trust, long tokenSeconds, Handler handler) {
        String target;
        boolean module;
        try {
            IotHubConnectionString parsed = new IotHubConnectionString(connectionString);
            String host = parsed.getGatewayHostName() == null || parsed.getGatewayHostName().isEmpty() ? parsed.getHostName() : parsed.getGatewayHostName();
            target = host + "/" + parsed.getDeviceId() + (parsed.getModuleId() == null ? "" : "/" + parsed.getModuleId());
            module = parsed.getModuleId() != null;
        } catch (RuntimeException e) {
            // said by open(), again on each attempt, in the status and the log
            target = "IoT Hub (connection string not valid)";
            module = false;
        }
        return new IotHubLink(() -> {
            IotHubConnectionString parsed;
            try {
                parsed = new IotHubConnectionString(connectionString);
            } catch (RuntimeException e) {
                // the SDK's message may quote the string, key included
                throw new IllegalArgumentException("the connection string is not valid; it needs HostName=...;DeviceId=...;SharedAccessKey=...");
            }
            ClientOptions.ClientOptionsBuilder options = ClientOptions.builder().sasTokenExpiryTime(tokenSeconds);
            if (trust != null) {
                options.sslContext(trustFrom(trust));
            }
            return parsed.getModuleId() == null ? new DeviceClient(connectionString, IotHubClientProtocol.MQTT, options.build())
                    : new ModuleClient(connectionString, IotHubClientProtocol.MQTT, options.build());
        }, module, target, handler);
    }

    private static SSLContext trustFrom(Path caFile) throws Exception {
        if (!Files.isReadable(caFile)) {
            throw new IllegalArgumentException("CA file " + caFile + ": " + (Files.exists(caFile) ? "not readable" : "no such file"));
        }
        try {
            return IotHubSSLContext.getSSLContextFromFile(caFile.toString());
        } catch (Exception e) {
            throw new IllegalArgumentException("CA file " + caFile + " holds no PEM certificate: " + e.getMessage(), e);
        }
    }

    /** A module inside IoT Edge, from the {@code IOTEDGE_*} variables; credentials come from the edge daemon's workload socket. */
    public static IotHubLink fromEdgeEnvironment(Map<String, String> env, Handler handler) {
        String target = env.getOrDefault("IOTEDGE_GATEWAYHOSTNAME", env.get("IOTEDGE_IOTHUBHOSTNAME")) + "/" + env.get("IOTEDGE_DEVICEID") + "/"
                + env.get("IOTEDGE_MODULEID");
        return new IotHubLink(() -> {
            EdgeEnvironment.check(env);
            return ModuleClient.createFromEnvironment(new UnixSocketChannel(), IotHubClientProtocol.MQTT);
        }, true, target, handler);
    }

    /** True when the gateway runs as an IoT Edge module: the edge daemon set these. */
    public static boolean inEdgeEnvironment(Map<String, String> env) {
        return env.containsKey("IOTEDGE_MODULEID") && (env.containsKey("IOTEDGE_WORKLOADURI") || env.containsKey("EdgeHubConnectionString"));
    }

    private void schedule(Runnable task) {
        backoff = backoff == 0 ? 1000 : Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
        try {
            opener.schedule(task, backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            // closed meanwhile
        }
    }

    private synchronized void open() {
        if (closed) {
            return;
        }
        attempts++;
        opened = false;
        InternalClient c = null;
        try {
            c = factory.create();
            InternalClient self = c;
            c.setConnectionStatusChangeCallback(context -> statusChanged(self, context.getNewStatus(), String.valueOf(context.getNewStatusReason()),
                    context.getCause()), null);
            client = c;
            c.open(false);
            c.subscribeToMethods((name, payload, context) -> handler.method(name, payload.getPayloadAsJsonString()), null);
            c.subscribeToDesiredProperties((twin, context) -> {
                TwinCollection patch = twin.getDesiredProperties();
                handler.desired(patch, patch.getVersion() == null ? 0 : patch.getVersion(), false);
            }, null);
            TwinCollection desired = c.getTwin().getDesiredProperties();
            handler.desired(desired, desired.getVersion() == null ? 0 : desired.getVersion(), true);
            backoff = 0;
            lastError = null;
            opened = true;
            LOG.info("Connected to IoT Hub {}{}", target, module ? " as a module (telemetry to " + OUTPUT + ")" : "");
            handler.connected();
        } catch (Exception e) {
            failed(Reasons.of(e));
            client = null;
            connected = false;
            if (c != null) {
                try {
                    c.close();
                } catch (RuntimeException ignored) {
                    // closing a client that did not open
                }
            }
            schedule(this::open);
        }
    }

    /** On the opener thread, unless the link was closed meanwhile. */
    private void run(Runnable task) {
        try {
            opener.execute(task);
        } catch (RejectedExecutionException closed) {
            // closed meanwhile: nothing to do
        }
    }

    private void fullTwin(InternalClient c) {
        try {
            if (c == client) {
                TwinCollection desired = c.getTwin().getDesiredProperties();
                handler.desired(desired, desired.getVersion() == null ? 0 : desired.getVersion(), true);
                handler.connected();
            }
        } catch (Exception e) {
            failed("reading the twin after a reconnect: " + Reasons.of(e));
        }
    }

    /** One log line per new reason, not one per attempt. */
    private void failed(String reason) {
        if (!reason.equals(lastError)) {
            LOG.warn("IoT Hub {}: {} (retrying with back-off)", target, reason);
        }
        lastError = reason;
    }

    private void statusChanged(InternalClient from, IotHubConnectionStatus status, String reason, Throwable cause) {
        if (from != client) {
            return; // a client given up on
        }
        boolean now = status == IotHubConnectionStatus.CONNECTED;
        boolean reconnected = now && !connected && opened;
        if (now != connected) {
            since = Instant.now();
        }
        connected = now;
        if (reconnected) {
            // patches sent while the link was down are not replayed: read the whole twin again
            run(() -> fullTwin(from));
        }
        if (cause != null) {
            failed(reason + ": " + Reasons.of(cause));
        }
        LOG.info("IoT Hub {}: {} ({})", target, status, reason);
        if (status == IotHubConnectionStatus.DISCONNECTED && !closed) {
            // the SDK gave up retrying: start over with a new client, paced
            run(() -> {
                synchronized (this) {
                    if (client == from) {
                        client = null;
                        try {
                            from.close();
                        } catch (RuntimeException ignored) {
                            // already closed by the SDK
                        }
                    }
                }
                schedule(this::open);
            });
        }
    }

    @Override
    public CompletionStage<Void> send(TelemetryMessage m) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            if (!connected) {
                // the SDK would hold it while it reconnects; the outbox holds it better, across restarts
                throw new IllegalStateException("not connected to " + target + (lastError == null ? "" : ": " + lastError));
            }
            Message msg = new Message(m.payload());
            msg.setMessageId(m.id());
            msg.setContentType(TelemetryMessage.CONTENT_TYPE_JSON);
            msg.setContentEncoding(StandardCharsets.UTF_8.name());
            m.properties().forEach(msg::setProperty);
            com.microsoft.azure.sdk.iot.device.MessageSentCallback callback = (sent, e, context) -> {
                if (e == null) {
                    done.complete(null);
                } else {
                    done.completeExceptionally(e);
                }
            };
            InternalClient c = client;
            if (c == null) {
                throw new IllegalStateException("not connected to " + target);
            }
            if (module) {
                ((ModuleClient) c).sendEventAsync(msg, callback, null, OUTPUT);
            } else {
                c.sendEventAsync(msg, callback, null);
            }
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    /** Reports properties; the stage completes when the hub took them. */
    public CompletionStage<Void> report(Map<String, Object> reported) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            InternalClient c = client;
            if (c == null) {
                throw new IllegalStateException("not connected to " + target);
            }
            c.updateReportedPropertiesAsync(new TwinCollection(reported), (status, response, e, context) -> {
                if (e == null) {
                    done.complete(null);
                } else {
                    done.completeExceptionally(e);
                }
            }, null);
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    @Override
    public UplinkStatus status() {
        return new UplinkStatus(target, connected, lastError, since);
    }

    /** Attempts to make and open the client since start, successful or not. */
    public long attempts() {
        return attempts;
    }

    @Override
    public void close() {
        closed = true;
        opener.shutdownNow();
        InternalClient c = client;
        client = null;
        if (c != null) {
            try {
                c.close();
            } catch (RuntimeException e) {
                LOG.debug("IoT Hub close: {}", e.toString());
            }
        }
    }
}
