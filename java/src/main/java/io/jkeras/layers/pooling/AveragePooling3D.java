package io.jkeras.layers.pooling;

import io.jkeras.backend.PoolDesc;
import io.jkeras.saving.ConfigMap;
import java.util.Map;

/** Keras's AveragePooling3D: the mean over windows of the three spatial axes, padding not counted (alias AvgPool3D). */
public final class AveragePooling3D extends Pooling {
    /** Keras's defaults: pool_size (2, 2, 2), strides = pool_size, padding valid, channels_last. */
    public AveragePooling3D() {
        this(2);
    }

    /** pool_size on every axis, strides = pool_size, padding valid, channels_last. */
    public AveragePooling3D(int poolSize) {
        this(poolSize, null, "valid");
    }

    /** pool_size and strides (null: pool_size) on every axis, padding "valid" or "same", channels_last. */
    public AveragePooling3D(int poolSize, Integer strides, String padding) {
        this(poolSize, strides, padding, "channels_last");
    }

    public AveragePooling3D(int poolSize, Integer strides, String padding, String dataFormat) {
        this(args("AveragePooling3D", poolSize, strides, padding, dataFormat));
    }

    private AveragePooling3D(ConfigMap c) {
        super(3, PoolDesc.Algorithm.AVG, c);
    }

    /** Every Keras argument by its config name: {"pool_size": [2, 2], "strides": null, "padding": "same", ...}. */
    public static AveragePooling3D fromConfig(Map<String, Object> config) {
        return new AveragePooling3D(new ConfigMap("AveragePooling3D", config));
    }
}
