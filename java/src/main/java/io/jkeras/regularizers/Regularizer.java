package io.jkeras.regularizers;

import io.jkeras.tensor.Tensor;
import java.util.Map;

/** A penalty on a weight or an activation, added to the loss; built from ops so it has a gradient. */
public interface Regularizer {
    /** The penalty, a scalar tensor. */
    Tensor apply(Tensor x);

    String className();

    Map<String, Object> getConfig();
}
