package org.osprey.pipeline.dispatch;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osprey.api.event.VisionEvent;
import org.osprey.api.event.VisionEventListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers events to the whiteboard's {@link VisionEventListener}s, each on its own thread with its own
 * bounded queue: a slow listener falls behind (and past {@value #QUEUE} waiting events loses its oldest,
 * counted), a failing one is logged; neither stalls the pipeline or the other listeners.
 */
@Component(service = EventDispatcher.class)
public class EventDispatcher {

    static final int QUEUE = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(EventDispatcher.class);

    /** One listener's delivery thread and queue. */
    private static final class Delivery {
        final VisionEventListener listener;
        final Set<String> types;
        final ThreadPoolExecutor executor;
        final AtomicLong lost = new AtomicLong();

        Delivery(VisionEventListener listener, Set<String> types) {
            this.listener = listener;
            this.types = types;
            this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
                Thread t = new Thread(r, "osprey-events-" + listener.getClass().getSimpleName());
                t.setDaemon(true);
                return t;
            }, (r, pool) -> {
                // full: drop the oldest waiting event, keep the newest
                pool.getQueue().poll();
                lost.incrementAndGet();
                pool.execute(r);
            });
        }

        void deliver(VisionEvent e) {
            if (!types.isEmpty() && !types.contains(e.type().wireName())) {
                return;
            }
            executor.execute(() -> {
                try {
                    listener.onEvent(e);
                } catch (RuntimeException ex) {
                    LOG.warn("event listener {} failed on {}: {}", listener.getClass().getName(), e, ex.toString());
                }
            });
        }
    }

    private final Map<VisionEventListener, Delivery> deliveries = new ConcurrentHashMap<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addListener(VisionEventListener listener, Map<String, Object> properties) {
        Object t = properties.get(VisionEventListener.EVENT_TYPES);
        Set<String> types = t instanceof String s ? Set.of(s) : t instanceof String[] a ? Set.copyOf(Arrays.asList(a)) : Set.of();
        deliveries.put(listener, new Delivery(listener, types));
    }

    void removeListener(VisionEventListener listener) {
        Delivery d = deliveries.remove(listener);
        if (d != null) {
            d.executor.shutdown();
        }
    }

    public void publish(VisionEvent event) {
        for (Delivery d : deliveries.values()) {
            d.deliver(event);
        }
    }

    /** Events dropped because a listener was too slow, over all listeners. */
    public long lost() {
        return deliveries.values().stream().mapToLong(d -> d.lost.get()).sum();
    }

    @Deactivate
    void deactivate() {
        deliveries.values().forEach(d -> d.executor.shutdownNow());
        deliveries.clear();
    }
}
