package org.osprey.api.event;

import java.util.Locale;

/** What kind of change a {@link VisionEvent} reports. */
public enum EventType {
    /** A label started to be seen (after debounce). */
    APPEARED,
    /** A label is no longer seen (after debounce). */
    LEFT,
    /** A zone that was empty of a label now holds at least one. */
    ZONE_OCCUPIED,
    /** A zone that held a label is now empty of it. */
    ZONE_FREED,
    /** The number of objects of a label in a zone changed. */
    COUNT_CHANGED;

    /** @return the name used in JSON, topics and message properties, e.g. {@code zone_freed} */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
