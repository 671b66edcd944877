package org.osprey.inference.onnx.image;

/** Order of the interleaved 8-bit channels in a pixel row. */
public enum ChannelOrder {
    RGB(3),
    BGR(3),
    GRAY(1);

    private final int channels;

    ChannelOrder(int channels) {
        this.channels = channels;
    }

    public int channels() {
        return channels;
    }
}
