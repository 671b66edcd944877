package org.osprey.runtime.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.Before;
import org.junit.Test;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.Bundle;

import com.google.gson.JsonObject;

/**
 * Models are swapped while the gateway serves: a newer version takes over with no failed request,
 * removing it falls back, a broken model changes nothing, and sessions do not leak.
 */
public class ModelHotSwapIT extends OspreyTestSupport {

    @Override
    protected Option[] extraOptions() {
        return testModels();
    }

    @Before
    public void shippedModelServes() throws Exception {
        InferenceIT.awaitActive("blazeface", "1.2.0");
    }

    /** Four clients post images the whole time; v2 comes and goes under them. */
    @Test
    public void newerVersionTakesOverAndFallsBackWithNoFailedRequest() throws Exception {
        ImageClients clients = new ImageClients(4, sample("astronaut.png"), 1);
        try {
            clients.awaitVersionsAfter(System.nanoTime(), 0, 5);
            Bundle v2 = context.installBundle(TestModelFiles.uri("blazeface-2.0.0.jar"));
            v2.start();
            InferenceIT.awaitActive("blazeface", "2.0.0");
            assertOnly(clients.awaitVersionsAfter(System.nanoTime(), 200, 10), "2.0.0");

            v2.uninstall();
            InferenceIT.awaitActive("blazeface", "1.2.0");
            assertOnly(clients.awaitVersionsAfter(System.nanoTime(), 200, 10), "1.2.0");
        } finally {
            clients.close();
        }
        assertEquals("failed requests: " + clients.failures, List.of(), clients.failures);
        assertTrue("served " + clients.answers.size(), clients.answers.size() > 40);
    }

    /** Answers completed well after a switch come from the new version only (those in flight may not). */
    static void assertOnly(List<String> versions, String version) {
        assertTrue("answers after the switch", versions.size() > 5);
        for (String v : versions) {
            assertEquals("version answering after the switch", version, v);
        }
    }

    @Test
    public void brokenModelsAreReportedAndChangeNothing() throws Exception {
        List<Bundle> broken = new ArrayList<>();
        for (String jar : new String[] {"corrupt.jar", "wrong-size.jar", "unknown-decoder.jar"}) {
            Bundle b = context.installBundle(TestModelFiles.uri(jar));
            b.start();
            broken.add(b);
        }
        JsonObject corrupt = awaitState("test.model.corrupt", "failed");
        assertTrue(corrupt.toString(), corrupt.get("message").getAsString().contains("not a model ONNX Runtime can load"));
        JsonObject wrongSize = awaitState("test.model.wrongsize", "failed");
        assertTrue(wrongSize.toString(), wrongSize.get("message").getAsString().contains("[1, 128, 128, 3]"));
        JsonObject unknown = awaitState("test.model.unknowndecoder", "failed");
        assertTrue(unknown.toString(), unknown.get("message").getAsString().contains("unknown decoder 'no-such-decoder'"));

        InferenceIT.awaitActive("blazeface", "1.2.0");
        HttpAnswer a = post("/image", "image/png", sample("astronaut.png"), null);
        assertEquals(200, a.status);
        assertEquals("1.2.0", InferenceIT.json(a).get("iteration").getAsString());
        assertEquals("no session leaked by a failed load", 1, openSessions());

        for (Bundle b : broken) {
            b.uninstall();
        }
        assertEquals(1, InferenceIT.json(get("/api/v1/models", ADMIN_PASSWORD)).getAsJsonArray("models").size());
    }

    @Test
    public void fiftyInstallUninstallCyclesLeakNoSession() throws Exception {
        int before = openSessions();
        for (int i = 0; i < 50; i++) {
            Bundle v2 = context.installBundle(TestModelFiles.uri("blazeface-2.0.0.jar"));
            v2.start();
            InferenceIT.awaitActive("blazeface", "2.0.0");
            assertEquals(200, post("/image", "image/png", sample("coffee.png"), null).status);
            v2.uninstall();
        }
        InferenceIT.awaitActive("blazeface", "1.2.0");
        long deadline = System.currentTimeMillis() + 10_000;
        while (openSessions() != before && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertEquals("open ONNX Runtime sessions after 50 cycles", before, openSessions());
    }

    private static int openSessions() throws Exception {
        return InferenceIT.json(get("/api/v1/models", ADMIN_PASSWORD)).get("openSessions").getAsInt();
    }

    private static JsonObject awaitState(String symbolicName, String state) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        String last = "";
        while (System.currentTimeMillis() < deadline) {
            HttpAnswer a = get("/api/v1/models", ADMIN_PASSWORD);
            last = a.body;
            for (var m : InferenceIT.json(a).getAsJsonArray("models")) {
                JsonObject o = m.getAsJsonObject();
                if (o.get("symbolicName").getAsString().equals(symbolicName) && o.get("state").getAsString().equals(state)) {
                    return o;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError(symbolicName + " never " + state + ": " + last);
    }
}
