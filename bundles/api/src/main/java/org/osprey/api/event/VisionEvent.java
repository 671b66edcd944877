package org.osprey.api.event;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import org.osprey.api.vision.BoundingBox;

/**
 * A change seen by a camera. Immutable. The {@link #id()} is unique and stable: every copy of the event
 * (retries, the outbox, the cloud) carries it, so receivers can drop duplicates.
 */
public final class VisionEvent {

    private final String id;
    private final EventType type;
    private final Instant time;
    private final String cameraId;
    private final String label;
    private final String zone;
    private final float score;
    private final BoundingBox box;
    private final int count;
    private final String modelName;
    private final String modelVersion;

    private VisionEvent(Builder b) {
        this.id = b.id == null ? UUID.randomUUID().toString() : b.id;
        this.type = Objects.requireNonNull(b.type, "type");
        this.time = Objects.requireNonNull(b.time, "time");
        this.cameraId = Objects.requireNonNull(b.cameraId, "cameraId");
        this.label = Objects.requireNonNull(b.label, "label");
        this.zone = b.zone;
        this.score = b.score;
        this.box = b.box;
        this.count = b.count;
        this.modelName = b.modelName;
        this.modelVersion = b.modelVersion;
    }

    public static Builder builder(EventType type, String cameraId, String label) {
        Builder b = new Builder();
        b.type = type;
        b.cameraId = cameraId;
        b.label = label;
        return b;
    }

    /** @return a unique, stable identifier (a UUID unless the builder was given one) */
    public String id() {
        return id;
    }

    public EventType type() {
        return type;
    }

    /** @return when the change was seen (the capture time of the frame that decided it) */
    public Instant time() {
        return time;
    }

    public String cameraId() {
        return cameraId;
    }

    public String label() {
        return label;
    }

    /** @return the zone's name, or null for an event about the whole image */
    public String zone() {
        return zone;
    }

    /** @return the score of the detection that decided the event; 0 for {@link EventType#LEFT} and {@link EventType#ZONE_FREED} */
    public float score() {
        return score;
    }

    /** @return the box of the detection that decided the event, or null (classification, or the object left) */
    public BoundingBox box() {
        return box;
    }

    /** @return how many objects of the label are now in the zone (or the image); 0 after they left */
    public int count() {
        return count;
    }

    /** @return the name of the model that saw it, or null if unknown */
    public String modelName() {
        return modelName;
    }

    /** @return the version of the model that saw it, or null if unknown */
    public String modelVersion() {
        return modelVersion;
    }

    @Override
    public String toString() {
        return cameraId + ": " + label + " " + type.wireName() + (zone == null ? "" : " in " + zone)
                + " (count " + count + ", score " + score + ")";
    }

    /** Builds a {@link VisionEvent}; not thread-safe. */
    public static final class Builder {
        private String id;
        private EventType type;
        private Instant time = Instant.now();
        private String cameraId;
        private String label;
        private String zone;
        private float score;
        private BoundingBox box;
        private int count;
        private String modelName;
        private String modelVersion;

        /** Sets the id; only to re-create an event that already has one (e.g. read back from a store). */
        public Builder id(String id) {
            this.id = id;
            return this;
        }

        public Builder time(Instant time) {
            this.time = time;
            return this;
        }

        public Builder zone(String zone) {
            this.zone = zone;
            return this;
        }

        public Builder detection(float score, BoundingBox box) {
            this.score = score;
            this.box = box;
            return this;
        }

        public Builder count(int count) {
            this.count = count;
            return this;
        }

        public Builder model(String name, String version) {
            this.modelName = name;
            this.modelVersion = version;
            return this;
        }

        public VisionEvent build() {
            return new VisionEvent(this);
        }
    }
}
