package org.osprey.inference.onnx.decode;

import java.util.Arrays;

/**
 * One output of a model run, copied out of native memory as floats. A label-to-score map output
 * (ONNX ZipMap, as older Custom Vision exports have) comes with its labels in {@code keys}:
 * {@code values[i]} is the score of {@code keys[i]}.
 */
public record TensorData(String name, long[] shape, float[] values, java.util.List<String> keys) {

    /** Shape the model loader gives a label-to-score map output (its size is known only at run time). */
    public static final long[] LABEL_MAP = {-1, -1};

    public TensorData(String name, long[] shape, float[] values) {
        this(name, shape, values, java.util.List.of());
    }

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
