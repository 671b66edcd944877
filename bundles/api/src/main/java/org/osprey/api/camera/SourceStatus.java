package org.osprey.api.camera;

import java.time.Instant;
import java.util.Objects;

/**
 * What a {@link FrameSource} reports about itself: immutable snapshot.
 */
public final class SourceStatus {

    private final SourceState state;
    private final String message;
    private final long framesDelivered;
    private final Instant since;

    /**
     * @param message         why the source is in this state, for humans; null when there is nothing to say
     * @param framesDelivered frames delivered since the source started
     * @param since           when the source entered this state
     */
    public SourceStatus(SourceState state, String message, long framesDelivered, Instant since) {
        this.state = Objects.requireNonNull(state, "state");
        this.message = message;
        this.framesDelivered = framesDelivered;
        this.since = Objects.requireNonNull(since, "since");
    }

    public SourceState state() {
        return state;
    }

    /** @return a human readable reason for the state, or null */
    public String message() {
        return message;
    }

    public long framesDelivered() {
        return framesDelivered;
    }

    public Instant since() {
        return since;
    }

    @Override
    public String toString() {
        return state + (message == null ? "" : " (" + message + ")") + ", " + framesDelivered + " frames";
    }
}
