package org.osprey.launcher;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The gateway's start-up settings, read from the OSPREY_* environment variables and checked before the
 * framework starts, so that a wrong value stops the start with one clear line.
 */
final class LaunchSettings {

    static final String HTTP_PORT = "OSPREY_HTTP_PORT";
    static final String DATA = "OSPREY_DATA";
    static final String DEPLOY = "OSPREY_DEPLOY";
    static final String ADMIN_PASSWORD = "OSPREY_ADMIN_PASSWORD";
    static final String ADMIN_PASSWORD_HASH = "OSPREY_ADMIN_PASSWORD_HASH";
    static final String LOG_LEVEL = "OSPREY_LOG_LEVEL";

    static final int DEFAULT_HTTP_PORT = 8885;
    static final int MIN_PASSWORD_LENGTH = 8;
    private static final Pattern UNEXPANDED = Pattern.compile("\\$(\\{[A-Za-z_][A-Za-z0-9_]*\\}|[A-Za-z_][A-Za-z0-9_]*)");
    private static final Set<String> LOG_LEVELS = Set.of("trace", "debug", "info", "warn", "error", "off");

    final int httpPort;
    final Path dataDir;
    final Path deployDir;
    final String adminPassword;
    final String adminPasswordHash;
    final String logLevel;

    private LaunchSettings(int httpPort, Path dataDir, Path deployDir, String adminPassword, String adminPasswordHash, String logLevel) {
        this.httpPort = httpPort;
        this.dataDir = dataDir;
        this.deployDir = deployDir;
        this.adminPassword = adminPassword;
        this.adminPasswordHash = adminPasswordHash;
        this.logLevel = logLevel;
    }

    /** Reads and checks the variables; creates the data and deploy folders if they are missing. */
    static LaunchSettings fromEnvironment(Map<String, String> env) throws LaunchException {
        String httpPort = env.get(HTTP_PORT);
        int port = httpPort == null || httpPort.isBlank() ? DEFAULT_HTTP_PORT : port(HTTP_PORT, httpPort);
        Path data = writableFolder(DATA, env.getOrDefault(DATA, "data"));
        Path deploy = readableFolder(DEPLOY, env.getOrDefault(DEPLOY, "deploy"));
        String password = env.get(ADMIN_PASSWORD);
        String hash = env.get(ADMIN_PASSWORD_HASH);
        for (String variable : new String[] {ADMIN_PASSWORD, ADMIN_PASSWORD_HASH}) {
            String value = env.get(variable);
            // a deployment tool that found no value leaves the reference: it must not become the password
            if (value != null && UNEXPANDED.matcher(value.strip()).matches()) {
                throw new LaunchException(variable + " is \"" + value.strip() + "\", a variable reference that was not expanded"
                        + " (set it in the deployment's .env, or unset it to have a password generated)");
            }
        }
        if (password != null && hash != null) {
            throw new LaunchException("set " + ADMIN_PASSWORD + " or " + ADMIN_PASSWORD_HASH + ", not both");
        }
        if (password != null && password.strip().length() < MIN_PASSWORD_LENGTH) {
            throw new LaunchException(ADMIN_PASSWORD + " must have at least " + MIN_PASSWORD_LENGTH
                    + " characters (unset it to have a password generated)");
        }
        if (hash != null && !AdminCredentials.isHash(hash.strip())) {
            throw new LaunchException(ADMIN_PASSWORD_HASH + " must be a hash as `java -jar osprey.jar hash-password` prints it"
                    + " ({sha-256}<salt>-<iterations>-<digest>)");
        }
        String level = env.getOrDefault(LOG_LEVEL, "info").strip().toLowerCase(Locale.ROOT);
        if (!LOG_LEVELS.contains(level)) {
            throw new LaunchException(LOG_LEVEL + " must be one of trace, debug, info, warn, error, off; got \""
                    + env.get(LOG_LEVEL) + "\"");
        }
        return new LaunchSettings(port, data, deploy, password, hash == null ? null : hash.strip(), level);
    }

    /** A port number from 1 to 65535, or a clear line naming the variable. */
    static int port(String variable, String value) throws LaunchException {
        int port;
        try {
            port = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw new LaunchException(variable + " must be a port number from 1 to 65535; got \"" + value + "\"");
        }
        return port;
    }

    private static Path folder(String variable, String value) throws LaunchException {
        if (value.isBlank()) {
            throw new LaunchException(variable + " is set but empty");
        }
        Path dir;
        try {
            dir = Path.of(value).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new LaunchException(variable + " is not a valid path: \"" + value + "\"");
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new LaunchException(variable + " must be a folder, but " + dir + " is a file");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException | SecurityException e) {
            throw new LaunchException(variable + ": cannot create the folder " + dir + " (" + reason(e) + ")");
        }
        return dir;
    }

    private static Path writableFolder(String variable, String value) throws LaunchException {
        Path dir = folder(variable, value);
        // Files.isWritable answers yes for root on a read-only mount: try a real write
        try {
            Path probe = Files.createTempFile(dir, ".osprey-write-check", ".tmp");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new LaunchException(variable + ": the folder " + dir + " is not writable (" + reason(e) + ")");
        }
        return dir;
    }

    private static Path readableFolder(String variable, String value) throws LaunchException {
        Path dir = folder(variable, value);
        if (!Files.isReadable(dir)) {
            throw new LaunchException(variable + ": the folder " + dir + " is not readable");
        }
        return dir;
    }

    /** Fails early, with a clear line, when another process already listens on the port. */
    void checkPortFree() throws LaunchException {
        checkPortFree(httpPort, HTTP_PORT);
    }

    static void checkPortFree(int port, String variable) throws LaunchException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
        } catch (IOException e) {
            throw new LaunchException("port " + port + " is already in use; stop the other program or set "
                    + variable + " to a free port");
        }
    }

    private static String reason(Exception e) {
        String name = e.getClass().getSimpleName();
        return e.getMessage() == null ? name : name + ": " + e.getMessage();
    }
}
