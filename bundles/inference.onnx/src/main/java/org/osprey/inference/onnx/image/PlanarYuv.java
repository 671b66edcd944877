package org.osprey.inference.onnx.image;

import java.nio.ByteBuffer;

import org.osprey.api.camera.Frame;
import org.osprey.api.camera.PixelFormat;

/**
 * A video decoder's YUV 4:2:0 picture (I420 or NV12) sampled straight into RGB at the size a model or a
 * picture needs: resizing and colour conversion in one pass over the output pixels, so a 1080p frame is
 * never converted whole. Shrinking averages up to 4x4 samples spread over each output pixel's box (enough
 * against aliasing at a cost bounded by the output's size); BT.601, limited range.
 */
public final class PlanarYuv {

    private static final int TAPS = 4;

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
                int ySum = 0, uSum = 0, vSum = 0;
                for (int j = 0; j < rows; j++) {
                    byte[] l = lumaRows[j], u = uRows[j], v = vRows[j];
                    for (int i = base, end = base + columns; i < end; i++) {
                        ySum += l[lumaX[i]] & 0xFF;
                        uSum += u[uX[i]] & 0xFF;
                        vSum += v[vX[i]] & 0xFF;
                    }
                }
                int n = rows * columns, half = n >> 1;
                int c = (ySum + half) / n - 16, d = (uSum + half) / n - 128, e = (vSum + half) / n - 128;
                row[o] = clamp((298 * c + 409 * e + 128) >> 8);
                row[o + 1] = clamp((298 * c - 100 * d - 208 * e + 128) >> 8);
                row[o + 2] = clamp((298 * c + 516 * d + 128) >> 8);
            }
            out.put(y * w * 3, row);
        }
        return new Pixels(out, w, h, w * 3, ChannelOrder.RGB, sw, sh);
    }

    private static byte clamp(int v) {
        return (byte) (v < 0 ? 0 : v > 255 ? 255 : v);
    }
}
