package org.osprey.http.tokens;

import java.util.Collection;
import java.util.List;

/** What each token scope opens. */
public final class Scopes {

    public static final String ADMIN = "admin";
    public static final String METRICS_READ = "metrics:read";
    public static final String EVENTS_READ = "events:read";
    public static final String MODELS_WRITE = "models:write";
    public static final String INFER = "infer";
    public static final List<String> ALL = List.of(METRICS_READ, EVENTS_READ, MODELS_WRITE, INFER, ADMIN);

    private Scopes() {
    }

    /**
     * Whether a token with these scopes may make this request under {@code /api}: {@code admin} every one;
     * {@code metrics:read} GET /api/v1/metrics; {@code events:read} GET /api/v1/events and below (the
     * list, the stream, the pictures); {@code models:write} /api/v1/models and below (list, upload,
     * removal, the default model). The web console takes the password only.
     */
    public static boolean allows(Collection<String> scopes, String method, String uri) {
        if (scopes.contains(ADMIN)) {
            return true;
        }
        boolean read = method.equals("GET") || method.equals("HEAD");
        return scopes.contains(METRICS_READ) && read && under(uri, "/api/v1/metrics")
                || scopes.contains(EVENTS_READ) && read && under(uri, "/api/v1/events")
                || scopes.contains(MODELS_WRITE) && under(uri, "/api/v1/models");
    }

    private static boolean under(String uri, String path) {
        return uri.equals(path) || uri.startsWith(path + "/");
    }
}
