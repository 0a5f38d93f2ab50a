package io.jkeras.layers.reshaping;

import io.jkeras.saving.ConfigMap;
import java.util.List;
import java.util.Map;

/** Keras's Cropping3D: removes elements at the ends of the three spatial axes of volumes. */
public final class Cropping3D extends Cropping {
    /** Keras's default: one element at each end of every axis, channels_last. */
    public Cropping3D() {
        this(1);
    }

    /** The same amount at both ends of every axis, channels_last. */
    public Cropping3D(long cropping) {
        this(args("Cropping3D", cropping, "channels_last"));
    }

    /** ((d1 before, d1 after), (d2 ...), (d3 ...)) and a data_format. */
    public Cropping3D(long[][] cropping, String dataFormat) {
        this(args("Cropping3D", List.of(List.of(cropping[0][0], cropping[0][1]), List.of(cropping[1][0],
                cropping[1][1]), List.of(cropping[2][0], cropping[2][1])), dataFormat));
    }

    private Cropping3D(ConfigMap c) {
        super(3, 1, c);
    }

    /** {"cropping": [[1, 1], [2, 2], [0, 1]], "data_format": "channels_last"}; also an int or three ints. */
    public static Cropping3D fromConfig(Map<String, Object> config) {
        return new Cropping3D(new ConfigMap("Cropping3D", config));
    }
}
