package org.osprey.http.models;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.Version;
import org.osprey.http.errors.ApiError;

import jakarta.servlet.http.HttpServletRequest;

/**
 * A model bundle uploaded as a request body: spooled to a temporary file (deleted afterwards), checked to
 * be a model bundle with no code, installed or updated, and started. The admin routes need the password,
 * but this path still takes models only: code goes through the web console's bundle page.
 */
final class ModelUploads {

    static final String HEADER = "Osprey-Model";
    /** Larger than any model an edge device serves. */
    static final long LIMIT = 1L << 30;

    private ModelUploads() {
    }

    static Bundle install(BundleContext context, HttpServletRequest req) throws IOException, ApiError {
        if (req.getContentLengthLong() > LIMIT) {
            throw new ApiError(413, "too_large", "a model bundle may be at most " + LIMIT + " bytes");
        }
        Path jar = Files.createTempFile("osprey-model-upload", ".jar");
        try {
            try (InputStream in = req.getInputStream(); OutputStream out = Files.newOutputStream(jar)) {
                byte[] buf = new byte[64 * 1024];
                long total = 0;
                for (int n; (n = in.read(buf)) > 0;) {
                    total += n;
                    if (total > LIMIT) {
                        throw new ApiError(413, "too_large", "a model bundle may be at most " + LIMIT + " bytes");
                    }
                    out.write(buf, 0, n);
                }
            }
            String name;
            Version version;
            try (JarFile file = new JarFile(jar.toFile())) {
                Manifest m = file.getManifest();
                var a = m == null ? null : m.getMainAttributes();
                if (a == null || a.getValue(HEADER) == null || a.getValue(Constants.BUNDLE_SYMBOLICNAME) == null) {
                    throw new ApiError(400, "not_a_model", "not a model bundle: its manifest has no " + HEADER + " header (package models with ./osprey package-model)");
                }
                if (a.getValue(Constants.BUNDLE_ACTIVATOR) != null || file.stream().anyMatch(e -> e.getName().endsWith(".class"))) {
                    throw new ApiError(400, "not_a_model", "a model bundle has no code; this jar has classes: install it through the web console's bundle page");
                }
                name = a.getValue(Constants.BUNDLE_SYMBOLICNAME).split(";")[0].strip();
                version = Version.parseVersion(a.getValue(Constants.BUNDLE_VERSION));
            } catch (IOException | IllegalArgumentException e) {
                throw new ApiError(400, "not_a_model", "not a jar with a readable manifest: " + e.getMessage());
            }
            try (InputStream bytes = Files.newInputStream(jar)) {
                Bundle installed = null;
                for (Bundle b : context.getBundles()) {
                    if (name.equals(b.getSymbolicName()) && version.equals(b.getVersion())) {
                        installed = b;
                    }
                }
                if (installed != null) {
                    installed.update(bytes);
                } else {
                    installed = context.installBundle("osprey:model:" + name + ":" + version, bytes);
                }
                installed.start();
                return installed;
            } catch (BundleException e) {
                throw new ApiError(400, "not_installed", "the bundle could not be installed: " + e.getMessage());
            }
        } finally {
            Files.deleteIfExists(jar);
        }
    }
}
