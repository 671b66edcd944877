package org.osprey.api.vision;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** What became of one model bundle. Immutable. */
public final class ModelRecord {

    public enum State {
        /** Serving: the newest loaded version of its name. */
        ACTIVE,
        /** Loaded, but a newer version of the same name serves; it takes over again if that one goes. */
        REPLACED,
        /** Being loaded: reading the file and opening the session. */
        LOADING,
        /** Could not be loaded; {@link ModelRecord#message()} says why. Nothing else changed. */
        FAILED
    }

    private final String name;
    private final String version;
    private final Task task;
    private final State state;
    private final String message;
    private final long bundleId;
    private final String symbolicName;
    private final Instant since;

    public ModelRecord(String name, String version, Task task, State state, String message, long bundleId,
            String symbolicName, Instant since) {
        this.name = Objects.requireNonNull(name, "name");
        this.version = Objects.requireNonNull(version, "version");
        this.task = task;
        this.state = Objects.requireNonNull(state, "state");
        this.message = message;
        this.bundleId = bundleId;
        this.symbolicName = Objects.requireNonNull(symbolicName, "symbolicName");
        this.since = Objects.requireNonNull(since, "since");
    }

    public String name() {
        return name;
    }

    public String version() {
        return version;
    }

    /** Empty when the bundle failed before its descriptor could be read. */
    public Optional<Task> task() {
        return Optional.ofNullable(task);
    }

    public State state() {
        return state;
    }

    /** Why a model failed; empty otherwise. */
    public Optional<String> message() {
        return Optional.ofNullable(message);
    }

    public long bundleId() {
        return bundleId;
    }

    public String symbolicName() {
        return symbolicName;
    }

    /** When the bundle was loaded or failed. */
    public Instant since() {
        return since;
    }

    @Override
    public String toString() {
        return name + " " + version + " " + state + (message == null ? "" : ": " + message);
    }
}
