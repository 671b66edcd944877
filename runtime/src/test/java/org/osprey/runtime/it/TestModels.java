package org.osprey.runtime.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.stream.Stream;

import org.osprey.inference.onnx.model.ModelDescriptor;
import org.osprey.tools.packager.ModelBundle;

/**
 * Model bundles for the tests, written in the test driver (before the framework starts) with the
 * packager's bundle writer, from the BlazeFace bundle this build made: newer versions of it, and
 * broken ones. Driver side only: the framework side reads them through {@link TestModelFiles}.
 */
final class TestModels {

    private TestModels() {
    }

    /** Writes every test model into {@code dir}; returns it. */
    static Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path shipped;
        try (Stream<Path> jars = Files.list(Path.of(System.getProperty("osprey.runbundles")))) {
            shipped = jars.filter(p -> p.getFileName().toString().startsWith("osprey-model.blazeface")).findFirst()
                    .orElseThrow(() -> new IOException("no BlazeFace bundle among the runtime's bundles"));
        }
        byte[] onnx = null;
        String json = null;
        try (JarInputStream in = new JarInputStream(Files.newInputStream(shipped))) {
            for (JarEntry e; (e = in.getNextJarEntry()) != null;) {
                if (e.getName().equals("model/model.onnx")) {
                    onnx = in.readAllBytes();
                } else if (e.getName().equals("model/model.json")) {
                    json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
        }
        // the shipped bundle itself, for tests that replaced it in place to put it back
        Files.copy(shipped, dir.resolve("blazeface-1.2.0.jar"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try {
            for (String v : new String[] {"2.0.0", "3.0.0", "4.0.0"}) {
                new ModelBundle(ModelDescriptor.parse(json), v, onnx).labels("face\n").write(dir.resolve("blazeface-" + v + ".jar"));
            }
            // the same network under another name: a model that is new to the gateway, not an update
            ModelDescriptor portrait = ModelDescriptor.parse(json);
            portrait.name = "portrait";
            new ModelBundle(portrait, "1.0.0", onnx).labels("face\n").write(dir.resolve("portrait-1.0.0.jar"));
            new ModelBundle(ModelDescriptor.parse(json), "9.0.0", "this is not an ONNX model".getBytes(StandardCharsets.UTF_8))
                    .symbolicName("test.model.corrupt").labels("face\n").write(dir.resolve("corrupt.jar"));
            ModelDescriptor wrongSize = ModelDescriptor.parse(json);
            wrongSize.input.width = 224;
            wrongSize.input.height = 224;
            new ModelBundle(wrongSize, "9.1.0", onnx).symbolicName("test.model.wrongsize").labels("face\n").write(dir.resolve("wrong-size.jar"));
            ModelDescriptor unknown = ModelDescriptor.parse(json);
            unknown.decoder = "no-such-decoder";
            new ModelBundle(unknown, "9.2.0", onnx).symbolicName("test.model.unknowndecoder").labels("face\n").write(dir.resolve("unknown-decoder.jar"));
        } catch (org.osprey.inference.onnx.model.ModelLoadException e) {
            throw new IOException(e);
        }
        return dir;
    }
}
