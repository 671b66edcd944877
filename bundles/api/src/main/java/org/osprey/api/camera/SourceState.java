package org.osprey.api.camera;

/** The life cycle of a {@link FrameSource}. */
public enum SourceState {
    /** Opening the device, stream or folder for the first time. */
    STARTING,
    /** Delivering frames. */
    STREAMING,
    /** The device or stream was lost; the source retries with back-off. */
    RECONNECTING,
    /**
     * Open, but no new frame for longer than the source allows (a camera or relay whose publisher died
     * keeps the session open and sends nothing); the source closes it and opens it again.
     *
     * @since 1.1
     */
    STALLED,
    /** A finite source (a video played once) has delivered its last frame. */
    ENDED,
    /** The source cannot work as configured (bad URL, missing folder); it will not retry on its own. */
    FAILED
}
