package org.osprey.http.auth;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.servlet.whiteboard.Preprocessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Refuses a client address with 429 after too many wrong admin passwords. A preprocessor, because it
 * must see the answers of every route that takes the password, the web console's included, and those
 * are decided in servlet contexts of their own before any filter runs.
 */
@Component(service = Preprocessor.class, configurationPid = "org.osprey.http.auth")
@Designate(ocd = LoginThrottleConfiguration.class)
public class LoginThrottle implements Preprocessor {

    private static final Logger LOG = LoggerFactory.getLogger(LoginThrottle.class);

    private final FailedLogins logins;
    private final String consoleRoot;

    @Activate
    public LoginThrottle(BundleContext context, LoginThrottleConfiguration config) {
        this(new FailedLogins(config.freeAttempts(), Duration.ofSeconds(config.maxLockSeconds()), Clock.systemUTC()),
                context.getProperty("felix.webconsole.manager.root"));
    }

    LoginThrottle(FailedLogins logins, String consoleRoot) {
        this.logins = logins;
        this.consoleRoot = consoleRoot == null || consoleRoot.isBlank() ? "/system/console" : consoleRoot;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        if (request.getHeader("Authorization") == null || !takesThePassword(request.getRequestURI())) {
            chain.doFilter(req, res);
            return;
        }
        String address = request.getRemoteAddr();
        Duration wait = logins.lockedFor(address);
        if (!wait.isZero()) {
            // the password is not even checked while locked: a right one would otherwise tell the guesser
            long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
            response.setStatus(429);
            response.setHeader("Retry-After", Long.toString(seconds));
            response.setContentType("application/json");
            response.setCharacterEncoding("UTF-8");
            response.getWriter().write("{\"success\":false,\"error\":\"too many wrong admin passwords from this address: try again in "
                    + seconds + " s\"}");
            return;
        }
        chain.doFilter(req, res);
        int status = response.getStatus();
        if (status == HttpServletResponse.SC_UNAUTHORIZED) {
            Duration lock = logins.failed(address);
            if (!lock.isZero()) {
                LOG.warn("Wrong admin password from {}: the address is refused for {} s", address, lock.toSeconds());
            }
        } else if (status < 400) {
            logins.succeeded(address);
        }
    }

    /** The admin routes and the console; and the inference routes, which take API tokens when inferenceAuth asks for them. */
    private boolean takesThePassword(String uri) {
        return uri != null && (uri.startsWith("/api/") || uri.equals("/api") || uri.startsWith(consoleRoot) || uri.equals("/image")
                || uri.equals("/url") || uri.startsWith("/v1/vision/"));
    }
}
