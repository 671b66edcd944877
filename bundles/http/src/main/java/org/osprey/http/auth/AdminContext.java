package org.osprey.http.auth;

import java.util.Optional;

import org.osgi.service.component.annotations.Reference;
import org.osprey.http.errors.JsonErrorPages;
import org.osprey.http.tokens.ApiTokens;
import org.osprey.http.tokens.Scopes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.context.ServletContextHelper;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The servlet context of Osprey's admin routes, under {@code /api}: HTTP Basic as user {@code admin}
 * with the gateway's admin password (the one the web console takes), or {@code Authorization: Bearer}
 * with an API token whose scopes allow the request ({@link Scopes}). Servlets join it with
 * {@code @HttpWhiteboardContextSelect("(osgi.http.whiteboard.context.name=osprey.admin)")}.
 */
@Component(service = ServletContextHelper.class, scope = org.osgi.service.component.annotations.ServiceScope.BUNDLE)
@HttpWhiteboardContext(name = AdminContext.NAME, path = "/api")
public class AdminContext extends ServletContextHelper {

    public static final String NAME = "osprey.admin";
    public static final String SELECT = "(osgi.http.whiteboard.context.name=" + NAME + ")";
    static final String USER = "admin";
    static final String PASSWORD_PROPERTY = "felix.webconsole.password";

    private static final Logger LOG = LoggerFactory.getLogger(AdminContext.class);

    private final String hash;
    /** The last accepted Authorization header, as a digest: skips 10,000 hash rounds on every call. */
    private volatile byte[] accepted;

    private final ApiTokens tokens;

    @Activate
    public AdminContext(BundleContext context, @Reference ApiTokens tokens) {
        super(context.getBundle());
        this.tokens = tokens;
        String h = context.getProperty(PASSWORD_PROPERTY);
        this.hash = AdminPassword.isHash(h) ? h : null;
        if (hash == null) {
            LOG.warn("no admin password hash in {}: the admin routes under /api refuse every request", PASSWORD_PROPERTY);
        }
    }

    @Override
    public boolean handleSecurity(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String header = request.getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return bearer(header.substring(7).strip(), request, response);
        }
        if (hash != null && header != null && allowed(header)) {
            return true;
        }
        response.setHeader("WWW-Authenticate", "Basic realm=\"Osprey\", charset=\"UTF-8\"");
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        response.getWriter().write("{\"success\":false,\"error\":\"the admin routes need the admin user and password\"}");
        return false;
    }

    /** An API token: a known one whose scopes allow the request (403 otherwise); an unknown or revoked one is a wrong password (401). */
    private boolean bearer(String secret, HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<ApiTokens.Token> token = tokens.check(secret);
        if (token.isEmpty()) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"Osprey\", error=\"invalid_token\"");
            JsonErrorPages.send(response, HttpServletResponse.SC_UNAUTHORIZED, "invalid_token", "the token is not known, or was revoked");
            return false;
        }
        if (Scopes.allows(token.get().scopes(), request.getMethod(), request.getRequestURI())) {
            return true;
        }
        JsonErrorPages.send(response, HttpServletResponse.SC_FORBIDDEN, "insufficient_scope", "the token " + token.get().name() + " ("
                + String.join(", ", token.get().scopes()) + ") does not allow " + request.getMethod() + " " + request.getRequestURI());
        return false;
    }

    private boolean allowed(String header) {
        byte[] fingerprint = AdminPassword.fingerprint(header);
        byte[] known = accepted;
        if (known != null && MessageDigest.isEqual(known, fingerprint)) {
            return true;
        }
        if (!header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0 || !decoded.substring(0, colon).equals(USER)) {
            return false;
        }
        if (AdminPassword.matches(hash, decoded.substring(colon + 1))) {
            accepted = fingerprint;
            return true;
        }
        return false;
    }
}
