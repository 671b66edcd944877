package org.osprey.pipeline.tracker;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.junit.Test;
import org.osprey.api.event.VisionEvent;
import org.osprey.api.vision.BoundingBox;
import org.osprey.api.vision.InferenceResult;
import org.osprey.api.vision.ModelInfo;
import org.osprey.api.vision.Prediction;
import org.osprey.api.vision.Region;
import org.osprey.api.vision.Task;

/** Scripted detection sequences and the exact events they must give. */
public class EventTrackerTest {

    private static final ModelInfo MODEL = new ModelInfo("cars", "2.0.0", Task.DETECTION, List.of("car", "person"), 416, 416);
    private static final Region SPOT_1 = Region.parse("spot-1: 0.0,0.5 0.5,0.5 0.5,1.0 0.0,1.0");
    private static final Region SPOT_2 = Region.parse("spot-2: 0.5,0.5 1.0,0.5 1.0,1.0 0.5,1.0");

    private final List<String> log = new ArrayList<>();
    private int frame;

    private static Prediction car(double left, double top) {
        return Prediction.of("car", 0, 0.9f, BoundingBox.of(left, top, 0.2, 0.2));
    }

    private void frames(EventTracker t, int n, Prediction... p) {
        for (int i = 0; i < n; i++) {
            frame++;
            InferenceResult r = InferenceResult.builder(MODEL).image(640, 480).predictions(Arrays.asList(p)).build();
            for (VisionEvent e : t.update(r, Instant.EPOCH.plusSeconds(frame))) {
                log.add(frame + " " + e.type().wireName() + " " + e.label() + (e.zone() == null ? "" : " " + e.zone()) + " " + e.count());
                assertEquals("cam", e.cameraId());
                assertEquals("cars", e.modelName());
                assertEquals("2.0.0", e.modelVersion());
            }
        }
    }

    /** Two spots; cars arrive, stay 100 frames, leave: each change is said once. */
    @Test
    public void parkingLot() {
        EventTracker t = new EventTracker("cam", new TrackerSettings(3, 5, 0.5f, Set.of(), List.of(SPOT_1, SPOT_2)));
        frames(t, 10);
        Prediction inSpot1 = car(0.1, 0.6), inSpot2 = car(0.6, 0.6);
        frames(t, 100, inSpot1);
        frames(t, 100, inSpot1, inSpot2);
        frames(t, 100, inSpot2);
        frames(t, 100);
        assertEquals(List.of(
                "13 appeared car 1",
                "13 count_changed car spot-1 1", "13 zone_occupied car spot-1 1",
                "113 count_changed car spot-2 1", "113 zone_occupied car spot-2 1",
                "215 count_changed car spot-1 0", "215 zone_freed car spot-1 0",
                "315 left car 0",
                "315 count_changed car spot-2 0", "315 zone_freed car spot-2 0"), log);
    }

    /** A detection flickering around the threshold is never stable long enough to be said. */
    @Test
    public void flickerAroundTheThresholdSaysNothing() {
        EventTracker t = new EventTracker("cam", new TrackerSettings(3, 5, 0.5f, Set.of(), List.of(SPOT_1)));
        for (int i = 0; i < 50; i++) {
            float score = i % 2 == 0 ? 0.51f : 0.49f;
            frames(t, 1, Prediction.of("car", 0, score, BoundingBox.of(0.1, 0.6, 0.2, 0.2)));
        }
        assertEquals(List.of(), log);
    }

    /** Two frames missing inside a stay (an occlusion) do not end it. */
    @Test
    public void shortGapsAreBridged() {
        EventTracker t = new EventTracker("cam", new TrackerSettings(2, 4, 0.5f, Set.of(), List.of()));
        frames(t, 5, car(0.1, 0.1));
        frames(t, 3);
        frames(t, 5, car(0.1, 0.1));
        frames(t, 4);
        assertEquals(List.of("2 appeared car 1", "17 left car 0"), log);
    }

    @Test
    public void countsSeveralOfALabelInAZone() {
        EventTracker t = new EventTracker("cam", new TrackerSettings(1, 1, 0.5f, Set.of("car"), List.of(SPOT_1)));
        frames(t, 1, car(0.05, 0.6), car(0.25, 0.6), Prediction.of("person", 1, 0.9f, BoundingBox.of(0.1, 0.6, 0.1, 0.3)));
        frames(t, 1, car(0.05, 0.6));
        assertEquals(List.of("1 appeared car 2", "1 count_changed car spot-1 2", "1 zone_occupied car spot-1 2",
                "2 count_changed car spot-1 1"), log);
    }

    @Test
    public void zonesTestTheBottomCentre() {
        Region z = Region.parse("door: 0.4,0.8 0.6,0.8 0.6,1 0.4,1");
        assertTrue(z.contains(0.5, 0.9));
        assertFalse(z.contains(0.5, 0.5));
        EventTracker t = new EventTracker("cam", new TrackerSettings(1, 1, 0.5f, Set.of(), List.of(z)));
        // a tall box whose top is outside but whose feet are in the door
        frames(t, 1, Prediction.of("person", 1, 0.9f, BoundingBox.of(0.45, 0.3, 0.1, 0.6)));
        assertTrue(log.toString(), log.contains("1 zone_occupied person door 1"));
    }
}
