package io.jkeras.layers.pooling;

import io.jkeras.backend.PoolDesc;
import io.jkeras.saving.ConfigMap;
import java.util.Map;

/** Keras's AveragePooling2D: the mean over windows of rows and columns, padding not counted (alias AvgPool2D). */
public final class AveragePooling2D extends Pooling {
    /** Keras's defaults: pool_size (2, 2), strides = pool_size, padding valid, channels_last. */
    public AveragePooling2D() {
        this(2);
    }

    /** pool_size on every axis, strides = pool_size, padding valid, channels_last. */
    public AveragePooling2D(int poolSize) {
        this(poolSize, null, "valid");
    }

    /** pool_size and strides (null: pool_size) on every axis, padding "valid" or "same", channels_last. */
    public AveragePooling2D(int poolSize, Integer strides, String padding) {
        this(poolSize, strides, padding, "channels_last");
    }

    public AveragePooling2D(int poolSize, Integer strides, String padding, String dataFormat) {
        this(args("AveragePooling2D", poolSize, strides, padding, dataFormat));
    }

    private AveragePooling2D(ConfigMap c) {
        super(2, PoolDesc.Algorithm.AVG, c);
    }

    /** Every Keras argument by its config name: {"pool_size": [2, 2], "strides": null, "padding": "same", ...}. */
    public static AveragePooling2D fromConfig(Map<String, Object> config) {
        return new AveragePooling2D(new ConfigMap("AveragePooling2D", config));
    }
}
