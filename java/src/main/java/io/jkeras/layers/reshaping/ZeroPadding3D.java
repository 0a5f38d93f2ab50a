package io.jkeras.layers.reshaping;

import io.jkeras.saving.ConfigMap;
import java.util.List;
import java.util.Map;

/** Keras's ZeroPadding3D: zeros at the ends of the three spatial axes of volumes. */
public final class ZeroPadding3D extends ZeroPadding {
    /** Keras's default: one zero at each end of every axis, channels_last. */
    public ZeroPadding3D() {
        this(1);
    }

    /** The same amount at both ends of every axis, channels_last. */
    public ZeroPadding3D(long padding) {
        this(args("ZeroPadding3D", padding, "channels_last"));
    }

    /** ((d1 before, d1 after), (d2 ...), (d3 ...)) and a data_format. */
    public ZeroPadding3D(long[][] padding, String dataFormat) {
        this(args("ZeroPadding3D", List.of(List.of(padding[0][0], padding[0][1]), List.of(padding[1][0],
                padding[1][1]), List.of(padding[2][0], padding[2][1])), dataFormat));
    }

    private ZeroPadding3D(ConfigMap c) {
        super(3, c);
    }

    /** {"padding": [[1, 1], [2, 2], [0, 1]], "data_format": "channels_last"}; also an int or three ints. */
    public static ZeroPadding3D fromConfig(Map<String, Object> config) {
        return new ZeroPadding3D(new ConfigMap("ZeroPadding3D", config));
    }
}
