package org.osprey.inference.onnx.image;

import java.nio.ByteBuffer;

/**
 * Direct buffers a decode writes into, owned by one thread at a time and reused from request to request
 * up to {@link #KEEP_ENCODED} and {@link #KEEP_PIXELS} bytes: a larger image gets buffers of its own that
 * are dropped after it (the garbage collector gives their memory back), so one huge image does not leave
 * its size behind in every pooled workspace.
 */
public final class DecodeBuffers {

    /** Encoded bytes kept for reuse: a large camera JPEG. */
    public static final int KEEP_ENCODED = 1 << 20;
    /** Decoded pixels kept for reuse: 1280x1024 RGB, more than any scaled decode for a model needs. */
    public static final int KEEP_PIXELS = 4 << 20;

    private ByteBuffer encoded = ByteBuffer.allocateDirect(0);
    private ByteBuffer pixels = ByteBuffer.allocateDirect(0);

    /** The encoded bytes, copied into a direct buffer native code can read in place. */
    ByteBuffer encodedCopy(ByteBuffer source) {
        ByteBuffer b = sized(encoded, source.remaining(), KEEP_ENCODED);
        if (b.capacity() <= KEEP_ENCODED) {
            encoded = b;
        }
        b.clear();
        b.put(source.duplicate());
        b.flip();
        return b;
    }

    ByteBuffer pixels(int size) {
        ByteBuffer b = sized(pixels, size, KEEP_PIXELS);
        if (b.capacity() <= KEEP_PIXELS) {
            pixels = b;
        }
        b.clear();
        b.limit(size);
        return b;
    }

    /** The kept buffer when it is large enough, else a new one: with room to grow when it will be kept, exact when not. */
    private static ByteBuffer sized(ByteBuffer kept, int size, int keep) {
        if (kept.capacity() >= size) {
            return kept;
        }
        return ByteBuffer.allocateDirect(size <= keep ? Math.min(size + (size >> 2), keep) : size);
    }

    /** Bytes held for reuse. */
    public long retained() {
        return (long) encoded.capacity() + pixels.capacity();
    }

}
