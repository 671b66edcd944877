package org.osprey.runtime.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** The runtime's bundles in a real Felix: all active, all components satisfied, console secured. */
public class RuntimeIT extends OspreyTestSupport {

    @Test
    public void everyBundleIsActive() {
        List<String> notActive = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            boolean fragment = (b.adapt(BundleRevision.class).getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
            if (!fragment && b.getState() != Bundle.ACTIVE) {
                notActive.add(b.getSymbolicName() + " (state " + b.getState() + ")");
            }
        }
        assertTrue("bundles not active: " + notActive, notActive.isEmpty());
        assertTrue("the Osprey API bundle is installed", installed("org.osprey.api"));
        assertTrue("the Osprey HTTP bundle is installed", installed("org.osprey.http"));
        assertTrue("the web console is installed", installed("org.apache.felix.webconsole"));
    }

    @Test
    public void everyComponentIsSatisfied() {
        ServiceReference<ServiceComponentRuntime> ref = context.getServiceReference(ServiceComponentRuntime.class);
        ServiceComponentRuntime scr = context.getService(ref);
        try {
            List<String> problems = new ArrayList<>();
            int configurations = 0;
            for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
                if (!scr.isComponentEnabled(d) && d.defaultEnabled) {
                    problems.add(d.name + " is disabled");
                }
                for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                    configurations++;
                    if (c.state != ComponentConfigurationDTO.ACTIVE && c.state != ComponentConfigurationDTO.SATISFIED) {
                        problems.add(d.name + " is in state " + c.state
                                + (c.failure == null ? "" : ": " + c.failure)
                                + (c.unsatisfiedReferences.length == 0 ? "" : ", unsatisfied reference " + c.unsatisfiedReferences[0].name));
                    }
                }
            }
            assertTrue("components with problems: " + problems, problems.isEmpty());
            assertTrue("at least the health servlet is a component", configurations >= 1);
        } finally {
            context.ungetService(ref);
        }
    }

    @Test
    public void healthAnswersWithoutCredentials() throws Exception {
        HttpAnswer health = awaitStatus("/health", null, 200, 20_000);
        assertEquals(health.body, 200, health.status);
        JsonObject json = JsonParser.parseString(health.body).getAsJsonObject();
        assertEquals(health.body, "up", json.get("status").getAsString());
        int total = json.getAsJsonObject("bundles").get("total").getAsInt();
        assertEquals(health.body, context.getBundles().length, total);
    }

    @Test
    public void webConsoleRequiresTheAdminPassword() throws Exception {
        HttpAnswer anonymous = awaitStatus("/system/console/bundles.json", null, 401, 20_000);
        assertEquals(401, anonymous.status);
        assertEquals(401, get("/system/console/bundles.json", "admin").status);
        assertEquals(401, get("/system/console/bundles.json", ADMIN_PASSWORD + "x").status);
        // what a browser shows once its login dialog is cancelled: what is needed, not a blank page
        HttpAnswer refused = get("/system/console/osprey-live", null);
        assertEquals(401, refused.status);
        assertTrue(refused.body, refused.body.contains("admin password") && refused.contentType.startsWith("text/html"));

        HttpAnswer admin = awaitStatus("/system/console/bundles.json", ADMIN_PASSWORD, 200, 20_000);
        assertEquals(admin.body, 200, admin.status);
        JsonObject json = JsonParser.parseString(admin.body).getAsJsonObject();
        assertEquals(context.getBundles().length, json.getAsJsonArray("data").size());
    }

    @Test
    public void webConsoleShowsTheDeclarativeServicesComponents() throws Exception {
        HttpAnswer answer = awaitStatus("/system/console/components.json", ADMIN_PASSWORD, 200, 20_000);
        JsonObject throttle = null;
        for (var c : JsonParser.parseString(answer.body).getAsJsonObject().getAsJsonArray("data")) {
            if ("org.osprey.http.auth.LoginThrottle".equals(c.getAsJsonObject().get("name").getAsString())) {
                throttle = c.getAsJsonObject();
            }
        }
        assertTrue(answer.body, throttle != null);
        assertEquals(throttle.toString(), "active", throttle.get("state").getAsString());
        assertEquals("configurable from the same page", "org.osprey.http.auth", throttle.get("configurable").getAsString());

        // every component of an Osprey bundle is on the page, none in a failed state
        java.util.Set<String> listed = new java.util.TreeSet<>();
        List<String> failing = new ArrayList<>();
        for (var c : JsonParser.parseString(answer.body).getAsJsonObject().getAsJsonArray("data")) {
            String name = c.getAsJsonObject().get("name").getAsString();
            String state = c.getAsJsonObject().get("state").getAsString();
            listed.add(name);
            if (name.startsWith("org.osprey.") && (state.contains("failed") || state.contains("reference"))) {
                failing.add(name + ": " + state);
            }
        }
        ServiceReference<ServiceComponentRuntime> ref = context.getServiceReference(ServiceComponentRuntime.class);
        ServiceComponentRuntime scr = context.getService(ref);
        try {
            List<String> osprey = scr.getComponentDescriptionDTOs().stream().filter(d -> d.bundle.symbolicName.startsWith("org.osprey."))
                    .map(d -> d.name).sorted().toList();
            assertTrue("Osprey's components: " + osprey, osprey.size() >= 20);
            List<String> missing = osprey.stream().filter(n -> !listed.contains(n)).toList();
            assertEquals("Osprey components the console does not list", List.of(), missing);
            assertEquals("Osprey components the console shows failing", List.of(), failing);
        } finally {
            context.ungetService(ref);
        }
    }

    private boolean installed(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return true;
            }
        }
        return false;
    }
}
