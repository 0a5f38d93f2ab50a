package io.jkeras.constraints;

import io.jkeras.tensor.Tensor;
import java.util.Map;

/** A projection applied to a weight after each optimizer update. */
public interface Constraint {
    /** The projected weight, a new tensor of w's shape. */
    Tensor apply(Tensor w);

    String className();

    Map<String, Object> getConfig();
}
