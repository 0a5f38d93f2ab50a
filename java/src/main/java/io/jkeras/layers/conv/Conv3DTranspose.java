package io.jkeras.layers.conv;

import io.jkeras.saving.ConfigMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keras's Conv3DTranspose (alias Convolution3DTranspose, Keras 2.0's Deconvolution3D). Build the full
 * argument set through a config map, or use the common constructors.
 *
 * <p>Keras 2's Conv3DTranspose accepts dilation_rate but ignores it and leaves it out of its config; this one
 * applies it, and writes it to the config only when it is not all ones.
 */
public final class Conv3DTranspose extends ConvTranspose {
    /** filters, kernel_size (one value for every spatial axis), and Keras's defaults for everything else. */
    public Conv3DTranspose(int filters, int kernelSize) {
        this(filters, kernelSize, 1, "valid", null);
    }

    /** filters, kernel_size, strides and padding (one value for every spatial axis), activation or null. */
    public Conv3DTranspose(int filters, int kernelSize, int strides, String padding, String activation) {
        this(args(filters, kernelSize, strides, padding, activation));
    }

    private static ConfigMap args(int filters, int kernelSize, int strides, String padding, String activation) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("filters", filters);
        m.put("kernel_size", kernelSize);
        m.put("strides", strides);
        m.put("padding", padding);
        m.put("activation", activation);
        return new ConfigMap("Conv3DTranspose", m);
    }

    private Conv3DTranspose(ConfigMap c) {
        super(3, c);
    }

    @Override
    protected boolean writesDilationRate() {
        return false;
    }

    /** Every Keras argument by its config name: {"filters": 8, "kernel_size": 3, "output_padding": 1, ...}. */
    public static Conv3DTranspose fromConfig(Map<String, Object> config) {
        return new Conv3DTranspose(new ConfigMap("Conv3DTranspose", config));
    }
}
