package org.osprey.pipeline.runner;

import java.util.Arrays;

/** The last {@value #SIZE} latencies (capture to events dispatched), for their median and 99th percentile. */
final class LatencyWindow {

    static final int SIZE = 1024;

    private final long[] nanos = new long[SIZE];
    private int count;
    private int next;

    synchronized void record(long latencyNanos) {
        nanos[next] = Math.max(0, latencyNanos);
        next = (next + 1) % SIZE;
        count = Math.min(count + 1, SIZE);
    }

    /** The latency below which the given share (0..1) of the recent frames were, in milliseconds; 0 before any. */
    synchronized double percentileMillis(double share) {
        if (count == 0) {
            return 0;
        }
        long[] sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
        int index = (int) Math.ceil(share * count) - 1;
        return sorted[Math.max(0, Math.min(count - 1, index))] / 1e6;
    }
}
