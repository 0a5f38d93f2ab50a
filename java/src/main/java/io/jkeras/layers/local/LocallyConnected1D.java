package io.jkeras.layers.local;

import io.jkeras.saving.ConfigMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** Keras's LocallyConnected1D. Build the full argument set through a config map, or use the common constructors. */
public final class LocallyConnected1D extends LocallyConnected {
    /** filters, kernel_size (one value for every spatial axis), and Keras's defaults for everything else. */
    public LocallyConnected1D(int filters, int kernelSize) {
        this(filters, kernelSize, 1, null);
    }

    /** filters, kernel_size, strides (one value for every spatial axis) and activation (null: linear). */
    public LocallyConnected1D(int filters, int kernelSize, int strides, String activation) {
        this(args(filters, kernelSize, strides, activation));
    }

    private static ConfigMap args(int filters, int kernelSize, int strides, String activation) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("filters", filters);
        m.put("kernel_size", kernelSize);
        m.put("strides", strides);
        m.put("activation", activation);
        return new ConfigMap("LocallyConnected1D", m);
    }

    private LocallyConnected1D(ConfigMap c) {
        super(1, c);
    }

    /** Every Keras argument by its config name: {"filters": 8, "kernel_size": 3, "implementation": 2, ...}. */
    public static LocallyConnected1D fromConfig(Map<String, Object> config) {
        return new LocallyConnected1D(new ConfigMap("LocallyConnected1D", config));
    }
}
