package org.osprey.pipeline.snapshots;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.lang.annotation.Annotation;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.osprey.api.camera.Frame;
import org.osprey.api.camera.PixelFormat;
import org.osprey.api.event.EventType;
import org.osprey.api.event.VisionEvent;
import org.osprey.api.pipeline.Observation;
import org.osprey.api.vision.BoundingBox;
import org.osprey.api.vision.FrameRenderer;
import org.osprey.api.vision.InferenceException;
import org.osprey.api.vision.InferenceResult;
import org.osprey.api.vision.ModelInfo;
import org.osprey.api.vision.Prediction;
import org.osprey.api.vision.Region;
import org.osprey.api.vision.Task;

/**
 * The store's bookkeeping: limits, order, restarts, what it is asked to draw. The picture itself comes
 * from the inference bundle's renderer (tested there, and end to end in PipelineIT); here a renderer that
 * records its calls and answers bytes of a chosen size stands in for it.
 */
public class SnapshotKeeperTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    /** What the renderer was asked to draw, per call. */
    private final List<List<Prediction>> drawnBoxes = new ArrayList<>();
    private final List<List<Region>> drawnZones = new ArrayList<>();

    private FrameRenderer renderer(int bytes) {
        return (frame, predictions, regions, maxWidth, quality) -> {
            drawnBoxes.add(predictions);
            drawnZones.add(regions);
            byte[] jpeg = new byte[bytes];
            jpeg[0] = (byte) 0xFF;
            jpeg[1] = (byte) 0xD8;
            return jpeg;
        };
    }

    private static SnapshotConfiguration config(int megabytes, int hours) {
        return new SnapshotConfiguration() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return SnapshotConfiguration.class;
            }

            @Override
            public boolean enabled() {
                return true;
            }

            @Override
            public int maxMegabytes() {
                return megabytes;
            }

            @Override
            public int maxAgeHours() {
                return hours;
            }

            @Override
            public int width() {
                return 640;
            }
        };
    }

    private static final Region DOOR = new Region("door", new double[] {0, 1, 1}, new double[] {0, 0, 1});
    private static final Region GATE = new Region("gate", new double[] {0, 1, 0}, new double[] {0, 1, 1});

    private static Observation seen() {
        Frame frame = Frame.encoded("lot", 7, Instant.now(), PixelFormat.JPEG, 0, 0, ByteBuffer.wrap(new byte[] {1}));
        InferenceResult r = InferenceResult.builder(new ModelInfo("m", "1.0.0", Task.DETECTION, List.of("car"), 64, 64)).image(64, 64).build();
        return new Observation(frame, r, List.of(DOOR, GATE));
    }

    private static VisionEvent event(Instant time, String zone) {
        return VisionEvent.builder(zone == null ? EventType.APPEARED : EventType.ZONE_OCCUPIED, "lot", "car").time(time).zone(zone)
                .detection(0.8f, BoundingBox.of(0.1, 0.1, 0.2, 0.2)).build();
    }

    @Test
    public void eachEventsPictureHasItsBoxAndOnlyItsZone() throws Exception {
        SnapshotKeeper keeper = new SnapshotKeeper(tmp.getRoot().toPath(), config(10, 24));
        keeper.setRenderer(renderer(100));
        VisionEvent e = event(Instant.now(), "gate");
        keeper.keep(e, seen());
        assertTrue(keeper.has(e.id()));
        assertEquals(100, keeper.snapshot(e.id()).orElseThrow().length);
        assertEquals(1, drawnBoxes.get(0).size());
        assertEquals(BoundingBox.of(0.1, 0.1, 0.2, 0.2), drawnBoxes.get(0).get(0).box());
        assertEquals(List.of("gate"), drawnZones.get(0).stream().map(Region::name).toList());
    }

    @Test
    public void theOldestGoFirstWhenTheSizeIsReachedAndTheRestOutliveARestart() throws Exception {
        Path folder = tmp.getRoot().toPath();
        SnapshotKeeper keeper = new SnapshotKeeper(folder, config(1, 24));
        keeper.setRenderer(renderer(300_000));
        List<VisionEvent> events = new ArrayList<>();
        Instant t = Instant.now().minusSeconds(60);
        for (int i = 0; i < 5; i++) {
            VisionEvent e = event(t.plusSeconds(i), null);
            events.add(e);
            keeper.keep(e, seen());
        }
        // 1 MB holds three of 300 KB: the first two are gone, from the folder too
        assertFalse(keeper.has(events.get(0).id()));
        assertFalse(keeper.has(events.get(1).id()));
        assertTrue(keeper.has(events.get(2).id()));
        assertEquals(3 * 300_000, keeper.totalBytes());
        try (var files = Files.list(folder)) {
            assertEquals(3, files.count());
        }
        byte[] before = keeper.snapshot(events.get(4).id()).orElseThrow();

        SnapshotKeeper restarted = new SnapshotKeeper(folder, config(1, 24));
        assertEquals(3 * 300_000, restarted.totalBytes());
        assertArrayEquals(before, restarted.snapshot(events.get(4).id()).orElseThrow());
        assertFalse(restarted.has(events.get(1).id()));
    }

    @Test
    public void picturesPastTheirAgeAreDeleted() throws Exception {
        Path folder = tmp.getRoot().toPath();
        SnapshotKeeper keeper = new SnapshotKeeper(folder, config(10, 1));
        keeper.setRenderer(renderer(10));
        VisionEvent old = event(Instant.now().minus(Duration.ofHours(2)), null);
        VisionEvent fresh = event(Instant.now(), null);
        keeper.keep(old, seen());
        keeper.keep(fresh, seen());
        assertFalse(keeper.has(old.id()));
        assertTrue(keeper.has(fresh.id()));
    }

    @Test
    public void noRendererOrAFailingOneOrAnUnsafeIdKeepsNothingAndThrowsNothing() throws Exception {
        SnapshotKeeper keeper = new SnapshotKeeper(tmp.getRoot().toPath(), config(10, 24));
        VisionEvent e = event(Instant.now(), null);
        keeper.keep(e, seen());
        assertFalse(keeper.has(e.id()));
        keeper.setRenderer((frame, predictions, regions, maxWidth, quality) -> {
            throw new InferenceException(InferenceException.Reason.BAD_IMAGE, "corrupt JPEG");
        });
        keeper.keep(e, seen());
        assertFalse(keeper.has(e.id()));
        keeper.setRenderer(renderer(10));
        VisionEvent sneaky = VisionEvent.builder(EventType.APPEARED, "lot", "car").id("../../etc/passwd").build();
        keeper.keep(sneaky, seen());
        assertFalse(keeper.has(sneaky.id()));
        try (var files = Files.list(tmp.getRoot().toPath())) {
            assertEquals(0, files.count());
        }
    }
}
