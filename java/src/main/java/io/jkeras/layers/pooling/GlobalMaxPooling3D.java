package io.jkeras.layers.pooling;

import io.jkeras.saving.ConfigMap;
import java.util.Map;

/** Keras's GlobalMaxPooling3D: the maximum over the three spatial axes (alias GlobalMaxPool3D). */
public final class GlobalMaxPooling3D extends GlobalPooling {
    /** channels_last, keepdims false. */
    public GlobalMaxPooling3D() {
        this("channels_last", false);
    }

    public GlobalMaxPooling3D(String dataFormat, boolean keepdims) {
        this(args("GlobalMaxPooling3D", dataFormat, keepdims));
    }

    private GlobalMaxPooling3D(ConfigMap c) {
        super(3, true, c);
    }

    /** Every Keras argument by its config name: {"data_format": "channels_first", "keepdims": true}. */
    public static GlobalMaxPooling3D fromConfig(Map<String, Object> config) {
        return new GlobalMaxPooling3D(new ConfigMap("GlobalMaxPooling3D", config));
    }
}
