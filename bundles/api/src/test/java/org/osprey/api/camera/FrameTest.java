package org.osprey.api.camera;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.time.Instant;

import org.junit.Test;

public class FrameTest {

    @Test
    public void aPlanarFrameHandsOutEachPlaneReadOnlyWithItsStride() {
        // 5x3: chroma planes of 3x2, rows padded to 8 and 4 bytes as decoders do
        ByteBuffer y = ByteBuffer.allocate(8 * 3), u = ByteBuffer.allocate(4 * 2), v = ByteBuffer.allocate(4 * 2);
        v.put(0, (byte) 42);
        Frame f = Frame.planar("cam", 1, Instant.EPOCH, PixelFormat.I420, 5, 3, new int[] {8, 4, 4}, new ByteBuffer[] {y, u, v});
        assertEquals(3, f.format().planes());
        assertEquals(8, f.stride());
        assertEquals(4, f.stride(2));
        assertEquals(42, f.plane(2).get(0));
        assertTrue(f.plane(1).isReadOnly());
        assertEquals(f.plane(0).capacity(), f.data().capacity());
    }

    @Test
    public void planesThatDoNotFitTheFormatAreRefused() {
        ByteBuffer y = ByteBuffer.allocate(16 * 4), uv = ByteBuffer.allocate(16 * 2);
        // NV12's second plane interleaves U and V: 2 bytes for each of the 8 chroma columns
        Frame.planar("cam", 1, Instant.EPOCH, PixelFormat.NV12, 16, 4, new int[] {16, 16}, new ByteBuffer[] {y, uv});
        assertThrows(IllegalArgumentException.class,
                () -> Frame.planar("cam", 1, Instant.EPOCH, PixelFormat.NV12, 16, 4, new int[] {16, 8}, new ByteBuffer[] {y, uv}));
        assertThrows(IllegalArgumentException.class,
                () -> Frame.planar("cam", 1, Instant.EPOCH, PixelFormat.NV12, 16, 5, new int[] {16, 16}, new ByteBuffer[] {y, uv}));
        assertThrows(IllegalArgumentException.class,
                () -> Frame.planar("cam", 1, Instant.EPOCH, PixelFormat.I420, 16, 4, new int[] {16, 8}, new ByteBuffer[] {y, uv}));
        assertThrows(IllegalArgumentException.class,
                () -> Frame.raw("cam", 1, Instant.EPOCH, PixelFormat.I420, 16, 4, 16, y));
        assertThrows(IllegalArgumentException.class,
                () -> Frame.planar("cam", 1, Instant.EPOCH, PixelFormat.BGR24, 16, 4, new int[] {48}, new ByteBuffer[] {y}));
    }
}
