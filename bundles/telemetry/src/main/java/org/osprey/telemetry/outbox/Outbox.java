package org.osprey.telemetry.outbox;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.osprey.api.telemetry.TelemetryMessage;

import com.google.gson.Gson;

/**
 * Messages waiting to be sent, per destination, on disk: a message is written (and synced) before
 * {@link #accept} returns, and removed only when its uplink acknowledged it ({@link #delivered}), it
 * expired ({@link #expire}), or the outbox was full and it was the oldest (evicted). All three are
 * counted and the counts are kept with the messages, so nothing accepted disappears unaccounted, across
 * restarts and crashes.
 * <p>
 * The store is H2's MVStore: pure Java (nothing native to ship per platform), an OSGi bundle, and
 * crash-safe (copy-on-write pages; a crash loses at most what was not yet committed). This class
 * commits every change before returning, and syncs each accepted message to the disk; a delivery is
 * written but not synced, so a power cut can at worst send a message twice. Thread-safe.
 */
public final class Outbox implements AutoCloseable {

    /** A message waiting, with its place in the order of its destination. */
    public record Entry(long sequence, String destination, TelemetryMessage message) {
    }

    /** What the store keeps of a message. */
    private record Stored(String destination, String id, String type, String cameraId, long created, long expiresAt,
            Map<String, String> properties, String payload) {
    }

    private static final Gson GSON = new Gson();

    private final MVStore store;
    /** Every waiting message by sequence (the global order, for eviction). */
    private final MVMap<Long, String> messages;
    private static final String QUEUE = "queue.";
    private final MVMap<String, Long> counters;
    private final int capacity;
    private final Clock clock;

    public Outbox(Path file, int capacity, Clock clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("the outbox must hold at least one message");
        }
        // "retry:": a thread interrupted while it writes (a listener being stopped) closes the file channel;
        // H2 then reopens it instead of closing the store for good
        this.store = new MVStore.Builder().fileName("retry:" + file).autoCommitDisabled().open();
        this.messages = store.openMap("messages");
        this.counters = store.openMap("counters");
        this.capacity = capacity;
        this.clock = clock;
    }

    /**
     * A destination's waiting messages: sequence to expiry time. Sending, counting and expiring read these
     * small entries and parse a message only to hand it out.
     */
    private MVMap<Long, Long> queue(String destination) {
        return store.openMap(QUEUE + destination);
    }

    /** Removes a message from the store and from its destination's queue; returns the destination, or null. */
    private String remove(long sequence) {
        String json = messages.remove(sequence);
        if (json == null) {
            return null;
        }
        String destination = GSON.fromJson(json, Stored.class).destination();
        queue(destination).remove(sequence);
        return destination;
    }

    /** Every destination messages were ever accepted for, so a restarted gateway queues for its uplinks before they are back. */
    public synchronized List<String> destinations() {
        List<String> names = new ArrayList<>();
        for (String name : store.getMapNames()) {
            if (name.startsWith(QUEUE)) {
                names.add(name.substring(QUEUE.length()));
            }
        }
        return names;
    }

    /** Stores the message for the destination; returns when it is on disk. Evicts the oldest when full. */
    public synchronized long accept(String destination, TelemetryMessage m) {
        return accept(List.of(destination), m);
    }

    /**
     * Stores a copy of the message for each destination in one commit; returns (the first copy's
     * sequence) when all are on disk. Evicts the oldest when full.
     */
    public synchronized long accept(Collection<String> destinations, TelemetryMessage m) {
        long first = -1;
        for (String destination : destinations) {
            Objects.requireNonNull(destination, "destination");
            Long last = messages.lastKey();
            long next = counters.getOrDefault("nextSequence", 1L);
            long sequence = last == null ? next : Math.max(last + 1, next);
            counters.put("nextSequence", sequence + 1);
            messages.put(sequence, GSON.toJson(new Stored(destination, m.id(), m.type(), m.cameraId(), m.created().toEpochMilli(),
                    m.expiresAt().toEpochMilli(), m.properties(), new String(m.payload(), StandardCharsets.UTF_8))));
            queue(destination).put(sequence, m.expiresAt().toEpochMilli());
            count(destination, "accepted", 1);
            first = first < 0 ? sequence : first;
        }
        while (messages.size() > capacity) {
            count(remove(messages.firstKey()), "evicted", 1);
        }
        commit();
        return first;
    }

    /** Up to {@code max} of the destination's messages, oldest first, not expired. */
    public synchronized List<Entry> next(String destination, int max) {
        long now = clock.millis();
        List<Entry> out = new ArrayList<>();
        for (Map.Entry<Long, Long> e : queue(destination).entrySet()) {
            if (e.getValue() > now) {
                out.add(new Entry(e.getKey(), destination, message(GSON.fromJson(messages.get(e.getKey()), Stored.class))));
                if (out.size() == max) {
                    break;
                }
            }
        }
        return out;
    }

    /** The uplink acknowledged it: gone for good. */
    public synchronized void delivered(long sequence) {
        String destination = remove(sequence);
        if (destination != null) {
            count(destination, "delivered", 1);
            // written, not synced: a power cut may bring a delivered message back, sent twice (as at-least-once allows),
            // never lose one; a killed JVM loses nothing written
            store.commit();
        }
    }

    /** Drops the messages whose time to live is over; returns how many. */
    public synchronized int expire() {
        long now = clock.millis();
        int gone = 0;
        for (String destination : destinations()) {
            MVMap<Long, Long> q = queue(destination);
            List<Long> expired = new ArrayList<>();
            q.forEach((sequence, expiresAt) -> {
                if (expiresAt <= now) {
                    expired.add(sequence);
                }
            });
            for (Long sequence : expired) {
                q.remove(sequence);
                messages.remove(sequence);
            }
            count(destination, "expired", expired.size());
            gone += expired.size();
        }
        if (gone > 0) {
            commit();
        }
        return gone;
    }

    public synchronized int depth(String destination) {
        return queue(destination).size();
    }

    public synchronized int size() {
        return messages.size();
    }

    /** accepted, delivered, expired, evicted: over all destinations, since the outbox was created, across restarts. */
    public synchronized long count(String what) {
        return counters.getOrDefault(what, 0L);
    }

    /** accepted, delivered, expired, evicted for one destination, since the outbox was created, across restarts. */
    public synchronized long count(String destination, String what) {
        return counters.getOrDefault(destination + "/" + what, 0L);
    }

    private void count(String destination, String what, long n) {
        if (n > 0) {
            counters.merge(what, n, Long::sum);
            counters.merge(destination + "/" + what, n, Long::sum);
        }
    }

    /** Written and synced to the disk: survives a killed JVM and a power cut. */
    private void commit() {
        store.commit();
        store.sync();
    }

    private static TelemetryMessage message(Stored s) {
        TelemetryMessage.Builder b = TelemetryMessage.builder(s.type(), s.payload()).id(s.id()).created(Instant.ofEpochMilli(s.created()))
                .expiresAt(Instant.ofEpochMilli(s.expiresAt()));
        if (s.cameraId() != null) {
            b.camera(s.cameraId());
        }
        s.properties().forEach(b::property);
        return b.build();
    }

    @Override
    public synchronized void close() {
        store.close();
    }
}
