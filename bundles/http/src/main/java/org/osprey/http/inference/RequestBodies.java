package org.osprey.http.inference;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.Part;

/** Reads the image of a request, never more than the configured limit. */
final class RequestBodies {

    private final long limit;

    RequestBodies(long limit) {
        this.limit = limit;
    }

    /** The raw body, or the named multipart field when the request is multipart/form-data. */
    byte[] image(HttpServletRequest req, String field) throws ApiError, IOException {
        long declared = req.getContentLengthLong();
        if (declared > limit) {
            throw tooLarge(declared);
        }
        String type = req.getContentType() == null ? "" : req.getContentType().toLowerCase(Locale.ROOT);
        if (type.startsWith("multipart/form-data")) {
            Part part;
            try {
                part = req.getPart(field);
            } catch (ServletException | IllegalStateException e) {
                throw new ApiError(HttpServletResponse.SC_BAD_REQUEST, "bad_request", "cannot read the multipart form: " + e.getMessage());
            }
            if (part == null) {
                throw new ApiError(HttpServletResponse.SC_BAD_REQUEST, "no_image", "the form has no '" + field + "' field with the image");
            }
            if (part.getSize() > limit) {
                throw tooLarge(part.getSize());
            }
            try (InputStream in = part.getInputStream()) {
                return read(in);
            }
        }
        try (InputStream in = req.getInputStream()) {
            if (declared > 0) {
                // the exact size is known: one array, filled in place, no chunks to join
                byte[] data = in.readNBytes((int) declared);
                if (data.length == 0) {
                    throw new ApiError(HttpServletResponse.SC_BAD_REQUEST, "no_image", "the request has no image");
                }
                return data;
            }
            return read(in);
        }
    }

    /**
     * A parameter of the query string only. (getParameter would read a body sent as
     * application/x-www-form-urlencoded, which is what curl --data-binary declares for an image.)
     */
    static String query(HttpServletRequest req, String name) throws ApiError {
        String q = req.getQueryString();
        if (q == null) {
            return null;
        }
        for (String pair : q.split("&")) {
            int eq = pair.indexOf('=');
            if (decode(eq < 0 ? pair : pair.substring(0, eq)).equals(name)) {
                return eq < 0 ? "" : decode(pair.substring(eq + 1));
            }
        }
        return null;
    }

    private static String decode(String s) throws ApiError {
        try {
            return java.net.URLDecoder.decode(s, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ApiError(HttpServletResponse.SC_BAD_REQUEST, "bad_request", "the query string is not URL-encoded: " + e.getMessage());
        }
    }

    /** A form field of a multipart request, or a query parameter. */
    static String field(HttpServletRequest req, String name) throws IOException, ApiError {
        String v = query(req, name);
        if (v == null && req.getContentType() != null && req.getContentType().toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            try {
                Part p = req.getPart(name);
                if (p != null) {
                    try (InputStream in = p.getInputStream()) {
                        v = new String(in.readNBytes(256), java.nio.charset.StandardCharsets.UTF_8).strip();
                    }
                }
            } catch (ServletException | IllegalStateException e) {
                return null;
            }
        }
        return v;
    }

    private byte[] read(InputStream in) throws IOException, ApiError {
        byte[] data = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
        if (data.length > limit) {
            throw tooLarge(-1);
        }
        if (data.length == 0) {
            throw new ApiError(HttpServletResponse.SC_BAD_REQUEST, "no_image", "the request has no image");
        }
        return data;
    }

    private ApiError tooLarge(long size) {
        return new ApiError(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "too_large",
                "the image is larger than the limit of " + limit + " bytes" + (size > 0 ? " (" + size + " bytes)" : ""));
    }
}
