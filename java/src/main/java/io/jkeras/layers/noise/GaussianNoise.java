package io.jkeras.layers.noise;

import io.jkeras.layers.Layer;
import io.jkeras.ops.NoiseOps;
import io.jkeras.ops.RandomStream;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Tensor;
import java.util.Map;
import java.util.Set;

/**
 * Keras's GaussianNoise(stddev): in training, adds zero-centred Gaussian noise of that standard deviation to
 * every element; the identity in inference. Keras 2 has no seed argument (its noise is unseeded); a seed given
 * here (or Keras 3's "seed" key) makes the draws reproducible and is then written by get_config.
 */
public final class GaussianNoise extends Layer {
    private static final Set<String> KEYS = keys("stddev", "seed", "sigma");

    private final double stddev;
    private final Long seed;
    private final RandomStream rng;

    public GaussianNoise(double stddev) {
        this(stddev, null);
    }

    public GaussianNoise(double stddev, Long seed) {
        this.stddev = check(stddev);
        this.seed = seed;
        this.rng = RandomStream.of(seed);
        supportsMasking = true;
    }

    private GaussianNoise(ConfigMap c) {
        super(c);
        c.checkKnown(KEYS);
        String key = c.has("stddev") ? "stddev" : "sigma";  // Keras 1 called it sigma
        if (!c.has(key)) {
            throw new IllegalArgumentException("GaussianNoise: argument 'stddev' is required");
        }
        this.stddev = check(c.getDouble(key, 0));
        this.seed = c.getNullableLong("seed");
        this.rng = RandomStream.of(seed);
        supportsMasking = true;
    }

    private static double check(double s) {
        if (!(s >= 0) || Double.isInfinite(s)) {
            throw new IllegalArgumentException("GaussianNoise: argument 'stddev' must be a non-negative number, got "
                    + s);
        }
        return s;
    }

    public static GaussianNoise fromConfig(Map<String, Object> config) {
        return new GaussianNoise(new ConfigMap("GaussianNoise", config));
    }

    public double stddev() {
        return stddev;
    }

    @Override
    protected Tensor call(Tensor input, Tensor mask, boolean training) {
        if (!training) {
            return input;
        }
        return NoiseOps.gaussianNoise(input, (float) stddev, rng);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("stddev", stddev);
        if (seed != null) {
            c.put("seed", seed);
        }
        return c;
    }
}
