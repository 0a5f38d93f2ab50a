package io.jkeras.constraints;

import io.jkeras.ops.Ops;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Rescales each slice of the weight along the axes (for a Dense kernel (in, out), axis 0: each unit's incoming
 * weights) whose L2 norm exceeds max_value down to that norm.
 */
public final class MaxNorm implements Constraint {
    private final double maxValue;
    private final int[] axes;

    public MaxNorm() {
        this(2.0);
    }

    public MaxNorm(double maxValue) {
        this(maxValue, 0);
    }

    /** axes null: the norm of the whole weight. */
    public MaxNorm(double maxValue, int... axes) {
        if (!(maxValue >= 0)) {
            throw new IllegalArgumentException("MaxNorm: argument 'max_value' must be >= 0, got " + maxValue);
        }
        this.maxValue = maxValue;
        this.axes = axes == null ? null : axes.clone();
    }

    public static MaxNorm fromConfig(Map<String, Object> config) {
        ConfigMap c = BuiltinConstraints.config("MaxNorm", config, "max_value", "axis");
        return new MaxNorm(c.getDouble("max_value", 2.0), BuiltinConstraints.axes(c));
    }

    @Override
    public Tensor apply(Tensor w) {
        Tensor norms = BuiltinConstraints.norms(w, axes);
        return BuiltinConstraints.rescale(w, Ops.clip(norms, 0f, (float) maxValue), norms);
    }

    @Override
    public String className() {
        return "MaxNorm";
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("max_value", maxValue);
        m.put("axis", BuiltinConstraints.axisConfig(axes));
        return m;
    }
}
