package org.osprey.pipeline.tracker;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.osprey.api.event.EventType;
import org.osprey.api.event.VisionEvent;
import org.osprey.api.vision.BoundingBox;
import org.osprey.api.vision.InferenceResult;
import org.osprey.api.vision.Prediction;
import org.osprey.api.vision.Region;

/**
 * Turns per-frame results into events, only on change. A label <b>appears</b> after it was seen in
 * {@code appearFrames} consecutive frames and <b>leaves</b> after {@code leaveFrames} consecutive
 * frames without it; a zone's count of a label changes only once the new count held as long (rising:
 * appear frames, falling: leave frames), with {@code zone_occupied} / {@code zone_freed} when it
 * leaves or reaches zero. So a flickering detection or a parked car says nothing new. One tracker per
 * camera, used by one thread.
 */
public final class EventTracker {

    private final String cameraId;
    private final TrackerSettings settings;
    private final Map<String, Debounced> labels = new HashMap<>();
    private final Map<String, Debounced> zoneCounts = new HashMap<>();

    /** A value that changes only after a different value held for enough consecutive frames. */
    private static final class Debounced {
        int stable;
        int candidate;
        int streak;

        /** @return true when the stable value changed with this observation */
        boolean observe(int value, int rise, int fall) {
            if (value == stable) {
                streak = 0;
                return false;
            }
            if (value != candidate) {
                candidate = value;
                streak = 0;
            }
            streak++;
            if (streak >= (value > stable ? rise : fall)) {
                stable = value;
                streak = 0;
                return true;
            }
            return false;
        }
    }

    public EventTracker(String cameraId, TrackerSettings settings) {
        this.cameraId = cameraId;
        this.settings = settings;
    }

    public List<VisionEvent> update(InferenceResult result, Instant time) {
        Map<String, Prediction> best = new HashMap<>();
        Map<String, Integer> inZone = new HashMap<>();
        Map<String, Integer> perLabel = new HashMap<>();
        for (Prediction p : result.predictions()) {
            if (p.score() < settings.minScore() || !settings.labels().isEmpty() && !settings.labels().contains(p.label())) {
                continue;
            }
            best.merge(p.label(), p, (a, b) -> a.score() >= b.score() ? a : b);
            perLabel.merge(p.label(), 1, Integer::sum);
            if (p.box() != null) {
                double x = p.box().left() + p.box().width() / 2, y = p.box().bottom();
                for (Region z : settings.zones()) {
                    if (z.contains(x, y)) {
                        inZone.merge(z.name() + '\u0000' + p.label(), 1, Integer::sum);
                    }
                }
            }
        }
        List<VisionEvent> events = new ArrayList<>();
        TreeSet<String> seen = new TreeSet<>(labels.keySet());
        seen.addAll(best.keySet());
        for (String label : seen) {
            Debounced d = labels.computeIfAbsent(label, l -> new Debounced());
            if (d.observe(best.containsKey(label) ? 1 : 0, settings.appearFrames(), settings.leaveFrames())) {
                Prediction p = best.get(label);
                events.add(event(d.stable == 1 ? EventType.APPEARED : EventType.LEFT, label, null, p, perLabel.getOrDefault(label, 0), result, time));
            }
        }
        TreeSet<String> keys = new TreeSet<>(zoneCounts.keySet());
        keys.addAll(inZone.keySet());
        for (String key : keys) {
            Debounced d = zoneCounts.computeIfAbsent(key, k -> new Debounced());
            int before = d.stable;
            if (d.observe(inZone.getOrDefault(key, 0), settings.appearFrames(), settings.leaveFrames())) {
                String zone = key.substring(0, key.indexOf('\u0000')), label = key.substring(key.indexOf('\u0000') + 1);
                Prediction p = best.get(label);
                events.add(event(EventType.COUNT_CHANGED, label, zone, p, d.stable, result, time));
                if (before == 0) {
                    events.add(event(EventType.ZONE_OCCUPIED, label, zone, p, d.stable, result, time));
                } else if (d.stable == 0) {
                    events.add(event(EventType.ZONE_FREED, label, zone, p, 0, result, time));
                }
            }
        }
        return events;
    }

    private VisionEvent event(EventType type, String label, String zone, Prediction p, int count, InferenceResult r, Instant time) {
        BoundingBox box = p == null ? null : p.box();
        return VisionEvent.builder(type, cameraId, label).zone(zone).time(time).detection(p == null ? 0f : p.score(), box)
                .count(count).model(r.modelName(), r.modelVersion()).build();
    }
}
