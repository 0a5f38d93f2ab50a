package io.jkeras.layers.reshaping;

import io.jkeras.saving.ConfigMap;
import java.util.List;
import java.util.Map;

/** Keras's Cropping1D: removes steps at the start and end of (batch, steps, features) inputs. */
public final class Cropping1D extends Cropping {
    /** Keras's default: one step at each end. */
    public Cropping1D() {
        this(1, 1);
    }

    /** before steps at the start, after at the end. */
    public Cropping1D(long before, long after) {
        this(args("Cropping1D", List.of(before, after), null));
    }

    private Cropping1D(ConfigMap c) {
        super(1, 1, c);
    }

    /** {"cropping": [1, 2]} or {"cropping": 1}. */
    public static Cropping1D fromConfig(Map<String, Object> config) {
        return new Cropping1D(new ConfigMap("Cropping1D", config));
    }
}
