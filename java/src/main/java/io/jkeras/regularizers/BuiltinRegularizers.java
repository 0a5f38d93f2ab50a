package io.jkeras.regularizers;

import io.jkeras.saving.ConfigMap;
import io.jkeras.saving.Registry;
import java.util.Map;
import java.util.Set;

/**
 * Keras's regularizers: the class L1L2 (factors 0 by default), Keras 2's functions l1, l2 and l1_l2 (factors
 * 0.01 by default), and tf.keras's classes L1 and L2, which are made as L1L2 (and serialize as L1L2).
 */
final class BuiltinRegularizers {
    private BuiltinRegularizers() {
    }

    static void registerAll(Registry<Regularizer> r) {
        r.register("L1L2", L1L2::fromConfig);
        r.register("l1_l2", c -> {
            ConfigMap m = config("l1_l2", c, "l1", "l2");
            return L1L2.l1l2(m.getDouble("l1", 0.01), m.getDouble("l2", 0.01));
        });
        r.register("L1", c -> L1L2.l1(factor("L1", c, "l1")));
        r.register("l1", c -> L1L2.l1(factor("l1", c, "l1")));
        r.register("L2", c -> L1L2.l2(factor("L2", c, "l2")));
        r.register("l2", c -> L1L2.l2(factor("l2", c, "l2")));
    }

    private static ConfigMap config(String owner, Map<String, Object> cfg, String... keys) {
        ConfigMap c = new ConfigMap(owner, cfg);
        c.checkKnown(Set.of(keys));
        return c;
    }

    /** The factor under key, or under "l" (the argument of Keras 2's l1(l) and l2(l)), 0.01 by default. */
    private static double factor(String owner, Map<String, Object> cfg, String key) {
        ConfigMap c = config(owner, cfg, key, "l");
        return c.has(key) ? c.getDouble(key, 0.01) : c.getDouble("l", 0.01);
    }
}
