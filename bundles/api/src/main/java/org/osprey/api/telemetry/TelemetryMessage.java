package org.osprey.api.telemetry;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A message for the cloud: a JSON payload with routing properties. Immutable.
 * <p>
 * The {@link #id()} is stable across retries and restarts, so that receivers can de-duplicate
 * (delivery is at least once). A message not delivered by {@link #expiresAt()} is dropped and counted.
 */
public final class TelemetryMessage {

    /** Content type of every payload Osprey sends. */
    public static final String CONTENT_TYPE_JSON = "application/json";

    private final String id;
    private final String type;
    private final String cameraId;
    private final Instant created;
    private final Instant expiresAt;
    private final Map<String, String> properties;
    private final byte[] payload;

    private TelemetryMessage(Builder b) {
        this.id = b.id == null ? UUID.randomUUID().toString() : b.id;
        this.type = Objects.requireNonNull(b.type, "type");
        this.cameraId = b.cameraId;
        this.created = Objects.requireNonNull(b.created, "created");
        this.expiresAt = Objects.requireNonNull(b.expiresAt, "expiresAt");
        if (expiresAt.isBefore(created)) {
            throw new IllegalArgumentException("a message cannot expire before it was created");
        }
        this.properties = Map.copyOf(b.properties);
        this.payload = Objects.requireNonNull(b.payload, "payload").clone();
    }

    /**
     * @param type        what the message is about, e.g. an event type's wire name; used in topics and
     *                    as a routing property
     * @param jsonPayload the message body, JSON
     */
    public static Builder builder(String type, String jsonPayload) {
        Builder b = new Builder();
        b.type = type;
        b.payload = jsonPayload.getBytes(StandardCharsets.UTF_8);
        return b;
    }

    public String id() {
        return id;
    }

    public String type() {
        return type;
    }

    /** @return the camera the message is about, or null for a gateway-wide message */
    public String cameraId() {
        return cameraId;
    }

    public Instant created() {
        return created;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    /** @return application properties for routing (label, zone, ...); unmodifiable */
    public Map<String, String> properties() {
        return properties;
    }

    /** @return a copy of the UTF-8 JSON payload */
    public byte[] payload() {
        return payload.clone();
    }

    /** @return the payload as text */
    public String payloadText() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "TelemetryMessage[" + id + " " + type + (cameraId == null ? "" : " " + cameraId) + "]";
    }

    /** Builds a {@link TelemetryMessage}; not thread-safe. */
    public static final class Builder {
        private String id;
        private String type;
        private String cameraId;
        private Instant created = Instant.now();
        private Instant expiresAt;
        private final Map<String, String> properties = new LinkedHashMap<>();
        private byte[] payload;

        /** Sets the id; only to re-create a message that already has one (the outbox, a retry). */
        public Builder id(String id) {
            this.id = id;
            return this;
        }

        public Builder camera(String cameraId) {
            this.cameraId = cameraId;
            return this;
        }

        public Builder created(Instant created) {
            this.created = created;
            return this;
        }

        public Builder expiresAt(Instant expiresAt) {
            this.expiresAt = expiresAt;
            return this;
        }

        public Builder property(String name, String value) {
            properties.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
            return this;
        }

        public TelemetryMessage build() {
            return new TelemetryMessage(this);
        }
    }
}
