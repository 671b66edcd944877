package org.osprey.telemetry.outbox;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.Rule;
import org.junit.Test;
import org.osprey.testsupport.TestClock;
import org.junit.rules.TemporaryFolder;
import org.osprey.api.telemetry.TelemetryMessage;

public class OutboxTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    private final TestClock clock = new TestClock(T0);

    private static TelemetryMessage message(String id, Duration ttl) {
        return TelemetryMessage.builder("appeared", "{\"label\":\"" + id + "\"}").id(id).camera("door").created(T0).expiresAt(T0.plus(ttl))
                .property("label", id).build();
    }

    private Path file() {
        return tmp.getRoot().toPath().resolve("outbox.mv.db");
    }

    @Test
    public void inOrderPerDestinationUntilDeliveredAndKeptAcrossARestart() {
        try (Outbox o = new Outbox(file(), 100, clock)) {
            for (int i = 0; i < 5; i++) {
                o.accept("mqtt", message("m" + i, Duration.ofHours(2)));
            }
            o.accept("iothub", message("h0", Duration.ofHours(2)));
            List<Outbox.Entry> next = o.next("mqtt", 3);
            assertEquals(List.of("m0", "m1", "m2"), next.stream().map(e -> e.message().id()).toList());
            o.delivered(next.get(0).sequence());
            o.delivered(next.get(1).sequence());
        }
        try (Outbox o = new Outbox(file(), 100, clock)) {
            List<Outbox.Entry> next = o.next("mqtt", 10);
            assertEquals(List.of("m2", "m3", "m4"), next.stream().map(e -> e.message().id()).toList());
            TelemetryMessage m = next.get(0).message();
            assertEquals("door", m.cameraId());
            assertEquals("m2", m.properties().get("label"));
            assertEquals("{\"label\":\"m2\"}", m.payloadText());
            assertEquals(1, o.depth("iothub"));
            assertEquals(6, o.count("accepted"));
            assertEquals(2, o.count("delivered"));
            long newer = o.accept("mqtt", message("m5", Duration.ofHours(2)));
            assertEquals("sequence numbers go on after a restart", true, newer > next.get(2).sequence());
        }
    }

    /**
     * A listener thread interrupted while it writes (its component being stopped, CI met it): the file
     * channel is closed by the interrupt, and the outbox must reopen it, not close itself for good.
     */
    @Test
    public void anInterruptedWriterDoesNotCloseTheOutbox() {
        try (Outbox o = new Outbox(file(), 100, clock)) {
            o.accept("mqtt", message("before", Duration.ofHours(2)));
            Thread.currentThread().interrupt();
            try {
                o.accept("mqtt", message("interrupted", Duration.ofHours(2)));
            } catch (RuntimeException e) {
                // the write may fail; the store must not
            } finally {
                Thread.interrupted();
            }
            o.accept("mqtt", message("after", Duration.ofHours(2)));
            List<String> ids = o.next("mqtt", 10).stream().map(e -> e.message().id()).toList();
            assertTrue(ids.toString(), ids.contains("before") && ids.contains("after"));
        }
    }

    @Test
    public void expiredMessagesAreDroppedAndCountedExactly() {
        try (Outbox o = new Outbox(file(), 100, clock)) {
            o.accept("mqtt", message("short", Duration.ofSeconds(10)));
            o.accept("mqtt", message("long", Duration.ofHours(2)));
            clock.advance(Duration.ofSeconds(11));
            assertEquals("an expired message is not sent", List.of("long"), o.next("mqtt", 10).stream().map(e -> e.message().id()).toList());
            assertEquals(1, o.expire());
            assertEquals(0, o.expire());
            assertEquals(1, o.count("expired"));
            assertEquals(1, o.size());
        }
    }

    @Test
    public void whenFullTheOldestIsEvictedAndCounted() {
        try (Outbox o = new Outbox(file(), 3, clock)) {
            for (int i = 0; i < 5; i++) {
                o.accept("mqtt", message("m" + i, Duration.ofHours(2)));
            }
            assertEquals(3, o.size());
            assertEquals(2, o.count("evicted"));
            assertEquals(List.of("m2", "m3", "m4"), o.next("mqtt", 10).stream().map(e -> e.message().id()).toList());
            assertEquals("accepted = delivered + expired + evicted + waiting", o.count("accepted"),
                    o.count("delivered") + o.count("expired") + o.count("evicted") + o.size());
        }
    }

    /** Two uplinks: a copy each, in one commit; each delivers, expires and is counted on its own, across a reopen. */
    @Test
    public void eachUplinkHasItsOwnQueueAndCounts() {
        Path file = file();
        try (Outbox o = new Outbox(file, 100, clock)) {
            o.accept(List.of("mqtt", "iothub"), message("a", Duration.ofSeconds(10)));
            o.accept(List.of("mqtt", "iothub"), message("b", Duration.ofHours(2)));
            o.delivered(o.next("iothub", 1).get(0).sequence());
            assertEquals(List.of("a", "b"), o.next("mqtt", 10).stream().map(e -> e.message().id()).toList());
            assertEquals(List.of("b"), o.next("iothub", 10).stream().map(e -> e.message().id()).toList());
        }
        try (Outbox o = new Outbox(file, 100, clock)) {
            assertEquals(List.of("iothub", "mqtt"), o.destinations().stream().sorted().toList());
            clock.advance(Duration.ofSeconds(11));
            assertEquals(1, o.expire());
            assertEquals(1, o.count("mqtt", "expired"));
            assertEquals(0, o.count("iothub", "expired"));
            assertEquals(1, o.count("iothub", "delivered"));
            assertEquals(2, o.count("mqtt", "accepted"));
            assertEquals(2, o.count("iothub", "accepted"));
            assertEquals(4, o.count("accepted"));
            assertEquals(1, o.depth("mqtt"));
            assertEquals(1, o.depth("iothub"));
        }
    }
}
