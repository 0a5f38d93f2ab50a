package io.jkeras.initializers;

import java.util.LinkedHashMap;
import java.util.Map;

/** What RandomNormal and TruncatedNormal share: mean, stddev and seed, their check and their config. */
abstract class NormalInitializer implements Initializer {
    protected final double mean;
    protected final double stddev;
    protected final Long seed;

    NormalInitializer(double mean, double stddev, Long seed) {
        if (!(stddev >= 0)) {
            throw new IllegalArgumentException(className() + ": argument 'stddev' must be >= 0, got " + stddev);
        }
        this.mean = mean;
        this.stddev = stddev;
        this.seed = seed;
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
