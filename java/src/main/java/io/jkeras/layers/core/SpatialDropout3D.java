package io.jkeras.layers.core;

import io.jkeras.saving.ConfigMap;
import java.util.Map;

/** Keras's SpatialDropout3D: drops whole channels of a rank-5 input. */
public final class SpatialDropout3D extends SpatialDropout {
    public SpatialDropout3D(double rate) {
        this(rate, DataFormats.CHANNELS_LAST);
    }

    /** dataFormat: "channels_last" (default) or "channels_first". */
    public SpatialDropout3D(double rate, String dataFormat) {
        super(3, rate, dataFormat);
    }

    private SpatialDropout3D(ConfigMap c) {
        super(3, c);
    }

    public static SpatialDropout3D fromConfig(Map<String, Object> config) {
        return new SpatialDropout3D(new ConfigMap("SpatialDropout3D", config));
    }
}
