package io.jkeras.constraints;

import io.jkeras.ops.Ops;
import io.jkeras.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/** Sets the negative elements of the weight to zero. */
public final class NonNeg implements Constraint {
    public static NonNeg fromConfig(Map<String, Object> config) {
        BuiltinConstraints.config("NonNeg", config);
        return new NonNeg();
    }

    @Override
    public Tensor apply(Tensor w) {
        return Ops.mul(w, Ops.step(w, 0f));
    }

    @Override
    public String className() {
        return "NonNeg";
    }

    @Override
    public Map<String, Object> getConfig() {
        return new LinkedHashMap<>();
    }
}
