package org.osprey.http.auth;

import java.io.IOException;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.Preprocessor;

import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

/**
 * The web console answers a missing or wrong password with an empty 401, which a browser shows as a blank
 * page once the login dialog is cancelled. This says, instead, what the page needs and where the password
 * comes from.
 */
@Component(service = Preprocessor.class)
public class ConsoleLoginText implements Preprocessor {

    static final String TEXT = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Osprey: log in</title></head><body>"
            + "<h1>Osprey</h1><p>This page needs the admin user <b>admin</b> and the gateway's admin password.</p>"
            + "<p>The password was printed once when the gateway first started (\"Osprey admin user: admin password: ...\"), "
            + "unless it was set with <code>OSPREY_ADMIN_PASSWORD</code>. Reload the page to log in again.</p></body></html>";

    private final String consoleRoot;

    @Activate
    public ConsoleLoginText(BundleContext context) {
        String root = context.getProperty("felix.webconsole.manager.root");
        this.consoleRoot = root == null || root.isBlank() ? "/system/console" : root;
    }

    @Override
    public void init(FilterConfig filterConfig) {
        // nothing to set up
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        String uri = ((HttpServletRequest) req).getRequestURI();
        if (uri == null || !uri.startsWith(consoleRoot)) {
            chain.doFilter(req, res);
            return;
        }
        HttpServletResponse response = (HttpServletResponse) res;
        Unauthorized wrapper = new Unauthorized(response);
        chain.doFilter(req, wrapper);
        if (wrapper.refused) {
            response.setContentType("text/html");
            response.setCharacterEncoding("UTF-8");
            response.getWriter().write(TEXT);
        }
    }

    @Override
    public void destroy() {
        // nothing held
    }

    /** Holds back the console's empty 401 (its zero length and flush) so a text can follow. */
    private static final class Unauthorized extends HttpServletResponseWrapper {
        boolean refused;

        Unauthorized(HttpServletResponse response) {
            super(response);
        }

        @Override
        public void setStatus(int sc) {
            refused = sc == SC_UNAUTHORIZED;
            super.setStatus(sc);
        }

        @Override
        public void setContentLength(int len) {
            if (!refused) {
                super.setContentLength(len);
            }
        }

        @Override
        public void flushBuffer() throws IOException {
            if (!refused) {
                super.flushBuffer();
            }
        }
    }
}
