package io.jkeras.layers.conv;

import io.jkeras.saving.ConfigMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** Keras's Conv3D. Build the full argument set through a config map, or use the common constructors. */
public final class Conv3D extends Conv {
    /** filters, kernel_size (one value for every spatial axis), and Keras's defaults for everything else. */
    public Conv3D(int filters, int kernelSize) {
        this(filters, kernelSize, null);
    }

    /** As Keras's Conv3D(filters, kernel_size, activation=...): strides 1, padding valid, channels_last. */
    public Conv3D(int filters, int kernelSize, String activation) {
        this(args(filters, kernelSize, activation));
    }

    private static ConfigMap args(int filters, int kernelSize, String activation) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("filters", filters);
        m.put("kernel_size", kernelSize);
        m.put("activation", activation);
        return new ConfigMap("Conv3D", m);
    }

    private Conv3D(ConfigMap c) {
        super(3, c);
    }

    /** Every Keras argument by its config name: {"filters": 32, "kernel_size": [3, 3], "padding": "same", ...}. */
    public static Conv3D fromConfig(Map<String, Object> config) {
        return new Conv3D(new ConfigMap("Conv3D", config));
    }
}
