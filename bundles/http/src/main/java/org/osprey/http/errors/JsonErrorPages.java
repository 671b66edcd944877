package org.osprey.http.errors;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.annotations.RequireHttpWhiteboard;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletErrorPage;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osprey.http.auth.AdminContext;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The errors the servlet container makes itself on Osprey's routes (404 for a path it does not serve,
 * 405 for a method a route does not take, 500 for a failure nothing caught) in the same JSON shape as
 * the routes' own errors: {@code {"success":false,"code":"not_found","error":"..."}}. One component per
 * servlet context: the default one (inference routes, /health) and the admin one (/api).
 */
public final class JsonErrorPages {

    private JsonErrorPages() {
    }

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();
    private static final Gson WITH_NULLS = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();

    static String code(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 413 -> "too_large";
            case 415 -> "unsupported_media_type";
            case 431 -> "headers_too_large";
            case 501 -> "not_implemented";
            case 503 -> "unavailable";
            default -> status >= 500 ? "internal" : "bad_request";
        };
    }

    static void write(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Object s = req.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = s instanceof Integer i ? i : resp.getStatus();
        Object uri = req.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String error = switch (status) {
            case 404 -> "nothing here: " + uri;
            case 405 -> req.getMethod() + " is not allowed on " + uri;
            default -> {
                Object m = req.getAttribute(RequestDispatcher.ERROR_MESSAGE);
                yield m == null || m.toString().isBlank() ? "HTTP " + status : m.toString();
            }
        };
        send(resp, status, code(status), error);
    }

    /** The error's answer. */
    public static void send(HttpServletResponse resp, ApiError e) throws IOException {
        send(resp, e.status, e.code, e.getMessage());
    }

    /** An error answer in Osprey's JSON shape, for any servlet of the bundle. */
    public static void send(HttpServletResponse resp, int status, String code, String error) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("success", false);
        json.put("code", code);
        json.put("error", error);
        writeJson(resp, status, json);
    }

    /** A JSON answer that no cache keeps, the way every route of the bundle answers. */
    public static void writeJson(HttpServletResponse resp, int status, Object body) throws IOException {
        write(resp, status, GSON.toJson(body));
    }

    /** The same, with null fields written as {@code null} (for answers whose shape is a contract: lists of records). */
    public static void writeJsonWithNulls(HttpServletResponse resp, int status, Object body) throws IOException {
        write(resp, status, WITH_NULLS.toJson(body));
    }

    private static void write(HttpServletResponse resp, int status, String json) throws IOException {
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.getWriter().write(json);
    }

    /** Errors of the default context. */
    @Component(service = Servlet.class)
    @RequireHttpWhiteboard
    @HttpWhiteboardServletName("osprey-errors")
    @HttpWhiteboardServletErrorPage(errorPage = {"4xx", "5xx"})
    public static class Default extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            write(req, resp);
        }
    }

    /** Errors of the admin context under /api. */
    @Component(service = Servlet.class)
    @RequireHttpWhiteboard
    @HttpWhiteboardContextSelect(AdminContext.SELECT)
    @HttpWhiteboardServletName("osprey-admin-errors")
    @HttpWhiteboardServletErrorPage(errorPage = {"4xx", "5xx"})
    public static final class Admin extends Default {
        private static final long serialVersionUID = 1L;
    }
}
