package org.osprey.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Stands in for the IoT Edge daemon's workload API on a Unix socket, as a module sees it: {@code POST
 * /modules/<id>/genid/<gen>/sign} signs with the module's key (HMAC-SHA256), {@code GET /trust-bundle}
 * gives the CA that signed the edge hub's certificate.
 */
public final class FakeEdgeDaemon implements AutoCloseable {

    private final ServerSocketChannel server;
    private final byte[] moduleKey;
    private final String trustBundle;
    /** Signing requests answered. */
    public final AtomicInteger signatures = new AtomicInteger();
    /** Trust-bundle requests answered. */
    public final AtomicInteger trustBundles = new AtomicInteger();
    private final Thread thread;

    public FakeEdgeDaemon(Path socket, byte[] moduleKey, Path caFile) throws IOException {
        this.moduleKey = moduleKey;
        this.trustBundle = Files.readString(caFile);
        Files.deleteIfExists(socket);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        thread = new Thread(this::serve, "fake-edge-daemon");
        thread.setDaemon(true);
        thread.start();
    }

    private void serve() {
        while (server.isOpen()) {
            try (SocketChannel c = server.accept()) {
                String request = read(c);
                if (!request.contains("\r\n\r\n")) {
                    continue; // a connection that only checks the socket is there
                }
                String body = request.substring(request.indexOf("\r\n\r\n") + 4);
                String line = request.substring(0, request.indexOf("\r\n"));
                JsonObject answer = new JsonObject();
                int status = 200;
                if (line.startsWith("POST /modules/") && line.contains("/sign?")) {
                    signatures.incrementAndGet();
                    byte[] data = Base64.getDecoder().decode(JsonParser.parseString(body).getAsJsonObject().get("data").getAsString());
                    Mac mac = Mac.getInstance("HmacSHA256");
                    mac.init(new SecretKeySpec(moduleKey, "HmacSHA256"));
                    answer.addProperty("digest", Base64.getEncoder().encodeToString(mac.doFinal(data)));
                } else if (line.startsWith("GET /trust-bundle?")) {
                    trustBundles.incrementAndGet();
                    answer.addProperty("certificate", trustBundle);
                } else {
                    status = 404;
                    answer.addProperty("message", "not here: " + line);
                }
                byte[] json = answer.toString().getBytes(StandardCharsets.UTF_8);
                String head = "HTTP/1.1 " + status + " " + (status == 200 ? "OK" : "NotFound") + "\r\nContent-Type: application/json\r\nContent-Length: "
                        + json.length + "\r\nConnection: close\r\n\r\n";
                c.write(ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII)));
                c.write(ByteBuffer.wrap(json));
            } catch (Exception e) {
                if (server.isOpen()) {
                    e.printStackTrace();
                }
            }
        }
    }

    /** Headers, then as many body bytes as Content-Length says. */
    private static String read(SocketChannel c) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        while (true) {
            String sofar = all.toString(StandardCharsets.UTF_8);
            int end = sofar.indexOf("\r\n\r\n");
            if (end >= 0) {
                int length = 0;
                for (String h : sofar.substring(0, end).split("\r\n")) {
                    if (h.toLowerCase().startsWith("content-length:")) {
                        length = Integer.parseInt(h.substring(15).trim());
                    }
                }
                if (all.size() >= end + 4 + length) {
                    return sofar;
                }
            }
            buffer.clear();
            if (c.read(buffer) < 0) {
                return all.toString(StandardCharsets.UTF_8);
            }
            all.write(buffer.array(), 0, buffer.position());
        }
    }

    @Override
    public void close() throws Exception {
        server.close();
        thread.join(2000);
    }
}
