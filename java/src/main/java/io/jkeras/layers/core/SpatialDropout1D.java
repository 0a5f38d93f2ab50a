package io.jkeras.layers.core;

import io.jkeras.saving.ConfigMap;
import java.util.Map;

/** Keras's SpatialDropout1D: drops whole channels of a rank-3 input. */
public final class SpatialDropout1D extends SpatialDropout {
    public SpatialDropout1D(double rate) {
        super(1, rate, DataFormats.CHANNELS_LAST);
    }

    private SpatialDropout1D(ConfigMap c) {
        super(1, c);
    }

    public static SpatialDropout1D fromConfig(Map<String, Object> config) {
        return new SpatialDropout1D(new ConfigMap("SpatialDropout1D", config));
    }
}
