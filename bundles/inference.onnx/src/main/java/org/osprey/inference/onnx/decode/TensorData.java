package org.osprey.inference.onnx.decode;

import java.util.Arrays;

/** One float output of a model run, copied out of the native tensor. */
public record TensorData(String name, long[] shape, float[] values) {

    public int count() {
        return values.length;
    }

    /** The size of dimension {@code i}, counting from the end when negative. */
    public long dim(int i) {
        return shape[i < 0 ? shape.length + i : i];
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
