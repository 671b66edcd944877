package org.osprey.inference.onnx.image;

import java.nio.ByteBuffer;

/**
 * A decoded image: interleaved 8-bit pixels in a buffer that may be reused by the next decode, plus
 * the size of the original picture it was decoded from (a JPEG may be decoded at 1/2, 1/4 or 1/8 of it).
 */
public final class Pixels {

    private final ByteBuffer data;
    private final int width;
    private final int height;
    private final int stride;
    private final ChannelOrder order;
    private final int sourceWidth;
    private final int sourceHeight;

    public Pixels(ByteBuffer data, int width, int height, int stride, ChannelOrder order, int sourceWidth,
            int sourceHeight) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, was " + width + "x" + height);
        }
        if ((long) stride * (height - 1) + (long) width * order.channels() > data.limit()) {
            throw new IllegalArgumentException("buffer too small for " + width + "x" + height + " " + order);
        }
        this.data = data;
        this.width = width;
        this.height = height;
        this.stride = stride;
        this.order = order;
        this.sourceWidth = sourceWidth;
        this.sourceHeight = sourceHeight;
    }

    /** Absolute reads only; position and limit are not meaningful. */
    public ByteBuffer data() {
        return data;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public int stride() {
        return stride;
    }

    public ChannelOrder order() {
        return order;
    }

    /** Width of the picture as encoded, before any shrink on load. */
    public int sourceWidth() {
        return sourceWidth;
    }

    public int sourceHeight() {
        return sourceHeight;
    }
}
