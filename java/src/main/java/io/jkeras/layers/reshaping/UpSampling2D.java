package io.jkeras.layers.reshaping;

import io.jkeras.saving.ConfigMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keras's UpSampling2D: rows and columns grow by size = (rows, columns), repeating pixels (interpolation
 * "nearest") or interpolating them bilinearly as TF 2's tf.image.resize does (half-pixel centres).
 */
public final class UpSampling2D extends UpSampling {
    private static final Set<String> KEYS = keys("size", "data_format", "interpolation");

    /** Keras's defaults: size (2, 2), channels_last, nearest. */
    public UpSampling2D() {
        this(2, 2, "channels_last", "nearest");
    }

    public UpSampling2D(int size) {
        this(size, size, "channels_last", "nearest");
    }

    /** size (rows, columns), data_format, interpolation "nearest" or "bilinear". */
    public UpSampling2D(int rows, int columns, String dataFormat, String interpolation) {
        this(args("UpSampling2D", List.of(rows, columns), dataFormat, interpolation));
    }

    private UpSampling2D(ConfigMap c) {
        super(2, c, KEYS);
    }

    /** {"size": [2, 3], "data_format": "channels_first", "interpolation": "bilinear"}. */
    public static UpSampling2D fromConfig(Map<String, Object> config) {
        return new UpSampling2D(new ConfigMap("UpSampling2D", config));
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("size", ConfigMap.list(size));
        c.put("data_format", dataFormat);
        c.put("interpolation", interpolation);
        return c;
    }
}
