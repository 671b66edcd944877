package org.osprey.inference.onnx.render;

import java.nio.ByteBuffer;

import org.osprey.inference.onnx.image.ChannelOrder;
import org.osprey.inference.onnx.image.Pixels;

/**
 * Resizes decoded pixels into a packed BGR picture, bilinear (a JPEG's decode has already shrunk it by up
 * to 8): the source's rows are read in bulk, the columns' offsets and weights worked out once.
 */
final class Scaling {

    private Scaling() {
    }

    static void toBgr(Pixels src, byte[] out, int width, int height) {
        ByteBuffer data = src.data();
        int channels = src.order().channels();
        int stride = src.stride();
        int sw = src.width(), sh = src.height();
        // BGR output from RGB input swaps the first and last channel; grey fills all three
        int b = src.order() == ChannelOrder.RGB ? 2 : 0, r = src.order() == ChannelOrder.RGB ? 0 : 2;
        int[] left = new int[width], right = new int[width], wx = new int[width];
        double fx = (double) sw / width, fy = (double) sh / height;
        for (int x = 0; x < width; x++) {
            double sx = Math.max(0, (x + 0.5) * fx - 0.5);
            int x0 = Math.min((int) sx, sw - 1);
            left[x] = x0 * channels;
            right[x] = Math.min(x0 + 1, sw - 1) * channels;
            wx[x] = (int) ((sx - x0) * 256);
        }
        byte[] top = new byte[sw * channels], bottom = new byte[sw * channels];
        int loadedTop = -1, loadedBottom = -1;
        for (int y = 0; y < height; y++) {
            double sy = Math.max(0, (y + 0.5) * fy - 0.5);
            int y0 = Math.min((int) sy, sh - 1), y1 = Math.min(y0 + 1, sh - 1);
            int wy = (int) ((sy - y0) * 256);
            if (y0 != loadedTop) {
                if (y0 == loadedBottom) {
                    byte[] t = top;
                    top = bottom;
                    bottom = t;
                    loadedBottom = -1;
                } else {
                    data.get(y0 * stride, top, 0, top.length);
                }
                loadedTop = y0;
            }
            if (y1 != loadedBottom) {
                data.get(y1 * stride, bottom, 0, bottom.length);
                loadedBottom = y1;
            }
            int o = y * width * 3;
            for (int x = 0; x < width; x++, o += 3) {
                int l = left[x], rr = right[x], w = wx[x];
                if (channels == 1) {
                    byte v = (byte) mix(top[l], top[rr], bottom[l], bottom[rr], w, wy);
                    out[o] = v;
                    out[o + 1] = v;
                    out[o + 2] = v;
                } else {
                    out[o] = (byte) mix(top[l + b], top[rr + b], bottom[l + b], bottom[rr + b], w, wy);
                    out[o + 1] = (byte) mix(top[l + 1], top[rr + 1], bottom[l + 1], bottom[rr + 1], w, wy);
                    out[o + 2] = (byte) mix(top[l + r], top[rr + r], bottom[l + r], bottom[rr + r], w, wy);
                }
            }
        }
    }

    private static int mix(byte p00, byte p01, byte p10, byte p11, int wx, int wy) {
        int upper = (p00 & 0xFF) * (256 - wx) + (p01 & 0xFF) * wx;
        int lower = (p10 & 0xFF) * (256 - wx) + (p11 & 0xFF) * wx;
        return (upper * (256 - wy) + lower * wy + (1 << 15)) >> 16;
    }
}
