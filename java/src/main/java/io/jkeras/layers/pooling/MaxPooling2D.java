package io.jkeras.layers.pooling;

import io.jkeras.backend.PoolDesc;
import io.jkeras.saving.ConfigMap;
import java.util.Map;

/** Keras's MaxPooling2D: the maximum over windows of rows and columns (alias MaxPool2D). */
public final class MaxPooling2D extends Pooling {
    /** Keras's defaults: pool_size (2, 2), strides = pool_size, padding valid, channels_last. */
    public MaxPooling2D() {
        this(2);
    }

    /** pool_size on every axis, strides = pool_size, padding valid, channels_last. */
    public MaxPooling2D(int poolSize) {
        this(poolSize, null, "valid");
    }

    /** pool_size and strides (null: pool_size) on every axis, padding "valid" or "same", channels_last. */
    public MaxPooling2D(int poolSize, Integer strides, String padding) {
        this(poolSize, strides, padding, "channels_last");
    }

    public MaxPooling2D(int poolSize, Integer strides, String padding, String dataFormat) {
        this(args("MaxPooling2D", poolSize, strides, padding, dataFormat));
    }

    private MaxPooling2D(ConfigMap c) {
        super(2, PoolDesc.Algorithm.MAX, c);
    }

    /** Every Keras argument by its config name: {"pool_size": [2, 2], "strides": null, "padding": "same", ...}. */
    public static MaxPooling2D fromConfig(Map<String, Object> config) {
        return new MaxPooling2D(new ConfigMap("MaxPooling2D", config));
    }
}
