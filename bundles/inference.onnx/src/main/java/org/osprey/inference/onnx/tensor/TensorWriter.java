package org.osprey.inference.onnx.tensor;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;

import org.osprey.inference.onnx.image.ChannelOrder;
import org.osprey.inference.onnx.image.Pixels;

/**
 * Resize, channel order, normalisation and layout in one pass, from decoded pixels into the input
 * tensor's buffer. Shrinking averages the source pixels each input pixel covers (an area filter, so
 * small models do not see aliasing); enlarging interpolates bilinearly. One writer per thread: it
 * keeps scratch arrays (the pixels copied out of native memory, the tensor built before one bulk
 * copy) that only grow, so the hot loop works on plain arrays and a request allocates nothing large.
 */
public final class TensorWriter {

    private byte[] pixels = new byte[0];
    private float[] tensor = new float[0];

    public Geometry write(Pixels src, InputSpec spec, FloatBuffer dst) {
        if (dst.capacity() < spec.elements()) {
            throw new IllegalArgumentException("tensor buffer holds " + dst.capacity() + " floats, needs " + spec.elements());
        }
        Geometry g = fill(src, spec);
        dst.put(0, tensor, 0, spec.elements());
        return g;
    }

    /** For 8-bit inputs: the levels, resized and in the model's layout and channel order. */
    public Geometry write(Pixels src, InputSpec spec, ByteBuffer dst) {
        if (dst.capacity() < spec.elements()) {
            throw new IllegalArgumentException("tensor buffer holds " + dst.capacity() + " bytes, needs " + spec.elements());
        }
        Geometry g = fill(src, spec);
        float[] t = tensor;
        for (int i = 0, n = spec.elements(); i < n; i++) {
            dst.put(i, (byte) Math.round(t[i]));
        }
        return g;
    }

    /** The normalised tensor into the scratch array {@link #tensor}. */
    private Geometry fill(Pixels src, InputSpec spec) {
        int tw = spec.width(), th = spec.height();
        Geometry g = spec.letterbox() ? Geometry.letterboxed(tw, th, src.width(), src.height()) : Geometry.stretched(tw, th, src.width(), src.height());
        int x0 = (int) Math.round(g.contentLeft()), y0 = (int) Math.round(g.contentTop());
        int cw = Math.max(1, Math.min(tw - x0, (int) Math.round(g.contentWidth())));
        int ch = Math.max(1, Math.min(th - y0, (int) Math.round(g.contentHeight())));
        int[] map = channelMap(src.order(), spec.order());
        int channels = spec.channels();
        float[][] lut = new float[channels][];
        for (int c = 0; c < channels; c++) {
            lut[c] = spec.table(c);
        }
        int plane = tw * th;
        boolean nchw = spec.layout() == Layout.NCHW;
        int bpp = src.order().channels(), stride = src.stride();
        int size = stride * (src.height() - 1) + src.width() * bpp;
        if (pixels.length < size) {
            pixels = new byte[size];
        }
        if (tensor.length < spec.elements()) {
            tensor = new float[spec.elements()];
        }
        byte[] data = pixels;
        float[] out = tensor;
        src.data().get(0, data, 0, size);
        fillPadding(out, spec, x0, y0, cw, ch, nchw);

        boolean shrinkX = src.width() >= cw, shrinkY = src.height() >= ch, sameSize = src.width() == cw && src.height() == ch;
        int[] xs = new int[cw + 1], ys = new int[ch + 1];
        for (int x = 0; x <= cw; x++) {
            xs[x] = (int) ((long) x * src.width() / cw);
        }
        for (int y = 0; y <= ch; y++) {
            ys[y] = (int) ((long) y * src.height() / ch);
        }
        int[] sum = new int[4];
        boolean lumaNeeded = spec.order() == ChannelOrder.GRAY && src.order() != ChannelOrder.GRAY;
        int red = src.order() == ChannelOrder.BGR ? 2 : 0;
        for (int y = 0; y < ch; y++) {
            int ty = y0 + y;
            for (int x = 0; x < cw; x++) {
                int tx = x0 + x;
                if (sameSize) {
                    // already at the content's size (a YUV frame sampled to it, a JPEG that shrank to fit): read as is
                    int i = y * stride + x * bpp;
                    sum[0] = data[i] & 0xFF;
                    sum[1] = bpp == 3 ? data[i + 1] & 0xFF : sum[0];
                    sum[2] = bpp == 3 ? data[i + 2] & 0xFF : sum[0];
                } else if (shrinkX && shrinkY) {
                    average(data, stride, bpp, xs[x], Math.max(xs[x] + 1, xs[x + 1]), ys[y], Math.max(ys[y] + 1, ys[y + 1]), sum);
                } else {
                    bilinear(data, stride, bpp, src.width(), src.height(), (x + 0.5) * src.width() / cw - 0.5,
                            (y + 0.5) * src.height() / ch - 0.5, sum);
                }
                if (lumaNeeded) {
                    sum[3] = (299 * sum[red] + 587 * sum[1] + 114 * sum[2 - red] + 500) / 1000;
                }
                for (int c = 0; c < channels; c++) {
                    float v = lut[c][sum[map[c]]];
                    out[nchw ? c * plane + ty * tw + tx : (ty * tw + tx) * channels + c] = v;
                }
            }
        }
        return g;
    }

    /** For each model channel, the source channel it reads. */
    private static int[] channelMap(ChannelOrder src, ChannelOrder model) {
        if (model == ChannelOrder.GRAY) {
            return new int[] {src == ChannelOrder.GRAY ? 0 : 3};
        }
        if (src == ChannelOrder.GRAY) {
            return new int[] {0, 0, 0};
        }
        return src == model ? new int[] {0, 1, 2} : new int[] {2, 1, 0};
    }

    /** out[0..2] = average of each source channel over the box (a grey source fills all three). */
    private static void average(byte[] d, int stride, int bpp, int xa, int xb, int ya, int yb, int[] out) {
        int r0 = 0, r1 = 0, r2 = 0;
        for (int y = ya; y < yb; y++) {
            int row = y * stride;
            if (bpp == 3) {
                for (int i = row + xa * 3, end = row + xb * 3; i < end; i += 3) {
                    r0 += d[i] & 0xFF;
                    r1 += d[i + 1] & 0xFF;
                    r2 += d[i + 2] & 0xFF;
                }
            } else {
                for (int i = row + xa, end = row + xb; i < end; i++) {
                    r0 += d[i] & 0xFF;
                }
            }
        }
        int n = (xb - xa) * (yb - ya), half = n >> 1;
        store(out, bpp, (r0 + half) / n, (r1 + half) / n, (r2 + half) / n);
    }

    private static void bilinear(byte[] d, int stride, int bpp, int w, int h, double fx, double fy, int[] out) {
        fx = Math.max(0, Math.min(w - 1, fx));
        fy = Math.max(0, Math.min(h - 1, fy));
        int xa = (int) fx, ya = (int) fy, xb = Math.min(w - 1, xa + 1), yb = Math.min(h - 1, ya + 1);
        double ax = fx - xa, ay = fy - ya;
        for (int c = 0; c < bpp; c++) {
            double top = (d[ya * stride + xa * bpp + c] & 0xFF) * (1 - ax) + (d[ya * stride + xb * bpp + c] & 0xFF) * ax;
            double bottom = (d[yb * stride + xa * bpp + c] & 0xFF) * (1 - ax) + (d[yb * stride + xb * bpp + c] & 0xFF) * ax;
            out[c] = (int) Math.round(top * (1 - ay) + bottom * ay);
        }
        if (bpp == 1) {
            out[1] = out[0];
            out[2] = out[0];
        }
    }

    private static void store(int[] out, int bpp, int a, int b, int c) {
        if (bpp == 1) {
            out[0] = a;
            out[1] = a;
            out[2] = a;
        } else {
            out[0] = a;
            out[1] = b;
            out[2] = c;
        }
    }

    private static void fillPadding(float[] dst, InputSpec spec, int x0, int y0, int cw, int ch, boolean nchw) {
        int tw = spec.width(), th = spec.height(), channels = spec.channels(), plane = tw * th;
        if (x0 == 0 && y0 == 0 && cw == tw && ch == th) {
            return;
        }
        for (int c = 0; c < channels; c++) {
            float pad = spec.normalised(c, spec.padValue());
            for (int y = 0; y < th; y++) {
                boolean rowInside = y >= y0 && y < y0 + ch;
                for (int x = 0; x < tw; x++) {
                    if (rowInside && x >= x0 && x < x0 + cw) {
                        x = x0 + cw - 1;
                        continue;
                    }
                    dst[nchw ? c * plane + y * tw + x : (y * tw + x) * channels + c] = pad;
                }
            }
        }
    }
}
