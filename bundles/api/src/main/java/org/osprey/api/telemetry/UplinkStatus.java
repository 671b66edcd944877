package org.osprey.api.telemetry;

import java.time.Instant;

/** What an {@link Uplink} reports about its connection. Immutable snapshot. */
public final class UplinkStatus {

    private final boolean connected;
    private final String lastError;
    private final Instant since;

    /**
     * @param lastError the last connection or delivery error, for humans, without secrets; null if none
     * @param since     when the uplink entered its current connected or disconnected state
     */
    public UplinkStatus(boolean connected, String lastError, Instant since) {
        this.connected = connected;
        this.lastError = lastError;
        this.since = java.util.Objects.requireNonNull(since, "since");
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
