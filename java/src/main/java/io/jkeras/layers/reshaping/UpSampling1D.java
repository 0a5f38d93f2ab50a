package io.jkeras.layers.reshaping;

import io.jkeras.saving.ConfigMap;
import java.util.Map;
import java.util.Set;

/** Keras's UpSampling1D: repeats each step size times of (batch, steps, features) inputs. */
public final class UpSampling1D extends UpSampling {
    private static final Set<String> KEYS = keys("size");

    /** Keras's default: size 2. */
    public UpSampling1D() {
        this(2);
    }

    public UpSampling1D(int size) {
        this(args("UpSampling1D", size, null, null));
    }

    private UpSampling1D(ConfigMap c) {
        super(1, c, KEYS);
    }

    /** {"size": 3}. */
    public static UpSampling1D fromConfig(Map<String, Object> config) {
        return new UpSampling1D(new ConfigMap("UpSampling1D", config));
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("size", size[0]);
        return c;
    }
}
