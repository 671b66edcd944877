package org.osprey.http.health;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.osgi.framework.Bundle;

/**
 * The gateway's health, computed from the bundles' states: "up" when every bundle that should run
 * (all but fragments) is active, "starting" while the framework is still starting them, else "degraded"
 * with the bundles that are not active.
 */
final class HealthReport {

    final String status;
    final Map<String, Integer> bundles;
    final List<String> inactive;
    final long uptimeSeconds;
    final Map<String, UplinkHealth> uplinks;

    /** An uplink's connection; {@code reason} (why it is not connected) is null while it is. */
    record UplinkHealth(boolean connected, String reason) {
    }

    private HealthReport(String status, Map<String, Integer> bundles, List<String> inactive, long uptimeSeconds, Map<String, UplinkHealth> uplinks) {
        this.status = status;
        this.bundles = bundles;
        this.inactive = inactive;
        this.uptimeSeconds = uptimeSeconds;
        this.uplinks = uplinks;
    }

    static HealthReport of(Bundle[] all, boolean frameworkActive, long uptimeSeconds, Map<String, UplinkHealth> uplinks) {
        int active = 0, resolved = 0, installed = 0, starting = 0, stopping = 0, fragments = 0, lazy = 0;
        List<String> inactive = new ArrayList<>();
        for (Bundle b : all) {
            boolean fragment = b.getHeaders("").get("Fragment-Host") != null;
            if (fragment) {
                fragments++;
                continue;
            }
            String policy = b.getHeaders("").get("Bundle-ActivationPolicy");
            if (b.getState() == Bundle.STARTING && policy != null && policy.strip().startsWith("lazy")) {
                // lazy activation: started as asked, activated when its first class is used (Paho, say)
                lazy++;
                continue;
            }
            switch (b.getState()) {
                case Bundle.ACTIVE -> active++;
                case Bundle.RESOLVED -> resolved++;
                case Bundle.INSTALLED -> installed++;
                case Bundle.STARTING -> starting++;
                case Bundle.STOPPING -> stopping++;
                default -> { }
            }
            if (b.getState() != Bundle.ACTIVE) {
                inactive.add(b.getSymbolicName() + " " + b.getVersion());
            }
        }
        Map<String, Integer> counts = new TreeMap<>();
        counts.put("total", all.length);
        counts.put("active", active);
        counts.put("resolved", resolved);
        counts.put("installed", installed);
        counts.put("starting", starting);
        counts.put("stopping", stopping);
        counts.put("fragments", fragments);
        counts.put("lazy", lazy);
        String status = !frameworkActive || starting > 0 ? "starting" : inactive.isEmpty() ? "up" : "degraded";
        return new HealthReport(status, counts, inactive, uptimeSeconds, uplinks);
    }
}
