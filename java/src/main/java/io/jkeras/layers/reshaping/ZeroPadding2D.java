package io.jkeras.layers.reshaping;

import io.jkeras.saving.ConfigMap;
import java.util.List;
import java.util.Map;

/** Keras's ZeroPadding2D: rows of zeros above and below, columns left and right of images. */
public final class ZeroPadding2D extends ZeroPadding {
    /** Keras's default: one row or column of zeros at every edge, channels_last. */
    public ZeroPadding2D() {
        this(1);
    }

    /** The same amount at every edge, channels_last. */
    public ZeroPadding2D(long padding) {
        this(args("ZeroPadding2D", padding, "channels_last"));
    }

    /** ((top, bottom), (left, right)) and a data_format. */
    public ZeroPadding2D(long top, long bottom, long left, long right, String dataFormat) {
        this(args("ZeroPadding2D", List.of(List.of(top, bottom), List.of(left, right)), dataFormat));
    }

    private ZeroPadding2D(ConfigMap c) {
        super(2, c);
    }

    /** {"padding": [[1, 1], [2, 0]], "data_format": "channels_last"}; also an int or [rows, columns]. */
    public static ZeroPadding2D fromConfig(Map<String, Object> config) {
        return new ZeroPadding2D(new ConfigMap("ZeroPadding2D", config));
    }
}
