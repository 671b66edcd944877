package org.osprey.inference.onnx.tensor;

/** Where the channel axis of an image input is. */
public enum Layout {
    NCHW,
    NHWC
}
