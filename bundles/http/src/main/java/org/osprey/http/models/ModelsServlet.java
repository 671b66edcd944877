package org.osprey.http.models;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.annotations.RequireHttpWhiteboard;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.osprey.api.rollout.ModelRollout;
import org.osprey.api.vision.ModelCatalog;
import org.osprey.api.vision.ModelRecord;
import org.osprey.http.auth.AdminContext;
import org.osprey.http.errors.ApiError;
import org.osprey.http.errors.JsonErrorPages;


import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /api/v1/models} (admin): every model bundle with its state, and the sessions held open; also
 * upload, removal and the default model (below).
 */
@Component(service = Servlet.class)
@RequireHttpWhiteboard
@HttpWhiteboardContextSelect(AdminContext.SELECT)
@HttpWhiteboardServletName("osprey-models")
@HttpWhiteboardServletPattern({"/v1/models", "/v1/models/*"})
public class ModelsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    record Entry(String name, String version, String task, String state, String message, long bundleId, String symbolicName,
            String since) {
    }

    /** Where the rollout of a wanted version stands: state downloading, verifying, installing, active, replaced or failed. */
    record Rollout(String version, String state, long bytes, long size, Double progress, String message) {
    }

    record Response(List<Entry> models, Integer openSessions, String defaultModel, Map<String, Rollout> rollout) {
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile ModelRollout modelRollout;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile ModelCatalog catalog;

    @Reference
    private ConfigurationAdmin configurationAdmin;

    private BundleContext context;

    @Activate
    void activate(BundleContext bundleContext) {
        this.context = bundleContext;
    }

    /**
     * {@code POST /api/v1/models} with a model bundle's jar as the body: installed (or, for a version already
     * installed, updated) and started at once; 201 with its bundle id, the model loads a moment later. Only
     * model bundles: a jar with an activator or without the {@code Osprey-Model} header is refused.
     */
    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (req.getPathInfo() != null && !req.getPathInfo().equals("/")) {
            JsonErrorPages.send(resp, 405, "method_not_allowed", "POST a model bundle's jar to /api/v1/models");
            return;
        }
        try {
            Bundle b = ModelUploads.install(context, req);
            JsonErrorPages.writeJsonWithNulls(resp, 201, Map.of("bundleId", b.getBundleId(), "symbolicName", b.getSymbolicName(), "version", b.getVersion().toString()));
        } catch (ApiError e) {
            JsonErrorPages.send(resp, e);
        }
    }

    /** {@code DELETE /api/v1/models/{bundleId}}: uninstalls that model bundle. */
    @Override
    protected void doDelete(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo() == null ? "" : req.getPathInfo();
        Bundle b = null;
        if (path.matches("/\\d{1,18}")) {
            b = context.getBundle(Long.parseLong(path.substring(1)));
        }
        if (b == null || b.getHeaders("").get(ModelUploads.HEADER) == null) {
            JsonErrorPages.send(resp, 404, "not_found", "no model bundle " + path.replace("/", ""));
            return;
        }
        try {
            b.uninstall();
            resp.setStatus(204);
        } catch (BundleException e) {
            JsonErrorPages.send(resp, 500, "internal", "could not remove model bundle " + b.getBundleId() + ": " + e.getMessage());
        }
    }

    /** {@code PUT /api/v1/models/default} with {@code {"name": "fruit"}} ({@code ""}: the newest): the inference API's default model. */
    @Override
    protected void doPut(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!"/default".equals(req.getPathInfo())) {
            JsonErrorPages.send(resp, 405, "method_not_allowed", "PUT is for /api/v1/models/default");
            return;
        }
        String name;
        try (java.io.Reader in = req.getReader()) {
            char[] buf = new char[4096];
            int n = in.read(buf);
            name = com.google.gson.JsonParser.parseString(new String(buf, 0, Math.max(n, 0))).getAsJsonObject().get("name").getAsString().strip();
        } catch (RuntimeException e) {
            JsonErrorPages.send(resp, 400, "bad_request", "the body is {\"name\": \"model name\"}");
            return;
        }
        Configuration c = configurationAdmin.getConfiguration("org.osprey.http.inference", "?");
        Dictionary<String, Object> p = c.getProperties() == null ? new Hashtable<>() : c.getProperties();
        if (p.get("felix.fileinstall.filename") != null) {
            JsonErrorPages.send(resp, 409, "configured_by_file", "the inference API is configured by the file " + p.get("felix.fileinstall.filename")
                    + " in the deploy folder: change the file");
            return;
        }
        p.put("defaultModel", name);
        c.update(p);
        JsonErrorPages.writeJsonWithNulls(resp, 200, Map.of("defaultModel", name));
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        ModelCatalog c = catalog;
        Configuration api = configurationAdmin.getConfiguration("org.osprey.http.inference", "?");
        Object chosen = api.getProperties() == null ? null : api.getProperties().get("defaultModel");
        String defaultModel = chosen == null ? "" : chosen.toString();
        Map<String, Rollout> rollout = new java.util.TreeMap<>();
        ModelRollout r = modelRollout;
        if (r != null) {
            r.status().forEach((name, s) -> rollout.put(name, new Rollout(s.version(), s.state().name().toLowerCase(java.util.Locale.ROOT), s.bytes(),
                    s.size(), s.progress().orElse(null), s.message())));
        }
        Response body = c == null ? new Response(List.of(), null, defaultModel, rollout)
                : new Response(c.models().stream().map(ModelsServlet::entry).toList(), c.openSessions(), defaultModel, rollout);
        JsonErrorPages.writeJsonWithNulls(resp, HttpServletResponse.SC_OK, body);
    }

    private static Entry entry(ModelRecord r) {
        return new Entry(r.name(), r.version(), r.task().map(t -> t.property()).orElse(null),
                r.state().name().toLowerCase(java.util.Locale.ROOT), r.message().orElse(null), r.bundleId(), r.symbolicName(),
                r.since().toString());
    }
}
