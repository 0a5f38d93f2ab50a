package io.jkeras.layers.merge;

import io.jkeras.layers.KerasTensor;
import java.util.List;

/**
 * The functional forms of the merge layers, as Keras's {@code add([a, b])}: each makes a new layer, calls it on
 * the symbolic inputs and returns its output.
 *
 * <pre>{@code
 * KerasTensor sum = Merge.add(List.of(a, b));
 * KerasTensor joined = Merge.concatenate(List.of(a, b), 1);
 * }</pre>
 */
public final class Merge {
    private Merge() {
    }

    private static KerasTensor call(io.jkeras.layers.Layer layer, List<KerasTensor> inputs) {
        return layer.applyMulti(List.copyOf(inputs)).get(0);
    }

    public static KerasTensor add(List<KerasTensor> inputs) {
        return call(new Add(), inputs);
    }

    public static KerasTensor add(KerasTensor... inputs) {
        return add(List.of(inputs));
    }

    public static KerasTensor subtract(List<KerasTensor> inputs) {
        return call(new Subtract(), inputs);
    }

    public static KerasTensor subtract(KerasTensor a, KerasTensor b) {
        return subtract(List.of(a, b));
    }

    public static KerasTensor multiply(List<KerasTensor> inputs) {
        return call(new Multiply(), inputs);
    }

    public static KerasTensor multiply(KerasTensor... inputs) {
        return multiply(List.of(inputs));
    }

    public static KerasTensor average(List<KerasTensor> inputs) {
        return call(new Average(), inputs);
    }

    public static KerasTensor average(KerasTensor... inputs) {
        return average(List.of(inputs));
    }

    public static KerasTensor maximum(List<KerasTensor> inputs) {
        return call(new Maximum(), inputs);
    }

    public static KerasTensor maximum(KerasTensor... inputs) {
        return maximum(List.of(inputs));
    }

    public static KerasTensor minimum(List<KerasTensor> inputs) {
        return call(new Minimum(), inputs);
    }

    public static KerasTensor minimum(KerasTensor... inputs) {
        return minimum(List.of(inputs));
    }

    /** concatenate(inputs, axis=-1). */
    public static KerasTensor concatenate(List<KerasTensor> inputs) {
        return concatenate(inputs, -1);
    }

    public static KerasTensor concatenate(List<KerasTensor> inputs, int axis) {
        return call(new Concatenate(axis), inputs);
    }

    /** dot(inputs, axes, normalize=False). */
    public static KerasTensor dot(List<KerasTensor> inputs, int axes) {
        return dot(inputs, axes, false);
    }

    public static KerasTensor dot(List<KerasTensor> inputs, int axes, boolean normalize) {
        return call(new Dot(axes, normalize), inputs);
    }

    public static KerasTensor dot(List<KerasTensor> inputs, int[] axes, boolean normalize) {
        return call(new Dot(axes, normalize), inputs);
    }
}
