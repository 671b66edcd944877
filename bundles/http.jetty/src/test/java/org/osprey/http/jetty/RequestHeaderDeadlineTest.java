package org.osprey.http.jetty;

import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** A real Jetty 12 server with the deadline at 1 s, and clients that send their requests too slowly, or not. */
public class RequestHeaderDeadlineTest {

    private Server server;
    private ServerConnector http;
    private RequestHeaderDeadline deadline;

    private static RequestHeaderDeadline.Config seconds(int seconds) {
        return new RequestHeaderDeadline.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return RequestHeaderDeadline.Config.class;
            }

            @Override
            public int requestHeaderTimeoutSeconds() {
                return seconds;
            }
        };
    }

    @Before
    public void start() throws Exception {
        server = new Server();
        http = new ServerConnector(server);
        http.setPort(0);
        http.setIdleTimeout(60_000);
        server.addConnector(http);
        // answers "ok" once it has read the whole body, however slowly it comes
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                Content.Source.asString(request);
                response.write(true, java.nio.ByteBuffer.wrap("ok".getBytes(StandardCharsets.US_ASCII)), callback);
                return true;
            }
        });
        server.start();
        deadline = new RequestHeaderDeadline(seconds(1));
        var local = deadline.createConnector(server);
        server.addConnector(local);
        local.start();
    }

    @After
    public void stop() throws Exception {
        deadline.deactivate();
        server.stop();
    }

    private Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", http.getLocalPort());
        s.setSoTimeout(10_000);
        return s;
    }

    private static void send(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Milliseconds until the server closes the connection (read gives -1 or a reset), while it sends drip every 200 ms (if any). */
    private static long millisUntilClosed(Socket s, Byte drip) throws IOException {
        long start = System.nanoTime();
        s.setSoTimeout(200);
        InputStream in = s.getInputStream();
        while (System.nanoTime() - start < 8_000_000_000L) {
            try {
                if (in.read() == -1) {
                    return (System.nanoTime() - start) / 1_000_000;
                }
            } catch (SocketTimeoutException e) {
                try {
                    if (drip != null) {
                        s.getOutputStream().write(drip);
                    }
                } catch (IOException closed) {
                    return (System.nanoTime() - start) / 1_000_000;
                }
            } catch (IOException reset) {
                return (System.nanoTime() - start) / 1_000_000;
            }
        }
        fail("the connection was still open after 8 s");
        return -1;
    }

    private static String answer(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        StringBuilder text = new StringBuilder();
        while (!text.toString().endsWith("ok")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            text.append((char) b);
        }
        return text.toString();
    }

    @Test
    public void aClientThatConnectsAndSendsNothingIsClosed() throws IOException {
        try (Socket s = connect()) {
            long millis = millisUntilClosed(s, null);
            assertTrue("closed after " + millis + " ms", millis >= 800 && millis < 3_000);
        }
    }

    @Test
    public void aClientThatDripsItsHeaderIsClosed() throws IOException {
        try (Socket s = connect()) {
            send(s, "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ");
            long millis = millisUntilClosed(s, (byte) 'a');
            assertTrue("closed after " + millis + " ms", millis >= 800 && millis < 3_000);
        }
    }

    @Test
    public void aSecondRequestDrippedOnAKeptConnectionIsClosedToo() throws Exception {
        try (Socket s = connect()) {
            send(s, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertTrue(answer(s).startsWith("HTTP/1.1 200"));
            // waiting between requests is the idle timeout's business, not this one's
            Thread.sleep(1_600);
            send(s, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertTrue(answer(s).startsWith("HTTP/1.1 200"));
            send(s, "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ");
            long millis = millisUntilClosed(s, (byte) 'a');
            assertTrue("closed after " + millis + " ms", millis < 3_000);
        }
    }

    @Test
    public void aBodyThatComesSlowlyIsLeftToTheRouteThatReadsIt() throws Exception {
        try (Socket s = connect()) {
            send(s, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 12\r\n\r\n");
            // 12 bytes over about 2.4 s: longer than the header deadline
            for (int i = 0; i < 12; i++) {
                Thread.sleep(200);
                send(s, "b");
            }
            String answer = answer(s);
            assertTrue(answer, answer.startsWith("HTTP/1.1 200"));
            assertTrue(answer, answer.endsWith("ok"));
        }
    }

    @Test
    public void aLongerTimeoutTakesEffectWithoutARestart() throws IOException {
        deadline.modified(seconds(3));
        try (Socket s = connect()) {
            long millis = millisUntilClosed(s, null);
            assertTrue("closed after " + millis + " ms", millis >= 2_800 && millis < 5_000);
        }
    }
}
