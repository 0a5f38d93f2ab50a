package io.jkeras.models;

import io.jkeras.layers.KerasTensor;
import io.jkeras.layers.core.InputLayer;
import io.jkeras.tensor.DType;
import io.jkeras.tensor.Shape;

/** Keras's Input(): a symbolic tensor fed by a new InputLayer, the start of a functional graph. */
public final class Input {
    private Input() {
    }

    /** shape: without the batch dimension (-1 for unknown). */
    public static KerasTensor create(long... shape) {
        return create(Shape.of(shape).prepend(Shape.UNKNOWN), DType.FLOAT32, null);
    }

    /** An int32 input (ids for Embedding). */
    public static KerasTensor ints(long... shape) {
        return create(Shape.of(shape).prepend(Shape.UNKNOWN), DType.INT32, null);
    }

    /** batchShape includes the batch dimension; name may be null. */
    public static KerasTensor create(Shape batchShape, DType dtype, String name) {
        return new InputLayer(batchShape, dtype, name).output();
    }
}
