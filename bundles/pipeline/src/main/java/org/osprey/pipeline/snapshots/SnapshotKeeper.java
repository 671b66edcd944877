package org.osprey.pipeline.snapshots;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.osprey.api.event.SnapshotStore;
import org.osprey.api.event.VisionEvent;
import org.osprey.api.pipeline.Observation;
import org.osprey.api.vision.FrameRenderer;
import org.osprey.api.vision.InferenceException;
import org.osprey.api.vision.Prediction;
import org.osprey.api.vision.Region;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a JPEG per event in {@code $OSPREY_DATA/snapshots}, named {@code <millis>-<event id>.jpg} so the
 * folder lists oldest first: the event's frame with its box (and zone) drawn, written by the pipeline
 * before it publishes the event. Bounded by total size and age, oldest out first; the folder is read back
 * at start, so snapshots outlive restarts.
 */
@Component(service = {SnapshotStore.class, SnapshotKeeper.class}, configurationPid = "org.osprey.pipeline.snapshots")
@Designate(ocd = SnapshotConfiguration.class)
public class SnapshotKeeper implements SnapshotStore {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotKeeper.class);
    /** Event ids that are safe as file names: UUIDs and the like. */
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final Pattern FILE = Pattern.compile("(\\d+)-(" + SAFE_ID.pattern() + ")\\.jpg");
    private static final int QUALITY = 80;

    private record Kept(Path file, long bytes, Instant time) {
    }

    private final SnapshotConfiguration config;
    private final Path folder;
    private final long maxBytes;
    private final Duration maxAge;
    /** By event id, oldest first; guarded by itself. */
    private final LinkedHashMap<String, Kept> kept = new LinkedHashMap<>();
    private long totalBytes;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile FrameRenderer renderer;
    private volatile String lastFailure;

    @Activate
    public SnapshotKeeper(BundleContext context, SnapshotConfiguration config) throws IOException {
        this(Path.of(Optional.ofNullable(context.getProperty("osprey.data")).orElse("data"), "snapshots"), config);
    }

    SnapshotKeeper(Path folder, SnapshotConfiguration config) throws IOException {
        this.config = config;
        this.folder = folder;
        this.maxBytes = config.maxMegabytes() * 1024L * 1024;
        this.maxAge = Duration.ofHours(config.maxAgeHours());
        Files.createDirectories(folder);
        List<Path> files;
        try (Stream<Path> s = Files.list(folder)) {
            files = new ArrayList<>(s.filter(p -> FILE.matcher(p.getFileName().toString()).matches()).sorted().toList());
        }
        for (Path f : files) {
            var m = FILE.matcher(f.getFileName().toString());
            m.matches();
            long bytes = Files.size(f);
            kept.put(m.group(2), new Kept(f, bytes, Instant.ofEpochMilli(Long.parseLong(m.group(1)))));
            totalBytes += bytes;
        }
        synchronized (kept) {
            prune(Instant.now());
        }
    }

    /** The picture maker; set by the tests, which have no framework. */
    void setRenderer(FrameRenderer r) {
        renderer = r;
    }

    /**
     * Writes the event's snapshot from the frame it was seen in; never throws (a picture that cannot be made
     * is logged once per reason, the event goes on without it).
     */
    public void keep(VisionEvent event, Observation seen) {
        FrameRenderer r = renderer;
        if (!config.enabled() || r == null || !SAFE_ID.matcher(event.id()).matches()) {
            return;
        }
        List<Prediction> box = event.box() == null ? List.of() : List.of(Prediction.of(event.label(), 0, event.score(), event.box()));
        List<Region> zone = seen.zones().stream().filter(z -> z.name().equals(event.zone())).toList();
        try {
            byte[] jpeg = r.jpeg(seen.frame(), box, zone, config.width(), QUALITY);
            Path file = folder.resolve(event.time().toEpochMilli() + "-" + event.id() + ".jpg");
            Path part = folder.resolve(file.getFileName() + ".part");
            Files.write(part, jpeg);
            Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            synchronized (kept) {
                Kept old = kept.put(event.id(), new Kept(file, jpeg.length, event.time()));
                totalBytes += jpeg.length - (old == null ? 0 : old.bytes());
                prune(Instant.now());
            }
            lastFailure = null;
        } catch (InferenceException | IOException | RuntimeException e) {
            String reason = e.getMessage();
            if (!String.valueOf(reason).equals(lastFailure)) {
                LOG.warn("No snapshot for event {} of camera {}: {}", event.id(), event.cameraId(), reason);
            }
            lastFailure = String.valueOf(reason);
        }
    }

    /** Oldest out first, while over the size or past the age. Called holding {@code kept}. */
    private void prune(Instant now) {
        for (Iterator<Map.Entry<String, Kept>> it = kept.entrySet().iterator(); it.hasNext();) {
            Kept k = it.next().getValue();
            if (totalBytes <= maxBytes && !k.time().isBefore(now.minus(maxAge))) {
                break;
            }
            try {
                Files.deleteIfExists(k.file());
            } catch (IOException e) {
                LOG.warn("Could not delete snapshot {}: {}", k.file(), e.getMessage());
            }
            totalBytes -= k.bytes();
            it.remove();
        }
    }

    @Override
    public boolean has(String eventId) {
        synchronized (kept) {
            return kept.containsKey(eventId);
        }
    }

    @Override
    public Optional<byte[]> snapshot(String eventId) {
        Kept k;
        synchronized (kept) {
            k = kept.get(eventId);
        }
        if (k == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readAllBytes(k.file()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Bytes the snapshots take now. */
    long totalBytes() {
        synchronized (kept) {
            return totalBytes;
        }
    }
}
