package org.osprey.pipeline.command;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osprey.api.command.CommandException;
import org.osprey.api.command.GatewayCommand;
import org.osprey.api.vision.Model;

/**
 * {@code selectModel}: {@code {"model": "<name>", "camera": "<camera id>"}} makes the pipeline of that
 * camera (of every camera when none is named) use the model of that name. It changes the pipelines'
 * configuration, so the choice lasts across restarts and shows in the web console; an empty name goes
 * back to the newest model installed. A name no installed model has is refused, naming those there are.
 */
@Component(service = GatewayCommand.class, property = GatewayCommand.NAME + "=selectModel")
public class SelectModelCommand implements GatewayCommand {

    private static final String PIPELINES = "(service.factoryPid=org.osprey.pipeline)";

    private final BundleContext context;
    private final ConfigurationAdmin admin;

    @Activate
    public SelectModelCommand(BundleContext context, @Reference ConfigurationAdmin admin) {
        this.context = context;
        this.admin = admin;
    }

    @Override
    public Object execute(Map<String, Object> arguments) throws CommandException {
        if (!(arguments.get("model") instanceof String model)) {
            throw new CommandException(CommandException.BAD_REQUEST, "give the model's name: {\"model\": \"<name>\"} (\"\" for the newest)");
        }
        Object camera = arguments.get("camera");
        if (camera != null && !(camera instanceof String)) {
            throw new CommandException(CommandException.BAD_REQUEST, "camera must be a camera id (a string)");
        }
        if (!model.isEmpty()) {
            TreeSet<String> installed = installedModels();
            if (!installed.contains(model)) {
                throw new CommandException(CommandException.NOT_FOUND, "no model named " + model + " is installed; there are " + installed);
            }
        }
        try {
            Configuration[] pipelines = admin.listConfigurations(PIPELINES);
            List<String> changed = new ArrayList<>();
            for (Configuration c : pipelines == null ? new Configuration[0] : pipelines) {
                Dictionary<String, Object> p = c.getProperties();
                if (p != null && (camera == null || camera.equals(p.get("camera")))) {
                    p.put("model", model);
                    c.updateIfDifferent(p);
                    changed.add(String.valueOf(p.get("camera")));
                }
            }
            if (camera != null && changed.isEmpty()) {
                throw new CommandException(CommandException.NOT_FOUND, "no pipeline watches camera " + camera);
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("model", model);
            result.put("cameras", changed);
            return result;
        } catch (CommandException e) {
            throw e;
        } catch (Exception e) {
            throw new CommandException(CommandException.FAILED, "cannot change the pipelines' configuration: " + e.getMessage(), e);
        }
    }

    private TreeSet<String> installedModels() throws CommandException {
        try {
            TreeSet<String> names = new TreeSet<>();
            for (ServiceReference<Model> r : context.getServiceReferences(Model.class, null)) {
                names.add(String.valueOf(r.getProperty(Model.NAME)));
            }
            return names;
        } catch (Exception e) {
            throw new CommandException(CommandException.FAILED, e.getMessage(), e);
        }
    }
}
