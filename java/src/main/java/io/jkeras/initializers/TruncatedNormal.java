package io.jkeras.initializers;

import io.jkeras.ops.Ops;
import io.jkeras.ops.RandomStream;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/** Normal draws redrawn until within two standard deviations of the mean; with a seed, the same every call. */
public final class TruncatedNormal implements Initializer {
    private final double mean;
    private final double stddev;
    private final Long seed;

    public TruncatedNormal() {
        this(0.0, 0.05, null);
    }

    public TruncatedNormal(double mean, double stddev, Long seed) {
        if (!(stddev >= 0)) {
            throw new IllegalArgumentException("TruncatedNormal: argument 'stddev' must be >= 0, got " + stddev);
        }
        this.mean = mean;
        this.stddev = stddev;
        this.seed = seed;
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

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mean", mean);
        m.put("stddev", stddev);
        m.put("seed", seed);
        return m;
    }
}
