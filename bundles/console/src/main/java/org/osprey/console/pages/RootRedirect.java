package org.osprey.console.pages;

import java.io.IOException;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.annotations.RequireHttpWhiteboard;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code /} leads to the live view, the page a user opens the gateway for. Registered as the default
 * servlet ({@code "/"}: what no other servlet matches), so any other path nothing serves is a 404, in the
 * gateway's JSON error shape (through the error pages).
 */
@Component(service = Servlet.class)
@RequireHttpWhiteboard
@HttpWhiteboardServletName("osprey-root")
@HttpWhiteboardServletPattern("/")
public class RootRedirect extends HttpServlet {

    private static final long serialVersionUID = 1L;
    static final String TARGET = "/system/console/osprey-live";

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getServletPath() + (req.getPathInfo() == null ? "" : req.getPathInfo());
        if (!(path.isEmpty() || path.equals("/")) || !(req.getMethod().equals("GET") || req.getMethod().equals("HEAD"))) {
            resp.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        resp.setStatus(HttpServletResponse.SC_FOUND);
        resp.setHeader("Location", TARGET);
        resp.setContentType("text/plain");
        resp.setCharacterEncoding("UTF-8");
        resp.getWriter().write("Osprey: the web console is at " + TARGET + "\n");
    }
}
