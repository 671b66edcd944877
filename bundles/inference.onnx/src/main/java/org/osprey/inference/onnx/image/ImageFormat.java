package org.osprey.inference.onnx.image;

import java.nio.ByteBuffer;
import java.util.Optional;

/** Encoded image formats Osprey accepts, recognised by their first bytes rather than a content type. */
public enum ImageFormat {
    JPEG,
    PNG,
    BMP;

    public static Optional<ImageFormat> sniff(ByteBuffer bytes) {
        int p = bytes.position();
        int n = bytes.remaining();
        if (n >= 3 && u(bytes, p) == 0xFF && u(bytes, p + 1) == 0xD8 && u(bytes, p + 2) == 0xFF) {
            return Optional.of(JPEG);
        }
        if (n >= 8 && u(bytes, p) == 0x89 && u(bytes, p + 1) == 'P' && u(bytes, p + 2) == 'N' && u(bytes, p + 3) == 'G') {
            return Optional.of(PNG);
        }
        if (n >= 2 && u(bytes, p) == 'B' && u(bytes, p + 1) == 'M') {
            return Optional.of(BMP);
        }
        return Optional.empty();
    }

    private static int u(ByteBuffer b, int i) {
        return b.get(i) & 0xFF;
    }
}
