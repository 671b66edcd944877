package org.osprey.inference.onnx.extender;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;

import org.osgi.framework.Bundle;
import org.osprey.inference.onnx.model.ModelFiles;

/** A model bundle's own entries (not its class path: a model bundle imports nothing). */
final class BundleModelFiles implements ModelFiles {

    private final Bundle bundle;

    BundleModelFiles(Bundle bundle) {
        this.bundle = bundle;
    }

    @Override
    public byte[] read(String path) throws IOException {
        URL url = bundle.getEntry(path);
        if (url == null) {
            return null;
        }
        try (InputStream in = url.openStream()) {
            return in.readAllBytes();
        }
    }

    @Override
    public List<String> list(String folder) {
        List<String> paths = new ArrayList<>();
        Enumeration<String> e = bundle.getEntryPaths(folder.isEmpty() ? "/" : folder);
        while (e != null && e.hasMoreElements()) {
            paths.add(e.nextElement());
        }
        return paths;
    }
}
