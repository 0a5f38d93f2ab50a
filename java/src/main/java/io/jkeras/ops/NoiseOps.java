package io.jkeras.ops;

import io.jkeras.tensor.Tensor;

/**
 * The noise of Keras 2's regularisation layers, as compositions of {@link Ops} over seeded draws from a
 * {@link RandomStream}. Each is differentiable with respect to x (the noise is a constant).
 */
public final class NoiseOps {
    /** SELU's alpha and scale, as Keras writes them. */
    public static final double SELU_ALPHA = 1.6732632423543772848170429916717;
    public static final double SELU_SCALE = 1.0507009873554804934193349852946;

    private NoiseOps() {
    }

    /** x + N(0, stddev^2), one draw per element. */
    public static Tensor gaussianNoise(Tensor x, float stddev, RandomStream rng) {
        return Ops.add(x, Ops.randomNormal(x.shape(), 0f, stddev, rng));
    }

    /** x * N(1, rate / (1 - rate)), one draw per element (Keras's GaussianDropout). */
    public static Tensor gaussianDropout(Tensor x, double rate, RandomStream rng) {
        float stddev = (float) Math.sqrt(rate / (1.0 - rate));
        return Ops.mul(x, Ops.randomNormal(x.shape(), 1f, stddev, rng));
    }

    /**
     * Keras 2's AlphaDropout: keep = uniform(noise_shape) >= rate; x' = x * keep + alpha_p * (1 - keep);
     * y = a * x' + b with alpha_p = -SELU_ALPHA * SELU_SCALE, a = ((1 - rate) (1 + rate alpha_p^2))^-1/2 and
     * b = -a alpha_p rate. noiseShape (null: x's shape) broadcasts against x.
     */
    public static Tensor alphaDropout(Tensor x, double rate, long[] noiseShape, RandomStream rng) {
        double alphaP = -SELU_ALPHA * SELU_SCALE;
        double a = Math.pow((1 - rate) * (1 + rate * alphaP * alphaP), -0.5);
        double b = -a * alphaP * rate;
        long[] ns = noiseShape == null ? x.shape() : noiseShape;
        Broadcast.shape("alpha_dropout noise_shape", ns, x.shape());
        Tensor keep = Ops.step(Ops.randomUniform(ns, 0f, 1f, rng), (float) rate);
        // a * (x * keep + alpha_p * (1 - keep)) + b = x * (a keep) + (a alpha_p + b - a alpha_p keep)
        Tensor scale = Ops.mul(keep, (float) a);
        Tensor offset = Ops.affine(keep, (float) (-a * alphaP), (float) (a * alphaP + b));
        return Ops.add(Ops.mul(x, scale), offset);
    }

    /** The affine constants (alpha_p, a, b) of {@link #alphaDropout} for a rate, for tests and references. */
    public static double[] alphaDropoutConstants(double rate) {
        double alphaP = -SELU_ALPHA * SELU_SCALE;
        double a = Math.pow((1 - rate) * (1 + rate * alphaP * alphaP), -0.5);
        return new double[] {alphaP, a, -a * alphaP * rate};
    }
}
