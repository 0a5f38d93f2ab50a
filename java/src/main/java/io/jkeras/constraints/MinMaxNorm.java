package io.jkeras.constraints;

import io.jkeras.ops.Ops;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Moves each slice's L2 norm towards [min_value, max_value]: the desired norm is
 * rate * clip(norm, min_value, max_value) + (1 - rate) * norm (rate 1: strictly inside the bounds).
 */
public final class MinMaxNorm implements Constraint {
    private final double minValue;
    private final double maxValue;
    private final double rate;
    private final int[] axes;

    public MinMaxNorm() {
        this(0.0, 1.0, 1.0, 0);
    }

    /** axes null: the norm of the whole weight. */
    public MinMaxNorm(double minValue, double maxValue, double rate, int... axes) {
        if (!(minValue <= maxValue)) {
            throw new IllegalArgumentException("MinMaxNorm: argument 'min_value' (" + minValue
                    + ") must be <= argument 'max_value' (" + maxValue + ")");
        }
        if (!Double.isFinite(rate)) {
            throw new IllegalArgumentException("MinMaxNorm: argument 'rate' must be a finite number, got " + rate);
        }
        this.minValue = minValue;
        this.maxValue = maxValue;
        this.rate = rate;
        this.axes = axes == null ? null : axes.clone();
    }

    public static MinMaxNorm fromConfig(Map<String, Object> config) {
        ConfigMap c = BuiltinConstraints.config("MinMaxNorm", config, "min_value", "max_value", "rate", "axis");
        return new MinMaxNorm(c.getDouble("min_value", 0.0), c.getDouble("max_value", 1.0), c.getDouble("rate", 1.0),
                BuiltinConstraints.axes(c));
    }

    @Override
    public Tensor apply(Tensor w) {
        Tensor norms = BuiltinConstraints.norms(w, axes);
        Tensor clipped = Ops.clip(norms, (float) minValue, (float) maxValue);
        Tensor desired = Ops.add(Ops.mul(clipped, (float) rate), Ops.mul(norms, (float) (1 - rate)));
        return BuiltinConstraints.rescale(w, desired, norms);
    }

    @Override
    public String className() {
        return "MinMaxNorm";
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("min_value", minValue);
        m.put("max_value", maxValue);
        m.put("rate", rate);
        m.put("axis", BuiltinConstraints.axisConfig(axes));
        return m;
    }
}
