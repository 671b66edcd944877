package org.osprey.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * Files over HTTPS on localhost, with a certificate from the test CA, as a storage service serves model
 * jars: whole ({@code 200}) or from a byte on ({@code Range: bytes=N-}, {@code 206}). Faults on request:
 * the next answer for a path cut after some bytes (the connection closed), or stalled after some bytes
 * until the server stops.
 */
public final class HttpsFileServer implements AutoCloseable {

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    private final HttpsServer server;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Map<String, Integer> cuts = new ConcurrentHashMap<>();
    private final Map<String, Integer> stalls = new ConcurrentHashMap<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** Each request as {@code GET /path} and its Range header, if any: {@code GET /path bytes=100-}. */
    public final List<String> requests = new CopyOnWriteArrayList<>();

    public HttpsFileServer(TestCa ca, Path certificateDir) throws Exception {
        Path cert = ca.issue("files-" + System.nanoTime(), "localhost", "DNS:localhost,IP:127.0.0.1");
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(TestCa.keyStore(cert), TestCa.KEY_STORE_PASSWORD);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "https-file-server");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::answer);
        server.start();
    }

    /** {@code https://localhost:PORT/path} */
    public String url(String path) {
        return "https://localhost:" + server.getAddress().getPort() + "/" + path;
    }

    public void serve(String path, byte[] content) {
        files.put("/" + path, content);
    }

    /** The next answer for the path ends (the connection closed) after {@code bytes} bytes of the body. */
    public void cutOnce(String path, int bytes) {
        cuts.put("/" + path, bytes);
    }

    /** The next answer for the path sends {@code bytes} bytes of the body, then nothing more. */
    public void stallOnce(String path, int bytes) {
        stalls.put("/" + path, bytes);
    }

    private void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String range = exchange.getRequestHeaders().getFirst("Range");
        requests.add(exchange.getRequestMethod() + " " + path + (range == null ? "" : " " + range));
        byte[] content = files.get(path);
        if (content == null) {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
            return;
        }
        int from = 0;
        Matcher m = range == null ? null : RANGE.matcher(range);
        if (m != null && m.matches()) {
            from = Integer.parseInt(m.group(1));
            if (from >= content.length) {
                exchange.getResponseHeaders().set("Content-Range", "bytes */" + content.length);
                exchange.sendResponseHeaders(416, -1);
                exchange.close();
                return;
            }
            exchange.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + (content.length - 1) + "/" + content.length);
            exchange.sendResponseHeaders(206, content.length - from);
        } else {
            exchange.sendResponseHeaders(200, content.length);
        }
        Integer cut = cuts.remove(path);
        Integer stall = stalls.remove(path);
        OutputStream body = exchange.getResponseBody();
        int end = content.length;
        if (cut != null) {
            end = Math.min(end, from + cut);
        } else if (stall != null) {
            end = Math.min(end, from + stall);
        }
        body.write(content, from, end - from);
        body.flush();
        if (stall != null) {
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (cut != null || stall != null) {
            // closing the socket under the exchange: the client sees the body end early
            throw new IOException("cut after " + (end - from) + " bytes, as asked");
        }
        exchange.close();
    }

    @Override
    public void close() {
        stopped.countDown();
        server.stop(0);
    }
}
