package io.jkeras.initializers;

import io.jkeras.ops.Ops;
import io.jkeras.ops.RandomStream;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/** Normal draws; with a seed, every call returns the same values (as Keras's seeded initializers do). */
public final class RandomNormal implements Initializer {
    private final double mean;
    private final double stddev;
    private final Long seed;

    public RandomNormal() {
        this(0.0, 0.05, null);
    }

    public RandomNormal(double mean, double stddev, Long seed) {
        if (!(stddev >= 0)) {
            throw new IllegalArgumentException("RandomNormal: argument 'stddev' must be >= 0, got " + stddev);
        }
        this.mean = mean;
        this.stddev = stddev;
        this.seed = seed;
    }

    public static RandomNormal fromConfig(Map<String, Object> config) {
        ConfigMap c = BuiltinInitializers.config("RandomNormal", config, "mean", "stddev", "seed");
        return new RandomNormal(c.getDouble("mean", 0.0), c.getDouble("stddev", 0.05), c.getNullableLong("seed"));
    }

    @Override
    public Tensor apply(long... shape) {
        return Ops.randomNormal(shape, (float) mean, (float) stddev, RandomStream.of(seed));
    }

    @Override
    public String className() {
        return "RandomNormal";
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mean", mean);
        m.put("stddev", stddev);
        m.put("seed", seed);
        return m;
    }
}
