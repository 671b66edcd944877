package org.osprey.rollout;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Map;

import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osprey.api.command.CommandException;
import org.osprey.api.command.GatewayCommand;
import org.osprey.api.rollout.ModelRollout;
import org.osprey.api.rollout.RolloutStatus;

/**
 * {@code installModel} with {@code {"name": "fruit", "version": "1.2.0", "url": "https://...", "sha256": "..."}}:
 * the gateway is to have that model version, as if the twin's {@code models} named it. Answers where the
 * rollout stands a moment later (usually {@code downloading}); {@code getStatus} follows it to the end.
 */
@Component(service = GatewayCommand.class, property = GatewayCommand.NAME + "=installModel")
public class InstallModelCommand implements GatewayCommand {

    private static final long ANSWER_WAIT_MILLIS = 2_000;

    private final ConfigurationAdmin admin;
    private final ModelRollout rollout;

    @Activate
    public InstallModelCommand(@Reference ConfigurationAdmin admin, @Reference ModelRollout rollout) {
        this.admin = admin;
        this.rollout = rollout;
    }

    @Override
    public Object execute(Map<String, Object> arguments) throws CommandException {
        Object name = arguments.get("name");
        Wanted w;
        try {
            w = Wanted.of(name == null ? null : name.toString(), arguments.get("version"), arguments.get("url"), arguments.get("sha256"));
        } catch (IllegalArgumentException e) {
            throw new CommandException(CommandException.BAD_REQUEST, e.getMessage() + " (arguments: name, version, url, sha256)");
        }
        try {
            Configuration c = admin.getFactoryConfiguration(ModelRollout.FACTORY_PID, w.name(), "?");
            Dictionary<String, Object> p = c.getProperties() == null ? new Hashtable<>() : c.getProperties();
            p.put("version", w.version());
            p.put("url", w.url());
            p.put("sha256", w.sha256());
            c.updateIfDifferent(p);
        } catch (java.io.IOException e) {
            throw new CommandException(CommandException.FAILED, "cannot store the wanted model: " + e.getMessage());
        }
        return answer(rollout, w.name(), w.version(), ANSWER_WAIT_MILLIS);
    }

    /** The rollout's status of that version, once it has one (waiting up to {@code waitMillis}). */
    static Map<String, Object> answer(ModelRollout rollout, String name, String version, long waitMillis) {
        long deadline = System.currentTimeMillis() + waitMillis;
        RolloutStatus s = rollout.status().get(name);
        while ((s == null || !s.version().equals(version)) && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(50); // polled, with a deadline: the rollout works on its own thread
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            s = rollout.status().get(name);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("name", name);
        answer.put("version", version);
        answer.put("state", s == null || !s.version().equals(version) ? "pending" : s.state().name().toLowerCase(java.util.Locale.ROOT));
        if (s != null && s.version().equals(version)) {
            s.why().ifPresent(m -> answer.put("message", m));
        }
        return answer;
    }
}
