package org.osprey.inference.onnx.image;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.AfterAll;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing (Jazzer) of what a client's bytes reach first: format sniffing, the header
 * parsers and the decoders behind them, with a model-sized target. Any outcome but an image or a
 * {@link BadImageException} (a runtime exception, an error, running out of memory) is a finding. The
 * inputs in {@code src/test/resources/.../ImageDecodingFuzzTestInputs} (seeds, and every input that
 * once failed) are replayed by every build; the build also fuzzes for the time below (JAZZER_FUZZ set by
 * the pom; {@code -Dfuzz=} turns it off).
 */
class ImageDecodingFuzzTest {

    private static final ImageDecoders DECODERS = new ImageDecoders();
    private static final DecodeBuffers BUFFERS = new DecodeBuffers();

    @AfterAll
    static void close() {
        DECODERS.close();
    }

    @FuzzTest(maxDuration = "30s")
    void decodesOrRefuses(byte[] data) {
        try {
            Pixels p = DECODERS.decode(ByteBuffer.wrap(data), (w, h) -> DecodeTarget.forInput(w, h, 128, 128, false), BUFFERS);
            if (p.width() <= 0 || p.height() <= 0) {
                throw new AssertionError("an image of " + p.width() + "x" + p.height());
            }
        } catch (BadImageException expected) {
            // a clear refusal is the right answer to bad bytes
        }
    }
}
