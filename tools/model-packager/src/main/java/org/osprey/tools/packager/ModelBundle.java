package org.osprey.tools.packager;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.osprey.inference.onnx.model.ModelDescriptor;

/**
 * Writes a model bundle: the descriptor, the ONNX file and the labels under {@code model/}, and a
 * manifest that makes it an OSGi bundle the model extender loads. The same inputs give the same bytes.
 */
public final class ModelBundle {

    public static final String FOLDER = "model/";
    /** Fixed entry time (1980-02-01 UTC) so builds are reproducible. */
    private static final long ENTRY_TIME = 315_532_800_000L;

    private final ModelDescriptor descriptor;
    private final String version;
    private final Map<String, byte[]> files = new LinkedHashMap<>();
    private String symbolicName;

    public ModelBundle(ModelDescriptor descriptor, String version, byte[] onnx) {
        this.descriptor = descriptor;
        this.version = osgiVersion(version);
        this.symbolicName = "osprey.model." + descriptor.name;
        files.put(FOLDER + descriptor.file, onnx);
    }

    /** An OSGi version (major.minor.micro[.qualifier]); "2" becomes 2.0.0. */
    static String osgiVersion(String v) {
        if (v == null || !v.matches("\\d{1,9}(\\.\\d{1,9}){0,2}(\\.[A-Za-z0-9_-]+)?")) {
            throw new IllegalArgumentException("version must look like 1.2.3 (an OSGi version), was " + v);
        }
        String[] parts = v.split("\\.", 4);
        String[] out = {"0", "0", "0"};
        for (int i = 0; i < Math.min(3, parts.length); i++) {
            out[i] = String.valueOf(Integer.parseInt(parts[i]));
        }
        return String.join(".", out) + (parts.length == 4 ? "." + parts[3] : "");
    }

    public ModelBundle symbolicName(String bsn) {
        this.symbolicName = bsn;
        return this;
    }

    public ModelBundle labels(String text) {
        files.put(FOLDER + descriptor.labels, text.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** Labels in another language, for speech: {@code labels_<lang>.txt}, one per line in model order. */
    public ModelBundle translation(String language, String text) {
        files.put(FOLDER + "labels_" + language + ".txt", text.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** Any other file, by its path inside the bundle (a licence under META-INF/, say). */
    public ModelBundle file(String path, byte[] content) {
        files.put(path, content);
        return this;
    }

    public String symbolicName() {
        return symbolicName;
    }

    public String version() {
        return version;
    }

    public Manifest manifest() {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", symbolicName);
        a.putValue("Bundle-Version", version);
        a.putValue("Bundle-Name", "Osprey model " + descriptor.name);
        a.putValue(ModelDescriptor.HEADER, FOLDER + "model.json");
        a.putValue("Require-Capability", "osgi.extender;filter:=\"(&(osgi.extender=" + ModelDescriptor.EXTENDER
                + ")(version>=1.0.0)(!(version>=2.0.0)))\"");
        a.putValue("Provide-Capability", "osprey.model;osprey.model=\"" + descriptor.name + "\";version:Version=\""
                + version + "\";task=\"" + descriptor.task + "\"");
        return m;
    }

    public void write(OutputStream out) throws IOException {
        try (JarOutputStream jar = new JarOutputStream(out)) {
            JarEntry mf = new JarEntry("META-INF/MANIFEST.MF");
            mf.setTime(ENTRY_TIME);
            jar.putNextEntry(mf);
            manifest().write(jar);
            jar.closeEntry();
            put(jar, FOLDER + "model.json", descriptor.toJson().getBytes(StandardCharsets.UTF_8));
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                put(jar, f.getKey(), f.getValue());
            }
        }
    }

    /** Written next to the target and moved into place, so a watched deploy folder never sees half a jar. */
    public Path write(Path target) throws IOException {
        if (target.getParent() != null) {
            Files.createDirectories(target.getParent());
        }
        Path tmp = target.resolveSibling(target.getFileName() + ".part");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            write(out);
        }
        return Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void put(JarOutputStream jar, String path, byte[] content) throws IOException {
        JarEntry e = new JarEntry(path);
        e.setTime(ENTRY_TIME);
        jar.putNextEntry(e);
        jar.write(content);
        jar.closeEntry();
    }
}
