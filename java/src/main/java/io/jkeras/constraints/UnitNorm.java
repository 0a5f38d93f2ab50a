package io.jkeras.constraints;

import io.jkeras.ops.Ops;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/** Divides each slice of the weight along the axes by its L2 norm (plus epsilon). */
public final class UnitNorm implements Constraint {
    private final int[] axes;

    public UnitNorm() {
        this(0);
    }

    /** axes null: the norm of the whole weight. */
    public UnitNorm(int... axes) {
        this.axes = axes == null ? null : axes.clone();
    }

    public static UnitNorm fromConfig(Map<String, Object> config) {
        ConfigMap c = BuiltinConstraints.config("UnitNorm", config, "axis");
        return new UnitNorm(BuiltinConstraints.axes(c));
    }

    @Override
    public Tensor apply(Tensor w) {
        return Ops.div(w, Ops.add(BuiltinConstraints.norms(w, axes), BuiltinConstraints.EPSILON));
    }

    @Override
    public String className() {
        return "UnitNorm";
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("axis", BuiltinConstraints.axisConfig(axes));
        return m;
    }
}
