package io.jkeras.layers.conv;

import io.jkeras.saving.ConfigMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keras's DepthwiseConv3D. Build the full argument set through a config map, or use the common constructors.
 *
 * <p>Keras 2 has no DepthwiseConv3D; this one follows DepthwiseConv1D/2D (same arguments, config keys and
 * weight layout with three spatial axes).
 */
public final class DepthwiseConv3D extends DepthwiseConv {
    /** kernel_size (one value for every spatial axis), and Keras's defaults for everything else. */
    public DepthwiseConv3D(int kernelSize) {
        this(kernelSize, 1, "valid", 1, null);
    }

    /** kernel_size, strides, padding, depth_multiplier and activation (null: linear). */
    public DepthwiseConv3D(int kernelSize, int strides, String padding, int depthMultiplier, String activation) {
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
        return new ConfigMap("DepthwiseConv3D", m);
    }

    private DepthwiseConv3D(ConfigMap c) {
        super(3, c);
    }

    /** Every Keras argument by its config name: {"kernel_size": 3, "depth_multiplier": 2, ...}. */
    public static DepthwiseConv3D fromConfig(Map<String, Object> config) {
        return new DepthwiseConv3D(new ConfigMap("DepthwiseConv3D", config));
    }
}
