package io.jkeras.losses;

import io.jkeras.tensor.Tensor;

/**
 * A Keras 2 loss function: per-sample losses from targets and predictions, composed of ops so that the
 * gradient tape differentiates it. The training loop takes the mean over the batch (and over any axes the
 * function leaves, such as timesteps) and adds the model's regularization losses.
 */
public interface Loss {
    /**
     * The losses of each sample: shape (batch,) for (batch, n) predictions, (batch, ...) for predictions of
     * higher rank (the last axis is reduced).
     */
    Tensor call(Tensor yTrue, Tensor yPred);

    /** Keras's function name ("categorical_crossentropy"), which is also what {@link Losses#serialize} writes. */
    String name();
}
