package org.osprey.telemetry.iothub.twin;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Desired properties onto the gateway's configuration, one property per configurable component:
 * <ul>
 * <li>the property's name is the PID without {@code org.osprey.}, dots written as {@code _} (twin names
 * cannot hold dots): {@code speech_announcer} is {@code org.osprey.speech.announcer};</li>
 * <li>its value is an object of the component's attributes, named the same way ({@code camera_id} is
 * {@code camera.id}, {@code __} is a {@code _}); values given replace, {@code null} removes, the others
 * stay as they are;</li>
 * <li>for factory components (cameras, pipelines) the value is an object of named instances, each an
 * object of attributes: {@code "pipeline": {"door": {"camera": "door", "model": "blazeface"}}};</li>
 * <li>a component or instance set to {@code null} is deleted.</li>
 * </ul>
 * Only Osprey's own components can be set, and not this uplink itself (a wrong connection string sent
 * from the hub would cut the gateway off from the hub).
 * <p>
 * Configurations the twin created are marked ({@value #OWNER}={@value #TWIN}). On each full twin (after
 * every connect) they are {@linkplain #reconcile reconciled}: those the desired document no longer has
 * are deleted, so a removal made while the gateway was offline (the hub does not replay patches) still
 * takes effect. Configurations made in the deploy folder or the web console are never deleted this way.
 */
public final class TwinConfiguration {

    private static final String PREFIX = "org.osprey.";
    private static final String SELF = "org.osprey.telemetry.iothub";

    /** The property that marks a configuration the twin created. */
    public static final String OWNER = "osprey.owner";
    public static final String TWIN = "twin";

    private final ConfigurationAdmin admin;

    public TwinConfiguration(ConfigurationAdmin admin) {
        this.admin = admin;
    }

    /** @return per desired property, {@code ok} or what was wrong with it */
    public Map<String, String> apply(Map<String, Object> desired) {
        Map<String, String> outcome = new LinkedHashMap<>();
        desired.forEach((key, value) -> {
            if (key.startsWith("$")) {
                return;
            }
            try {
                apply(pid(key), value);
                outcome.put(key, "ok");
            } catch (Exception e) {
                outcome.put(key, e.getMessage() == null ? e.toString() : e.getMessage());
            }
        });
        return outcome;
    }

    /**
     * Deletes the configurations the twin created that the full desired document no longer names.
     *
     * @return what was deleted, as {@code property} or {@code property/instance}
     */
    public List<String> reconcile(Map<String, Object> desired) {
        List<String> removed = new ArrayList<>();
        try {
            Configuration[] owned = admin.listConfigurations("(" + OWNER + "=" + TWIN + ")");
            for (Configuration c : owned == null ? new Configuration[0] : owned) {
                String factory = c.getFactoryPid();
                String key = key(factory == null ? c.getPid() : factory);
                Object value = desired.get(key);
                String instance = factory == null ? null : c.getPid().substring(c.getPid().indexOf('~') + 1);
                boolean wanted = factory == null ? value != null : value instanceof Map<?, ?> instances && instances.get(instance) != null;
                if (!wanted) {
                    c.delete();
                    removed.add(instance == null ? key : key + "/" + instance);
                }
            }
        } catch (Exception e) {
            removed.add("failed: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        }
        return removed;
    }

    /** {@code org.osprey.speech.announcer} to {@code speech_announcer}: the inverse of {@link #pid}. */
    static String key(String pid) {
        return pid.substring(PREFIX.length()).replace("_", "__").replace('.', '_');
    }

    /** {@code speech_announcer} to {@code org.osprey.speech.announcer}. */
    public static String pid(String key) {
        if (!key.matches("[A-Za-z0-9_]+")) {
            throw new IllegalArgumentException("not a component: " + key + " (letters, digits and _ only)");
        }
        String pid = PREFIX + name(key);
        if (pid.equals(SELF)) {
            throw new IllegalArgumentException("the IoT Hub uplink is not configured from its own twin");
        }
        return pid;
    }

    /** Twin names to configuration names: {@code _} is a dot, {@code __} an underscore (as DS maps method names). */
    static String name(String key) {
        return key.replace("__", "\u0000").replace('_', '.').replace('\u0000', '_');
    }

    private void apply(String pid, Object value) throws Exception {
        if (value == null) {
            for (Configuration c : instances(pid)) {
                c.delete();
            }
            Configuration single = admin.getConfiguration(pid, "?");
            if (single.getProperties() != null) {
                single.delete();
            }
            return;
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("a component's value is an object of its attributes");
        }
        if (map.isEmpty()) {
            // nothing to set (what a factory's last instance set to null leaves in the twin); never a new empty configuration
            return;
        }
        boolean factory = map.values().stream().allMatch(v -> v == null || v instanceof Map);
        if (!factory) {
            update(admin.getConfiguration(pid, "?"), map);
            return;
        }
        for (Map.Entry<?, ?> instance : map.entrySet()) {
            Configuration c = admin.getFactoryConfiguration(pid, String.valueOf(instance.getKey()), "?");
            if (instance.getValue() == null) {
                if (c.getProperties() != null) {
                    c.delete();
                }
            } else {
                update(c, (Map<?, ?>) instance.getValue());
            }
        }
    }

    private List<Configuration> instances(String factoryPid) throws Exception {
        Configuration[] found = admin.listConfigurations("(service.factoryPid=" + factoryPid + ")");
        return found == null ? List.of() : List.of(found);
    }

    private static void update(Configuration c, Map<?, ?> attributes) throws Exception {
        Dictionary<String, Object> properties = c.getProperties() == null ? new Hashtable<>() : c.getProperties();
        if (c.getProperties() == null) {
            properties.put(OWNER, TWIN); // made by the twin: the twin may delete it again
        }
        for (Map.Entry<?, ?> a : attributes.entrySet()) {
            String name = name(String.valueOf(a.getKey()));
            if (a.getValue() == null) {
                properties.remove(name);
            } else {
                properties.put(name, value(name, a.getValue()));
            }
        }
        c.updateIfDifferent(properties);
    }

    /** JSON values to configuration values: whole numbers as Long, others as Double, lists as String[]. */
    static Object value(String name, Object v) {
        if (v instanceof Number n) {
            double d = n.doubleValue();
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? (Object) (long) d : (Object) d;
        }
        if (v instanceof String || v instanceof Boolean) {
            return v;
        }
        if (v instanceof List<?> list) {
            List<String> out = new ArrayList<>();
            for (Object e : list) {
                out.add(String.valueOf(value(name, e)));
            }
            return out.toArray(String[]::new);
        }
        throw new IllegalArgumentException(name + ": an object is not a configuration value (a factory component's instances must all be objects)");
    }
}
