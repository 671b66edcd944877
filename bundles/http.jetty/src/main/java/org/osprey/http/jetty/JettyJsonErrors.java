package org.osprey.http.jetty;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.felix.http.jetty.ConnectorFactory;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.LocalConnector;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

/**
 * Makes the errors Jetty answers by itself, before a request reaches any servlet, JSON in Osprey's error
 * shape ({@code {"success":false,"code":"headers_too_large","error":"..."}}) instead of Jetty's HTML page:
 * a request line or header it cannot parse, headers over the limit (431), a URI too long (414), an
 * unknown HTTP version (505). Errors inside the servlet context are the whiteboard error pages' job.
 * <p>
 * Felix HTTP hands its Jetty server to other bundles only through {@link ConnectorFactory}: this one sets
 * the server's error handler when it is asked for a connector, and gives a {@link LocalConnector}, which
 * opens no port. Stopping this bundle gives the server its previous error handler back.
 */
@Component(service = ConnectorFactory.class)
public final class JettyJsonErrors implements ConnectorFactory {

    private Server server;
    private Request.Handler previous;

    @Override
    public synchronized Connector createConnector(Server jetty) {
        if (server == null) {
            server = jetty;
            previous = jetty.getErrorHandler();
            jetty.setErrorHandler(new JsonErrorHandler());
        }
        return new LocalConnector(jetty);
    }

    @Deactivate
    synchronized void deactivate() {
        if (server != null && server.getErrorHandler() instanceof JsonErrorHandler) {
            server.setErrorHandler(previous);
        }
        server = null;
    }

    /** Jetty's error handler, always answering JSON whatever the client accepts. */
    static final class JsonErrorHandler extends ErrorHandler {

        private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

        static String code(int status) {
            return switch (status) {
                case 400 -> "bad_request";
                case 404 -> "not_found";
                case 405 -> "method_not_allowed";
                case 408 -> "timeout";
                case 413 -> "too_large";
                case 414 -> "uri_too_long";
                case 415 -> "unsupported_media_type";
                case 431 -> "headers_too_large";
                case 501 -> "not_implemented";
                case 503 -> "unavailable";
                case 505 -> "http_version_not_supported";
                default -> status >= 500 ? "internal" : "bad_request";
            };
        }

        static byte[] json(int status, String message) {
            String error = message == null || message.isBlank() ? HttpStatus.getMessage(status) : message;
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("success", false);
            json.put("code", code(status));
            json.put("error", error);
            return GSON.toJson(json).getBytes(StandardCharsets.UTF_8);
        }

        /** Jetty writes no body for methods other than GET, POST and HEAD; a client with a broken method deserves the reason too. */
        @Override
        public boolean errorPageForMethod(String method) {
            return true;
        }

        @Override
        protected void generateResponse(Request request, Response response, int code, String message, Throwable cause, Callback callback) {
            // Jetty passes cause.toString() when it has no message: a class name is no use to a client
            String text = cause != null && cause.toString().equals(message) ? null : message;
            byte[] body = json(code, text);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
            response.write(true, ByteBuffer.wrap(body), callback);
        }
    }
}
