package io.jkeras.layers.core;

import io.jkeras.saving.ConfigMap;
import java.util.Map;

/** Keras's SpatialDropout2D: drops whole channels of a rank-4 input. */
public final class SpatialDropout2D extends SpatialDropout {
    public SpatialDropout2D(double rate) {
        this(rate, DataFormats.CHANNELS_LAST);
    }

    /** dataFormat: "channels_last" (default) or "channels_first". */
    public SpatialDropout2D(double rate, String dataFormat) {
        super(2, rate, dataFormat);
    }

    private SpatialDropout2D(ConfigMap c) {
        super(2, c);
    }

    public static SpatialDropout2D fromConfig(Map<String, Object> config) {
        return new SpatialDropout2D(new ConfigMap("SpatialDropout2D", config));
    }
}
