package org.osprey.launcher;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.reflect.InvocationTargetException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Main class of the executable osprey.jar. Reads and checks the OSPREY_* variables, turns them into
 * the framework properties the bundles read, prepares the admin credentials, then hands over to bnd's
 * embedded launcher, which starts Felix with the bundles inside the jar.
 * <p>
 * Every problem the user can fix ends the start here with one line on standard error and exit code 2.
 */
public final class OspreyLauncher {

    static final int EXIT_BAD_SETTINGS = 2;

    private OspreyLauncher() {
    }

    public static void main(String[] args) throws Throwable {
        if (args.length > 0 && args[0].equals("hash-password")) {
            hashPassword();
            return;
        }
        LaunchSettings settings;
        AdminCredentials.Resolved admin;
        TlsSettings tls;
        try {
            String unsupported = Platform.unsupported(System.getProperty("os.name"), System.getProperty("os.arch"));
            if (unsupported != null) {
                throw new LaunchException(unsupported);
            }
            settings = LaunchSettings.fromEnvironment(System.getenv());
            settings.checkPortFree();
            tls = TlsSettings.fromEnvironment(System.getenv(), settings.dataDir, settings.httpPort);
            if (tls.port != 0) {
                LaunchSettings.checkPortFree(tls.port, TlsSettings.HTTPS_PORT);
            }
            admin = AdminCredentials.resolve(settings.adminPassword, settings.adminPasswordHash, settings.dataDir);
            migrateStorage(settings.dataDir.resolve("framework"));
        } catch (LaunchException e) {
            System.err.println("osprey: " + e.getMessage());
            System.exit(EXIT_BAD_SETTINGS);
            return;
        }
        frameworkProperties(settings, admin.hash).forEach(System::setProperty);
        tls.properties().forEach(System::setProperty);
        quietJavaLogging();
        ProblemLog.install(settings.dataDir.resolve("log"));
        if (admin.generatedPassword != null) {
            System.out.println("==================================================================");
            System.out.println(" Osprey admin user: admin   password: " + admin.generatedPassword);
            System.out.println(" Shown once. Only a hash is kept, in " + settings.dataDir.resolve(AdminCredentials.FILE_NAME));
            System.out.println(" (delete that file and restart for a new password, or set OSPREY_ADMIN_PASSWORD)");
            System.out.println("==================================================================");
        }
        if (tls.madeFingerprint != null) {
            System.out.println("==================================================================");
            System.out.println(" HTTPS certificate made for this gateway (self-signed), SHA-256 fingerprint:");
            System.out.println("   " + tls.madeFingerprint);
            System.out.println(" Check it in the browser before you accept the certificate. Kept in " + tls.keyStore);
            System.out.println(" (names: " + String.join(", ", tls.madeFor) + ")");
            System.out.println("==================================================================");
        }
        System.out.println("osprey: data " + settings.dataDir + ", deploy " + settings.deployDir + ", "
                + (tls.port != 0 ? "https://localhost:" + tls.port : "http://localhost:" + settings.httpPort) + "/system/console");
        try {
            Class.forName("aQute.launcher.pre.EmbeddedLauncher")
                    .getMethod("main", String[].class)
                    .invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /**
     * {@code java -jar osprey.jar hash-password}: reads a password (the first line of standard input, or
     * typed without echo) and prints the hash {@code OSPREY_ADMIN_PASSWORD_HASH} takes, so a deployment
     * manifest need not carry the password.
     */
    private static void hashPassword() throws IOException {
        Console console = System.console();
        String password;
        if (console != null) {
            char[] typed = console.readPassword("Admin password: ");
            password = typed == null ? null : new String(typed);
        } else {
            password = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        }
        if (password == null || password.strip().length() < LaunchSettings.MIN_PASSWORD_LENGTH) {
            System.err.println("osprey: the password must have at least " + LaunchSettings.MIN_PASSWORD_LENGTH + " characters");
            System.exit(EXIT_BAD_SETTINGS);
        }
        System.out.println(AdminCredentials.hash(password.strip()));
    }

    /** Cleans the framework storage of bundles an older osprey.jar installed and this one no longer has. */
    private static void migrateStorage(Path storage) throws LaunchException {
        Set<String> embedded = embeddedBundles();
        if (embedded.isEmpty()) {
            return; // not started from osprey.jar (an IDE, a test): nothing to compare with
        }
        try {
            for (String location : FrameworkStorage.removeObsolete(storage, embedded)) {
                System.out.println("osprey: removed " + location + " from " + storage + ": this osprey.jar no longer has it");
            }
        } catch (IOException e) {
            throw new LaunchException("cannot migrate the framework storage " + storage + " (" + e.getMessage() + ")");
        }
    }

    /** The bundles inside the running osprey.jar, as the locations bnd's launcher installs them from ({@code jar/NAME.jar}). */
    private static Set<String> embeddedBundles() {
        Set<String> names = new HashSet<>();
        try {
            Path self = Path.of(OspreyLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!Files.isRegularFile(self)) {
                return names;
            }
            try (JarFile jar = new JarFile(self.toFile())) {
                jar.stream().map(JarEntry::getName).filter(n -> n.startsWith("jar/") && n.endsWith(".jar")).forEach(names::add);
            }
        } catch (IOException | URISyntaxException | RuntimeException e) {
            System.err.println("osprey: cannot list the bundles inside osprey.jar (" + e + "); the framework storage is not migrated");
        }
        return names;
    }

    // the few libraries that log through java.util.logging: one line per record, warnings only
    private static final java.util.logging.Logger SPIFLY_LOGGER = java.util.logging.Logger.getLogger("org.apache.aries.spifly");

    private static void quietJavaLogging() {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT.%1$tL [jul] %4$s %3$s - %5$s%6$s%n");
        SPIFLY_LOGGER.setLevel(java.util.logging.Level.WARNING);
    }

    /** System properties override the launcher's and become the framework properties bundles read. */
    static Map<String, String> frameworkProperties(LaunchSettings s, String adminHash) {
        return Map.ofEntries(
                Map.entry("org.osgi.service.http.port", Integer.toString(s.httpPort)),
                Map.entry("launch.storage.dir", s.dataDir.resolve("framework").toString()),
                Map.entry("org.osgi.framework.storage", s.dataDir.resolve("framework").toString()),
                Map.entry("felix.fileinstall.dir", s.deployDir.toString()),
                // the deploy folder's lines in the same one-line format as the rest, at the same level
                Map.entry("felix.fileinstall.log.default", "jul"),
                Map.entry("felix.fileinstall.log.level", fileInstallLevel(s.logLevel)),
                Map.entry("felix.webconsole.password", adminHash),
                Map.entry("osprey.data", s.dataDir.toString()),
                Map.entry("osprey.deploy", s.deployDir.toString()),
                Map.entry("org.slf4j.simpleLogger.defaultLogLevel", s.logLevel),
                Map.entry("launch.activators", "org.osprey.startorder.StartFirst"));
    }

    /** File Install's levels: 1 error, 2 warning, 3 info, 4 debug. */
    static String fileInstallLevel(String level) {
        return switch (level) {
            case "error" -> "1";
            case "warn" -> "2";
            case "debug", "trace" -> "4";
            default -> "3";
        };
    }
}
