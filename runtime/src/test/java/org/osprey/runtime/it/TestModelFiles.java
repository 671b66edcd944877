package org.osprey.runtime.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The test model jars {@link TestModels} wrote, as the tests inside the framework reach them. */
final class TestModelFiles {

    static final String PROPERTY = "osprey.it.models";

    private TestModelFiles() {
    }

    /** A jar's URI, for BundleContext.installBundle. */
    static String uri(String file) {
        return Path.of(System.getProperty(PROPERTY), file).toUri().toString();
    }

    static byte[] bytes(String file) throws IOException {
        return Files.readAllBytes(Path.of(System.getProperty(PROPERTY), file));
    }
}
