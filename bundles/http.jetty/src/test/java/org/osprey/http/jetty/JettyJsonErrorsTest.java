package org.osprey.http.jetty;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** A real Jetty 12 server (the one Felix HTTP embeds), sent what its parser refuses, byte for byte. */
public class JettyJsonErrorsTest {

    private Server server;
    private ServerConnector http;
    private final JettyJsonErrors errors = new JettyJsonErrors();

    @Before
    public void start() throws Exception {
        server = new Server();
        http = new ServerConnector(server);
        http.setPort(0);
        server.addConnector(http);
        server.start();
        // as Felix HTTP does with a ConnectorFactory service, after the server started
        var local = errors.createConnector(server);
        server.addConnector(local);
        local.start();
    }

    @After
    public void stop() throws Exception {
        server.stop();
    }

    /** The raw answer: status line, headers, body. */
    private String send(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", http.getLocalPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static JsonObject body(String answer) {
        return JsonParser.parseString(answer.substring(answer.indexOf("\r\n\r\n") + 4)).getAsJsonObject();
    }

    private static void assertJsonError(String answer, int status, String code) {
        assertTrue(answer, answer.startsWith("HTTP/1.1 " + status + " "));
        assertTrue(answer, answer.toLowerCase().contains("content-type: application/json"));
        JsonObject json = body(answer);
        assertEquals(answer, false, json.get("success").getAsBoolean());
        assertEquals(answer, code, json.get("code").getAsString());
        assertTrue(answer, !json.get("error").getAsString().isBlank());
    }

    @Test
    public void headersOverTheLimitAre431InJson() throws IOException {
        String answer = send("GET /image HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n");
        assertJsonError(answer, 431, "headers_too_large");
    }

    @Test
    public void anUnknownHttpVersionIs505InJson() throws IOException {
        assertJsonError(send("GET /image HTTP/7.3\r\nHost: x\r\n\r\n"), 505, "http_version_not_supported");
    }

    @Test
    public void aRequestLineOrHeaderThatCannotBeParsedIs400InJson() throws IOException {
        assertJsonError(send("GET /image HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n"), 400, "bad_request");
        assertJsonError(send("POST /image HTTP/1.1\r\nHost: x\r\nContent-Length: 12\r\nContent-Length: 99\r\n\r\n"), 400, "bad_request");
        assertJsonError(send("POST /image HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n"), 400, "bad_request");
    }

    @Test
    public void aBrokenRequestWithAMethodJettyDoesNotKnowIsAnsweredInJsonToo() throws IOException {
        assertJsonError(send("POQU /image HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n"), 400, "bad_request");
        assertJsonError(send("PUT /image HTTP/1.1\r\nHost: x\r\nContent-Length: 12\r\nContent-Length: 99\r\n\r\n"), 400, "bad_request");
    }

    @Test
    public void stoppingTheBundleGivesJettyItsOwnErrorHandlerBack() throws IOException {
        errors.deactivate();
        assertTrue(server.getErrorHandler().getClass().getName(), !(server.getErrorHandler() instanceof JettyJsonErrors.JsonErrorHandler));
        String answer = send("GET /image HTTP/7.3\r\nHost: x\r\n\r\n");
        assertTrue(answer, answer.startsWith("HTTP/1.1 505 "));
        assertTrue(answer, !answer.toLowerCase().contains("application/json"));
    }
}
