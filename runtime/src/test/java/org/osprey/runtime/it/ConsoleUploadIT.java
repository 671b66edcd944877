package org.osprey.runtime.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.After;
import org.junit.Test;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.Bundle;
import org.osgi.framework.Version;

/**
 * Hot deploy as users do it: the web console's bundle upload (the request its "Install/Update" form
 * sends) and a jar dropped into the deploy folder both switch the model in use.
 */
public class ConsoleUploadIT extends OspreyTestSupport {

    @Override
    protected Option[] extraOptions() {
        return testModels();
    }

    /**
     * Every model bundle is named {@code osprey.model.NAME}, the shipped BlazeFace included: a newer
     * BlazeFace uploaded through the console updates the shipped bundle in place instead of installing
     * beside it.
     */
    @Test
    public void uploadThroughTheWebConsoleUpdatesTheShippedModelInPlace() throws Exception {
        Bundle shipped = blazeface().get(0);
        Map<String, Object> form = new LinkedHashMap<>();
        form.put("action", "install");
        form.put("bundlestart", "start");
        form.put("bundlestartlevel", "2");
        form.put("bundlefile", TestModelFiles.bytes("blazeface-3.0.0.jar"));
        assertEquals("the console wants its password", 401, postForm("/system/console/bundles", form, null).status);
        HttpAnswer upload = postForm("/system/console/bundles", form, ADMIN_PASSWORD);
        // the console answers its form with a redirect to the bundle list, as a browser expects
        assertTrue(upload.status + " " + upload.body, upload.status == 200 || upload.status == 302);

        InferenceIT.awaitActive("blazeface", "3.0.0");
        HttpAnswer a = post("/image", "image/png", sample("astronaut.png"), null);
        assertEquals("3.0.0", InferenceIT.json(a).get("iteration").getAsString());
        List<Bundle> after = blazeface();
        assertEquals("one BlazeFace bundle: " + after, 1, after.size());
        assertEquals("the shipped bundle was updated", shipped.getBundleId(), after.get(0).getBundleId());
        assertEquals(Version.parseVersion("3.0.0"), after.get(0).getVersion());
    }

    /** The console's default leaves "Start Bundle" unticked: a new model bundle has no code, so it is started and served anyway. */
    @Test
    public void aModelUploadedWithoutStartBundleIsServedAnyway() throws Exception {
        Map<String, Object> form = new LinkedHashMap<>();
        form.put("action", "install");
        form.put("bundlefile", TestModelFiles.bytes("portrait-1.0.0.jar"));
        HttpAnswer upload = postForm("/system/console/bundles", form, ADMIN_PASSWORD);
        assertTrue(upload.status + " " + upload.body, upload.status == 200 || upload.status == 302);
        InferenceIT.awaitActive("portrait", "1.0.0");
        assertEquals("1.0.0", InferenceIT.json(post("/image?model=portrait", "image/png", sample("astronaut.png"), null)).get("iteration").getAsString());
        Bundle uploaded = bundles("osprey.model.portrait").get(0);
        // one the user stops stays stopped: the extender starts bundles one at a time on one thread, so once
        // a bundle installed after the stop is active, a restart of the stopped one would have happened
        uploaded.stop();
        Bundle later = context.installBundle(TestModelFiles.uri("blazeface-2.0.0.jar"));
        try {
            InferenceIT.awaitActive("blazeface", "2.0.0");
            assertEquals(Bundle.RESOLVED, uploaded.getState());
        } finally {
            later.uninstall();
        }
    }

    /**
     * Updating the model in use through the console (stop, replace, start the same bundle) fails no
     * request: with no other version to fall back on, only the handover from the old session to the new
     * one can save the requests in flight.
     */
    @Test
    public void updateThroughTheWebConsoleFailsNoRequest() throws Exception {
        Map<String, Object> form = new LinkedHashMap<>();
        form.put("action", "install");
        form.put("bundlestart", "start");
        ImageClients clients = new ImageClients(2, sample("astronaut.png"), 1);
        try {
            clients.awaitVersionsAfter(System.nanoTime(), 0, 5);
            for (String version : new String[] {"3.0.0", "4.0.0"}) {
                form.put("bundlefile", TestModelFiles.bytes("blazeface-" + version + ".jar"));
                assertTrue(postForm("/system/console/bundles", form, ADMIN_PASSWORD).status < 400);
                InferenceIT.awaitActive("blazeface", version);
                ModelHotSwapIT.assertOnly(clients.awaitVersionsAfter(System.nanoTime(), 200, 10), version);
            }
        } finally {
            clients.close();
        }
        assertEquals("failed requests: " + clients.failures, List.of(), clients.failures);
        assertEquals("the console updated the bundle instead of installing a second one", 1, blazeface().size());
    }

    /** Each test starts from the shipped model alone: a BlazeFace updated in place is put back to 1.2.0. */
    @After
    public void restoreTheShippedModel() throws Exception {
        for (Bundle b : bundles("osprey.model.portrait")) {
            b.uninstall();
        }
        for (Bundle b : blazeface()) {
            if (!b.getVersion().equals(Version.parseVersion("1.2.0"))) {
                try (InputStream in = new ByteArrayInputStream(TestModelFiles.bytes("blazeface-1.2.0.jar"))) {
                    b.update(in);
                }
            }
        }
        InferenceIT.awaitActive("blazeface", "1.2.0");
    }

    private List<Bundle> blazeface() {
        return bundles("osprey.model.blazeface");
    }

    private List<Bundle> bundles(String symbolicName) {
        return Arrays.stream(context.getBundles()).filter(b -> symbolicName.equals(b.getSymbolicName())).toList();
    }

    @Test
    public void jarDroppedIntoTheDeployFolderSwitchesTheModel() throws Exception {
        InferenceIT.awaitActive("blazeface", "1.2.0");
        Path deploy = Path.of(context.getProperty("felix.fileinstall.dir"));
        Path jar = deploy.resolve("blazeface-4.0.0.jar");
        try {
            Files.write(jar, TestModelFiles.bytes("blazeface-4.0.0.jar"));
            InferenceIT.awaitActive("blazeface", "4.0.0");
            assertEquals("4.0.0", InferenceIT.json(post("/image", "image/png", sample("astronaut.png"), null)).get("iteration").getAsString());
        } finally {
            Files.deleteIfExists(jar);
        }
        long deadline = System.currentTimeMillis() + 30_000;
        String version = "4.0.0";
        while (version.equals("4.0.0") && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
            version = InferenceIT.json(post("/image", "image/png", sample("astronaut.png"), null)).get("iteration").getAsString();
        }
        assertEquals("falls back to the shipped version when the jar is deleted", "1.2.0", version);
    }
}
