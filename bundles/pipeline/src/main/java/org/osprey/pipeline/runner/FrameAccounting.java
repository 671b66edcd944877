package org.osprey.pipeline.runner;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The frames a pipeline did not take, told apart: <b>skipped</b> by its configured rate (a 5 fps pipeline on
 * a 10 fps camera skips every other frame, as asked) or <b>dropped</b> because it was busy with the model.
 * The frames missed between two taken ones are shared out by how the time between them was spent:
 * processing the earlier frame (busy) or pacing and waiting for a new one (idle).
 */
final class FrameAccounting {

    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    /**
     * @param missed    frames the camera made between the last frame taken and this one
     * @param busyNanos time spent processing the last frame taken
     * @param idleNanos time since then spent pacing (the configured rate) and waiting for this frame
     */
    void missed(long missed, long busyNanos, long idleNanos) {
        if (missed <= 0) {
            return;
        }
        long busy = Math.max(0, busyNanos), total = busy + Math.max(0, idleNanos);
        long lost = total == 0 ? 0 : Math.round(missed * (double) busy / total);
        dropped.addAndGet(lost);
        skipped.addAndGet(missed - lost);
    }

    long skipped() {
        return skipped.get();
    }

    long dropped() {
        return dropped.get();
    }
}
