package io.jkeras.layers.core;

import io.jkeras.layers.Layer;
import io.jkeras.ops.Ops;
import io.jkeras.ops.RandomStream;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Tensor;
import java.util.Map;
import java.util.Set;

/**
 * Keras's Dropout: in training, zeroes a fraction {@code rate} of the input (or of blocks of it, by
 * {@code noise_shape}) and scales the rest by 1 / (1 - rate); the identity in inference.
 */
public class Dropout extends Layer {
    private static final Set<String> KEYS = keys("rate", "noise_shape", "seed");

    private final double rate;
    private final long[] noiseShape;
    private final Long seed;
    private final RandomStream rng;

    public Dropout(double rate) {
        this(rate, null, null);
    }

    /** noiseShape: null, or one entry per input axis with -1 where the input's dimension is taken. */
    public Dropout(double rate, long[] noiseShape, Long seed) {
        this.rate = checkRate(rate);
        this.noiseShape = noiseShape == null ? null : noiseShape.clone();
        this.seed = seed;
        this.rng = RandomStream.of(seed);
        supportsMasking = true;
    }

    protected Dropout(ConfigMap c, Set<String> extraKeys) {
        super(c);
        Set<String> known = new java.util.HashSet<>(KEYS);
        known.addAll(extraKeys);
        c.checkKnown(known);
        this.rate = checkRate(c.getDouble("rate", Double.NaN));
        this.noiseShape = c.getLongs("noise_shape", 0);
        this.seed = c.getNullableLong("seed");
        this.rng = RandomStream.of(seed);
        supportsMasking = true;
    }

    private double checkRate(double r) {
        if (!(r >= 0 && r <= 1)) {
            throw new IllegalArgumentException(className() + ": argument 'rate' must be a number in [0, 1], got " + r);
        }
        return r;
    }

    public static Dropout fromConfig(Map<String, Object> config) {
        return new Dropout(new ConfigMap("Dropout", config), Set.of());
    }

    public double rate() {
        return rate;
    }

    /** The shape of the dropout mask for this input; -1 entries of noise_shape take the input's dimension. */
    protected long[] noiseShape(Tensor input) {
        if (noiseShape == null) {
            return input.shape();
        }
        if (noiseShape.length != input.rank()) {
            throw new IllegalArgumentException(className() + " " + getName() + ": noise_shape "
                    + java.util.Arrays.toString(noiseShape) + " does not match an input of shape " + input.getShape());
        }
        long[] s = noiseShape.clone();
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                s[i] = input.dim(i);
            }
        }
        return s;
    }

    @Override
    protected Tensor call(Tensor input, Tensor mask, boolean training) {
        // As Keras 2: rates of 0 and 1 leave the input untouched.
        if (!training || rate <= 0 || rate >= 1) {
            return input;
        }
        return Ops.dropout(input, (float) rate, noiseShape(input), rng);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("rate", rate);
        c.put("noise_shape", noiseShape == null ? null : io.jkeras.tensor.Shape.of(noiseShape).toList());
        c.put("seed", seed);
        return c;
    }
}
