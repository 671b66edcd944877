package org.osprey.http.jetty;

import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.felix.http.jetty.ConnectorFactory;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.LocalConnector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes connections whose client has not sent a whole request header in time: one that connects and
 * sends nothing, drips a header a byte at a time, or drips a TLS handshake. Jetty's idle timeout cannot
 * do this, as every byte restarts it, so such clients would hold their connections for ever. Request
 * bodies have their own deadline on the routes that read them.
 * <p>
 * A connection counts from when it was opened for its first request, and from when a request's header
 * was first seen started for later ones (a keep-alive connection waiting between requests is Jetty's
 * idle timeout's business). All connectors of Felix HTTP's server are looked at, also the HTTPS one.
 */
@Component(service = ConnectorFactory.class, configurationPid = RequestHeaderDeadline.PID)
@Designate(ocd = RequestHeaderDeadline.Config.class)
public final class RequestHeaderDeadline implements ConnectorFactory {

    static final String PID = "org.osprey.http.connections";

    @ObjectClassDefinition(name = "Osprey HTTP connections",
            description = "Limits on clients that connect and then send their request slowly.")
    public @interface Config {
        @AttributeDefinition(name = "Request header timeout (seconds)", min = "1",
                description = "A client must send a request's whole header within this (from connecting, for the first request), "
                        + "else its connection is closed. Protects the server from clients that drip a byte at a time.")
        int requestHeaderTimeoutSeconds() default 20;
    }

    private static final Logger LOG = LoggerFactory.getLogger(RequestHeaderDeadline.class);
    private static final long SWEEP_MILLIS = 500;
    private static final long LOG_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    /** When a started header was first seen on a connection, for which request (its count of requests so far). */
    private record Started(long messagesIn, long nanos) {
    }

    private final Map<HttpConnection, Started> started = new WeakHashMap<>();
    private volatile long timeoutNanos;
    private Server server;
    private ScheduledExecutorService sweeper;
    private long closedSinceLog;
    private long lastLogNanos = System.nanoTime() - LOG_EVERY_NANOS;

    @Activate
    public RequestHeaderDeadline(Config config) {
        modified(config);
    }

    @Modified
    void modified(Config config) {
        timeoutNanos = TimeUnit.SECONDS.toNanos(Math.max(1, config.requestHeaderTimeoutSeconds()));
    }

    @Override
    public synchronized Connector createConnector(Server jetty) {
        if (sweeper == null) {
            server = jetty;
            sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "osprey-request-header-deadline");
                t.setDaemon(true);
                return t;
            });
            sweeper.scheduleWithFixedDelay(this::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
        }
        // Felix HTTP wants a connector from every factory; this one opens no port
        return new LocalConnector(jetty);
    }

    @Deactivate
    synchronized void deactivate() {
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
        sweeper = null;
        server = null;
        started.clear();
    }

    synchronized void sweep() {
        if (server == null) {
            return;
        }
        try {
            long now = System.nanoTime();
            long nowMillis = System.currentTimeMillis();
            for (Connector connector : server.getConnectors()) {
                if (connector instanceof AbstractConnector c && !(connector instanceof LocalConnector)) {
                    for (EndPoint endPoint : c.getConnectedEndPoints()) {
                        if (late(endPoint, now, nowMillis)) {
                            endPoint.close(new TimeoutException("no whole request header within "
                                    + TimeUnit.NANOSECONDS.toSeconds(timeoutNanos) + " s"));
                            closedSinceLog++;
                        }
                    }
                }
            }
            if (closedSinceLog > 0 && now - lastLogNanos >= LOG_EVERY_NANOS) {
                LOG.info("Closed {} connection(s) whose client sent no whole request header within {} s", closedSinceLog,
                        TimeUnit.NANOSECONDS.toSeconds(timeoutNanos));
                closedSinceLog = 0;
                lastLogNanos = now;
            }
        } catch (RuntimeException e) {
            // connections come and go while they are looked at: the next sweep sees them again
            LOG.debug("Request header sweep", e);
        }
    }

    private boolean late(EndPoint endPoint, long now, long nowMillis) {
        Connection connection = endPoint.getConnection();
        if (connection instanceof SslConnection ssl) {
            connection = ssl.getSslEndPoint().getConnection();
        }
        long ageNanos = TimeUnit.MILLISECONDS.toNanos(nowMillis - endPoint.getCreatedTimeStamp());
        if (!(connection instanceof HttpConnection http)) {
            // still in the TLS handshake (or a protocol this does not know): from when it connected
            return (connection == null || connection instanceof SslConnection) && ageNanos > timeoutNanos;
        }
        long requests = http.getMessagesIn();
        if (requests == 0 && http.getParser().inHeaderState()) {
            // the first request, idle or started: from when it connected
            return ageNanos > timeoutNanos;
        }
        if (!http.getParser().inHeaderState() || http.getParser().isStart()) {
            started.remove(http);
            return false;
        }
        Started s = started.get(http);
        if (s == null || s.messagesIn() != requests) {
            started.put(http, new Started(requests, now));
            return false;
        }
        return now - s.nanos() > timeoutNanos;
    }
}
