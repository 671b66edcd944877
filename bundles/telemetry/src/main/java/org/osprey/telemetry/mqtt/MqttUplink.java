package org.osprey.telemetry.mqtt;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osprey.api.event.SnapshotStore;
import org.osprey.api.event.VisionEventListener;
import org.osprey.api.pipeline.CameraPipeline;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.osprey.api.command.CommandException;
import org.osprey.api.command.GatewayCommand;
import org.osprey.api.telemetry.TelemetryMessage;
import org.osprey.api.telemetry.Uplink;
import org.osprey.api.telemetry.UplinkStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.reflect.TypeToken;

/**
 * The MQTT uplink ({@code uplink.name=mqtt}): the outbox sends it every event; it answers the
 * {@link GatewayCommand} services on {@code osprey/<gateway>/cmd/<name>}, with a JSON object as the
 * request and {@code {"requestId", "status", "result" | "error"}} as the reply.
 */
@Component(service = Uplink.class, property = Uplink.NAME + "=mqtt", configurationPid = "org.osprey.telemetry.mqtt",
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = MqttUplinkConfiguration.class)
public class MqttUplink implements Uplink {

    private static final Logger LOG = LoggerFactory.getLogger(MqttUplink.class);
    private static final Gson GSON = new GsonBuilder().serializeNulls().create();

    private final Map<String, GatewayCommand> commands = new ConcurrentHashMap<>();
    private final MqttLink link;
    private final List<CameraPipeline> pipelines = new CopyOnWriteArrayList<>();
    private final List<ServiceRegistration<VisionEventListener>> listeners = new ArrayList<>();
    private HomeAssistantDiscovery discovery;
    private ScheduledExecutorService resync;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile SnapshotStore snapshotStore;

    @Activate
    public MqttUplink(BundleContext context, MqttUplinkConfiguration config) {
        String clientId = config.clientId().isBlank() ? "osprey-" + config.gateway() : config.clientId();
        link = new MqttLink(new MqttLink.Settings(config.broker(), clientId, config.gateway(), config.user(), config._password().toCharArray(),
                path(config.caFile()), path(config.certFile()), path(config.keyFile()), config.verifyHostname()),
                config.commands() ? this::answer : null);
        if (config.homeAssistant()) {
            discovery = new HomeAssistantDiscovery(link, config.gateway(), config.discoveryPrefix(), context.getBundle().getVersion().toString(),
                    () -> List.copyOf(pipelines));
            listeners.add(context.registerService(VisionEventListener.class, discovery, null));
            // labels change with the model, zones with the configuration: look again now and then
            resync = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "osprey-mqtt-discovery");
                t.setDaemon(true);
                return t;
            });
            resync.scheduleWithFixedDelay(discovery::sync, 30, 30, TimeUnit.SECONDS);
        }
        if (config.snapshots()) {
            listeners.add(context.registerService(VisionEventListener.class,
                    new SnapshotPublisher(link, () -> snapshotStore, config.snapshotMaxKilobytes() * 1024), null));
        }
        LOG.info("MQTT uplink to {} as {}", config.broker(), clientId);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addPipeline(CameraPipeline p) {
        pipelines.add(p);
        syncSoon();
    }

    void removePipeline(CameraPipeline p) {
        pipelines.remove(p);
        syncSoon();
    }

    private void syncSoon() {
        ScheduledExecutorService r = resync;
        if (r != null && discovery != null) {
            try {
                r.execute(discovery::sync);
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                // deactivated
            }
        }
    }

    private static Path path(String file) {
        return file.isBlank() ? null : Path.of(file);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindCommand(GatewayCommand command, Map<String, Object> properties) {
        commands.put(String.valueOf(properties.get(GatewayCommand.NAME)), command);
    }

    void unbindCommand(GatewayCommand command, Map<String, Object> properties) {
        commands.remove(String.valueOf(properties.get(GatewayCommand.NAME)), command);
    }

    byte[] answer(String name, byte[] request) {
        Map<String, Object> reply = new LinkedHashMap<>();
        try {
            Map<String, Object> arguments = request.length == 0 ? Map.of()
                    : GSON.fromJson(new String(request, StandardCharsets.UTF_8), new TypeToken<Map<String, Object>>() {
                    }.getType());
            if (arguments == null) {
                arguments = Map.of();
            }
            reply.put("requestId", arguments.get("requestId"));
            GatewayCommand command = commands.get(name);
            if (command == null) {
                throw new CommandException(CommandException.NOT_FOUND, "no command " + name + "; there are " + commands.keySet());
            }
            Object result = command.execute(arguments);
            reply.put("status", 200);
            reply.put("result", result);
        } catch (JsonParseException e) {
            reply.put("status", CommandException.BAD_REQUEST);
            reply.put("error", "the request is not a JSON object: " + e.getMessage());
        } catch (CommandException e) {
            reply.put("status", e.status());
            reply.put("error", e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("Command {} failed", name, e);
            reply.put("status", CommandException.FAILED);
            reply.put("error", e.toString());
        }
        return GSON.toJson(reply).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public CompletionStage<Void> send(TelemetryMessage message) {
        return link.send(message);
    }

    @Override
    public UplinkStatus status() {
        return link.status();
    }

    @Deactivate
    void deactivate() throws Exception {
        listeners.forEach(ServiceRegistration::unregister);
        if (resync != null) {
            resync.shutdownNow();
        }
        link.close();
    }
}
