package io.jkeras.metrics;

import io.jkeras.tensor.Tensor;

/**
 * A Keras 2 metric function: per-sample values from targets and predictions (shape (batch,) for (batch, n)
 * predictions), averaged over the samples of an epoch by the training loop. Metrics are not differentiated.
 */
public interface Metric {
    Tensor call(Tensor yTrue, Tensor yPred);

    /** Keras's function name ("categorical_accuracy"). */
    String name();
}
