package org.osprey.tools.packager;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;

import org.osprey.inference.onnx.model.ModelDescriptor;
import org.osprey.inference.onnx.model.ModelFiles;

/** A model bundle jar read into memory, as the gateway's loader sees a bundle's entries. */
public final class JarModelFiles implements ModelFiles {

    private final Map<String, byte[]> entries;
    private final Manifest manifest;

    private JarModelFiles(Map<String, byte[]> entries, Manifest manifest) {
        this.entries = entries;
        this.manifest = manifest;
    }

    public static JarModelFiles read(InputStream jar) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (JarInputStream in = new JarInputStream(jar)) {
            for (JarEntry e; (e = in.getNextJarEntry()) != null;) {
                entries.put(e.getName(), in.readAllBytes());
            }
            return new JarModelFiles(entries, in.getManifest() == null ? new Manifest() : in.getManifest());
        }
    }

    public static JarModelFiles read(Path jar) throws IOException {
        try (InputStream in = Files.newInputStream(jar)) {
            return read(in);
        }
    }

    /** The descriptor's path, from the {@value ModelDescriptor#HEADER} header. */
    public String descriptorPath() {
        return manifest.getMainAttributes().getValue(ModelDescriptor.HEADER);
    }

    @Override
    public byte[] read(String path) {
        return entries.get(path);
    }

    @Override
    public List<String> list(String folder) {
        List<String> paths = new ArrayList<>();
        for (String p : entries.keySet()) {
            if (p.startsWith(folder) && p.indexOf('/', folder.length()) < 0) {
                paths.add(p);
            }
        }
        return paths;
    }
}
