package io.jkeras.initializers;

import io.jkeras.ops.Ops;
import io.jkeras.ops.RandomStream;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Tensor;
import java.util.Map;

/** Normal draws redrawn until within two standard deviations of the mean; with a seed, the same every call. */
public final class TruncatedNormal extends NormalInitializer {
    public TruncatedNormal() {
        this(0.0, 0.05, null);
    }

    public TruncatedNormal(double mean, double stddev, Long seed) {
        super(mean, stddev, seed);
    }

    public static TruncatedNormal fromConfig(Map<String, Object> config) {
        ConfigMap c = BuiltinInitializers.config("TruncatedNormal", config, "mean", "stddev", "seed");
        return new TruncatedNormal(c.getDouble("mean", 0.0), c.getDouble("stddev", 0.05), c.getNullableLong("seed"));
    }

    @Override
    public Tensor apply(long... shape) {
        return Ops.truncatedNormal(shape, (float) mean, (float) stddev, RandomStream.of(seed));
    }

    @Override
    public String className() {
        return "TruncatedNormal";
    }
}
