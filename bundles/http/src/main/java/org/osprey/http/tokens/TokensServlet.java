package org.osprey.http.tokens;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.annotations.RequireHttpWhiteboard;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.osprey.http.auth.AdminContext;
import org.osprey.http.errors.JsonErrorPages;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code /api/v1/tokens} (the admin password or an {@code admin} token): {@code POST {"name", "scopes"}}
 * makes a token and answers it once (201); {@code GET} lists them (name, scopes, created, last used);
 * {@code DELETE /api/v1/tokens/NAME} revokes one at once (204).
 */
@Component(service = Servlet.class)
@RequireHttpWhiteboard
@HttpWhiteboardContextSelect(AdminContext.SELECT)
@HttpWhiteboardServletName("osprey-tokens")
@HttpWhiteboardServletPattern({"/v1/tokens", "/v1/tokens/*"})
public class TokensServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient ApiTokens tokens;

    record Listed(String name, List<String> scopes, String created, String lastUsed) {
        static Listed of(ApiTokens.Token t) {
            return new Listed(t.name(), t.scopes(), t.created().toString(), t.lastUsed() == null ? null : t.lastUsed().toString());
        }
    }

    @Activate
    public TokensServlet(@Reference ApiTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        JsonErrorPages.writeJsonWithNulls(resp, 200, Map.of("tokens", tokens.list().stream().map(Listed::of).toList(), "scopes", Scopes.ALL));
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String name;
        List<String> scopes;
        try {
            JsonObject o = JsonParser.parseString(new String(req.getInputStream().readNBytes(16 * 1024), java.nio.charset.StandardCharsets.UTF_8))
                    .getAsJsonObject();
            name = o.get("name").getAsString();
            scopes = o.getAsJsonArray("scopes").asList().stream().map(e -> e.getAsString()).toList();
        } catch (RuntimeException e) {
            JsonErrorPages.send(resp, 400, "bad_request", "the body is {\"name\": \"prometheus\", \"scopes\": [\"metrics:read\"]}; scopes: " + Scopes.ALL);
            return;
        }
        try {
            ApiTokens.Made made = tokens.create(name, scopes);
            Map<String, Object> body = new java.util.LinkedHashMap<>();
            body.put("name", made.token().name());
            body.put("scopes", made.token().scopes());
            body.put("created", made.token().created().toString());
            body.put("token", made.secret());
            body.put("note", "shown once: only its hash is kept");
            JsonErrorPages.writeJsonWithNulls(resp, 201, body);
        } catch (IllegalArgumentException e) {
            JsonErrorPages.send(resp, e.getMessage().startsWith("there is") ? 409 : 400, "bad_request", e.getMessage());
        }
    }

    @Override
    protected void doDelete(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String name = req.getPathInfo() == null ? "" : req.getPathInfo().replaceFirst("^/", "");
        if (name.isEmpty() || !tokens.revoke(name)) {
            JsonErrorPages.send(resp, 404, "not_found", "no token named " + name);
            return;
        }
        resp.setStatus(204);
    }
}
