package io.jkeras.layers;

import io.jkeras.constraints.Constraint;
import io.jkeras.regularizers.Regularizer;
import io.jkeras.tensor.Tensor;

/**
 * A layer's variable: its value (updated in place by optimizers and {@code setWeights}), whether it trains,
 * and the regularizer and constraint that apply to it.
 */
public final class Weight {
    private final String name;
    private final Tensor value;
    private final boolean trainable;
    private final Regularizer regularizer;
    private final Constraint constraint;

    Weight(String name, Tensor value, boolean trainable, Regularizer regularizer, Constraint constraint) {
        this.name = name;
        this.value = value;
        this.trainable = trainable;
        this.regularizer = regularizer;
        this.constraint = constraint;
    }

    /** Keras's weight name within its layer ("kernel", "bias", ...). */
    public String name() {
        return name;
    }

    public Tensor value() {
        return value;
    }

    public boolean trainable() {
        return trainable;
    }

    public Regularizer regularizer() {
        return regularizer;
    }

    public Constraint constraint() {
        return constraint;
    }

    /** Overwrites the value in place (shapes must match), so every holder of the tensor sees the new value. */
    public void assign(Tensor newValue) {
        if (!java.util.Arrays.equals(newValue.shape(), value.shape())) {
            throw new IllegalArgumentException("weight '" + name + "': cannot assign a value of shape "
                    + newValue.getShape() + " to a weight of shape " + value.getShape());
        }
        value.backend().copy(newValue, value);
    }
}
