package org.osprey.inference.onnx.image;

import java.nio.ByteBuffer;

/**
 * Direct buffers a decode writes into, owned by one thread at a time and reused from request to
 * request; they only grow.
 */
public final class DecodeBuffers {

    private ByteBuffer encoded = ByteBuffer.allocateDirect(0);
    private ByteBuffer pixels = ByteBuffer.allocateDirect(0);

    /** The encoded bytes, copied into a direct buffer native code can read in place. */
    ByteBuffer encodedCopy(ByteBuffer source) {
        int n = source.remaining();
        if (encoded.capacity() < n) {
            encoded = ByteBuffer.allocateDirect(grow(n));
        }
        encoded.clear();
        encoded.put(source.duplicate());
        encoded.flip();
        return encoded;
    }

    ByteBuffer pixels(int size) {
        if (pixels.capacity() < size) {
            pixels = ByteBuffer.allocateDirect(grow(size));
        }
        pixels.clear();
        pixels.limit(size);
        return pixels;
    }

    private static int grow(int n) {
        return n + (n >> 2);
    }
}
