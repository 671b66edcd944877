package org.osprey.api.telemetry;

import java.time.Instant;

/** What an {@link Uplink} reports about its connection. Immutable snapshot. */
public final class UplinkStatus {

    private final String target;
    private final boolean connected;
    private final String lastError;
    private final Instant since;

    /**
     * @param target    where the uplink sends, for humans and without secrets: a broker URL, a hub's host name
     * @param lastError the last connection or delivery error, for humans, without secrets; null if none
     * @param since     when the uplink entered its current connected or disconnected state
     */
    public UplinkStatus(String target, boolean connected, String lastError, Instant since) {
        this.target = java.util.Objects.requireNonNull(target, "target");
        this.connected = connected;
        this.lastError = lastError;
        this.since = java.util.Objects.requireNonNull(since, "since");
    }

    public String target() {
        return target;
    }

    public boolean connected() {
        return connected;
    }

    /** @return the last error, or null */
    public String lastError() {
        return lastError;
    }

    public Instant since() {
        return since;
    }
}
