package io.jkeras.layers.conv;

import io.jkeras.saving.ConfigMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keras's Conv2DTranspose (alias Convolution2DTranspose, Keras 2.0's Deconvolution2D). Build the full
 * argument set through a config map, or use the common constructors.
 */
public final class Conv2DTranspose extends ConvTranspose {
    /** filters, kernel_size (one value for every spatial axis), and Keras's defaults for everything else. */
    public Conv2DTranspose(int filters, int kernelSize) {
        this(filters, kernelSize, 1, "valid", null);
    }

    /** filters, kernel_size, strides and padding (one value for every spatial axis), activation or null. */
    public Conv2DTranspose(int filters, int kernelSize, int strides, String padding, String activation) {
        this(args(filters, kernelSize, strides, padding, activation));
    }

    private static ConfigMap args(int filters, int kernelSize, int strides, String padding, String activation) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("filters", filters);
        m.put("kernel_size", kernelSize);
        m.put("strides", strides);
        m.put("padding", padding);
        m.put("activation", activation);
        return new ConfigMap("Conv2DTranspose", m);
    }

    private Conv2DTranspose(ConfigMap c) {
        super(2, c);
    }

    /** Every Keras argument by its config name: {"filters": 8, "kernel_size": 3, "output_padding": 1, ...}. */
    public static Conv2DTranspose fromConfig(Map<String, Object> config) {
        return new Conv2DTranspose(new ConfigMap("Conv2DTranspose", config));
    }
}
