package org.osprey.telemetry.forward;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.osprey.api.telemetry.Uplink;
import org.osprey.telemetry.outbox.Outbox;

/**
 * Drains one destination of the outbox into its uplink on its own thread: oldest first, one message at a
 * time (so order holds), each deleted only after the uplink's acknowledgement. While the uplink is not
 * connected it waits (the uplink paces its own reconnects). A failed send stops the round and retries
 * the same message after an exponential back-off with jitter (0.5 s doubling to 30 s); a backlog is
 * drained no faster than the configured rate, so a link that comes back is not flooded.
 */
public final class Forwarder implements AutoCloseable {

    private static final long MAX_BACKOFF_MILLIS = 30_000;
    /** An acknowledgement that takes longer than this counts as a failure; the message is sent again. */
    private static final long ACK_TIMEOUT_SECONDS = 60;

    private final Outbox outbox;
    private final String destination;
    private final Uplink uplink;
    private final long minGapNanos;
    private final Thread thread;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile String lastError;
    private volatile boolean running = true;
    private final Object wake = new Object();

    /** @param maxPerSecond how fast a backlog is drained; 0: as fast as the link takes it */
    public Forwarder(Outbox outbox, String destination, Uplink uplink, double maxPerSecond) {
        this.outbox = outbox;
        this.destination = destination;
        this.uplink = uplink;
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
        long nextExpiry = System.nanoTime();
        while (running) {
            try {
                if (System.nanoTime() - nextExpiry >= 0) {
                    // a scan of every queue: a few times a minute is enough, and exact (expired ones are never sent)
                    outbox.expire();
                    nextExpiry = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                }
                boolean connected = uplink.status().connected();
                List<Outbox.Entry> batch = connected ? outbox.next(destination, 50) : List.of();
                if (batch.isEmpty()) {
                    synchronized (wake) {
                        // a reconnect is noticed within a quarter second; new messages nudge
                        wake.wait(connected ? 1000 : 250);
                    }
                    continue;
                }
                for (Outbox.Entry e : batch) {
                    long start = System.nanoTime();
                    try {
                        uplink.send(e.message()).toCompletableFuture().get(ACK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    } catch (ExecutionException failed) {
                        throw failed.getCause() instanceof Exception cause ? cause : failed;
                    }
                    outbox.delivered(e.sequence());
                    sent.incrementAndGet();
                    lastError = null;
                    backoff = 0;
                    long rest = minGapNanos - (System.nanoTime() - start);
                    if (rest > 0) {
                        TimeUnit.NANOSECONDS.sleep(rest);
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
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

    /** The last failed send, or null once a send succeeded again. */
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
