package org.osprey.inference.onnx.image;

import java.nio.ByteBuffer;

import org.osprey.api.camera.Frame;
import org.osprey.api.camera.PixelFormat;

/**
 * A video decoder's YUV 4:2:0 picture (I420 or NV12) sampled straight into RGB at the size a model or a
 * picture needs: resizing and colour conversion in one pass over the output pixels, so a 1080p frame is
 * never converted whole. Shrinking averages up to 4x4 luma samples spread over each output pixel's box
 * (2x2 of the half-resolution chroma): enough against aliasing, at a cost bounded by the output's size.
 * BT.601, limited range.
 */
public final class PlanarYuv {

    private static final int TAPS = 4;
    /** 65536 / n, rounded: sums of up to 16 samples are averaged with a multiply, not a division. */
    private static final int[] RECIPROCAL = new int[TAPS * TAPS + 1];

    static {
        for (int n = 1; n < RECIPROCAL.length; n++) {
            RECIPROCAL[n] = (65536 + n / 2) / n;
        }
    }

    private PlanarYuv() {
    }

    /** The frame at {@code width x height} (at most its own size), as RGB into the buffers' pixels. */
    public static Pixels toRgb(Frame frame, int width, int height, DecodeBuffers buffers) {
        PixelFormat format = frame.format();
        if (format != PixelFormat.I420 && format != PixelFormat.NV12) {
            throw new IllegalArgumentException("not a YUV 4:2:0 frame: " + format);
        }
        int sw = frame.width(), sh = frame.height();
        int w = Math.max(1, Math.min(width, sw)), h = Math.max(1, Math.min(height, sh));
        boolean nv12 = format == PixelFormat.NV12;
        ByteBuffer lumaPlane = frame.plane(0), uPlane = frame.plane(1), vPlane = nv12 ? null : frame.plane(2);
        int lumaStride = frame.stride(0), uStride = frame.stride(1), vStride = nv12 ? 0 : frame.stride(2);
        int chromaWidth = (sw + 1) / 2;

        // each output column's luma sample columns, and where its chroma samples sit in a chroma row
        int[] columnTaps = new int[w], lumaX = new int[w * TAPS], uX = new int[w * TAPS], vX = new int[w * TAPS];
        for (int x = 0; x < w; x++) {
            int xa = (int) ((long) x * sw / w), xb = Math.max(xa + 1, (int) ((long) (x + 1) * sw / w));
            int n = Math.min(TAPS, xb - xa);
            columnTaps[x] = n;
            for (int i = 0; i < n; i++) {
                int sx = xa + (2 * i + 1) * (xb - xa) / (2 * n);
                lumaX[x * TAPS + i] = sx;
                uX[x * TAPS + i] = nv12 ? (sx >> 1) * 2 : sx >> 1;
                vX[x * TAPS + i] = nv12 ? (sx >> 1) * 2 + 1 : sx >> 1;
            }
        }
        byte[][] lumaRows = new byte[TAPS][sw], uRows = new byte[TAPS][nv12 ? chromaWidth * 2 : chromaWidth];
        byte[][] vRows = nv12 ? uRows : new byte[TAPS][chromaWidth];
        byte[] row = new byte[w * 3];
        ByteBuffer out = buffers.pixels(w * h * 3);
        for (int y = 0; y < h; y++) {
            int ya = (int) ((long) y * sh / h), yb = Math.max(ya + 1, (int) ((long) (y + 1) * sh / h));
            int rows = Math.min(TAPS, yb - ya);
            for (int j = 0; j < rows; j++) {
                int sy = ya + (2 * j + 1) * (yb - ya) / (2 * rows);
                lumaPlane.get(sy * lumaStride, lumaRows[j], 0, sw);
                uPlane.get((sy >> 1) * uStride, uRows[j], 0, uRows[j].length);
                if (!nv12) {
                    vPlane.get((sy >> 1) * vStride, vRows[j], 0, chromaWidth);
                }
            }
            for (int x = 0, o = 0; x < w; x++, o += 3) {
                int columns = columnTaps[x], base = x * TAPS;
                int ySum = 0, uSum = 0, vSum = 0, chromaSamples = 0;
                if (columns == TAPS && rows == TAPS) {
                    // the common case (a camera frame shrunk 4x or more), unrolled
                    int a = lumaX[base], b = lumaX[base + 1], c = lumaX[base + 2], d = lumaX[base + 3];
                    for (int j = 0; j < TAPS; j++) {
                        byte[] l = lumaRows[j];
                        ySum += (l[a] & 0xFF) + (l[b] & 0xFF) + (l[c] & 0xFF) + (l[d] & 0xFF);
                    }
                    int ua = uX[base], ub = uX[base + 2], va = vX[base], vb = vX[base + 2];
                    byte[] u0 = uRows[0], u2 = uRows[2], v0 = vRows[0], v2 = vRows[2];
                    uSum = (u0[ua] & 0xFF) + (u0[ub] & 0xFF) + (u2[ua] & 0xFF) + (u2[ub] & 0xFF);
                    vSum = (v0[va] & 0xFF) + (v0[vb] & 0xFF) + (v2[va] & 0xFF) + (v2[vb] & 0xFF);
                    chromaSamples = 4;
                } else {
                    for (int j = 0; j < rows; j++) {
                        byte[] l = lumaRows[j];
                        for (int i = base, end = base + columns; i < end; i++) {
                            ySum += l[lumaX[i]] & 0xFF;
                        }
                    }
                    for (int j = 0; j < rows; j += chromaStep(rows)) {
                        byte[] u = uRows[j], v = vRows[j];
                        for (int i = base, end = base + columns; i < end; i += chromaStep(columns)) {
                            uSum += u[uX[i]] & 0xFF;
                            vSum += v[vX[i]] & 0xFF;
                            chromaSamples++;
                        }
                    }
                }
                int luma = average(ySum, rows * columns) - 16, blue = average(uSum, chromaSamples) - 128, red = average(vSum, chromaSamples) - 128;
                row[o] = clamp((298 * luma + 409 * red + 128) >> 8);
                row[o + 1] = clamp((298 * luma - 100 * blue - 208 * red + 128) >> 8);
                row[o + 2] = clamp((298 * luma + 516 * blue + 128) >> 8);
            }
            out.put(y * w * 3, row);
        }
        return new Pixels(out, w, h, w * 3, ChannelOrder.RGB, sw, sh);
    }

    /** Chroma has half the resolution: every other tap of an axis that has 4 is enough. */
    private static int chromaStep(int taps) {
        return taps == TAPS ? 2 : 1;
    }

    private static int average(int sum, int samples) {
        return (sum * RECIPROCAL[samples] + (1 << 15)) >> 16;
    }

    private static byte clamp(int v) {
        return (byte) (v < 0 ? 0 : v > 255 ? 255 : v);
    }
}
