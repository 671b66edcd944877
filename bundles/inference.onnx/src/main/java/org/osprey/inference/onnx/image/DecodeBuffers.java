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
        int n = source.remaining();
        ByteBuffer b = encoded;
        if (b.capacity() < n) {
            b = ByteBuffer.allocateDirect(n <= KEEP_ENCODED ? Math.min(grow(n), KEEP_ENCODED) : n);
            if (n <= KEEP_ENCODED) {
                encoded = b;
            }
        }
        b.clear();
        b.put(source.duplicate());
        b.flip();
        return b;
    }

    ByteBuffer pixels(int size) {
        ByteBuffer b = pixels;
        if (b.capacity() < size) {
            b = ByteBuffer.allocateDirect(size <= KEEP_PIXELS ? Math.min(grow(size), KEEP_PIXELS) : size);
            if (size <= KEEP_PIXELS) {
                pixels = b;
            }
        }
        b.clear();
        b.limit(size);
        return b;
    }

    /** Bytes held for reuse. */
    public long retained() {
        return (long) encoded.capacity() + pixels.capacity();
    }

    private static int grow(int n) {
        return n + (n >> 2);
    }
}
