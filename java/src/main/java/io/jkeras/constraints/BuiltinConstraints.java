package io.jkeras.constraints;

import io.jkeras.ops.Ops;
import io.jkeras.saving.ConfigMap;
import io.jkeras.saving.Registry;
import io.jkeras.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Keras's constraints under their class names and aliases, and the norm arithmetic they share. */
final class BuiltinConstraints {
    /** Keras's K.epsilon(), which keeps the rescaling finite for an all-zero slice. */
    static final float EPSILON = 1e-7f;

    private BuiltinConstraints() {
    }

    static void registerAll(Registry<Constraint> r) {
        r.register("MaxNorm", MaxNorm::fromConfig);
        r.register("max_norm", MaxNorm::fromConfig);
        r.register("NonNeg", NonNeg::fromConfig);
        r.register("non_neg", NonNeg::fromConfig);
        r.register("UnitNorm", UnitNorm::fromConfig);
        r.register("unit_norm", UnitNorm::fromConfig);
        r.register("MinMaxNorm", MinMaxNorm::fromConfig);
        r.register("min_max_norm", MinMaxNorm::fromConfig);
    }

    static ConfigMap config(String owner, Map<String, Object> cfg, String... keys) {
        ConfigMap c = new ConfigMap(owner, cfg);
        c.checkKnown(Set.of(keys));
        return c;
    }

    /** The "axis" of a config: an integer or a list of them; absent means axis 0, null means every axis. */
    static int[] axes(ConfigMap c) {
        if (!c.raw().containsKey("axis")) {
            return new int[] {0};
        }
        return c.getInts("axis", 0);
    }

    /** The axes as Keras writes them: one axis as an integer, several as a list, every axis as null. */
    static Object axisConfig(int[] axes) {
        if (axes == null) {
            return null;
        }
        if (axes.length == 1) {
            return axes[0];
        }
        List<Integer> list = new ArrayList<>();
        for (int a : axes) {
            list.add(a);
        }
        return list;
    }

    /** sqrt(sum(w^2)) over the axes (null: all), dims kept so that it broadcasts against w. */
    static Tensor norms(Tensor w, int[] axes) {
        return Ops.sqrt(Ops.sum(Ops.square(w), axes, true));
    }

    /** w * desired / (epsilon + norms). */
    static Tensor rescale(Tensor w, Tensor desired, Tensor norms) {
        return Ops.mul(w, Ops.div(desired, Ops.add(norms, EPSILON)));
    }
}
