package io.jkeras.regularizers;

import io.jkeras.ops.Ops;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Keras 2's weight penalty l1 * sum(|x|) + l2 * sum(x^2); a term whose factor is 0 is left out. */
public final class L1L2 implements Regularizer {
    private final double l1;
    private final double l2;

    public L1L2(double l1, double l2) {
        if (!Double.isFinite(l1)) {
            throw new IllegalArgumentException("L1L2: argument 'l1' must be a finite number, got " + l1);
        }
        if (!Double.isFinite(l2)) {
            throw new IllegalArgumentException("L1L2: argument 'l2' must be a finite number, got " + l2);
        }
        this.l1 = l1;
        this.l2 = l2;
    }

    /** Keras's regularizers.l1(l). */
    public static L1L2 l1(double l) {
        return new L1L2(l, 0);
    }

    /** Keras's regularizers.l2(l). */
    public static L1L2 l2(double l) {
        return new L1L2(0, l);
    }

    /** Keras's regularizers.l1_l2(l1, l2). */
    public static L1L2 l1l2(double l1, double l2) {
        return new L1L2(l1, l2);
    }

    public static L1L2 fromConfig(Map<String, Object> config) {
        ConfigMap c = new ConfigMap("L1L2", config);
        c.checkKnown(Set.of("l1", "l2"));
        return new L1L2(c.getDouble("l1", 0), c.getDouble("l2", 0));
    }

    @Override
    public Tensor apply(Tensor x) {
        Tensor penalty = null;
        if (l1 != 0) {
            penalty = Ops.mul(Ops.sum(Ops.abs(x)), (float) l1);
        }
        if (l2 != 0) {
            Tensor t = Ops.mul(Ops.sum(Ops.square(x)), (float) l2);
            penalty = penalty == null ? t : Ops.add(penalty, t);
        }
        if (penalty == null) {
            penalty = Tensor.emptyLike(x);
            penalty.backend().fill(penalty, 0f);
        }
        return penalty;
    }

    @Override
    public String className() {
        return "L1L2";
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("l1", l1);
        m.put("l2", l2);
        return m;
    }
}
