package org.osprey.telemetry.iothub;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
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
import org.osprey.api.telemetry.Uplink;
import org.osprey.telemetry.iothub.link.IotHubLink;
import org.osprey.telemetry.iothub.twin.TwinConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;
import com.microsoft.azure.sdk.iot.device.twin.DirectMethodResponse;

/**
 * The Azure IoT Hub uplink ({@code uplink.name=iothub}): on when a connection string is configured, or
 * by itself inside IoT Edge. The outbox sends it every event; direct methods call the
 * {@link GatewayCommand} services by name ({@code getStatus}, {@code selectModel}, ...); desired
 * properties configure the gateway ({@link TwinConfiguration}); reported properties say the version,
 * the models, the cameras and the outbox, sent only when they changed (the outbox depth at most once a
 * minute).
 */
@Component(service = {}, immediate = true, configurationPid = "org.osprey.telemetry.iothub", configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = IotHubConfiguration.class)
public class IotHubUplink implements IotHubLink.Handler {

    private static final Logger LOG = LoggerFactory.getLogger(IotHubUplink.class);
    private static final Gson GSON = new Gson();
    private static final Duration DEPTH_REPORT_INTERVAL = Duration.ofMinutes(1);

    private final Map<String, GatewayCommand> commands = new ConcurrentHashMap<>();
    private final TwinConfiguration twin;
    private final boolean twinConfiguration;
    private volatile IotHubLink link;
    private ServiceRegistration<Uplink> registration;
    // made before the link, whose callbacks start at once and use it
    private final ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "osprey-iothub-report");
        t.setDaemon(true);
        return t;
    });
    /** What the twin was last told (acknowledged); empty after a reconnect, so all is sent again. */
    private Map<String, Object> reported = Map.of();
    /** All that was sent since, acknowledged or not: what the twin may hold beyond {@link #reported}. */
    private Map<String, Object> attempted = Map.of();
    private long reportedAt;
    private volatile Map<String, Object> desiredOutcome = Map.of("version", 0);

    @Activate
    public IotHubUplink(BundleContext context, IotHubConfiguration config, @Reference ConfigurationAdmin admin) {
        this.twin = new TwinConfiguration(admin);
        this.twinConfiguration = config.twinConfiguration();
        // the link never fails: it registers at once, so events queue from the first moment, and connects when it can
        if (!config._connectionString().isBlank()) {
            link = IotHubLink.fromConnectionString(config._connectionString().trim(), config.caFile().isBlank() ? null : Path.of(config.caFile().strip()),
                    this);
        } else if (IotHubLink.inEdgeEnvironment(System.getenv())) {
            link = IotHubLink.fromEdgeEnvironment(System.getenv(), this);
        } else {
            LOG.debug("IoT Hub uplink off: no connection string and not inside IoT Edge");
            return;
        }
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(Uplink.NAME, "iothub");
        registration = context.registerService(Uplink.class, link, properties);
        reporter.scheduleWithFixedDelay(this::reportIfChanged, config.reportSeconds(), config.reportSeconds(), TimeUnit.SECONDS);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindCommand(GatewayCommand command, Map<String, Object> properties) {
        commands.put(String.valueOf(properties.get(GatewayCommand.NAME)), command);
    }

    void unbindCommand(GatewayCommand command, Map<String, Object> properties) {
        commands.remove(String.valueOf(properties.get(GatewayCommand.NAME)), command);
    }

    @Override
    public DirectMethodResponse method(String name, String json) {
        try {
            Map<String, Object> arguments = json == null || json.isBlank() || json.equals("null") ? Map.of()
                    : GSON.fromJson(json, new TypeToken<Map<String, Object>>() {
                    }.getType());
            GatewayCommand command = commands.get(name);
            if (command == null) {
                throw new CommandException(CommandException.NOT_FOUND, "no method " + name + "; there are " + commands.keySet());
            }
            Object result = command.execute(arguments == null ? Map.of() : arguments);
            reporter.execute(this::reportIfChanged);
            return new DirectMethodResponse(200, result);
        } catch (CommandException e) {
            return new DirectMethodResponse(e.status(), Map.of("error", e.getMessage()));
        } catch (com.google.gson.JsonParseException e) {
            return new DirectMethodResponse(CommandException.BAD_REQUEST, Map.of("error", "the payload is not a JSON object: " + e.getMessage()));
        } catch (RuntimeException e) {
            LOG.warn("Direct method {} failed", name, e);
            return new DirectMethodResponse(CommandException.FAILED, Map.of("error", e.toString()));
        }
    }

    @Override
    public void desired(Map<String, Object> properties, int version, boolean complete) {
        if (!twinConfiguration) {
            return;
        }
        Map<String, String> outcome = twin.apply(properties);
        List<String> removed = complete ? twin.reconcile(properties) : List.of();
        if (!removed.isEmpty()) {
            LOG.info("Removed what the twin no longer has (twin version {}): {}", version, removed);
        }
        outcome.forEach((key, result) -> {
            if (!result.equals("ok")) {
                LOG.warn("Desired property {} (twin version {}) not applied: {}", key, version, result);
            }
        });
        LOG.info("Applied {} desired properties of twin version {}", outcome.size(), version);
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("version", version);
        o.put("status", outcome);
        o.put("removed", removed);
        desiredOutcome = o;
        reporter.execute(this::reportIfChanged);
    }

    @Override
    public void connected() {
        synchronized (this) {
            // a patch sent before may not have reached the twin: all again, with a null for all it may hold
            // (forgetting what was reported instead would leave a removed camera in the twin for good)
            attempted = TwinNames.union(reported, attempted);
            reported = Map.of();
        }
        reporter.execute(this::reportIfChanged);
    }

    /** What the twin's reported properties say: the slow-moving part of getStatus, with twin-safe names. */
    @SuppressWarnings("unchecked")
    Map<String, Object> reportedProperties() throws CommandException {
        GatewayCommand getStatus = commands.get("getStatus");
        Map<String, Object> r = new LinkedHashMap<>();
        if (getStatus != null) {
            Map<String, Object> status = (Map<String, Object>) getStatus.execute(Map.of());
            r.put("version", status.get("version"));
            r.put("models", status.get("models"));
            Map<String, Object> cameras = new LinkedHashMap<>();
            ((Map<String, Map<String, Object>>) status.get("cameras")).forEach((id, c) -> {
                Map<String, Object> camera = new LinkedHashMap<>();
                for (String k : new String[] {"state", "camera", "model", "modelVersion"}) {
                    camera.put(k, c.get(k));
                }
                cameras.put(id, camera);
            });
            r.put("cameras", cameras);
            Map<String, Object> telemetry = (Map<String, Object>) status.get("telemetry");
            r.put("outboxDepth", telemetry.get("outboxDepth"));
            Map<String, Object> uplinks = new LinkedHashMap<>();
            ((Map<String, Map<String, Object>>) telemetry.get("uplinks")).forEach((name, u) -> uplinks.put(name, Map.of("connected", u.get("connected"))));
            r.put("uplinks", uplinks);
        }
        r.put("desired", desiredOutcome);
        return (Map<String, Object>) TwinNames.safe(r);
    }

    private synchronized void reportIfChanged() {
        if (link == null || !link.status().connected()) {
            return;
        }
        try {
            Map<String, Object> now = reportedProperties();
            Map<String, Object> withoutDepth = new LinkedHashMap<>(now);
            withoutDepth.remove("outboxDepth");
            Map<String, Object> before = new LinkedHashMap<>(reported);
            Object depthBefore = before.remove("outboxDepth");
            boolean changed = !before.equals(withoutDepth);
            boolean depthDue = !Objects.equals(depthBefore, now.get("outboxDepth"))
                    && System.currentTimeMillis() - reportedAt >= DEPTH_REPORT_INTERVAL.toMillis();
            if (!changed && !depthDue) {
                return;
            }
            // a null for everything the twin may hold: a patch that was not acknowledged may still have been applied
            Map<String, Object> mayHold = TwinNames.union(reported, attempted);
            attempted = TwinNames.union(mayHold, now);
            link.report(TwinNames.patch(mayHold, now)).toCompletableFuture().get(30, TimeUnit.SECONDS);
            reported = now;
            attempted = now;
            reportedAt = System.currentTimeMillis();
        } catch (Exception e) {
            LOG.warn("Could not report to the twin: {}", e.toString());
        }
    }

    @Deactivate
    void deactivate() {
        if (registration != null) {
            registration.unregister();
        }
        reporter.shutdownNow();
        if (link != null) {
            link.close();
        }
    }
}
