package org.osprey.inference.onnx.tensor;

import java.util.Objects;

import org.osprey.inference.onnx.image.ChannelOrder;

/**
 * How pixels become the model's input tensor: size, layout, channel order, normalisation
 * ({@code (value * scale - mean[c]) / std[c]}, c in the model's channel order) and resize mode.
 */
public final class InputSpec {

    private final int width;
    private final int height;
    private final Layout layout;
    private final ChannelOrder order;
    private final boolean letterbox;
    private final int padValue;
    private final boolean uint8;
    /** Normalised value of each 8-bit level, per model channel: the hot loop is a table lookup. */
    private final float[][] lut;

    public InputSpec(int width, int height, Layout layout, ChannelOrder order, float scale, float[] mean,
            float[] std, boolean letterbox, int padValue) {
        this(width, height, layout, order, scale, mean, std, letterbox, padValue, false);
    }

    /** @param uint8 the model takes 8-bit levels as they are (TensorFlow exports); scale, mean and std must be 1, 0, 1 */
    public InputSpec(int width, int height, Layout layout, ChannelOrder order, float scale, float[] mean,
            float[] std, boolean letterbox, int padValue, boolean uint8) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("input size must be positive, was " + width + "x" + height);
        }
        if (order == ChannelOrder.GRAY && (mean.length != 1 || std.length != 1)
                || order != ChannelOrder.GRAY && (mean.length != 3 || std.length != 3)) {
            throw new IllegalArgumentException("mean and std need one value per channel (" + order.channels() + ")");
        }
        if (padValue < 0 || padValue > 255) {
            throw new IllegalArgumentException("pad value must be 0..255, was " + padValue);
        }
        this.width = width;
        this.height = height;
        this.layout = Objects.requireNonNull(layout);
        this.order = Objects.requireNonNull(order);
        this.letterbox = letterbox;
        this.padValue = padValue;
        this.uint8 = uint8;
        if (uint8) {
            // 8-bit inputs take the levels as they are
            scale = 1f;
            mean = new float[order.channels()];
            std = new float[order.channels()];
            java.util.Arrays.fill(std, 1f);
        }
        this.lut = new float[order.channels()][256];
        for (int c = 0; c < order.channels(); c++) {
            if (std[c] == 0f) {
                throw new IllegalArgumentException("std must not be 0");
            }
            for (int v = 0; v < 256; v++) {
                lut[c][v] = (v * scale - mean[c]) / std[c];
            }
        }
    }

    /** Whether the input tensor holds 8-bit levels instead of floats. */
    public boolean uint8() {
        return uint8;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public Layout layout() {
        return layout;
    }

    public ChannelOrder order() {
        return order;
    }

    public boolean letterbox() {
        return letterbox;
    }

    public int channels() {
        return order.channels();
    }

    public int elements() {
        return width * height * order.channels();
    }

    public long[] shape() {
        return layout == Layout.NCHW ? new long[] {1, channels(), height, width} : new long[] {1, height, width, channels()};
    }

    float normalised(int channel, int level) {
        return lut[channel][level];
    }

    float[] table(int channel) {
        return lut[channel];
    }

    int padValue() {
        return padValue;
    }
}
