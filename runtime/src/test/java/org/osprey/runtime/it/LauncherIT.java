package org.osprey.runtime.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The executable jar as a user runs it: {@code java -jar osprey.jar} in a fresh folder, configured by the
 * OSPREY_* variables.
 */
public class LauncherIT {

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process gateway;
    private Path output;

    @Before
    public void jarExists() {
        assertTrue("osprey.jar was built", Files.isRegularFile(jar()));
    }

    @After
    public void stop() throws InterruptedException {
        if (gateway != null && gateway.isAlive()) {
            gateway.destroy();
            if (!gateway.waitFor(20, TimeUnit.SECONDS)) {
                gateway.destroyForcibly();
            }
        }
    }

    @Test
    public void firstStartGeneratesAPasswordOnceAndServesHealthAndConsole() throws Exception {
        int port = OspreyTestSupport.freePort();
        Path dir = folder.newFolder("gateway").toPath();
        Map<String, String> env = Map.of("OSPREY_HTTP_PORT", Integer.toString(port));

        long started = System.nanoTime();
        start(dir, env);
        HttpResponse<String> health = await(port, "/health", null, 200, 30_000);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        System.out.println("LauncherIT: /health answered " + millis + " ms after the JVM was started");
        // the HTTP server starts before the last bundles do: "starting" until every bundle is active
        long deadline = System.currentTimeMillis() + 30_000;
        while (!health.body().contains("\"status\":\"up\"") && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
            health = await(port, "/health", null, 200, 5_000);
        }
        System.out.println("LauncherIT: every bundle active " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)
                + " ms after the JVM was started");
        assertTrue(health.body(), health.body().contains("\"status\":\"up\""));

        String log = Files.readString(output);
        Matcher m = Pattern.compile("password: ([A-Za-z0-9]{20})").matcher(log);
        assertTrue("the generated password is printed: " + log, m.find());
        String password = m.group(1);

        Path credentials = dir.resolve("data/admin.credentials");
        String stored = Files.readString(credentials);
        assertFalse("only a hash is stored", stored.contains(password));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials)));
        assertTrue(Files.isDirectory(dir.resolve("data/framework")));
        assertTrue(Files.isDirectory(dir.resolve("deploy")));

        assertEquals(401, get(port, "/system/console/bundles.json", null).statusCode());
        assertEquals(401, get(port, "/system/console/bundles.json", "admin").statusCode());
        HttpResponse<String> bundles = await(port, "/system/console/bundles.json", password, 200, 10_000);
        assertTrue(bundles.body(), bundles.body().contains("bundles active"));

        // a restart keeps the password and does not print it again
        stop();
        start(dir, env);
        await(port, "/health", null, 200, 30_000);
        assertFalse("the password is printed only once", Files.readString(output).contains(password));
        assertEquals(200, await(port, "/system/console/bundles.json", password, 200, 10_000).statusCode());
    }

    @Test
    public void passwordFromTheEnvironmentWins() throws Exception {
        int port = OspreyTestSupport.freePort();
        Path dir = folder.newFolder("env").toPath();
        start(dir, Map.of("OSPREY_HTTP_PORT", Integer.toString(port), "OSPREY_ADMIN_PASSWORD", "correct horse battery"));
        await(port, "/health", null, 200, 30_000);
        assertEquals(200, await(port, "/system/console/bundles.json", "correct horse battery", 200, 10_000).statusCode());
        assertFalse("nothing generated", Files.exists(dir.resolve("data/admin.credentials")));
        assertFalse("the password is never printed", Files.readString(output).contains("correct horse battery"));
    }

    @Test
    public void wrongPasswordsLockTheAddressOutOfTheConsoleAndTheApiForAWhile() throws Exception {
        int port = OspreyTestSupport.freePort();
        Path dir = folder.newFolder("throttle").toPath();
        String password = "correct horse battery";
        start(dir, Map.of("OSPREY_HTTP_PORT", Integer.toString(port), "OSPREY_ADMIN_PASSWORD", password));
        await(port, "/health", null, 200, 30_000);
        await(port, "/api/v1/models", password, 200, 10_000);
        // five free attempts, spread over the console and the API; the sixth locks the address for 1 s
        for (int i = 0; i < 6; i++) {
            assertEquals("wrong password " + (i + 1), 401, get(port, i % 2 == 0 ? "/system/console/bundles.json" : "/api/v1/models", "guess" + i).statusCode());
        }
        for (String path : new String[] {"/system/console/bundles.json", "/api/v1/models"}) {
            HttpResponse<String> locked = get(port, path, password);
            assertEquals("even the right password is refused while locked: " + path, 429, locked.statusCode());
            assertEquals("1", locked.headers().firstValue("Retry-After").orElse(null));
            assertTrue(locked.body(), locked.body().contains("too many wrong admin passwords"));
        }
        assertEquals("routes without the password are not concerned", 200, get(port, "/health", null).statusCode());
        Thread.sleep(1100);
        assertEquals("the right password after the lock-out", 200, get(port, "/api/v1/models", password).statusCode());
        assertEquals("and the address starts afresh", 401, get(port, "/api/v1/models", "guess").statusCode());
        assertEquals(200, get(port, "/system/console/bundles.json", password).statusCode());
        String log = Files.readString(output);
        assertTrue(log, log.contains("Wrong admin password from ") && log.contains("the address is refused for 1 s"));
        assertFalse("no password in the log", log.contains("guess") || log.contains(password));
    }

    @Test
    public void wrongValuesStopTheStartWithOneClearLine() throws Exception {
        Path dir = folder.newFolder("bad").toPath();
        Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
        assertRefused(dir, Map.of("OSPREY_HTTP_PORT", "eighty"), "OSPREY_HTTP_PORT must be a port number");
        assertRefused(dir, Map.of("OSPREY_HTTP_PORT", "0"), "OSPREY_HTTP_PORT must be a port number");
        assertRefused(dir, Map.of("OSPREY_HTTPS_PORT", "eighty"), "OSPREY_HTTPS_PORT must be a port number");
        String same = Integer.toString(org.osprey.testsupport.Mosquitto.freePort());
        assertRefused(dir, Map.of("OSPREY_HTTP_PORT", same, "OSPREY_HTTPS_PORT", same), "give HTTPS a port of its own");
        assertRefused(dir, Map.of("OSPREY_TLS_CERT", "/nowhere.pem"), "set both OSPREY_TLS_CERT and OSPREY_TLS_KEY");
        assertRefused(dir, Map.of("OSPREY_DATA", file.toString()), "OSPREY_DATA must be a folder");
        assertRefused(dir, Map.of("OSPREY_DATA", file.resolve("sub").toString()), "OSPREY_DATA: cannot create the folder");
        assertRefused(dir, Map.of("OSPREY_DEPLOY", file.toString()), "OSPREY_DEPLOY must be a folder");
        assertRefused(dir, Map.of("OSPREY_ADMIN_PASSWORD", "short"), "OSPREY_ADMIN_PASSWORD must have at least 8");
        assertRefused(dir, Map.of("OSPREY_LOG_LEVEL", "chatty"), "OSPREY_LOG_LEVEL must be one of");
        // what an IoT Edge manifest hands over when its .env had no value: never a password
        assertRefused(dir, Map.of("OSPREY_ADMIN_PASSWORD", "$OSPREY_ADMIN_PASSWORD"), "a variable reference that was not expanded");
        assertRefused(dir, Map.of("OSPREY_ADMIN_PASSWORD_HASH", "${OSPREY_ADMIN_PASSWORD_HASH}"), "a variable reference that was not expanded");
    }

    @Test
    public void anUnsupportedPlatformIsSaidInOneLine() throws Exception {
        Path dir = folder.newFolder("arm32").toPath();
        assertRefused(dir, Map.of(), "this platform (Linux arm) is not supported", "-Dos.arch=arm");
        assertRefused(dir, Map.of(), "this platform (Windows 11 amd64) is not supported", "-Dos.name=Windows 11", "-Dos.arch=amd64");
    }

    /** A manifest can carry the hash instead of the password: hash-password makes it, OSPREY_ADMIN_PASSWORD_HASH takes it. */
    @Test
    public void aHashFromHashPasswordIsTheAdminPassword() throws Exception {
        Process hashing = new ProcessBuilder(java(), "-jar", jar().toString(), "hash-password").redirectErrorStream(true).start();
        hashing.getOutputStream().write("correct horse battery\n".getBytes(StandardCharsets.UTF_8));
        hashing.getOutputStream().close();
        assertTrue(hashing.waitFor(30, TimeUnit.SECONDS));
        String hash = new String(hashing.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(hash, 0, hashing.exitValue());
        assertTrue(hash, hash.startsWith("{sha-256}") && !hash.contains("correct"));

        int port = OspreyTestSupport.freePort();
        Path dir = folder.newFolder("hash").toPath();
        start(dir, Map.of("OSPREY_HTTP_PORT", Integer.toString(port), "OSPREY_ADMIN_PASSWORD_HASH", hash));
        await(port, "/health", null, 200, 30_000);
        assertEquals(200, await(port, "/system/console/bundles.json", "correct horse battery", 200, 10_000).statusCode());
        assertEquals("the hash is not the password", 401, get(port, "/system/console/bundles.json", hash).statusCode());
        assertFalse("nothing generated", Files.exists(dir.resolve("data/admin.credentials")));
    }

    /**
     * A data folder an older osprey.jar made: the bundles it installed from inside itself that this jar no
     * longer has (here a gson the jar has since replaced) are removed from the framework storage before
     * Felix starts; bundles installed from elsewhere stay. /health/ready waits for the default model.
     */
    @Test
    public void aDataFolderFromAnOlderJarIsMigratedAndReadinessWaitsForTheDefaultModel() throws Exception {
        int port = OspreyTestSupport.freePort();
        Path dir = folder.newFolder("older").toPath();
        Map<String, String> env = Map.of("OSPREY_HTTP_PORT", Integer.toString(port), "OSPREY_ADMIN_PASSWORD", "correct horse battery");
        start(dir, env);
        awaitBody(port, "/health/ready", 200, "\"ready\":true");
        stop();

        Path storage = dir.resolve("data/framework");
        Path gson;
        try (var dirs = Files.list(storage)) {
            gson = dirs.filter(d -> Files.exists(d.resolve("bundle.info"))).filter(d -> {
                try {
                    return Files.readString(d.resolve("bundle.info")).contains("jar/gson-");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).findFirst().orElseThrow();
        }
        Path stale = storage.resolve("bundle9999");
        copyTree(gson, stale);
        java.util.List<String> info = new java.util.ArrayList<>(Files.readAllLines(stale.resolve("bundle.info")));
        info.set(0, "9999");
        info.set(1, "jar/gson-2.10.1.jar");
        Files.write(stale.resolve("bundle.info"), info);
        // and one the user installed: never touched
        Path users = storage.resolve("bundle9998");
        copyTree(gson, users);
        info.set(0, "9998");
        info.set(1, "file:/opt/extra/gson-2.10.1.jar");
        Files.write(users.resolve("bundle.info"), info);

        Files.writeString(dir.resolve("deploy/org.osprey.http.inference.cfg"), "defaultModel=fruit\n");
        start(dir, env);
        awaitBody(port, "/health", 200, "\"status\":\"up\"");
        HttpResponse<String> ready = get(port, "/health/ready", null);
        assertEquals(ready.body(), 503, ready.statusCode());
        assertTrue(ready.body(), ready.body().contains("the default model fruit is not loaded"));
        String log = Files.readString(output);
        assertTrue(log, log.contains("osprey: removed jar/gson-2.10.1.jar from " + storage));
        assertFalse(Files.exists(stale));
        assertTrue(Files.exists(users));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Files.copy(p, to.resolve(from.relativize(p).toString()));
            }
        }
    }

    private HttpResponse<String> awaitBody(int port, String path, int status, String contains) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        HttpResponse<String> last = null;
        while (System.currentTimeMillis() < deadline) {
            assertTrue("the gateway is running: " + Files.readString(output), gateway.isAlive());
            try {
                last = get(port, path, null);
                if (last.statusCode() == status && last.body().contains(contains)) {
                    return last;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError(path + " did not answer " + status + " with " + contains + "; last: " + (last == null ? "none" : last.statusCode() + " " + last.body()));
    }

    /**
     * Every file in the deploy folder is applied as written, on the first start too, and the gateway never
     * writes into it: Felix File Install's write-back of configurations rewrote each file right after
     * reading it, and a file caught half-written was applied empty (a camera without its id, then saved
     * back as an empty file).
     */
    @Test
    public void deployFilesAreAppliedAsWrittenAndNeverRewritten() throws Exception {
        int port = OspreyTestSupport.freePort();
        Path dir = folder.newFolder("deploy-files").toPath();
        Path deploy = Files.createDirectories(dir.resolve("deploy"));
        Map<Path, byte[]> written = new HashMap<>();
        Map<Path, java.nio.file.attribute.FileTime> modified = new HashMap<>();
        java.util.Set<String> expected = new java.util.TreeSet<>();
        for (int i = 0; i < 12; i++) {
            Path f = deploy.resolve("org.osprey.camera.files-c" + i + ".cfg");
            Files.writeString(f, "# camera " + i + "\ncamera.id=c" + i + "\npath=testpattern\nfps=1\n");
            written.put(f, Files.readAllBytes(f));
            modified.put(f, Files.getLastModifiedTime(f));
            expected.add("c" + i);
        }
        Files.writeString(deploy.resolve("org.osprey.pipeline.sample.cfg"), "enabled=false\n");
        String password = "deploy files password";
        Map<String, String> env = Map.of("OSPREY_HTTP_PORT", Integer.toString(port), "OSPREY_ADMIN_PASSWORD", password);
        start(dir, env);
        assertEquals("every camera of the deploy folder runs; " + Files.readString(output), expected, awaitCameras(port, password, expected));
        String log = Files.readString(output);
        assertFalse("no component failed: " + log, log.contains("ERROR") || log.contains("Caused by"));
        // the deploy folder's own lines are in the log's one-line format too
        List<String> applied = log.lines().filter(l -> l.contains("Creating configuration")).toList();
        assertEquals("a line per configuration file: " + log, 13, applied.size());
        for (String line : applied) {
            assertTrue(line, line.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\[[^]]*\\] INFO fileinstall - Creating configuration .*"));
        }
        for (Map.Entry<Path, byte[]> f : written.entrySet()) {
            assertEquals("not rewritten: " + f.getKey(), new String(f.getValue(), StandardCharsets.UTF_8), Files.readString(f.getKey()));
            assertEquals("not touched: " + f.getKey(), modified.get(f.getKey()), Files.getLastModifiedTime(f.getKey()));
        }

        // a camera added through the API (as the console does) has no file, and files deleted while the gateway is stopped
        HttpResponse<String> added = http.send(request(port, "/api/v1/cameras", password)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"by-api\",\"kind\":\"org.osprey.camera.files\",\"source\":\"testpattern\",\"fps\":1}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(added.body(), 201, added.statusCode());
        expected.add("by-api");
        assertEquals(expected, awaitCameras(port, password, expected));
        stop();
        Files.delete(deploy.resolve("org.osprey.camera.files-c0.cfg"));
        Files.delete(deploy.resolve("org.osprey.camera.files-c1.cfg"));
        expected.removeAll(List.of("c0", "c1"));
        start(dir, env);
        await(port, "/health/ready", null, 200, 60_000);
        // given time to come back, were it to: ten seconds after ready, with File Install polling every second
        long settle = System.currentTimeMillis() + 10_000;
        java.util.Set<String> after = awaitCameras(port, password, expected);
        while (System.currentTimeMillis() < settle && after.equals(expected)) {
            Thread.sleep(500);
            after = cameras(port, password);
        }
        assertEquals("the cameras whose files were deleted while stopped are gone, the API's camera stays; " + Files.readString(output),
                expected, after);
        assertTrue(Files.readString(output), Files.readString(output).contains("Configuration org.osprey.camera.files~c0 removed"));
    }

    /** The cameras /api/v1/cameras lists (none while it does not answer). */
    private java.util.Set<String> cameras(int port, String password) throws Exception {
        java.util.Set<String> listed = new java.util.TreeSet<>();
        try {
            HttpResponse<String> r = get(port, "/api/v1/cameras", password);
            if (r.statusCode() == 200) {
                com.google.gson.JsonParser.parseString(r.body()).getAsJsonObject().getAsJsonArray("cameras")
                        .forEach(c -> listed.add(c.getAsJsonObject().get("id").getAsString()));
            }
        } catch (IOException e) {
            // not listening yet
        }
        return listed;
    }

    /** The cameras listed once they are the expected ones, or after a minute. */
    private java.util.Set<String> awaitCameras(int port, String password, java.util.Set<String> expected) throws Exception {
        java.util.Set<String> listed = cameras(port, password);
        long deadline = System.currentTimeMillis() + 60_000;
        while (!listed.equals(expected) && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
            listed = cameras(port, password);
        }
        return listed;
    }

    @Test
    public void aBusyPortIsReportedBeforeStarting() throws Exception {
        try (java.net.ServerSocket busy = new java.net.ServerSocket(0)) {
            Path dir = folder.newFolder("busy").toPath();
            assertRefused(dir, Map.of("OSPREY_HTTP_PORT", Integer.toString(busy.getLocalPort())), "is already in use");
        }
    }

    private void assertRefused(Path dir, Map<String, String> env, String expected, String... jvmOptions) throws Exception {
        start(dir, env, jvmOptions);
        assertTrue("the launcher exits", gateway.waitFor(30, TimeUnit.SECONDS));
        String out = Files.readString(output, StandardCharsets.UTF_8).strip();
        assertEquals(out, 2, gateway.exitValue());
        assertEquals("exactly one line: " + out, 1, out.lines().count());
        assertTrue(out, out.startsWith("osprey: ") && out.contains(expected));
        assertFalse("no stack trace", out.contains("Exception") && out.contains("\tat "));
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private void start(Path dir, Map<String, String> env, String... jvmOptions) throws IOException {
        output = dir.resolve("gateway-" + System.nanoTime() + ".log");
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(java()));
        command.addAll(java.util.List.of(jvmOptions));
        command.addAll(java.util.List.of("-jar", jar().toString()));
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        Map<String, String> environment = pb.environment();
        environment.keySet().removeIf(k -> k.startsWith("OSPREY_"));
        // a port of its own, not 8886, which a gateway running on this machine may hold
        environment.put("OSPREY_HTTPS_PORT", Integer.toString(org.osprey.testsupport.Mosquitto.freePort()));
        environment.putAll(new HashMap<>(env));
        gateway = pb.start();
    }

    private HttpResponse<String> await(int port, String path, String password, int status, long timeoutMillis)
            throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        HttpResponse<String> last = null;
        while (System.currentTimeMillis() < deadline) {
            assertTrue("the gateway is running: " + Files.readString(output), gateway.isAlive());
            try {
                last = get(port, path, password);
                if (last.statusCode() == status) {
                    return last;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new AssertionError(path + " did not answer " + status + " within " + timeoutMillis + " ms; last: "
                + (last == null ? "no answer" : last.statusCode() + " " + last.body()));
    }

    private HttpResponse<String> get(int port, String path, String password) throws Exception {
        return http.send(request(port, path, password).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A request to the gateway, as admin when a password is given. */
    private static HttpRequest.Builder request(int port, String path, String password) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(5));
        if (password != null) {
            request.header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return request;
    }

    private static Path jar() {
        return Path.of(System.getProperty("osprey.jar", "target/osprey.jar"));
    }
}
