package io.jkeras.layers.conv;

import io.jkeras.saving.ConfigMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keras's SeparableConv1D (alias SeparableConvolution1D). Build the full argument set through a config map, or
 * use the common constructors.
 */
public final class SeparableConv1D extends SeparableConv {
    /** filters, kernel_size (one value for every spatial axis), and Keras's defaults for everything else. */
    public SeparableConv1D(int filters, int kernelSize) {
        this(filters, kernelSize, 1, "valid", 1, null);
    }

    /** filters, kernel_size, strides, padding, depth_multiplier and activation (null: linear). */
    public SeparableConv1D(int filters, int kernelSize, int strides, String padding, int depthMultiplier,
            String activation) {
        this(args(filters, kernelSize, strides, padding, depthMultiplier, activation));
    }

    private static ConfigMap args(int filters, int kernelSize, int strides, String padding, int depthMultiplier,
            String activation) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("filters", filters);
        m.put("kernel_size", kernelSize);
        m.put("strides", strides);
        m.put("padding", padding);
        m.put("depth_multiplier", depthMultiplier);
        m.put("activation", activation);
        return new ConfigMap("SeparableConv1D", m);
    }

    private SeparableConv1D(ConfigMap c) {
        super(1, c);
    }

    /** Every Keras argument by its config name: {"filters": 8, "kernel_size": 3, "depth_multiplier": 2, ...}. */
    public static SeparableConv1D fromConfig(Map<String, Object> config) {
        return new SeparableConv1D(new ConfigMap("SeparableConv1D", config));
    }
}
