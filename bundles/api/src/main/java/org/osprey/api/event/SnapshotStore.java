package org.osprey.api.event;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The pictures kept of events: for each event a pipeline publishes, a JPEG of the frame it was seen in
 * (with its box and zone drawn), written before any {@link VisionEventListener} hears of the event, and
 * kept within the store's limits of size and age (oldest out first), across restarts. Safe from any
 * thread.
 *
 * @since 1.1
 */
@ProviderType
public interface SnapshotStore {

    /** Whether a JPEG is kept for the event. */
    boolean has(String eventId);

    /** The event's JPEG, or empty when none was kept (or it was pruned). */
    Optional<byte[]> snapshot(String eventId);
}
