package org.osprey.telemetry.iothub.link;

import java.nio.charset.StandardCharsets;
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
import com.microsoft.azure.sdk.iot.device.exceptions.IotHubClientException;
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

    private static final Logger LOG = LoggerFactory.getLogger(IotHubLink.class);
    private static final long MAX_BACKOFF_MILLIS = 60_000;

    private final InternalClient client;
    private final boolean module;
    private final String target;
    private final Handler handler;
    private final ScheduledExecutorService opener = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "osprey-iothub-open");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean connected;
    private volatile boolean closed;
    private volatile String lastError;
    private volatile Instant since = Instant.now();
    private long backoff;

    private IotHubLink(InternalClient client, boolean module, String target, Handler handler) {
        this.client = client;
        this.module = module;
        this.target = target;
        this.handler = handler;
        client.setConnectionStatusChangeCallback(context -> {
            IotHubConnectionStatus status = context.getNewStatus();
            boolean now = status == IotHubConnectionStatus.CONNECTED;
            if (now != connected) {
                since = Instant.now();
            }
            connected = now;
            if (context.getCause() != null) {
                lastError = context.getNewStatusReason() + ": " + context.getCause().getMessage();
            }
            LOG.info("IoT Hub {}: {} ({})", target, status, context.getNewStatusReason());
            if (status == IotHubConnectionStatus.DISCONNECTED && !closed) {
                // the SDK gave up retrying: start over, paced
                schedule(this::open);
            }
        }, null);
        opener.execute(this::open);
    }

    /**
     * A device (or a module, when the string has a {@code ModuleId}) from its connection string.
     *
     * @param trust the CA to trust instead of the SDK's (a local gateway, a test hub); null for Azure's
     */
    public static IotHubLink fromConnectionString(String connectionString, SSLContext trust, Handler handler) {
        ClientOptions.ClientOptionsBuilder options = ClientOptions.builder();
        if (trust != null) {
            options.sslContext(trust);
        }
        IotHubConnectionString parsed = new IotHubConnectionString(connectionString);
        String host = parsed.getGatewayHostName() == null || parsed.getGatewayHostName().isEmpty() ? parsed.getHostName() : parsed.getGatewayHostName();
        String target = host + "/" + parsed.getDeviceId() + (parsed.getModuleId() == null ? "" : "/" + parsed.getModuleId());
        InternalClient client = parsed.getModuleId() == null ? new DeviceClient(connectionString, IotHubClientProtocol.MQTT, options.build())
                : new ModuleClient(connectionString, IotHubClientProtocol.MQTT, options.build());
        return new IotHubLink(client, parsed.getModuleId() != null, target, handler);
    }

    /** A module inside IoT Edge, from the {@code IOTEDGE_*} variables; credentials come from the edge daemon's workload socket. */
    public static IotHubLink fromEdgeEnvironment(Handler handler) throws IotHubClientException {
        ModuleClient client = ModuleClient.createFromEnvironment(new UnixSocketChannel(), IotHubClientProtocol.MQTT);
        String target = System.getenv().getOrDefault("IOTEDGE_GATEWAYHOSTNAME", System.getenv("IOTEDGE_IOTHUBHOSTNAME")) + "/"
                + System.getenv("IOTEDGE_DEVICEID") + "/" + System.getenv("IOTEDGE_MODULEID");
        return new IotHubLink(client, true, target, handler);
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
        try {
            client.open(false);
            client.subscribeToMethods((name, payload, context) -> handler.method(name, payload.getPayloadAsJsonString()), null);
            client.subscribeToDesiredProperties((twin, context) -> {
                TwinCollection patch = twin.getDesiredProperties();
                handler.desired(patch, patch.getVersion() == null ? 0 : patch.getVersion(), false);
            }, null);
            TwinCollection desired = client.getTwin().getDesiredProperties();
            handler.desired(desired, desired.getVersion() == null ? 0 : desired.getVersion(), true);
            backoff = 0;
            lastError = null;
            LOG.info("Connected to IoT Hub {}{}", target, module ? " as a module (telemetry to " + OUTPUT + ")" : "");
            handler.connected();
        } catch (Exception e) {
            lastError = e.getMessage() == null ? e.toString() : e.getMessage();
            LOG.warn("IoT Hub {}: {}", target, lastError);
            try {
                client.close();
            } catch (RuntimeException ignored) {
                // closing a client that did not open
            }
            schedule(this::open);
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
            if (module) {
                ((ModuleClient) client).sendEventAsync(msg, callback, null, OUTPUT);
            } else {
                client.sendEventAsync(msg, callback, null);
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
            client.updateReportedPropertiesAsync(new TwinCollection(reported), (status, response, e, context) -> {
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

    @Override
    public void close() {
        closed = true;
        opener.shutdownNow();
        try {
            client.close();
        } catch (RuntimeException e) {
            LOG.debug("IoT Hub close: {}", e.toString());
        }
    }
}
