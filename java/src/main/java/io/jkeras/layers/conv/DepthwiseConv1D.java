package io.jkeras.layers.conv;

import io.jkeras.saving.ConfigMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keras's DepthwiseConv1D. Build the full argument set through a config map, or use the common constructors.
 */
public final class DepthwiseConv1D extends DepthwiseConv {
    /** kernel_size (one value for every spatial axis), and Keras's defaults for everything else. */
    public DepthwiseConv1D(int kernelSize) {
        this(kernelSize, 1, "valid", 1, null);
    }

    /** kernel_size, strides, padding, depth_multiplier and activation (null: linear). */
    public DepthwiseConv1D(int kernelSize, int strides, String padding, int depthMultiplier, String activation) {
        this(args(kernelSize, strides, padding, depthMultiplier, activation));
    }

    private static ConfigMap args(int kernelSize, int strides, String padding, int depthMultiplier,
            String activation) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kernel_size", kernelSize);
        m.put("strides", strides);
        m.put("padding", padding);
        m.put("depth_multiplier", depthMultiplier);
        m.put("activation", activation);
        return new ConfigMap("DepthwiseConv1D", m);
    }

    private DepthwiseConv1D(ConfigMap c) {
        super(1, c);
    }

    /** Every Keras argument by its config name: {"kernel_size": 3, "depth_multiplier": 2, ...}. */
    public static DepthwiseConv1D fromConfig(Map<String, Object> config) {
        return new DepthwiseConv1D(new ConfigMap("DepthwiseConv1D", config));
    }
}
