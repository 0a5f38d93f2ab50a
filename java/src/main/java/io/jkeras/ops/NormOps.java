package io.jkeras.ops;

import io.jkeras.tensor.Tensor;

/**
 * Normalisation as compositions of {@link Ops}: batch / layer moments, the affine normalisation of
 * tf.nn.batch_normalization, and l2_normalize. Every function is differentiable through the tape, including
 * through the batch statistics.
 *
 * <p>Each training-mode normalisation costs about six passes over the input (mean, centre, square, mean,
 * scale, shift); a fused native kernel (oneDNN's batch normalization forward/backward on the CPU, cuDNN's on
 * the GPU) would do it in two and is where a dedicated primitive would pay.
 */
public final class NormOps {
    private NormOps() {
    }

    /** The result of a normalisation with batch statistics: the output and the statistics (kept dims). */
    public record Normalized(Tensor output, Tensor mean, Tensor variance) {
    }

    /**
     * Normalises x over {@code axes} with its own statistics: (x - mean) / sqrt(var + epsilon) * gamma + beta,
     * mean and the biased variance taken over axes (kept as size-1 dims). gamma and beta (either may be null)
     * must broadcast against x (shaped like the statistics).
     */
    public static Normalized normalizeWithMoments(Tensor x, int[] axes, Tensor gamma, Tensor beta, float epsilon) {
        Tensor mean = Ops.mean(x, axes, true);
        Tensor centered = Ops.sub(x, mean);
        Tensor variance = Ops.mean(Ops.square(centered), axes, true);
        Tensor inv = Ops.pow(Ops.add(variance, epsilon), -0.5f);
        Tensor scale = gamma == null ? inv : Ops.mul(inv, gamma);
        Tensor y = Ops.mul(centered, scale);
        if (beta != null) {
            y = Ops.add(y, beta);
        }
        return new Normalized(y, mean, variance);
    }

    /**
     * tf.nn.batch_normalization with given statistics: x * s + (beta - mean * s), s = gamma / sqrt(var + epsilon).
     * mean, variance, gamma and beta (gamma / beta may be null) broadcast against x; the per-channel terms are
     * computed on the small tensors, so the input is read twice.
     */
    public static Tensor normalize(Tensor x, Tensor mean, Tensor variance, Tensor gamma, Tensor beta, float epsilon) {
        Tensor inv = Ops.pow(Ops.add(variance, epsilon), -0.5f);
        Tensor scale = gamma == null ? inv : Ops.mul(inv, gamma);
        Tensor shift = Ops.neg(Ops.mul(mean, scale));
        if (beta != null) {
            shift = Ops.add(shift, beta);
        }
        return Ops.add(Ops.mul(x, scale), shift);
    }

    /**
     * Root-mean-square normalisation (Keras 3's LayerNormalization with rms_scaling): x / sqrt(mean(x^2) + eps)
     * over axes, times gamma when given.
     */
    public static Tensor rmsNormalize(Tensor x, int[] axes, Tensor gamma, float epsilon) {
        Tensor inv = Ops.pow(Ops.add(Ops.mean(Ops.square(x), axes, true), epsilon), -0.5f);
        Tensor y = Ops.mul(x, inv);
        return gamma == null ? y : Ops.mul(y, gamma);
    }

    /** tf.math.l2_normalize: x / sqrt(max(sum(x^2, axis), epsilon)). */
    public static Tensor l2Normalize(Tensor x, int axis, float epsilon) {
        Tensor squareSum = Ops.sum(Ops.square(x), new int[] {axis}, true);
        return Ops.mul(x, Ops.pow(Ops.clip(squareSum, epsilon, Float.POSITIVE_INFINITY), -0.5f));
    }

    /** l2_normalize with TensorFlow's default epsilon, 1e-12. */
    public static Tensor l2Normalize(Tensor x, int axis) {
        return l2Normalize(x, axis, 1e-12f);
    }

    /**
     * An exponential moving average as Keras's moving_average_update computes it:
     * {@code moving * momentum + value * (1 - momentum)}, on values that are not connected to any tape
     * (the caller assigns the result to the moving variable).
     */
    public static Tensor movingAverage(Tensor moving, Tensor value, float momentum) {
        Tensor m = Ops.stopGradient(moving);
        Tensor v = Ops.stopGradient(value);
        return Ops.add(Ops.mul(m, momentum), Ops.mul(v, 1f - momentum));
    }
}
