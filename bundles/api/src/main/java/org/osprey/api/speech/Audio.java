package org.osprey.api.speech;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A complete audio clip in a container format (a RIFF WAV file), immutable. Like a frame, it owns its
 * buffer and hands out read-only views, so a cached clip is played many times without copying.
 */
public final class Audio {

    /** MIME type of a WAV file. */
    public static final String WAV = "audio/wav";

    private final String mimeType;
    private final ByteBuffer bytes;

    /**
     * @param mimeType the container's MIME type, e.g. {@link #WAV}
     * @param bytes    the whole file; owned by this object from now on
     */
    public Audio(String mimeType, ByteBuffer bytes) {
        this.mimeType = Objects.requireNonNull(mimeType, "mimeType");
        if (!bytes.hasRemaining()) {
            throw new IllegalArgumentException("audio must not be empty");
        }
        this.bytes = bytes.asReadOnlyBuffer();
    }

    public String mimeType() {
        return mimeType;
    }

    /** @return a new read-only view of the whole file */
    public ByteBuffer bytes() {
        return bytes.duplicate();
    }

    /** @return the file's size in bytes */
    public int size() {
        return bytes.remaining();
    }
}
