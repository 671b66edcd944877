package org.osprey.tools.bench;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;

import org.osprey.api.telemetry.TelemetryMessage;
import org.osprey.telemetry.outbox.Outbox;

/**
 * {@code ./osprey bench outbox}: how many events per second the telemetry outbox makes durable (each
 * one committed and synced before accept returns), against the floor measured in the same run on the
 * same disk: appending the same bytes to a file and forcing them to disk, one event at a time. Also the
 * rate at which a backlog is read and deleted again (what a returning link costs).
 */
public final class OutboxBench {

    private OutboxBench() {
    }

    public static void main(String[] args) throws Exception {
        Duration duration = Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 5);
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of(args.length > 1 ? args[1] : "data")), "outbox-bench");
        try {
            byte[] example = event(0).payload();
            System.out.printf(Locale.ROOT, "Osprey outbox benchmark: events of %d bytes, %d s per figure, in %s%n", example.length,
                    duration.toSeconds(), dir.toAbsolutePath());
            floor("warm-up: append + fsync", duration.dividedBy(2), dir.resolve("warm.log"));
            double floor = floor("floor: append + fsync per event", duration, dir.resolve("floor.log"));
            try (Outbox outbox = new Outbox(dir.resolve("one.mv.db"), 10_000_000, Clock.systemUTC())) {
                double one = measure("outbox.accept, 1 uplink", duration, i -> outbox.accept("mqtt", event(i)));
                System.out.printf(Locale.ROOT, "  outbox / floor: %.2fx%n", one / floor);
                int backlog = outbox.size();
                long start = System.nanoTime();
                int drained = 0;
                for (List<Outbox.Entry> batch = outbox.next("mqtt", 50); !batch.isEmpty(); batch = outbox.next("mqtt", 50)) {
                    for (Outbox.Entry e : batch) {
                        outbox.delivered(e.sequence());
                        drained++;
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf(Locale.ROOT, "%-40s %10.0f events/s (%d events)%n", "backlog read + delete", drained / seconds, backlog);
            }
            try (Outbox outbox = new Outbox(dir.resolve("two.mv.db"), 10_000_000, Clock.systemUTC())) {
                double two = measure("outbox.accept, 2 uplinks (events/s)", duration, i -> outbox.accept(List.of("mqtt", "iothub"), event(i)));
                System.out.printf(Locale.ROOT, "  outbox with 2 uplinks / floor: %.2fx%n", two / floor);
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    interface Step {
        void run(int i) throws Exception;
    }

    /** The floor: each event's bytes appended to a file and forced to disk. */
    private static double floor(String name, Duration duration, Path log) throws Exception {
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            return measure(name, duration, i -> {
                ch.write(ByteBuffer.wrap(event(i).payload()));
                ch.force(false);
            });
        }
    }

    /** Events per second, one step per event, for the duration. */
    private static double measure(String name, Duration duration, Step step) throws Exception {
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        int n = 0;
        while (System.nanoTime() < end) {
            step.run(n++);
        }
        double rate = n / ((System.nanoTime() - start) / 1e9);
        System.out.printf(Locale.ROOT, "%-40s %10.0f events/s%n", name, rate);
        return rate;
    }

    /** An event as the pipeline makes it, about 350 bytes of JSON. */
    static TelemetryMessage event(int i) {
        String id = UUID.randomUUID().toString();
        String json = "{\"id\":\"" + id + "\",\"type\":\"zone_occupied\",\"time\":\"" + Instant.now() + "\",\"camera\":\"parking-north\","
                + "\"label\":\"car\",\"zone\":\"spot 12\",\"count\":1,\"score\":0.87,\"box\":{\"left\":0.41,\"top\":0.52,\"width\":0.12,"
                + "\"height\":0.09},\"model\":\"yolov8n\",\"modelVersion\":\"1.0.0\",\"n\":" + i + "}";
        return TelemetryMessage.builder("zone_occupied", json).id(id).camera("parking-north").property("type", "zone_occupied")
                .property("label", "car").property("camera", "parking-north").property("zone", "spot 12")
                .expiresAt(Instant.now().plus(Duration.ofHours(2))).build();
    }
}
