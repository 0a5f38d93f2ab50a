package io.jkeras.layers.noise;

import io.jkeras.layers.Layer;
import io.jkeras.ops.NoiseOps;
import io.jkeras.ops.RandomStream;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * Keras's AlphaDropout(rate, noise_shape=None, seed=None): in training (and for 0 &lt; rate &lt; 1), sets a
 * fraction rate of the inputs to SELU's negative saturation alpha_p = -1.6733 * 1.0507 and applies the affine map
 * a x + b that keeps mean and variance: a = ((1 - rate)(1 + rate alpha_p^2))^-1/2, b = -a alpha_p rate. The
 * identity in inference. noise_shape (one entry per input axis, -1 / null for the input's size) broadcasts the
 * keep mask. Keras 2's get_config writes only "rate"; noise_shape and seed are written here only when set.
 */
public final class AlphaDropout extends Layer {
    private static final Set<String> KEYS = keys("rate", "noise_shape", "seed");

    private final double rate;
    private final long[] noiseShape;
    private final Long seed;
    private final RandomStream rng;

    public AlphaDropout(double rate) {
        this(rate, null, null);
    }

    public AlphaDropout(double rate, long[] noiseShape, Long seed) {
        this.rate = check(rate);
        this.noiseShape = noiseShape == null ? null : noiseShape.clone();
        this.seed = seed;
        this.rng = RandomStream.of(seed);
        supportsMasking = true;
    }

    private AlphaDropout(ConfigMap c) {
        super(c);
        c.checkKnown(KEYS);
        if (!c.has("rate")) {
            throw new IllegalArgumentException("AlphaDropout: argument 'rate' is required");
        }
        this.rate = check(c.getDouble("rate", 0));
        this.noiseShape = c.getLongs("noise_shape", 0);
        this.seed = c.getNullableLong("seed");
        this.rng = RandomStream.of(seed);
        supportsMasking = true;
    }

    private static double check(double r) {
        if (!(r >= 0 && r <= 1)) {
            throw new IllegalArgumentException("AlphaDropout: argument 'rate' must be a number in [0, 1], got " + r);
        }
        return r;
    }

    public static AlphaDropout fromConfig(Map<String, Object> config) {
        return new AlphaDropout(new ConfigMap("AlphaDropout", config));
    }

    public double rate() {
        return rate;
    }

    private long[] noiseShape(Tensor input) {
        if (noiseShape == null) {
            return input.shape();
        }
        if (noiseShape.length != input.rank()) {
            throw new IllegalArgumentException("AlphaDropout " + getName() + ": noise_shape "
                    + Arrays.toString(noiseShape) + " does not match an input of shape " + input.getShape());
        }
        long[] s = noiseShape.clone();
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                s[i] = input.dim(i);
            } else if (s[i] != 1 && s[i] != input.dim(i)) {
                throw new IllegalArgumentException("AlphaDropout " + getName() + ": noise_shape "
                        + Arrays.toString(noiseShape) + " does not broadcast against an input of shape "
                        + input.getShape());
            }
        }
        return s;
    }

    @Override
    protected Tensor call(Tensor input, Tensor mask, boolean training) {
        if (!training || !(rate > 0 && rate < 1)) {
            return input;
        }
        return NoiseOps.alphaDropout(input, rate, noiseShape(input), rng);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("rate", rate);
        if (noiseShape != null) {
            c.put("noise_shape", Shape.of(noiseShape).toList());
        }
        if (seed != null) {
            c.put("seed", seed);
        }
        return c;
    }
}
