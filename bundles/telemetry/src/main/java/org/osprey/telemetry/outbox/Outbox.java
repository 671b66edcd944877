package org.osprey.telemetry.outbox;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
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
 * crash-safe (copy-on-write pages; a crash loses at most what was not yet committed, and this class
 * commits and syncs every change before returning). Thread-safe.
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
    private final MVMap<Long, String> messages;
    private final MVMap<String, Long> counters;
    private final int capacity;
    private final Clock clock;

    public Outbox(Path file, int capacity, Clock clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("the outbox must hold at least one message");
        }
        this.store = new MVStore.Builder().fileName(file.toString()).autoCommitDisabled().open();
        this.messages = store.openMap("messages");
        this.counters = store.openMap("counters");
        this.capacity = capacity;
        this.clock = clock;
    }

    /** Stores the message for the destination; returns when it is on disk. Evicts the oldest when full. */
    public synchronized long accept(String destination, TelemetryMessage m) {
        Objects.requireNonNull(destination, "destination");
        Long last = messages.lastKey();
        long sequence = last == null ? counters.getOrDefault("nextSequence", 1L) : Math.max(last + 1, counters.getOrDefault("nextSequence", 1L));
        counters.put("nextSequence", sequence + 1);
        messages.put(sequence, GSON.toJson(new Stored(destination, m.id(), m.type(), m.cameraId(), m.created().toEpochMilli(),
                m.expiresAt().toEpochMilli(), m.properties(), new String(m.payload(), StandardCharsets.UTF_8))));
        while (messages.size() > capacity) {
            messages.remove(messages.firstKey());
            count("evicted", 1);
        }
        count("accepted", 1);
        commit();
        return sequence;
    }

    /** Up to {@code max} of the destination's messages, oldest first, not expired. */
    public synchronized List<Entry> next(String destination, int max) {
        long now = clock.millis();
        List<Entry> out = new ArrayList<>();
        for (Map.Entry<Long, String> e : messages.entrySet()) {
            Stored s = GSON.fromJson(e.getValue(), Stored.class);
            if (s.destination().equals(destination) && s.expiresAt() > now) {
                out.add(new Entry(e.getKey(), destination, message(s)));
                if (out.size() == max) {
                    break;
                }
            }
        }
        return out;
    }

    /** The uplink acknowledged it: gone for good. */
    public synchronized void delivered(long sequence) {
        if (messages.remove(sequence) != null) {
            count("delivered", 1);
            commit();
        }
    }

    /** Drops the messages whose time to live is over; returns how many. */
    public synchronized int expire() {
        long now = clock.millis();
        List<Long> gone = new ArrayList<>();
        for (Map.Entry<Long, String> e : messages.entrySet()) {
            if (GSON.fromJson(e.getValue(), Stored.class).expiresAt() <= now) {
                gone.add(e.getKey());
            }
        }
        gone.forEach(messages::remove);
        if (!gone.isEmpty()) {
            count("expired", gone.size());
            commit();
        }
        return gone.size();
    }

    public synchronized int depth(String destination) {
        int n = 0;
        for (String v : messages.values()) {
            if (GSON.fromJson(v, Stored.class).destination().equals(destination)) {
                n++;
            }
        }
        return n;
    }

    public synchronized int size() {
        return messages.size();
    }

    /** accepted, delivered, expired, evicted: since the outbox was created, across restarts. */
    public synchronized long count(String what) {
        return counters.getOrDefault(what, 0L);
    }

    private void count(String what, long n) {
        counters.put(what, counters.getOrDefault(what, 0L) + n);
    }

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
