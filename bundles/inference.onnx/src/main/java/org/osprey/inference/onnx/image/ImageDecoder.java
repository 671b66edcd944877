package org.osprey.inference.onnx.image;

import java.nio.ByteBuffer;

/** Decodes one encoded image, possibly shrinking on load, into buffers owned by the caller. */
public interface ImageDecoder {

    /** What the decoded image is needed for, once the encoded size is known. */
    @FunctionalInterface
    interface Target {
        DecodeTarget forSize(int width, int height);
    }

    Pixels decode(ByteBuffer encoded, Target target, DecodeBuffers buffers) throws BadImageException;

    /** For logs, status and benchmarks. */
    String name();
}
