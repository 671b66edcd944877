package org.osprey.telemetry.forward;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.osprey.telemetry.outbox.Outbox;

/**
 * Drains one destination of the outbox on its own thread: oldest first, one message at a time (so order
 * holds), each deleted only after the sender's acknowledgement. A failure stops the round and retries
 * the same message after an exponential back-off with jitter (0.5 s doubling to 30 s); a backlog is
 * drained no faster than the configured rate, so a link that comes back is not flooded.
 */
public final class Forwarder implements AutoCloseable {

    private static final long MAX_BACKOFF_MILLIS = 30_000;

    private final Outbox outbox;
    private final String destination;
    private final Sender sender;
    private final long minGapNanos;
    private final Thread thread;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile String lastError;
    private volatile boolean connected;
    private volatile boolean running = true;
    private final Object wake = new Object();

    /** @param maxPerSecond how fast a backlog is drained; 0: as fast as the link takes it */
    public Forwarder(Outbox outbox, String destination, Sender sender, double maxPerSecond) {
        this.outbox = outbox;
        this.destination = destination;
        this.sender = sender;
        this.minGapNanos = maxPerSecond <= 0 ? 0 : (long) (1e9 / maxPerSecond);
        this.thread = new Thread(this::run, "osprey-forwarder-" + destination);
        thread.setDaemon(true);
        thread.start();
    }

    /** Something new is in the outbox: look now rather than at the next poll. */
    public void nudge() {
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    private void run() {
        long backoff = 0;
        while (running) {
            try {
                outbox.expire();
                List<Outbox.Entry> batch = outbox.next(destination, 50);
                if (batch.isEmpty()) {
                    synchronized (wake) {
                        wake.wait(1000);
                    }
                    continue;
                }
                for (Outbox.Entry e : batch) {
                    long start = System.nanoTime();
                    sender.send(e.message());
                    outbox.delivered(e.sequence());
                    sent.incrementAndGet();
                    connected = true;
                    backoff = 0;
                    long rest = minGapNanos - (System.nanoTime() - start);
                    if (rest > 0) {
                        TimeUnit.NANOSECONDS.sleep(rest);
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                connected = false;
                failures.incrementAndGet();
                lastError = e.getMessage() == null ? e.toString() : e.getMessage();
                backoff = backoff == 0 ? 500 : Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
                try {
                    Thread.sleep(backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1));
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    public long sent() {
        return sent.get();
    }

    /** Failed attempts since start: with the back-off, a few per minute at most once it is long down. */
    public long failures() {
        return failures.get();
    }

    public boolean connected() {
        return connected;
    }

    public String lastError() {
        return lastError;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5000);
    }
}
