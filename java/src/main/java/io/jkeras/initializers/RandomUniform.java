package io.jkeras.initializers;

import io.jkeras.ops.Ops;
import io.jkeras.ops.RandomStream;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/** Uniform draws in [minval, maxval); with a seed, every call returns the same values. */
public final class RandomUniform implements Initializer {
    private final double minval;
    private final double maxval;
    private final Long seed;

    public RandomUniform() {
        this(-0.05, 0.05, null);
    }

    public RandomUniform(double minval, double maxval, Long seed) {
        if (!(minval <= maxval)) {
            throw new IllegalArgumentException("RandomUniform: argument 'minval' (" + minval
                    + ") must be <= argument 'maxval' (" + maxval + ")");
        }
        this.minval = minval;
        this.maxval = maxval;
        this.seed = seed;
    }

    public static RandomUniform fromConfig(Map<String, Object> config) {
        ConfigMap c = BuiltinInitializers.config("RandomUniform", config, "minval", "maxval", "seed");
        return new RandomUniform(c.getDouble("minval", -0.05), c.getDouble("maxval", 0.05), c.getNullableLong("seed"));
    }

    @Override
    public Tensor apply(long... shape) {
        return Ops.randomUniform(shape, (float) minval, (float) maxval, RandomStream.of(seed));
    }

    @Override
    public String className() {
        return "RandomUniform";
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("minval", minval);
        m.put("maxval", maxval);
        m.put("seed", seed);
        return m;
    }
}
