package org.osprey.runtime.it;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * A real ONNX classifier that is slow on purpose: an 11x11 convolution to 64 channels over its 256x256
 * input (about 1.4 billion multiply-adds, tens of milliseconds on one thread), averaged into 64 scores. Written
 * here as the ONNX protobuf (ModelProto, opset 13) so the tests need no Python.
 */
final class SlowModel {

    static final int CLASSES = 64;
    private static final int KERNEL = 11;
    private static final int SIZE = 256;

    private SlowModel() {
    }

    static byte[] onnx() {
        float[] weights = new float[CLASSES * 3 * KERNEL * KERNEL];
        Random random = new Random(7);
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (float) random.nextGaussian() * 0.05f;
        }
        ByteBuffer raw = ByteBuffer.allocate(weights.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(weights);

        Proto weight = new Proto().ints(1, CLASSES, 3, KERNEL, KERNEL).varint(2, 1).string(8, "weight").bytes(9, raw.array());
        Proto graph = new Proto()
                .message(1, node("Conv", "conv", new String[] {"input", "weight"}, "features"))
                .message(1, node("GlobalAveragePool", "pool", new String[] {"features"}, "pooled"))
                .message(1, node("Flatten", "flatten", new String[] {"pooled"}, "scores"))
                .string(2, "slow")
                .message(5, weight)
                .message(11, tensor("input", 1, 3, SIZE, SIZE))
                .message(12, tensor("scores", 1, CLASSES));
        return new Proto().varint(1, 7).string(2, "osprey-tests").message(7, graph)
                .message(8, new Proto().string(1, "").varint(2, 13)).toByteArray();
    }

    private static Proto node(String op, String name, String[] inputs, String output) {
        Proto n = new Proto();
        for (String in : inputs) {
            n.string(1, in);
        }
        return n.string(2, output).string(3, name).string(4, op);
    }

    /** A float tensor's ValueInfoProto. */
    private static Proto tensor(String name, long... dims) {
        Proto shape = new Proto();
        for (long d : dims) {
            shape.message(1, new Proto().varint(1, d));
        }
        return new Proto().string(1, name).message(2, new Proto().message(1, new Proto().varint(1, 1).message(2, shape)));
    }

    /** Just enough of the protobuf wire format: varints, strings, bytes, nested messages, packed int64s. */
    private static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Proto varint(int field, long value) {
            tag(field, 0);
            raw(value);
            return this;
        }

        Proto string(int field, String value) {
            return bytes(field, value.getBytes(StandardCharsets.UTF_8));
        }

        Proto bytes(int field, byte[] value) {
            tag(field, 2);
            raw(value.length);
            out.writeBytes(value);
            return this;
        }

        Proto message(int field, Proto value) {
            return bytes(field, value.toByteArray());
        }

        Proto ints(int field, long... values) {
            Proto packed = new Proto();
            for (long v : values) {
                packed.raw(v);
            }
            return bytes(field, packed.toByteArray());
        }

        private void tag(int field, int wireType) {
            raw((long) field << 3 | wireType);
        }

        private void raw(long v) {
            while ((v & ~0x7FL) != 0) {
                out.write((int) (v & 0x7F) | 0x80);
                v >>>= 7;
            }
            out.write((int) v);
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }
}
