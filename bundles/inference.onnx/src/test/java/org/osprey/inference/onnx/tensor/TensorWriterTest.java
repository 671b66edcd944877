package org.osprey.inference.onnx.tensor;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;

import org.junit.Test;
import org.osprey.api.vision.BoundingBox;
import org.osprey.inference.onnx.image.ChannelOrder;
import org.osprey.inference.onnx.image.Pixels;

public class TensorWriterTest {

    private static final float[] ZERO = {0, 0, 0};
    private static final float[] ONE = {1, 1, 1};

    /** A BGR image whose pixel (x, y) is (b, g, r) = (10x + y, 100, 200). */
    private static Pixels bgr(int w, int h) {
        byte[] d = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = (y * w + x) * 3;
                d[i] = (byte) (10 * x + y);
                d[i + 1] = 100;
                d[i + 2] = (byte) 200;
            }
        }
        return new Pixels(ByteBuffer.wrap(d), w, h, w * 3, ChannelOrder.BGR, w, h);
    }

    private static float[] write(Pixels p, InputSpec spec) {
        FloatBuffer out = FloatBuffer.allocate(spec.elements());
        new TensorWriter().write(p, spec, out);
        float[] f = new float[spec.elements()];
        out.get(0, f);
        return f;
    }

    @Test
    public void shrinkAveragesEachBoxAndSwapsToRgbPlanes() {
        // 4x2 -> 2x1: each output pixel averages a 2x2 box
        InputSpec spec = new InputSpec(2, 1, Layout.NCHW, ChannelOrder.RGB, 1f, ZERO, ONE, false, 0);
        float[] t = write(bgr(4, 2), spec);
        // R plane, G plane, B plane; B of the left box = avg(0, 1, 10, 11) = 5.5 -> 6 (rounded)
        assertArrayEquals(new float[] {200, 200, 100, 100, 6, 26}, t, 0f);
    }

    @Test
    public void pixelsAlreadyAtTheInputsSizeAreTakenOneForOne() {
        // 3x2 into a 3x2 input (a frame sampled to the model's size): each pixel as it is, in RGB planes
        InputSpec spec = new InputSpec(3, 2, Layout.NCHW, ChannelOrder.RGB, 1f, ZERO, ONE, false, 0);
        float[] t = write(bgr(3, 2), spec);
        assertArrayEquals(new float[] {200, 200, 200, 200, 200, 200, 100, 100, 100, 100, 100, 100, 0, 10, 20, 1, 11, 21}, t, 0f);
        // grey from a colour source, and letterboxed content of the same size
        InputSpec grey = new InputSpec(3, 4, Layout.NCHW, ChannelOrder.GRAY, 1f, new float[] {0}, new float[] {1}, true, 7);
        float[] g = write(bgr(3, 2), grey);
        assertEquals(7, g[0], 0f);
        assertEquals(Math.round(0.299 * 200 + 0.587 * 100 + 0.114 * 0), g[3], 1f);
        assertEquals(Math.round(0.299 * 200 + 0.587 * 100 + 0.114 * 21), g[8], 1f);
    }

    @Test
    public void nhwcKeepsChannelsTogetherAndNormalises() {
        InputSpec spec = new InputSpec(2, 1, Layout.NHWC, ChannelOrder.BGR, 1 / 127.5f, ONE, ONE, false, 0);
        float[] t = write(bgr(4, 2), spec);
        assertEquals(6 / 127.5f - 1, t[0], 1e-6);
        assertEquals(100 / 127.5f - 1, t[1], 1e-6);
        assertEquals(200 / 127.5f - 1, t[2], 1e-6);
        assertEquals(26 / 127.5f - 1, t[3], 1e-6);
    }

    @Test
    public void letterboxPadsAboveAndBelowAndMapsBoxesBack() {
        InputSpec spec = new InputSpec(4, 4, Layout.NCHW, ChannelOrder.GRAY, 1f, new float[] {0}, new float[] {1}, true, 7);
        byte[] gray = new byte[8];
        java.util.Arrays.fill(gray, (byte) 50);
        Pixels p = new Pixels(ByteBuffer.wrap(gray), 4, 2, 4, ChannelOrder.GRAY, 4, 2);
        FloatBuffer out = FloatBuffer.allocate(16);
        Geometry g = new TensorWriter().write(p, spec, out);
        float[] t = new float[16];
        out.get(0, t);
        assertArrayEquals(new float[] {7, 7, 7, 7, 50, 50, 50, 50, 50, 50, 50, 50, 7, 7, 7, 7}, t, 0f);
        // the content is rows 1-2 of the tensor: the tensor's middle half is the whole picture
        BoundingBox whole = g.toImage(0, 0.25, 1, 0.75);
        assertEquals(0, whole.top(), 1e-9);
        assertEquals(1, whole.height(), 1e-9);
        assertEquals(BoundingBox.of(0, 0, 1, 1), g.toImage(0, 0, 1, 1));
    }

    @Test
    public void greyModelsSeeLumaOfColourPictures() {
        InputSpec spec = new InputSpec(1, 1, Layout.NCHW, ChannelOrder.GRAY, 1f, new float[] {0}, new float[] {1}, false, 0);
        byte[] rgb = {(byte) 255, 0, 0};
        float[] t = write(new Pixels(ByteBuffer.wrap(rgb), 1, 1, 3, ChannelOrder.RGB, 1, 1), spec);
        assertEquals(76, t[0], 0f);
    }

    @Test
    public void enlargingInterpolates() {
        InputSpec spec = new InputSpec(4, 1, Layout.NHWC, ChannelOrder.GRAY, 1f, new float[] {0}, new float[] {1}, false, 0);
        byte[] two = {0, (byte) 200};
        float[] t = write(new Pixels(ByteBuffer.wrap(two), 2, 1, 2, ChannelOrder.GRAY, 2, 1), spec);
        assertArrayEquals(new float[] {0, 50, 150, 200}, t, 0f);
    }

    @Test
    public void honoursStrideOfRawFrames() {
        InputSpec spec = new InputSpec(1, 2, Layout.NHWC, ChannelOrder.GRAY, 1f, new float[] {0}, new float[] {1}, false, 0);
        byte[] padded = {10, 99, 99, 20, 99, 99};
        float[] t = write(new Pixels(ByteBuffer.wrap(padded), 1, 2, 3, ChannelOrder.GRAY, 1, 2), spec);
        assertArrayEquals(new float[] {10, 20}, t, 0f);
    }
}
