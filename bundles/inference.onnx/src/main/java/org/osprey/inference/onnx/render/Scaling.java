package org.osprey.inference.onnx.render;

import java.nio.ByteBuffer;

import org.osprey.inference.onnx.image.ChannelOrder;
import org.osprey.inference.onnx.image.Pixels;

/** Resizes decoded pixels into a packed BGR picture, bilinear (the JPEG decode already shrank by up to 8). */
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
        double fx = (double) sw / width, fy = (double) sh / height;
        for (int y = 0; y < height; y++) {
            double sy = Math.max(0, (y + 0.5) * fy - 0.5);
            int y0 = Math.min((int) sy, sh - 1), y1 = Math.min(y0 + 1, sh - 1);
            int wy = (int) ((sy - y0) * 256);
            int row = y * width * 3;
            for (int x = 0; x < width; x++) {
                double sx = Math.max(0, (x + 0.5) * fx - 0.5);
                int x0 = Math.min((int) sx, sw - 1), x1 = Math.min(x0 + 1, sw - 1);
                int wx = (int) ((sx - x0) * 256);
                int o = row + x * 3;
                if (channels == 1) {
                    int v = sample(data, y0 * stride + x0, y0 * stride + x1, y1 * stride + x0, y1 * stride + x1, wx, wy);
                    out[o] = out[o + 1] = out[o + 2] = (byte) v;
                } else {
                    int p00 = y0 * stride + x0 * 3, p01 = y0 * stride + x1 * 3, p10 = y1 * stride + x0 * 3, p11 = y1 * stride + x1 * 3;
                    out[o] = (byte) sample(data, p00 + b, p01 + b, p10 + b, p11 + b, wx, wy);
                    out[o + 1] = (byte) sample(data, p00 + 1, p01 + 1, p10 + 1, p11 + 1, wx, wy);
                    out[o + 2] = (byte) sample(data, p00 + r, p01 + r, p10 + r, p11 + r, wx, wy);
                }
            }
        }
    }

    private static int sample(ByteBuffer d, int i00, int i01, int i10, int i11, int wx, int wy) {
        int top = (d.get(i00) & 0xFF) * (256 - wx) + (d.get(i01) & 0xFF) * wx;
        int bottom = (d.get(i10) & 0xFF) * (256 - wx) + (d.get(i11) & 0xFF) * wx;
        return (top * (256 - wy) + bottom * wy + (1 << 15)) >> 16;
    }
}
