package io.jkeras.activations;

import io.jkeras.tensor.Tensor;

/** An activation function over ops (so it is differentiable), with the name Keras serializes it by. */
public interface Activation {
    Tensor apply(Tensor x);

    String name();
}
