package org.osprey.runtime.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.osprey.testsupport.Mosquitto;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * {@code java -jar osprey.jar} as a user runs it, in a folder of its own (data and deploy folders in it),
 * its output appended to {@code gateway.log} there; the environment is the test's without any
 * {@code OSPREY_*} or {@code IOTEDGE_*} variable, plus the port, the admin password and what the test adds.
 */
final class GatewayProcess implements AutoCloseable {

    static final String PASSWORD = "gateway-process-test-password";

    private final Path dir;
    private final int port;
    private final int httpsPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;

    GatewayProcess(Path dir) throws IOException {
        this.dir = dir;
        this.port = Mosquitto.freePort();
        this.httpsPort = Mosquitto.freePort();
    }

    int port() {
        return port;
    }

    int httpsPort() {
        return httpsPort;
    }

    /** POST without a password, as the inference routes' clients send. */
    HttpResponse<String> post(String path, String contentType, byte[] body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).header("Content-Type", contentType)
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** POST of an image to an inference route; the JSON answer, or an AssertionError with the status and body. */
    JsonObject postImage(String path, byte[] image) throws IOException, InterruptedException {
        HttpResponse<String> r = post(path, "application/octet-stream", image);
        if (r.statusCode() != 200) {
            throw new AssertionError("POST " + path + ": " + r.statusCode() + " " + r.body());
        }
        return JsonParser.parseString(r.body()).getAsJsonObject();
    }

    Path deploy() throws IOException {
        return Files.createDirectories(dir.resolve("deploy"));
    }

    void start(Map<String, String> env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                Path.of(System.getProperty("osprey.jar", "target/osprey.jar")).toAbsolutePath().toString())
                .directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("gateway.log").toFile()));
        pb.environment().keySet().removeIf(k -> k.startsWith("OSPREY_") || k.startsWith("IOTEDGE_"));
        pb.environment().put("OSPREY_HTTP_PORT", Integer.toString(port));
        pb.environment().put("OSPREY_HTTPS_PORT", Integer.toString(httpsPort));
        pb.environment().put("OSPREY_ADMIN_PASSWORD", PASSWORD);
        pb.environment().putAll(env);
        process = pb.start();
    }

    /** SIGKILL: no shutdown hook runs. */
    void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
        }
    }

    /** An admin GET's JSON answer; empty while the gateway does not answer 200. */
    Optional<JsonObject> get(String path) throws InterruptedException {
        return getText(path).map(body -> JsonParser.parseString(body).getAsJsonObject());
    }

    /** An admin GET's answer; empty while the gateway does not answer 200. */
    Optional<String> getText(String path) throws InterruptedException {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8)))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? Optional.of(r.body()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** An uplink's figures from /api/v1/telemetry, empty until the gateway answers and lists it. */
    Optional<JsonObject> uplink(String name) throws InterruptedException {
        return get("/api/v1/telemetry").map(t -> t.getAsJsonObject("uplinks")).filter(u -> u.has(name)).map(u -> u.getAsJsonObject(name));
    }

    /** The ids of the events the gateway made, from /api/v1/events (its last 200). */
    Set<String> eventIds() throws InterruptedException {
        Set<String> ids = new LinkedHashSet<>();
        get("/api/v1/events").ifPresent(e -> e.getAsJsonArray("events").forEach(x -> ids.add(x.getAsJsonObject().get("id").getAsString())));
        return ids;
    }

    String log() throws IOException {
        Path log = dir.resolve("gateway.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** Keeps the output in target/it-logs for a failure's diagnosis (the test's folder goes). */
    void keepLog(String name) throws IOException {
        Path log = dir.resolve("gateway.log");
        if (Files.exists(log)) {
            Files.copy(log, Files.createDirectories(Path.of("target", "it-logs")).resolve(name + ".log"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
