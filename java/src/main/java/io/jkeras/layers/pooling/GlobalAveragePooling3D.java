package io.jkeras.layers.pooling;

import io.jkeras.saving.ConfigMap;
import java.util.Map;

/** Keras's GlobalAveragePooling3D: the mean over the three spatial axes (alias GlobalAvgPool3D). */
public final class GlobalAveragePooling3D extends GlobalPooling {
    /** channels_last, keepdims false. */
    public GlobalAveragePooling3D() {
        this("channels_last", false);
    }

    public GlobalAveragePooling3D(String dataFormat, boolean keepdims) {
        this(args("GlobalAveragePooling3D", dataFormat, keepdims));
    }

    private GlobalAveragePooling3D(ConfigMap c) {
        super(3, false, c);
    }

    /** Every Keras argument by its config name: {"data_format": "channels_first", "keepdims": true}. */
    public static GlobalAveragePooling3D fromConfig(Map<String, Object> config) {
        return new GlobalAveragePooling3D(new ConfigMap("GlobalAveragePooling3D", config));
    }
}
