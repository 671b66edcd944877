package org.osprey.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Migrates the framework storage ({@code $OSPREY_DATA/framework}) that an older osprey.jar left: the
 * bundles that jar installed from inside itself ({@code jar/NAME.jar}) and this jar no longer has are
 * removed before the framework starts. Felix would otherwise start them again, beside their successors
 * (an old SPI Fly framework extension, say, which cannot weave on Java 25). Bundles installed from the
 * deploy folder or the web console have other locations and are never touched.
 */
final class FrameworkStorage {

    private static final String EMBEDDED = "jar/";

    private FrameworkStorage() {
    }

    /** Removes the obsolete bundles; returns their locations. */
    static List<String> removeObsolete(Path storage, Set<String> embeddedNow) throws IOException {
        List<String> removed = new ArrayList<>();
        if (!Files.isDirectory(storage)) {
            return removed;
        }
        List<Path> bundles;
        try (Stream<Path> dirs = Files.list(storage)) {
            bundles = dirs.filter(d -> d.getFileName().toString().matches("bundle[1-9][0-9]*")).toList();
        }
        for (Path dir : bundles) {
            String location = location(dir);
            if (location != null && location.startsWith(EMBEDDED) && !embeddedNow.contains(location)) {
                deleteTree(dir);
                removed.add(location);
            }
        }
        return removed;
    }

    /** Felix's {@code bundle.info}: the id on the first line, the location on the second. */
    static String location(Path bundleDir) throws IOException {
        Path info = bundleDir.resolve("bundle.info");
        if (!Files.isRegularFile(info)) {
            return null;
        }
        List<String> lines = Files.readAllLines(info, StandardCharsets.UTF_8);
        return lines.size() < 2 ? null : lines.get(1).strip();
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
