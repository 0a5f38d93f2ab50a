package io.jkeras.layers.pooling;

import io.jkeras.backend.PoolDesc;
import io.jkeras.saving.ConfigMap;
import java.util.Map;

/** Keras's MaxPooling1D: the maximum over windows of steps (alias MaxPool1D). */
public final class MaxPooling1D extends Pooling {
    /** Keras's defaults: pool_size 2, strides = pool_size, padding valid, channels_last. */
    public MaxPooling1D() {
        this(2);
    }

    /** pool_size on every axis, strides = pool_size, padding valid, channels_last. */
    public MaxPooling1D(int poolSize) {
        this(poolSize, null, "valid");
    }

    /** pool_size and strides (null: pool_size) on every axis, padding "valid" or "same", channels_last. */
    public MaxPooling1D(int poolSize, Integer strides, String padding) {
        this(poolSize, strides, padding, "channels_last");
    }

    public MaxPooling1D(int poolSize, Integer strides, String padding, String dataFormat) {
        this(args("MaxPooling1D", poolSize, strides, padding, dataFormat));
    }

    private MaxPooling1D(ConfigMap c) {
        super(1, PoolDesc.Algorithm.MAX, c);
    }

    /** Every Keras argument by its config name: {"pool_size": [2, 2], "strides": null, "padding": "same", ...}. */
    public static MaxPooling1D fromConfig(Map<String, Object> config) {
        return new MaxPooling1D(new ConfigMap("MaxPooling1D", config));
    }
}
