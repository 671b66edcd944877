package org.osprey.http.health;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.annotations.RequireHttpWhiteboard;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.osprey.api.telemetry.Uplink;
import org.osprey.api.telemetry.UplinkStatus;
import org.osprey.api.vision.Model;
import org.osprey.http.inference.InferenceApiConfiguration;

import com.google.gson.Gson;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /health}: liveness, bundle counts and each uplink's connection as JSON, without
 * authentication, for load balancers, container health checks and scripts. {@code GET /health/ready}
 * answers 503 until every bundle is active and the default model (else any model) serves, 200 after:
 * what a container's {@code HEALTHCHECK} asks. Neither reveals configuration or secrets.
 */
@Component(service = Servlet.class, configurationPid = "org.osprey.http.inference")
@RequireHttpWhiteboard
@HttpWhiteboardServletName("osprey-health")
@HttpWhiteboardServletPattern({"/health", "/health/ready"})
public class HealthServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Gson GSON = new Gson();

    private final transient BundleContext context;
    private final String defaultModel;
    private final transient Map<ServiceReference<Uplink>, Uplink> uplinks = new ConcurrentHashMap<>();
    private final transient Set<ServiceReference<Model>> models = ConcurrentHashMap.newKeySet();

    @Activate
    public HealthServlet(BundleContext context, InferenceApiConfiguration config) {
        this.context = context;
        this.defaultModel = config.defaultModel().strip();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindUplink(ServiceReference<Uplink> ref, Uplink uplink) {
        uplinks.put(ref, uplink);
    }

    void unbindUplink(ServiceReference<Uplink> ref) {
        uplinks.remove(ref);
    }

    // references only: readiness asks whether a model serves, and must not hold a session open
    @Reference(service = Model.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindModel(ServiceReference<Model> ref) {
        models.add(ref);
    }

    void unbindModel(ServiceReference<Model> ref) {
        models.remove(ref);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Bundle system = context.getBundle(0);
        long uptime = TimeUnit.MILLISECONDS.toSeconds(ManagementFactory.getRuntimeMXBean().getUptime());
        Map<String, HealthReport.UplinkHealth> links = new TreeMap<>();
        uplinks.forEach((ref, uplink) -> {
            UplinkStatus s = uplink.status();
            links.put(String.valueOf(ref.getProperty(Uplink.NAME)), new HealthReport.UplinkHealth(s.connected(), s.connected() ? null : s.lastError()));
        });
        HealthReport report = HealthReport.of(context.getBundles(), system.getState() == Bundle.ACTIVE, uptime, links);
        Object body = report;
        int status = HttpServletResponse.SC_OK;
        if ("/health/ready".equals(req.getServletPath())) {
            String notReady = report.status.equals("up") ? modelNotReady() : "bundles " + report.status + (report.inactive.isEmpty() ? "" : ": " + report.inactive);
            body = notReady == null ? Map.of("ready", true) : Map.of("ready", false, "reason", notReady);
            status = notReady == null ? HttpServletResponse.SC_OK : HttpServletResponse.SC_SERVICE_UNAVAILABLE;
        }
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.getWriter().write(GSON.toJson(body));
    }

    /** Null when the default model (or, with none configured, any model) is loaded; else why not. */
    private String modelNotReady() {
        for (ServiceReference<Model> m : models) {
            if (defaultModel.isEmpty() || defaultModel.equals(m.getProperty(Model.NAME))) {
                return null;
            }
        }
        return defaultModel.isEmpty() ? "no model loaded yet" : "the default model " + defaultModel + " is not loaded";
    }
}
