package io.jkeras.layers.reshaping;

import io.jkeras.saving.ConfigMap;
import java.util.List;
import java.util.Map;

/** Keras's Cropping2D: removes rows and columns at the edges of images. */
public final class Cropping2D extends Cropping {
    /** Keras's default: nothing cropped ((0, 0), (0, 0)), channels_last. */
    public Cropping2D() {
        this(0);
    }

    /** The same amount at every edge, channels_last. */
    public Cropping2D(long cropping) {
        this(args("Cropping2D", cropping, "channels_last"));
    }

    /** ((top, bottom), (left, right)) and a data_format. */
    public Cropping2D(long top, long bottom, long left, long right, String dataFormat) {
        this(args("Cropping2D", List.of(List.of(top, bottom), List.of(left, right)), dataFormat));
    }

    private Cropping2D(ConfigMap c) {
        super(2, 0, c);
    }

    /** {"cropping": [[1, 1], [2, 0]], "data_format": "channels_last"}; also an int or [rows, columns]. */
    public static Cropping2D fromConfig(Map<String, Object> config) {
        return new Cropping2D(new ConfigMap("Cropping2D", config));
    }
}
