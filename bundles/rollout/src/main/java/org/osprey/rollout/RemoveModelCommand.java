package org.osprey.rollout;

import java.util.Map;

import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osprey.api.command.CommandException;
import org.osprey.api.command.GatewayCommand;
import org.osprey.api.rollout.ModelRollout;

/**
 * {@code removeModel} with {@code {"name": "fruit"}}: the gateway no longer wants that model; the versions
 * the rollout installed are uninstalled (a version installed by other means stays).
 */
@Component(service = GatewayCommand.class, property = GatewayCommand.NAME + "=removeModel")
public class RemoveModelCommand implements GatewayCommand {

    private final ConfigurationAdmin admin;

    @Activate
    public RemoveModelCommand(@Reference ConfigurationAdmin admin) {
        this.admin = admin;
    }

    @Override
    public Object execute(Map<String, Object> arguments) throws CommandException {
        Object name = arguments.get("name");
        if (name == null || name.toString().isBlank()) {
            throw new CommandException(CommandException.BAD_REQUEST, "the argument is {\"name\": \"model name\"}");
        }
        try {
            Configuration[] found = admin.listConfigurations("(service.pid=" + ModelRollout.FACTORY_PID + "~" + escape(name.toString()) + ")");
            if (found == null) {
                throw new CommandException(CommandException.NOT_FOUND, "the model " + name + " is not wanted: only models that installModel "
                        + "or the twin's 'models' named can be removed this way");
            }
            for (Configuration c : found) {
                c.delete();
            }
        } catch (java.io.IOException | org.osgi.framework.InvalidSyntaxException e) {
            throw new CommandException(CommandException.FAILED, "cannot remove the wanted model: " + e.getMessage());
        }
        return Map.of("name", name.toString(), "state", "removed");
    }

    /** A filter value with its special characters escaped. */
    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("*", "\\*").replace("(", "\\(").replace(")", "\\)");
    }
}
