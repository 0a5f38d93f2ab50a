package io.jkeras.layers.pooling;

import io.jkeras.saving.ConfigMap;
import java.util.Map;

/** Keras's GlobalAveragePooling2D: the mean over rows and columns (alias GlobalAvgPool2D). */
public final class GlobalAveragePooling2D extends GlobalPooling {
    /** channels_last, keepdims false. */
    public GlobalAveragePooling2D() {
        this("channels_last", false);
    }

    public GlobalAveragePooling2D(String dataFormat, boolean keepdims) {
        this(args("GlobalAveragePooling2D", dataFormat, keepdims));
    }

    private GlobalAveragePooling2D(ConfigMap c) {
        super(2, false, c);
    }

    /** Every Keras argument by its config name: {"data_format": "channels_first", "keepdims": true}. */
    public static GlobalAveragePooling2D fromConfig(Map<String, Object> config) {
        return new GlobalAveragePooling2D(new ConfigMap("GlobalAveragePooling2D", config));
    }
}
