package org.osprey.http.health;

import static org.junit.Assert.assertEquals;

import java.lang.reflect.Proxy;
import java.util.Hashtable;
import java.util.List;

import org.junit.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.Version;

public class HealthReportTest {

    /** A bundle that answers only what the report asks: state, name, version, headers. */
    private static Bundle bundle(String name, int state, boolean fragment) {
        return bundle(name, state, fragment, false);
    }

    private static Bundle bundle(String name, int state, boolean fragment, boolean lazy) {
        Hashtable<String, String> headers = new Hashtable<>();
        if (fragment) {
            headers.put("Fragment-Host", "system.bundle");
        }
        if (lazy) {
            headers.put("Bundle-ActivationPolicy", "lazy");
        }
        return (Bundle) Proxy.newProxyInstance(Bundle.class.getClassLoader(), new Class<?>[] {Bundle.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getState" -> state;
                    case "getSymbolicName" -> name;
                    case "getVersion" -> Version.parseVersion("1.0.0");
                    case "getHeaders" -> headers;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    public void allActiveIsUp() {
        HealthReport r = HealthReport.of(new Bundle[] {bundle("a", Bundle.ACTIVE, false),
                bundle("ext", Bundle.RESOLVED, true)}, true, 5, java.util.Map.of());
        assertEquals("up", r.status);
        assertEquals(2, (int) r.bundles.get("total"));
        assertEquals(1, (int) r.bundles.get("active"));
        assertEquals(1, (int) r.bundles.get("fragments"));
        assertEquals(List.of(), r.inactive);
    }

    @Test
    public void aResolvedBundleMakesItDegradedAndIsNamed() {
        HealthReport r = HealthReport.of(new Bundle[] {bundle("a", Bundle.ACTIVE, false),
                bundle("broken", Bundle.RESOLVED, false)}, true, 5, java.util.Map.of());
        assertEquals("degraded", r.status);
        assertEquals(List.of("broken 1.0.0"), r.inactive);
    }

    @Test
    public void startingWhileTheFrameworkStarts() {
        assertEquals("starting", HealthReport.of(new Bundle[] {bundle("a", Bundle.ACTIVE, false)}, false, 0, java.util.Map.of()).status);
        assertEquals("starting", HealthReport.of(new Bundle[] {bundle("a", Bundle.STARTING, false)}, true, 0, java.util.Map.of()).status);
    }

    /** A lazily activated bundle waits in STARTING until its first class is used: that is up, not starting. */
    @Test
    public void lazyBundlesWaitingForTheirFirstUseAreUp() {
        HealthReport r = HealthReport.of(new Bundle[] {bundle("a", Bundle.ACTIVE, false), bundle("paho", Bundle.STARTING, false, true)}, true, 5, java.util.Map.of());
        assertEquals("up", r.status);
        assertEquals(1, (int) r.bundles.get("lazy"));
        assertEquals(List.of(), r.inactive);
    }
}
