package io.jkeras.layers.recurrent;

import io.jkeras.saving.ConfigMap;

/** Argument checks shared by the recurrent layers. */
final class RecurrentUtil {
    private RecurrentUtil() {
    }

    /** Keras's implementation: 1 or 2 (0, deprecated in Keras 2: a cell runs it as 2, as Keras's cells do). */
    static int implementation(String owner, ConfigMap c) {
        int impl = c.getInt("implementation", 1);
        if (impl < 0 || impl > 2) {
            throw new IllegalArgumentException(owner + ": argument 'implementation' must be 1 or 2, got " + impl);
        }
        return impl;
    }

    /** Keras 2.2's GRU / LSTM from_config: implementation 0 (Keras 2.0's) is read as 1. */
    static java.util.Map<String, Object> implementationZeroAsOne(java.util.Map<String, Object> config) {
        if (config != null && config.get("implementation") instanceof Number n && n.doubleValue() == 0) {
            java.util.Map<String, Object> m = new java.util.LinkedHashMap<>(config);
            m.put("implementation", 1);
            return m;
        }
        return config;
    }

    /** The base layer keys a cell does not inherit from its layer. */
    private static final java.util.Set<String> LAYER_ONLY = java.util.Set.of("name", "trainable", "dtype",
            "batch_input_shape", "batch_shape", "input_shape", "batch_size");

    /**
     * The cell's part of a recurrent layer's config, after checking the whole config against the layer's keys
     * (so an unknown argument is reported against the layer).
     */
    static ConfigMap cellConfig(String owner, ConfigMap c, java.util.Set<String> layerKeys,
            java.util.Set<String> cellKeys, String... extra) {
        c.checkKnown(layerKeys);
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (java.util.Map.Entry<String, Object> e : c.raw().entrySet()) {
            if (cellKeys.contains(e.getKey()) && !LAYER_ONLY.contains(e.getKey())) {
                m.put(e.getKey(), e.getValue());
            }
        }
        for (int i = 0; i < extra.length; i += 2) {
            m.put(extra[i], extra[i + 1]);
        }
        return new ConfigMap(owner, m);
    }
}
