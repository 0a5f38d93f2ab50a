package io.jkeras.initializers;

import io.jkeras.ops.Ops;
import io.jkeras.ops.RandomStream;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Draws scaled to the weight's fans (Keras 2): with n the fan picked by mode (at least 1), "normal" and
 * "truncated_normal" draw a truncated normal of stddev sqrt(scale / n) / 0.8796... (the stddev of a unit normal
 * truncated at two standard deviations, so that the draws have stddev sqrt(scale / n)), "untruncated_normal" a
 * normal of stddev sqrt(scale / n), "uniform" a uniform in [-sqrt(3 scale / n), sqrt(3 scale / n)).
 */
public class VarianceScaling implements Initializer {
    private static final Set<String> MODES = Set.of("fan_in", "fan_out", "fan_avg");
    private static final Set<String> DISTRIBUTIONS = Set.of("normal", "uniform", "truncated_normal", "untruncated_normal");
    private static final double TRUNCATED_STDDEV = 0.87962566103423978;

    private final double scale;
    private final String mode;
    private final String distribution;
    private final Long seed;

    public VarianceScaling() {
        this(1.0, "fan_in", "normal", null);
    }

    public VarianceScaling(double scale, String mode, String distribution, Long seed) {
        if (!(scale > 0)) {
            throw new IllegalArgumentException("VarianceScaling: argument 'scale' must be a positive number, got "
                    + scale);
        }
        if (!MODES.contains(mode)) {
            throw new IllegalArgumentException("VarianceScaling: argument 'mode' must be one of " + MODES + ", got "
                    + mode);
        }
        if (!DISTRIBUTIONS.contains(distribution)) {
            throw new IllegalArgumentException("VarianceScaling: argument 'distribution' must be one of "
                    + DISTRIBUTIONS + ", got " + distribution);
        }
        this.scale = scale;
        this.mode = mode;
        this.distribution = distribution;
        this.seed = seed;
    }

    public static VarianceScaling fromConfig(Map<String, Object> config) {
        ConfigMap c = BuiltinInitializers.config("VarianceScaling", config, "scale", "mode", "distribution", "seed");
        return new VarianceScaling(c.getDouble("scale", 1.0), c.getString("mode", "fan_in"),
                c.getString("distribution", "normal"), c.getNullableLong("seed"));
    }

    public Long seed() {
        return seed;
    }

    /**
     * {fan_in, fan_out} as Keras computes them: a matrix (in, out); a kernel (..., in, out) whose leading
     * dimensions make the receptive field; for a vector or a scalar, sqrt(size) for both.
     */
    static double[] fans(long[] shape) {
        if (shape.length == 2) {
            return new double[] {shape[0], shape[1]};
        }
        if (shape.length > 2) {
            double receptive = 1;
            for (int i = 0; i < shape.length - 2; i++) {
                receptive *= shape[i];
            }
            return new double[] {shape[shape.length - 2] * receptive, shape[shape.length - 1] * receptive};
        }
        double size = shape.length == 1 ? shape[0] : 1;
        return new double[] {Math.sqrt(size), Math.sqrt(size)};
    }

    @Override
    public Tensor apply(long... shape) {
        double[] fans = fans(shape);
        double n = switch (mode) {
            case "fan_in" -> fans[0];
            case "fan_out" -> fans[1];
            default -> (fans[0] + fans[1]) / 2;
        };
        double variance = scale / Math.max(1.0, n);
        RandomStream rng = RandomStream.of(seed);
        return switch (distribution) {
            case "uniform" -> {
                float limit = (float) Math.sqrt(3 * variance);
                yield Ops.randomUniform(shape, -limit, limit, rng);
            }
            case "untruncated_normal" -> Ops.randomNormal(shape, 0f, (float) Math.sqrt(variance), rng);
            default -> Ops.truncatedNormal(shape, 0f, (float) (Math.sqrt(variance) / TRUNCATED_STDDEV), rng);
        };
    }

    @Override
    public String className() {
        return "VarianceScaling";
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scale", scale);
        m.put("mode", mode);
        m.put("distribution", distribution);
        m.put("seed", seed);
        return m;
    }
}
