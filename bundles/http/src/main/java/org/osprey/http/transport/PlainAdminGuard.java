package org.osprey.http.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.servlet.whiteboard.Preprocessor;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * On the plain HTTP port, the web console and the admin routes ({@code /api/...}) answer only clients on
 * the loopback address (local tools and scripts keep working); every other client is sent to the same
 * path on the HTTPS port (308, so a POST stays a POST) before its password is read. The inference routes
 * and {@code /health} stay on plain HTTP for the clients that need them. Off when there is no HTTPS port,
 * or when the user allows plain admin access ({@code allowPlainAdmin}, unsafe).
 */
@Component(service = Preprocessor.class, configurationPid = "org.osprey.http.transport")
@Designate(ocd = PlainAdminConfiguration.class)
public class PlainAdminGuard implements Preprocessor {

    private final int httpsPort;
    private final String consoleRoot;
    private final boolean allowPlain;

    @Activate
    public PlainAdminGuard(BundleContext context, PlainAdminConfiguration config) {
        String port = context.getProperty("osprey.https.port");
        this.httpsPort = port == null || port.isBlank() ? 0 : Integer.parseInt(port.strip());
        String root = context.getProperty("felix.webconsole.manager.root");
        this.consoleRoot = root == null || root.isBlank() ? "/system/console" : root;
        this.allowPlain = config.allowPlainAdmin();
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        if (httpsPort == 0 || allowPlain || request.isSecure() || !isAdmin(request.getRequestURI()) || loopback(request.getRemoteAddr())) {
            chain.doFilter(req, res);
            return;
        }
        HttpServletResponse response = (HttpServletResponse) res;
        String host = request.getServerName();
        String target = "https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + httpsPort + request.getRequestURI()
                + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
        response.setStatus(308);
        response.setHeader("Location", target);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write("{\"success\":false,\"code\":\"https_required\",\"error\":\"the admin routes and the web console are served "
                + "over HTTPS to other machines: " + target.replace("\"", "%22") + "\"}");
    }

    private boolean isAdmin(String uri) {
        return uri != null && (uri.equals("/api") || uri.startsWith("/api/") || uri.startsWith(consoleRoot));
    }

    static boolean loopback(String address) {
        try {
            return address != null && InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
