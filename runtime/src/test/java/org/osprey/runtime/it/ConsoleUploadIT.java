package org.osprey.runtime.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.Test;
import org.ops4j.pax.exam.Option;

/**
 * Hot deploy as users do it: the web console's bundle upload (the request its "Install/Update" form
 * sends) and a jar dropped into the deploy folder both switch the model in use.
 */
public class ConsoleUploadIT extends OspreyTestSupport {

    @Override
    protected Option[] extraOptions() {
        return testModels();
    }

    @Test
    public void uploadThroughTheWebConsoleSwitchesTheModel() throws Exception {
        InferenceIT.awaitActive("blazeface", "1.2.0");
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
    }

    /** The console's default leaves "Start Bundle" unticked: a model bundle has no code, so it is started and served anyway. */
    @Test
    public void aModelUploadedWithoutStartBundleIsServedAnyway() throws Exception {
        InferenceIT.awaitActive("blazeface", "1.2.0");
        Map<String, Object> form = new LinkedHashMap<>();
        form.put("action", "install");
        form.put("bundlefile", TestModelFiles.bytes("blazeface-3.0.0.jar"));
        HttpAnswer upload = postForm("/system/console/bundles", form, ADMIN_PASSWORD);
        assertTrue(upload.status + " " + upload.body, upload.status == 200 || upload.status == 302);
        InferenceIT.awaitActive("blazeface", "3.0.0");
        assertEquals("3.0.0", InferenceIT.json(post("/image", "image/png", sample("astronaut.png"), null)).get("iteration").getAsString());
        org.osgi.framework.Bundle uploaded = java.util.Arrays.stream(context.getBundles())
                .filter(b -> "osprey.model.blazeface".equals(b.getSymbolicName())).findFirst().orElseThrow();
        // one the user stops stays stopped
        uploaded.stop();
        InferenceIT.awaitActive("blazeface", "1.2.0");
        assertEquals(org.osgi.framework.Bundle.RESOLVED, uploaded.getState());
    }

    /**
     * Uploading a jar with the symbolic name of an installed one makes the console update that bundle
     * (stop, replace, start): the old model serves until the new one is loaded, so no request fails.
     */
    @Test
    public void updateThroughTheWebConsoleFailsNoRequest() throws Exception {
        Map<String, Object> form = new LinkedHashMap<>();
        form.put("action", "install");
        form.put("bundlestart", "start");
        form.put("bundlefile", TestModelFiles.bytes("blazeface-3.0.0.jar"));
        postForm("/system/console/bundles", form, ADMIN_PASSWORD);
        InferenceIT.awaitActive("blazeface", "3.0.0");
        // 1.2.0 (the shipped bundle) would be the fallback: take it away so only the handover can save the requests
        org.osgi.framework.Bundle shipped = java.util.Arrays.stream(context.getBundles())
                .filter(b -> "org.osprey.model.blazeface".equals(b.getSymbolicName())).findFirst().orElseThrow();
        shipped.stop();

        ImageClients clients = new ImageClients(2, sample("astronaut.png"), 1);
        try {
            Thread.sleep(300);
            form.put("bundlefile", TestModelFiles.bytes("blazeface-4.0.0.jar"));
            assertTrue(postForm("/system/console/bundles", form, ADMIN_PASSWORD).status < 400);
            InferenceIT.awaitActive("blazeface", "4.0.0");
            long switched = System.nanoTime();
            Thread.sleep(1000);
            ModelHotSwapIT.assertOnly(clients.versionsAfter(switched, 200), "4.0.0");
        } finally {
            clients.close();
            shipped.start();
        }
        assertEquals("failed requests: " + clients.failures, java.util.List.of(), clients.failures);
        long bundles = java.util.Arrays.stream(context.getBundles()).filter(b -> "osprey.model.blazeface".equals(b.getSymbolicName())).count();
        assertEquals("the console updated the bundle instead of installing a second one", 1, bundles);
    }

    /** Each test starts from the shipped model alone. */
    @org.junit.After
    public void removeUploadedModels() throws Exception {
        for (org.osgi.framework.Bundle b : context.getBundles()) {
            if ("osprey.model.blazeface".equals(b.getSymbolicName())) {
                b.uninstall();
            }
        }
        InferenceIT.awaitActive("blazeface", "1.2.0");
    }

    @Test
    public void jarDroppedIntoTheDeployFolderSwitchesTheModel() throws Exception {
        InferenceIT.awaitActive("blazeface", "1.2.0");
        Path deploy = Path.of(context.getProperty("felix.fileinstall.dir"));
        Path jar = deploy.resolve("blazeface-4.0.0.jar");
        Files.write(jar, TestModelFiles.bytes("blazeface-4.0.0.jar"));
        InferenceIT.awaitActive("blazeface", "4.0.0");
        assertEquals("4.0.0", InferenceIT.json(post("/image", "image/png", sample("astronaut.png"), null)).get("iteration").getAsString());

        Files.delete(jar);
        // 3.0.0 may be installed too when the upload test ran first in this framework
        long deadline = System.currentTimeMillis() + 30_000;
        String version = "4.0.0";
        while (version.equals("4.0.0") && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
            version = InferenceIT.json(post("/image", "image/png", sample("astronaut.png"), null)).get("iteration").getAsString();
        }
        assertTrue("falls back when the jar is deleted, was " + version, !version.equals("4.0.0"));
    }
}
