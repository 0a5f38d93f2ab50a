package io.jkeras.layers.pooling;

import io.jkeras.saving.ConfigMap;
import java.util.Map;

/** Keras's GlobalMaxPooling1D: the maximum over the steps (alias GlobalMaxPool1D). */
public final class GlobalMaxPooling1D extends GlobalPooling {
    /** channels_last, keepdims false. */
    public GlobalMaxPooling1D() {
        this("channels_last", false);
    }

    public GlobalMaxPooling1D(String dataFormat, boolean keepdims) {
        this(args("GlobalMaxPooling1D", dataFormat, keepdims));
    }

    private GlobalMaxPooling1D(ConfigMap c) {
        super(1, true, c);
    }

    /** Every Keras argument by its config name: {"data_format": "channels_first", "keepdims": true}. */
    public static GlobalMaxPooling1D fromConfig(Map<String, Object> config) {
        return new GlobalMaxPooling1D(new ConfigMap("GlobalMaxPooling1D", config));
    }
}
