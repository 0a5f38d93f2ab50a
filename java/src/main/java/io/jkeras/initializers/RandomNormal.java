package io.jkeras.initializers;

import io.jkeras.ops.Ops;
import io.jkeras.ops.RandomStream;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Tensor;
import java.util.Map;

/** Normal draws; with a seed, every call returns the same values (as Keras's seeded initializers do). */
public final class RandomNormal extends NormalInitializer {
    public RandomNormal() {
        this(0.0, 0.05, null);
    }

    public RandomNormal(double mean, double stddev, Long seed) {
        super(mean, stddev, seed);
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
}
