package org.osprey.runtime.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;

import org.junit.Test;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * API tokens on the running gateway: made by the admin and shown once, each scope opening its routes and
 * no others, listed without their secret, revoked at once, throttled like passwords; and the inference
 * routes behind a token when {@code inferenceAuth=token}, DeepStack's {@code api_key} field included.
 */
public class TokensIT extends OspreyTestSupport {

    /** A request with any Authorization header (null: none). */
    private static HttpAnswer call(String method, String path, String authorization, String contentType, byte[] body) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL("http://localhost:" + System.getProperty(PORT_PROPERTY) + path).openConnection();
        c.setConnectTimeout(5000);
        c.setReadTimeout(30000);
        c.setRequestMethod(method);
        if (authorization != null) {
            c.setRequestProperty("Authorization", authorization);
        }
        if (body != null) {
            c.setDoOutput(true);
            c.setRequestProperty("Content-Type", contentType);
            try (OutputStream out = c.getOutputStream()) {
                out.write(body);
            }
        }
        int status = c.getResponseCode();
        try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
            return new HttpAnswer(status, in == null ? new byte[0] : in.readAllBytes(), c.getContentType(), c.getHeaderFields());
        } finally {
            c.disconnect();
        }
    }

    /**
     * Two requests without a token on one connection, each body sent whole without waiting for a go-ahead
     * (no {@code Expect: 100-continue}, as most clients do), the first paused half-way as a slow uplink
     * would: the number of 401 answers read. A server that answers before reading the body closes the
     * connection on the unread rest, and such a client gets a reset instead of the answer.
     */
    private static int refusalsOnOneConnection(byte[] image) throws Exception {
        byte[] head = ("POST /image HTTP/1.1\r\nHost: localhost\r\nContent-Type: image/png\r\nContent-Length: " + image.length + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        try (java.net.Socket s = new java.net.Socket("localhost", Integer.parseInt(System.getProperty(PORT_PROPERTY)))) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(head);
            out.write(image, 0, image.length / 2);
            out.flush();
            Thread.sleep(500); // the client's pause (a scenario, not a wait for a condition)
            try {
                out.write(image, image.length / 2, image.length - image.length / 2);
                out.write(head);
                out.write(image);
                s.shutdownOutput();
            } catch (IOException closedWhileSending) {
                // the server gave up on the connection: what is read below says so
            }
            String answers = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            return answers.split("HTTP/1.1 401 ", -1).length - 1;
        }
    }

    /** The first answer line to a request without a token that asks for a go-ahead before sending its body (and never sends it). */
    private static String firstLineWithoutBody(int length) throws Exception {
        try (java.net.Socket s = new java.net.Socket("localhost", Integer.parseInt(System.getProperty(PORT_PROPERTY)))) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write(("POST /image HTTP/1.1\r\nHost: localhost\r\nContent-Type: image/png\r\nExpect: 100-continue\r\nContent-Length: "
                    + length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            return new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1)).readLine();
        }
    }

    private static String basic() {
        return "Basic " + java.util.Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    private static String make(String authorization, String name, String... scopes) throws IOException {
        String json = "{\"name\":\"" + name + "\",\"scopes\":[" + String.join(",", java.util.Arrays.stream(scopes).map(s -> "\"" + s + "\"").toList())
                + "]}";
        HttpAnswer a = call("POST", "/api/v1/tokens", authorization, "application/json", json.getBytes(StandardCharsets.UTF_8));
        assertEquals(a.body, 201, a.status);
        JsonObject o = InferenceIT.json(a);
        assertEquals(name, o.get("name").getAsString());
        return o.get("token").getAsString();
    }

    private static int status(String method, String path, String token) throws IOException {
        return call(method, path, "Bearer " + token, null, null).status;
    }

    @Test
    public void eachScopeOpensItsRoutesOnlyAndARevokedTokenIsRefusedAtOnce() throws Exception {
        String metrics = make(basic(), "prometheus", "metrics:read");
        String events = make(basic(), "dashboard", "events:read");
        String models = make(basic(), "ci-deploy", "models:write");
        String admin = make(basic(), "ops", "admin");
        try {
            assertTrue(metrics, metrics.startsWith("osprey_") && metrics.length() > 40);

            assertEquals(200, status("GET", "/api/v1/metrics", metrics));
            assertEquals(403, status("GET", "/api/v1/models", metrics));
            assertEquals(403, status("GET", "/api/v1/events", metrics));
            assertEquals(403, status("GET", "/api/v1/tokens", metrics));
            HttpAnswer denied = call("GET", "/api/v1/telemetry", "Bearer " + metrics, null, null);
            assertEquals(403, denied.status);
            assertEquals("insufficient_scope", InferenceIT.json(denied).get("code").getAsString());

            assertEquals(200, status("GET", "/api/v1/events", events));
            assertEquals(403, status("GET", "/api/v1/metrics", events));
            assertEquals(403, status("POST", "/api/v1/events", events));

            assertEquals(200, status("GET", "/api/v1/models", models));
            assertEquals("past the token, the route itself answers", 404, status("DELETE", "/api/v1/models/999999", models));
            assertEquals(403, status("DELETE", "/api/v1/models/999999", metrics));
            assertEquals(403, status("GET", "/api/v1/cameras", models));

            assertEquals(200, status("GET", "/api/v1/cameras", admin));
            assertEquals(200, status("GET", "/api/v1/tokens", admin));
            // the web console takes the password only
            assertEquals(401, status("GET", "/system/console/bundles", admin));

            // listed with when they were made and last used, never with their secret or its hash
            HttpAnswer list = call("GET", "/api/v1/tokens", basic(), null, null);
            assertEquals(200, list.status);
            assertFalse(list.body.contains(metrics));
            assertFalse(list.body.contains("sha256"));
            JsonObject prometheus = null;
            for (JsonElement e : InferenceIT.json(list).getAsJsonArray("tokens")) {
                if (e.getAsJsonObject().get("name").getAsString().equals("prometheus")) {
                    prometheus = e.getAsJsonObject();
                }
            }
            assertNotNull(list.body, prometheus);
            assertEquals("[\"metrics:read\"]", prometheus.get("scopes").toString());
            assertFalse(prometheus.get("lastUsed").isJsonNull());
            // kept as hashes only
            String stored = Files.readString(Path.of(context.getProperty("osprey.data"), "api-tokens.json"));
            assertFalse(stored.contains(metrics));

            // names are unique; scopes are known ones
            assertEquals(409, call("POST", "/api/v1/tokens", basic(), "application/json",
                    "{\"name\":\"prometheus\",\"scopes\":[\"admin\"]}".getBytes(StandardCharsets.UTF_8)).status);
            assertEquals(400, call("POST", "/api/v1/tokens", basic(), "application/json",
                    "{\"name\":\"x\",\"scopes\":[\"everything\"]}".getBytes(StandardCharsets.UTF_8)).status);

            // revoked: refused from the next request on
            assertEquals(204, call("DELETE", "/api/v1/tokens/prometheus", "Bearer " + admin, null, null).status);
            HttpAnswer revoked = call("GET", "/api/v1/metrics", "Bearer " + metrics, null, null);
            assertEquals(401, revoked.status);
            assertEquals("invalid_token", InferenceIT.json(revoked).get("code").getAsString());
        } finally {
            for (String name : new String[] {"prometheus", "dashboard", "ci-deploy", "ops"}) {
                call("DELETE", "/api/v1/tokens/" + name, basic(), null, null);
            }
        }
    }

    /** Wrong tokens count as wrong passwords: after the free attempts the address waits, even with a right one. */
    @Test
    public void wrongTokensAreThrottledLikePasswords() throws Exception {
        String good = make(basic(), "throttled", "metrics:read");
        try {
            int status = 0;
            for (int i = 0; i < 10 && status != 429; i++) {
                status = status("GET", "/api/v1/metrics", "osprey_not-a-token-" + i);
            }
            assertEquals(429, status);
            assertEquals(429, status("GET", "/api/v1/metrics", good));
        } finally {
            // the lock-out is short: wait it out (with a deadline) so the other tests are not refused
            long deadline = System.currentTimeMillis() + 30_000;
            while (status("GET", "/api/v1/metrics", good) != 200 && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
            }
            call("DELETE", "/api/v1/tokens/throttled", basic(), null, null);
        }
    }

    @Test
    public void inferenceRoutesAskForATokenWhenConfigured() throws Exception {
        String infer = make(basic(), "camera-app", "infer");
        String metrics = make(basic(), "scraper", "metrics:read");
        ConfigurationAdmin admin = context.getService(context.getServiceReference(ConfigurationAdmin.class));
        Configuration api = admin.getConfiguration("org.osprey.http.inference", "?");
        java.util.Dictionary<String, Object> before = api.getProperties();
        try {
            InferenceIT.awaitActive("blazeface", "1.2.0");
            byte[] image = sample("astronaut.png");
            assertEquals("open by default", 200, call("POST", "/image", null, "image/png", image).status);

            Hashtable<String, Object> p = new Hashtable<>();
            if (before != null) {
                java.util.Collections.list(before.keys()).forEach(k -> p.put(k, before.get(k)));
            }
            p.put("inferenceAuth", "token");
            api.update(p);
            long deadline = System.currentTimeMillis() + 30_000;
            HttpAnswer refused;
            while ((refused = call("POST", "/image", null, "image/png", image)).status != 401 && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(refused.body, 401, refused.status);
            assertEquals("unauthorized", InferenceIT.json(refused).get("code").getAsString());
            assertEquals("a client sending its body without waiting gets each 401, on one connection", 2, refusalsOnOneConnection(image));
            assertEquals("a client that waits for a go-ahead is refused before it sends the body", "HTTP/1.1 401 Unauthorized", firstLineWithoutBody(image.length));
            assertEquals(200, call("POST", "/image", "Bearer " + infer, "image/png", image).status);
            assertEquals("a token without the infer scope", 401, call("POST", "/image", "Bearer " + metrics, "image/png", image).status);

            // DeepStack and CodeProject.AI clients send the key as a form field
            java.util.Map<String, Object> form = new java.util.LinkedHashMap<>();
            form.put("image", image);
            assertEquals(401, postForm("/v1/vision/detection", form, null).status);
            form.put("api_key", infer);
            HttpAnswer deepstack = postForm("/v1/vision/detection", form, null);
            assertEquals(deepstack.body, 200, deepstack.status);
            assertTrue(deepstack.body, InferenceIT.json(deepstack).get("success").getAsBoolean());
            form.put("api_key", "osprey_wrong");
            assertEquals(401, postForm("/v1/vision/detection", form, null).status);
        } finally {
            if (before == null) {
                api.delete();
            } else {
                api.update(before);
            }
            call("DELETE", "/api/v1/tokens/camera-app", basic(), null, null);
            call("DELETE", "/api/v1/tokens/scraper", basic(), null, null);
        }
        long deadline = System.currentTimeMillis() + 30_000;
        while (call("POST", "/image", null, "image/png", sample("astronaut.png")).status != 200 && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
    }
}
