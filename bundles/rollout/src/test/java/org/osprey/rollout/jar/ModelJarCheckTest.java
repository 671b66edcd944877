package org.osprey.rollout.jar;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class ModelJarCheckTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static final Map<String, String> MODEL = Map.of("Bundle-ManifestVersion", "2", "Bundle-SymbolicName", "osprey.model.fruit",
            "Bundle-Version", "1.2.0", "Osprey-Model", "model/model.json",
            "Require-Capability", "osgi.extender;filter:=\"(&(osgi.extender=osprey.model)(version>=1.0)(!(version>=2.0)))\"");

    private Path jar(Map<String, String> headers, String... entries) throws Exception {
        Path file = tmp.newFile().toPath();
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        headers.forEach(m.getMainAttributes()::putValue);
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out, m)) {
            for (String e : entries) {
                jar.putNextEntry(new JarEntry(e));
                jar.write(e.getBytes(StandardCharsets.UTF_8));
                jar.closeEntry();
            }
        }
        return file;
    }

    private static String refusal(Path jar, String sha256, String name, String version) throws Exception {
        try {
            ModelJarCheck.check(jar, sha256, name, version);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        fail("accepted");
        return null;
    }

    private static Map<String, String> with(String header, String value) {
        var m = new java.util.HashMap<>(MODEL);
        m.put(header, value);
        return m;
    }

    @Test
    public void aModelBundleWithTheRightHashNameAndVersionPasses() throws Exception {
        Path jar = jar(MODEL, "model/model.json", "model/model.onnx", "model/labels.txt");
        ModelJarCheck.check(jar, ModelJarCheck.sha256(jar).toUpperCase(), "fruit", "1.2");
    }

    @Test
    public void anythingElseIsRefusedWithTheReason() throws Exception {
        Path good = jar(MODEL, "model/model.json");
        String sha = ModelJarCheck.sha256(good);
        assertEquals("SHA-256 mismatch: wanted " + "0".repeat(64) + ", the download is " + sha, refusal(good, "0".repeat(64), "fruit", "1.2.0"));
        assertEquals("the jar is version 1.2.0, not 1.3.0", refusal(good, sha, "fruit", "1.3.0"));
        assertEquals("the jar is osprey.model.fruit, not the model apple (osprey.model.apple)", refusal(good, sha, "apple", "1.2.0"));

        Path withClass = jar(MODEL, "model/model.json", "org/evil/Payload.class");
        assertEquals("a model bundle from a rollout has no code; this one has org/evil/Payload.class",
                refusal(withClass, ModelJarCheck.sha256(withClass), "fruit", "1.2.0"));
        Path activator = jar(with("Bundle-Activator", "org.evil.Activator"), "model/model.json");
        assertEquals("a model bundle from a rollout has no code; this one has Bundle-Activator: org.evil.Activator",
                refusal(activator, ModelJarCheck.sha256(activator), "fruit", "1.2.0"));
        Path imports = jar(with("Import-Package", "org.osgi.framework"), "model/model.json");
        assertEquals("a model bundle from a rollout has no code; this one has Import-Package: org.osgi.framework",
                refusal(imports, ModelJarCheck.sha256(imports), "fruit", "1.2.0"));
        Path requires = jar(with("Require-Capability", "osgi.service;filter:=\"(objectClass=x)\""), "model/model.json");
        assertEquals("a model bundle from a rollout requires only the model extender; this one: osgi.service;filter:=\"(objectClass=x)\"",
                refusal(requires, ModelJarCheck.sha256(requires), "fruit", "1.2.0"));
        var noHeader = new java.util.HashMap<>(MODEL);
        noHeader.remove("Osprey-Model");
        Path plain = jar(noHeader, "readme.txt");
        assertEquals("not a model bundle: no Osprey-Model header", refusal(plain, ModelJarCheck.sha256(plain), "fruit", "1.2.0"));
        Path notAJar = Files.writeString(tmp.newFile().toPath(), "<html>sign in</html>");
        assertEquals("not a jar: zip END header not found", refusal(notAJar, ModelJarCheck.sha256(notAJar), "fruit", "1.2.0"));
    }
}
