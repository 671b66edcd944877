package org.osprey.telemetry.service;

import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The uplinks the configuration says the gateway has, whether or not their services have registered
 * yet: on a fresh start the first events can come before an uplink's component is active, and they must
 * be queued for it. An uplink is expected when its bundle is installed and its configuration exists
 * (MQTT: PID {@code org.osprey.telemetry.mqtt}; IoT Hub: a connection string in
 * {@code org.osprey.telemetry.iothub}, or the {@code IOTEDGE_*} variables of a module).
 */
final class ConfiguredUplinks {

    /** One kind of uplink: its destination name, bundle, configuration, and when it is on. */
    private record Kind(String name, String bundle, String pid, String requiredProperty, boolean onInsideIotEdge) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(ConfiguredUplinks.class);
    private static final List<Kind> KINDS = List.of(
            new Kind("mqtt", "org.osprey.telemetry", "org.osprey.telemetry.mqtt", "broker", false),
            new Kind("iothub", "org.osprey.telemetry.iothub", "org.osprey.telemetry.iothub", ".connectionString", true));

    private final BundleContext context;
    private final ConfigurationAdmin admin;
    private final boolean insideIotEdge;

    ConfiguredUplinks(BundleContext context, ConfigurationAdmin admin, Map<String, String> env) {
        this.context = context;
        this.admin = admin;
        this.insideIotEdge = env.containsKey("IOTEDGE_MODULEID") && (env.containsKey("IOTEDGE_WORKLOADURI") || env.containsKey("EdgeHubConnectionString"));
    }

    Set<String> names() {
        Set<String> names = new TreeSet<>();
        for (Kind k : KINDS) {
            if (installed(k.bundle()) && (k.onInsideIotEdge() && insideIotEdge || configured(k))) {
                names.add(k.name());
            }
        }
        return names;
    }

    private boolean installed(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName()) && b.getState() != Bundle.UNINSTALLED) {
                return true;
            }
        }
        return false;
    }

    private boolean configured(Kind k) {
        try {
            Configuration[] found = admin.listConfigurations("(service.pid=" + k.pid() + ")");
            if (found == null) {
                return false;
            }
            Dictionary<String, Object> p = found[0].getProperties();
            Object value = p == null ? null : p.get(k.requiredProperty());
            return value != null && !String.valueOf(value).isBlank();
        } catch (Exception e) {
            LOG.debug("Cannot read the configuration of {}: {}", k.pid(), e.toString());
            return false;
        }
    }
}
