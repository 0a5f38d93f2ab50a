package io.jkeras.layers.pooling;

import io.jkeras.saving.ConfigMap;
import java.util.Map;

/** Keras's GlobalMaxPooling2D: the maximum over rows and columns (alias GlobalMaxPool2D). */
public final class GlobalMaxPooling2D extends GlobalPooling {
    /** channels_last, keepdims false. */
    public GlobalMaxPooling2D() {
        this("channels_last", false);
    }

    public GlobalMaxPooling2D(String dataFormat, boolean keepdims) {
        this(args("GlobalMaxPooling2D", dataFormat, keepdims));
    }

    private GlobalMaxPooling2D(ConfigMap c) {
        super(2, true, c);
    }

    /** Every Keras argument by its config name: {"data_format": "channels_first", "keepdims": true}. */
    public static GlobalMaxPooling2D fromConfig(Map<String, Object> config) {
        return new GlobalMaxPooling2D(new ConfigMap("GlobalMaxPooling2D", config));
    }
}
