package org.osprey.telemetry.uplink;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.annotations.RequireHttpWhiteboard;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import com.google.gson.GsonBuilder;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** {@code GET /api/v1/telemetry} (admin): per uplink, connected, last error, queue depth, sent, expired, evicted. */
@Component(service = Servlet.class)
@RequireHttpWhiteboard
@HttpWhiteboardContextSelect("(osgi.http.whiteboard.context.name=osprey.admin)")
@HttpWhiteboardServletName("osprey-telemetry")
@HttpWhiteboardServletPattern("/v1/telemetry")
public class TelemetryServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private final transient List<MqttUplink> uplinks = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addUplink(MqttUplink u) {
        uplinks.add(u);
    }

    void removeUplink(MqttUplink u) {
        uplinks.remove(u);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.getWriter().write(new GsonBuilder().serializeNulls().create().toJson(Map.of("uplinks", uplinks.stream().map(MqttUplink::status).toList())));
    }
}
