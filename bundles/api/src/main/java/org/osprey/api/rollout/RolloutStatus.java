package org.osprey.api.rollout;

import java.util.Objects;
import java.util.Optional;

/**
 * Where the rollout of one model version stands. Immutable.
 *
 * @param name     the model's name
 * @param version  the version wanted
 * @param state    where it stands
 * @param bytes    bytes downloaded so far (all of them once downloaded)
 * @param size     the download's size, or -1 while unknown
 * @param message  why it failed, or what the last failed attempt met while it is tried again; null otherwise
 */
public record RolloutStatus(String name, String version, State state, long bytes, long size, String message) {

    public enum State {
        /** Fetching the jar (tried again with back-off after a broken connection or a server error). */
        DOWNLOADING,
        /** Checking the SHA-256 and that the jar is a model bundle without code. */
        VERIFYING,
        /** Installed; the inference engine is loading it. */
        INSTALLING,
        /** Serving. */
        ACTIVE,
        /** Loaded, but a higher version of the same name installed by other means serves. */
        REPLACED,
        /** Refused or not loadable; {@link RolloutStatus#message} says why. Not tried again until the wanted version changes. */
        FAILED
    }

    public RolloutStatus {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(state, "state");
    }

    /** Downloaded fraction, 0 to 1; empty while the size is unknown. */
    public Optional<Double> progress() {
        return size > 0 ? Optional.of(Math.min(1.0, bytes / (double) size)) : Optional.empty();
    }

    public Optional<String> why() {
        return Optional.ofNullable(message);
    }
}
