package org.osprey.camera.files;

import java.nio.ByteBuffer;
import java.time.Instant;

import org.osprey.api.camera.Frame;
import org.osprey.api.camera.PixelFormat;

/** Colour bars that move one bar per frame, as raw BGR: for checking a pipeline without any picture. */
final class TestPattern {

    private static final int[][] BARS = {{255, 255, 255}, {0, 255, 255}, {255, 255, 0}, {0, 255, 0}, {255, 0, 255}, {0, 0, 255}, {255, 0, 0}, {0, 0, 0}};

    private final int width;
    private final int height;

    TestPattern(int width, int height) {
        this.width = width;
        this.height = height;
    }

    Frame frame(String cameraId, long sequence) {
        byte[] pixels = new byte[width * height * 3];
        int bar = width / BARS.length;
        for (int x = 0; x < width; x++) {
            int[] bgr = BARS[(int) ((x / bar + sequence) % BARS.length)];
            for (int y = 0; y < height; y++) {
                int i = (y * width + x) * 3;
                pixels[i] = (byte) bgr[0];
                pixels[i + 1] = (byte) bgr[1];
                pixels[i + 2] = (byte) bgr[2];
            }
        }
        return Frame.raw(cameraId, sequence, Instant.now(), PixelFormat.BGR24, width, height, width * 3, ByteBuffer.wrap(pixels));
    }
}
