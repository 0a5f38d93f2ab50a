package io.jkeras.layers.conv;

import io.jkeras.saving.ConfigMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keras's Conv1DTranspose (alias Convolution1DTranspose). Build the full argument set through a
 * config map, or use the common constructors.
 */
public final class Conv1DTranspose extends ConvTranspose {
    /** filters, kernel_size (one value for every spatial axis), and Keras's defaults for everything else. */
    public Conv1DTranspose(int filters, int kernelSize) {
        this(filters, kernelSize, 1, "valid", null);
    }

    /** filters, kernel_size, strides and padding (one value for every spatial axis), activation or null. */
    public Conv1DTranspose(int filters, int kernelSize, int strides, String padding, String activation) {
        this(args(filters, kernelSize, strides, padding, activation));
    }

    private static ConfigMap args(int filters, int kernelSize, int strides, String padding, String activation) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("filters", filters);
        m.put("kernel_size", kernelSize);
        m.put("strides", strides);
        m.put("padding", padding);
        m.put("activation", activation);
        return new ConfigMap("Conv1DTranspose", m);
    }

    private Conv1DTranspose(ConfigMap c) {
        super(1, c);
    }

    /** Every Keras argument by its config name: {"filters": 8, "kernel_size": 3, "output_padding": 1, ...}. */
    public static Conv1DTranspose fromConfig(Map<String, Object> config) {
        return new Conv1DTranspose(new ConfigMap("Conv1DTranspose", config));
    }
}
