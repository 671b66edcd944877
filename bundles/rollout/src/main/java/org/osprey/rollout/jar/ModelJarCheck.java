package org.osprey.rollout.jar;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * What a jar fetched by the rollout must be before it is installed: the bytes the SHA-256 names, and a
 * model bundle of the wanted name and version with no code at all. A bundle from this path runs
 * nothing: no classes, no activator, no package imports or required bundles, no fragment host, no native
 * code; its only requirement is the model extender (and an execution environment).
 */
public final class ModelJarCheck {

    /** The header every model bundle has (written by the packager). */
    public static final String MODEL_HEADER = "Osprey-Model";

    private static final List<String> CODE_HEADERS = List.of("Bundle-Activator", "Import-Package", "DynamicImport-Package", "Require-Bundle",
            "Fragment-Host", "Bundle-NativeCode", "Bundle-ClassPath", "Export-Package", "Service-Component", "Extension-Bundle-Activator");

    private ModelJarCheck() {
    }

    /** The file's SHA-256, lower-case hex. */
    public static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) >= 0;) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @throws IllegalArgumentException saying what is wrong with the jar
     */
    public static void check(Path file, String sha256, String name, String version) throws IOException {
        String actual = sha256(file);
        if (!actual.equalsIgnoreCase(sha256)) {
            throw new IllegalArgumentException("SHA-256 mismatch: wanted " + sha256.toLowerCase(Locale.ROOT) + ", the download is " + actual);
        }
        try (JarFile jar = new JarFile(file.toFile(), false)) {
            Manifest manifest = jar.getManifest();
            if (manifest == null) {
                throw new IllegalArgumentException("not a bundle: the jar has no manifest");
            }
            Attributes a = manifest.getMainAttributes();
            if (a.getValue(MODEL_HEADER) == null) {
                throw new IllegalArgumentException("not a model bundle: no " + MODEL_HEADER + " header");
            }
            for (String header : CODE_HEADERS) {
                String value = a.getValue(header);
                if (value != null && !(header.equals("Bundle-ClassPath") && value.trim().equals("."))) {
                    throw new IllegalArgumentException("a model bundle from a rollout has no code; this one has " + header + ": " + value);
                }
            }
            String requires = a.getValue("Require-Capability");
            if (requires != null && !requiresOnlyTheExtender(requires)) {
                throw new IllegalArgumentException("a model bundle from a rollout requires only the model extender; this one: " + requires);
            }
            for (JarEntry e : java.util.Collections.list(jar.entries())) {
                String entry = e.getName().toLowerCase(Locale.ROOT);
                if (entry.endsWith(".class") || entry.endsWith(".jar") || entry.endsWith(".so") || entry.endsWith(".dll") || entry.endsWith(".dylib")) {
                    throw new IllegalArgumentException("a model bundle from a rollout has no code; this one has " + e.getName());
                }
            }
            String bsn = String.valueOf(a.getValue("Bundle-SymbolicName")).split(";")[0].trim();
            if (!bsn.equals("osprey.model." + name)) {
                throw new IllegalArgumentException("the jar is " + bsn + ", not the model " + name + " (osprey.model." + name + ")");
            }
            String v = String.valueOf(a.getValue("Bundle-Version")).trim();
            if (!org.osgi.framework.Version.parseVersion(v).equals(org.osgi.framework.Version.parseVersion(version))) {
                throw new IllegalArgumentException("the jar is version " + v + ", not " + version);
            }
        } catch (java.util.zip.ZipException e) {
            throw new IllegalArgumentException("not a jar: " + e.getMessage());
        }
    }

    /** Each clause in the osgi.extender or osgi.ee namespace. */
    private static boolean requiresOnlyTheExtender(String requires) {
        // clauses are separated by commas outside quotes
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i <= requires.length(); i++) {
            char ch = i < requires.length() ? requires.charAt(i) : ',';
            if (ch == '"') {
                quoted = !quoted;
            } else if (ch == ',' && !quoted) {
                String namespace = requires.substring(start, i).split(";")[0].trim();
                if (!namespace.equals("osgi.extender") && !namespace.equals("osgi.ee")) {
                    return false;
                }
                start = i + 1;
            }
        }
        return true;
    }
}
