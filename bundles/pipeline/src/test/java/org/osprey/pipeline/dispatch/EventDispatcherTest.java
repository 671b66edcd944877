package org.osprey.pipeline.dispatch;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.Test;
import org.osprey.api.event.EventType;
import org.osprey.api.event.VisionEvent;
import org.osprey.api.event.VisionEventListener;

public class EventDispatcherTest {

    private static VisionEvent event(EventType type, int i) {
        return VisionEvent.builder(type, "cam", "label-" + i).build();
    }

    /** A blocked listener and a throwing one do not hold up publishing or the other listeners. */
    @Test
    public void slowAndFailingListenersDoNotStallOthers() throws Exception {
        EventDispatcher d = new EventDispatcher();
        CountDownLatch release = new CountDownLatch(1);
        List<VisionEvent> fast = new CopyOnWriteArrayList<>();
        d.addListener(e -> {
            try {
                release.await();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }, Map.of());
        d.addListener(e -> {
            throw new IllegalStateException("broken listener");
        }, Map.of());
        d.addListener(fast::add, Map.of());

        // in batches within the fast listener's bound, so that on a loaded machine it cannot lose events of its own
        int batch = EventDispatcher.QUEUE / 2;
        for (int i = 0; i < 2000; i += batch) {
            long start = System.nanoTime();
            for (int j = i; j < i + batch; j++) {
                d.publish(event(EventType.APPEARED, j));
            }
            assertTrue("publishing never waits for listeners", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 2000);
            long deadline = System.currentTimeMillis() + 10_000;
            while (fast.size() < i + batch && System.currentTimeMillis() < deadline) {
                Thread.sleep(5);
            }
            assertEquals("the fast listener has every event so far", i + batch, fast.size());
        }
        assertEquals(2000, fast.size());
        assertEquals("in order", "label-1999", fast.get(1999).label());
        assertTrue("the blocked listener's queue is bounded: its oldest events are dropped and counted", d.lost() >= 2000 - EventDispatcher.QUEUE - 1);
        release.countDown();
        d.deactivate();
    }

    @Test
    public void eventTypesFilter() throws Exception {
        EventDispatcher d = new EventDispatcher();
        List<VisionEvent> got = new CopyOnWriteArrayList<>();
        VisionEventListener l = got::add;
        d.addListener(l, Map.of(VisionEventListener.EVENT_TYPES, new String[] {"zone_freed"}));
        try {
            d.publish(event(EventType.APPEARED, 1));
            d.publish(event(EventType.ZONE_FREED, 2));
            d.publish(event(EventType.ZONE_FREED, 3));
            // a listener hears its events in order: once the last has come, anything let through before it has too
            long deadline = System.currentTimeMillis() + 10_000;
            while (got.stream().noneMatch(e -> e.label().equals("label-3")) && System.currentTimeMillis() < deadline) {
                Thread.sleep(5); // polled, with a deadline
            }
            assertEquals(List.of("label-2", "label-3"), got.stream().map(VisionEvent::label).toList());
            assertTrue(got.stream().allMatch(e -> e.type() == EventType.ZONE_FREED));
        } finally {
            d.removeListener(l);
            d.deactivate();
        }
    }
}
