package org.osprey.http.inference;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import org.osprey.http.errors.ApiError;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A request's body, read whole into memory (never beyond the limit, never to disk): the bytes as sent,
 * or the fields of a {@code multipart/form-data} form, parsed here.
 */
final class RequestBody {

    private final byte[] raw;
    private final Map<String, byte[]> fields;

    private RequestBody(byte[] raw, Map<String, byte[]> fields) {
        this.raw = raw;
        this.fields = fields;
    }

    static RequestBody of(byte[] body, String contentType) throws ApiError {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        return new RequestBody(body, type.startsWith("multipart/form-data") ? multipart(body, boundary(contentType)) : null);
    }

    boolean isForm() {
        return fields != null;
    }

    /** Whether a body of this content type is a form (whose fields this reads). */
    static boolean isForm(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data");
    }

    /** The image: the named form field, or the whole body. */
    byte[] image(String field) throws ApiError {
        byte[] image = fields == null ? raw : fields.get(field);
        if (fields != null && image == null) {
            throw new ApiError(HttpServletResponse.SC_BAD_REQUEST, "no_image", "the form has no '" + field + "' field with the image");
        }
        if (image.length == 0) {
            throw new ApiError(HttpServletResponse.SC_BAD_REQUEST, "no_image", "the request has no image");
        }
        return image;
    }

    /** A short text field of the form, or null. */
    String text(String field) {
        byte[] v = fields == null ? null : fields.get(field);
        return v == null ? null : new String(v, 0, Math.min(v.length, 256), StandardCharsets.UTF_8).strip();
    }

    byte[] raw() {
        return raw;
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

    private static String boundary(String contentType) throws ApiError {
        for (String param : contentType.split(";")) {
            String p = param.strip();
            if (p.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                String b = p.substring("boundary=".length()).strip();
                if (b.length() > 1 && b.startsWith("\"") && b.endsWith("\"")) {
                    b = b.substring(1, b.length() - 1);
                }
                if (!b.isEmpty() && b.length() <= 70) {
                    return b;
                }
            }
        }
        throw new ApiError(HttpServletResponse.SC_BAD_REQUEST, "bad_request", "multipart/form-data without a valid boundary parameter");
    }

    /** RFC 7578: parts between {@code --boundary} lines, each with headers naming its field. */
    static Map<String, byte[]> multipart(byte[] body, String boundary) throws ApiError {
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        byte[] next = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        Map<String, byte[]> fields = new HashMap<>();
        int at = indexOf(body, delimiter, 0);
        if (at < 0) {
            throw malformed("no part starts with the boundary");
        }
        at += delimiter.length;
        while (true) {
            if (startsWith(body, at, "--")) {
                return fields; // the closing delimiter
            }
            if (!startsWith(body, at, "\r\n")) {
                throw malformed("a boundary line does not end with CRLF");
            }
            int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), at);
            if (headersEnd < 0) {
                throw malformed("a part's headers do not end");
            }
            String headers = new String(body, at + 2, headersEnd - at - 2, StandardCharsets.UTF_8);
            int start = headersEnd + 4;
            int end = indexOf(body, next, start);
            if (end < 0) {
                throw malformed("the body ends before the closing boundary");
            }
            String name = fieldName(headers);
            if (name != null) {
                fields.putIfAbsent(name, java.util.Arrays.copyOfRange(body, start, end));
            }
            at = end + next.length;
        }
    }

    private static String fieldName(String headers) {
        for (String line : headers.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-disposition:")) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i);\\s*name=(\"([^\"]*)\"|([^;\\s]+))").matcher(line);
                if (m.find()) {
                    return m.group(2) != null ? m.group(2) : m.group(3);
                }
            }
        }
        return null;
    }

    private static ApiError malformed(String why) {
        return new ApiError(HttpServletResponse.SC_BAD_REQUEST, "bad_request", "malformed multipart form: " + why);
    }

    private static boolean startsWith(byte[] b, int at, String s) {
        if (at + s.length() > b.length) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (b[at + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    static int indexOf(byte[] b, byte[] what, int from) {
        outer:
        for (int i = Math.max(0, from); i <= b.length - what.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (b[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
