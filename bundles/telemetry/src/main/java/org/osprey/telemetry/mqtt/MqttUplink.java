package org.osprey.telemetry.mqtt;

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

    @Activate
    public MqttUplink(MqttUplinkConfiguration config) {
        String clientId = config.clientId().isBlank() ? "osprey-" + config.gateway() : config.clientId();
        link = new MqttLink(new MqttLink.Settings(config.broker(), clientId, config.gateway(), config.user(), config._password().toCharArray(),
                path(config.caFile()), path(config.certFile()), path(config.keyFile()), config.verifyHostname()),
                config.commands() ? this::answer : null);
        LOG.info("MQTT uplink to {} as {}", config.broker(), clientId);
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
        link.close();
    }
}
