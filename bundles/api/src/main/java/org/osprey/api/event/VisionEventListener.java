package org.osprey.api.event;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives vision events: register an implementation as a service (whiteboard pattern).
 * <p>
 * <b>Threading.</b> Events are delivered asynchronously, in order, on a thread owned by the
 * dispatcher, one event at a time per listener. A listener that is slow or throws only delays or loses
 * its own events: it never stalls the pipeline or the other listeners. Listeners should still return
 * quickly and hand long work (speech, network) to their own executor.
 * <p>
 * The optional service property {@link #EVENT_TYPES} limits delivery to some event types.
 */
@ConsumerType
public interface VisionEventListener {

    /**
     * Service property: the {@link EventType#wireName() wire names} of the event types the listener wants
     * (String or String[]); absent means all.
     */
    String EVENT_TYPES = "event.types";

    /** Called once per event. */
    void onEvent(VisionEvent event);
}
