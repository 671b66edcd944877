package org.osprey.telemetry.service;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.annotations.RequireHttpWhiteboard;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import com.google.gson.GsonBuilder;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** {@code GET /api/v1/telemetry} (admin): the outbox's depth and, per uplink, connected, last error, queue depth, sent, expired, evicted. */
@Component(service = Servlet.class)
@RequireHttpWhiteboard
@HttpWhiteboardContextSelect("(osgi.http.whiteboard.context.name=osprey.admin)")
@HttpWhiteboardServletName("osprey-telemetry")
@HttpWhiteboardServletPattern("/v1/telemetry")
public class TelemetryServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private final transient TelemetryService telemetry;

    @Activate
    public TelemetryServlet(@Reference TelemetryService telemetry) {
        this.telemetry = telemetry;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader("Cache-Control", "no-store");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("outboxDepth", telemetry.outboxDepth());
        body.put("uplinks", telemetry.status());
        resp.getWriter().write(new GsonBuilder().serializeNulls().create().toJson(body));
    }
}
