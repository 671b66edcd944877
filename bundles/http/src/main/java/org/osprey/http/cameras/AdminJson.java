package org.osprey.http.cameras;

import java.io.IOException;
import java.io.Reader;

import org.osprey.http.errors.JsonErrorPages;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** Small JSON requests and answers of the admin routes. */
final class AdminJson {

    /** Admin requests are forms, not uploads. */
    private static final int LIMIT = 64 * 1024;

    private AdminJson() {
    }

    /** The request's JSON object; IllegalArgumentException (and Gson's, which are runtime exceptions) when it is none. */
    static JsonObject read(HttpServletRequest req) throws IOException {
        if (req.getContentLengthLong() > LIMIT) {
            throw new IllegalArgumentException("the body is larger than " + LIMIT + " bytes");
        }
        StringBuilder sb = new StringBuilder();
        char[] buf = new char[4096];
        try (Reader in = req.getReader()) {
            for (int n; (n = in.read(buf)) > 0;) {
                sb.append(buf, 0, n);
                if (sb.length() > LIMIT) {
                    throw new IllegalArgumentException("the body is larger than " + LIMIT + " bytes");
                }
            }
        }
        return JsonParser.parseString(sb.toString()).getAsJsonObject();
    }

    static void write(HttpServletResponse resp, int status, Object body) throws IOException {
        JsonErrorPages.writeJson(resp, status, body);
    }
}
