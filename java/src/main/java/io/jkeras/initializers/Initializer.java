package io.jkeras.initializers;

import io.jkeras.tensor.Tensor;
import java.util.Map;

/** Makes the initial value of a weight; serializable as Keras's {"class_name", "config"}. */
public interface Initializer {
    /** A new float32 tensor of the given shape (Keras's kernel layouts: fans are computed from them). */
    Tensor apply(long... shape);

    /** Keras's class name ("GlorotUniform", "VarianceScaling", ...). */
    String className();

    /** Keras's config keys and values. */
    Map<String, Object> getConfig();
}
