package org.osprey.pipeline.runner;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

public class FrameAccountingTest {

    private static final long MS = 1_000_000;

    @Test
    public void aSlowRateOnAnIdleMachineSkipsAndDropsNothing() {
        // 5 fps on a 10 fps camera: each 200 ms, 10 ms on the model, the rest paced; one frame missed each time
        FrameAccounting a = new FrameAccounting();
        for (int i = 0; i < 100; i++) {
            a.missed(1, 10 * MS, 190 * MS);
        }
        assertEquals(100, a.skipped());
        assertEquals(0, a.dropped());
    }

    @Test
    public void aBusyModelDropsWhatCameWhileItWorked() {
        // the model takes 300 ms and the pipeline never waits: the 9 frames of a 30 fps camera meanwhile are dropped
        FrameAccounting a = new FrameAccounting();
        a.missed(9, 300 * MS, 0);
        assertEquals(9, a.dropped());
        assertEquals(0, a.skipped());
        // half the time busy, half pacing
        a.missed(4, 100 * MS, 100 * MS);
        assertEquals(11, a.dropped());
        assertEquals(2, a.skipped());
        a.missed(0, 100 * MS, 0);
        assertEquals(11, a.dropped());
    }

    @Test
    public void latencyPercentilesOfTheRecentFrames() {
        LatencyWindow w = new LatencyWindow();
        assertEquals(0, w.percentileMillis(0.5), 0);
        for (int i = 1; i <= 100; i++) {
            w.record(i * MS);
        }
        assertEquals(50, w.percentileMillis(0.5), 0);
        assertEquals(99, w.percentileMillis(0.99), 0);
        // only the last 1024 count
        for (int i = 0; i < LatencyWindow.SIZE; i++) {
            w.record(7 * MS);
        }
        assertEquals(7, w.percentileMillis(0.99), 0);
    }
}
