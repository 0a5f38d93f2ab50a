package io.jkeras.layers.noise;

import io.jkeras.layers.Layer;
import io.jkeras.ops.NoiseOps;
import io.jkeras.ops.RandomStream;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Tensor;
import java.util.Map;
import java.util.Set;

/**
 * Keras's GaussianDropout(rate): in training (and for 0 &lt; rate &lt; 1), multiplies every element by
 * 1-centred Gaussian noise of standard deviation sqrt(rate / (1 - rate)); the identity otherwise. A seed (not a
 * Keras 2 argument; Keras 3 writes one) makes the draws reproducible.
 */
public final class GaussianDropout extends Layer {
    private static final Set<String> KEYS = keys("rate", "seed", "p");

    private final double rate;
    private final Long seed;
    private final RandomStream rng;

    public GaussianDropout(double rate) {
        this(rate, null);
    }

    public GaussianDropout(double rate, Long seed) {
        this.rate = check(rate);
        this.seed = seed;
        this.rng = RandomStream.of(seed);
        supportsMasking = true;
    }

    private GaussianDropout(ConfigMap c) {
        super(c);
        c.checkKnown(KEYS);
        String key = c.has("rate") ? "rate" : "p";  // Keras 1 called it p
        if (!c.has(key)) {
            throw new IllegalArgumentException("GaussianDropout: argument 'rate' is required");
        }
        this.rate = check(c.getDouble(key, 0));
        this.seed = c.getNullableLong("seed");
        this.rng = RandomStream.of(seed);
        supportsMasking = true;
    }

    private static double check(double r) {
        if (!(r >= 0 && r <= 1)) {
            throw new IllegalArgumentException("GaussianDropout: argument 'rate' must be a number in [0, 1], got " + r);
        }
        return r;
    }

    public static GaussianDropout fromConfig(Map<String, Object> config) {
        return new GaussianDropout(new ConfigMap("GaussianDropout", config));
    }

    public double rate() {
        return rate;
    }

    @Override
    protected Tensor call(Tensor input, Tensor mask, boolean training) {
        if (!training || !(rate > 0 && rate < 1)) {
            return input;
        }
        return NoiseOps.gaussianDropout(input, rate, rng);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("rate", rate);
        if (seed != null) {
            c.put("seed", seed);
        }
        return c;
    }
}
