package org.osprey.launcher;

import java.lang.reflect.InvocationTargetException;
import java.util.Map;

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
        LaunchSettings settings;
        AdminCredentials.Resolved admin;
        try {
            settings = LaunchSettings.fromEnvironment(System.getenv());
            settings.checkPortFree();
            admin = AdminCredentials.resolve(settings.adminPassword, settings.dataDir);
        } catch (LaunchException e) {
            System.err.println("osprey: " + e.getMessage());
            System.exit(EXIT_BAD_SETTINGS);
            return;
        }
        frameworkProperties(settings, admin.hash).forEach(System::setProperty);
        quietJavaLogging();
        if (admin.generatedPassword != null) {
            System.out.println("==================================================================");
            System.out.println(" Osprey admin user: admin   password: " + admin.generatedPassword);
            System.out.println(" Shown once. Only a hash is kept, in " + settings.dataDir.resolve(AdminCredentials.FILE_NAME));
            System.out.println(" (delete that file and restart for a new password, or set OSPREY_ADMIN_PASSWORD)");
            System.out.println("==================================================================");
        }
        System.out.println("osprey: data " + settings.dataDir + ", deploy " + settings.deployDir
                + ", http://localhost:" + settings.httpPort + "/system/console");
        try {
            Class.forName("aQute.launcher.pre.EmbeddedLauncher")
                    .getMethod("main", String[].class)
                    .invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    // the few libraries that log through java.util.logging: one line per record, warnings only
    private static final java.util.logging.Logger SPIFLY_LOGGER = java.util.logging.Logger.getLogger("org.apache.aries.spifly");

    private static void quietJavaLogging() {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT.%1$tL [jul] %4$s %3$s - %5$s%6$s%n");
        SPIFLY_LOGGER.setLevel(java.util.logging.Level.WARNING);
    }

    /** System properties override the launcher's and become the framework properties bundles read. */
    static Map<String, String> frameworkProperties(LaunchSettings s, String adminHash) {
        return Map.of(
                "org.osgi.service.http.port", Integer.toString(s.httpPort),
                "launch.storage.dir", s.dataDir.resolve("framework").toString(),
                "org.osgi.framework.storage", s.dataDir.resolve("framework").toString(),
                "felix.fileinstall.dir", s.deployDir.toString(),
                "felix.webconsole.password", adminHash,
                "osprey.data", s.dataDir.toString(),
                "osprey.deploy", s.deployDir.toString(),
                "org.slf4j.simpleLogger.defaultLogLevel", s.logLevel,
                "launch.activators", "org.osprey.startorder.StartFirst");
    }
}
