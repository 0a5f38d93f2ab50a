package io.jkeras.layers.normalization;

import io.jkeras.constraints.Constraint;
import io.jkeras.constraints.Constraints;
import io.jkeras.initializers.Initializer;
import io.jkeras.initializers.Initializers;
import io.jkeras.layers.InputSpec;
import io.jkeras.layers.Layer;
import io.jkeras.layers.Weight;
import io.jkeras.ops.NormOps;
import io.jkeras.ops.Ops;
import io.jkeras.regularizers.Regularizer;
import io.jkeras.regularizers.Regularizers;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Keras 2's BatchNormalization(axis=-1, momentum=0.99, epsilon=1e-3, center, scale, initializers of beta, gamma,
 * moving_mean and moving_variance, regularizers and constraints of beta and gamma). Weights, in Keras's order:
 * gamma (if scale), beta (if center), moving_mean, moving_variance (the last two not trainable), each of the
 * size of the normalised axis (a list of several axes gives weights of the input's rank, size 1 elsewhere).
 *
 * <p>Inference (training = false): {@code (x - moving_mean) / sqrt(moving_variance + epsilon) * gamma + beta}.
 * Training: the same with the batch's mean and biased variance over every other axis, differentiated through
 * those statistics; then, as Keras 2.2.4's layer does (and only when the layer is trainable), the moving
 * statistics are updated in place, off the gradient tape:
 * {@code moving = moving * momentum + batch * (1 - momentum)}, where the batch variance is the unbiased one,
 * {@code variance * n / (n - (1 + epsilon))} with n the number of values per channel. (This is the backend-neutral
 * rule; Keras 2.2.4 on TensorFlow additionally zero-debiases the average, and tf.keras 2.x uses the biased
 * variance unless its fused kernel runs.)
 */
public final class BatchNormalization extends Layer {
    private static final Set<String> KEYS = keys("axis", "momentum", "epsilon", "center", "scale",
            "beta_initializer", "gamma_initializer", "moving_mean_initializer", "moving_variance_initializer",
            "beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint",
            // tf.keras / Keras 3 options, accepted at their defaults
            "renorm", "renorm_clipping", "renorm_momentum", "fused", "virtual_batch_size", "adjustment",
            "synchronized",
            // Keras 1 names
            "mode", "beta_init", "gamma_init");

    private final Axes axis;
    private final double momentum;
    private final double epsilon;
    private final boolean center;
    private final boolean scale;
    private final Initializer betaInitializer;
    private final Initializer gammaInitializer;
    private final Initializer movingMeanInitializer;
    private final Initializer movingVarianceInitializer;
    private final Regularizer betaRegularizer;
    private final Regularizer gammaRegularizer;
    private final Constraint betaConstraint;
    private final Constraint gammaConstraint;
    private Tensor gamma;
    private Tensor beta;
    private Weight movingMean;
    private Weight movingVariance;
    /** The normalised axes of the built input (non-negative). */
    private int[] channelAxes;

    public BatchNormalization() {
        this(builder());
    }

    public BatchNormalization(int axis) {
        this(builder().axis(axis));
    }

    private BatchNormalization(Builder b) {
        this.axis = b.axis;
        this.momentum = b.momentum;
        this.epsilon = checkEpsilon(b.epsilon);
        this.center = b.center;
        this.scale = b.scale;
        this.betaInitializer = Initializers.get(b.betaInitializer);
        this.gammaInitializer = Initializers.get(b.gammaInitializer);
        this.movingMeanInitializer = Initializers.get(b.movingMeanInitializer);
        this.movingVarianceInitializer = Initializers.get(b.movingVarianceInitializer);
        this.betaRegularizer = Regularizers.get(b.betaRegularizer);
        this.gammaRegularizer = Regularizers.get(b.gammaRegularizer);
        this.betaConstraint = Constraints.get(b.betaConstraint);
        this.gammaConstraint = Constraints.get(b.gammaConstraint);
        supportsMasking = true;
    }

    private BatchNormalization(ConfigMap c) {
        super(c);
        c.checkKnown(KEYS);
        this.axis = Axes.read("BatchNormalization", c, -1);
        this.momentum = c.getDouble("momentum", 0.99);
        this.epsilon = checkEpsilon(c.getDouble("epsilon", 1e-3));
        this.center = c.getBoolean("center", true);
        this.scale = c.getBoolean("scale", true);
        this.betaInitializer = Initializers.get(first(c, "zeros", "beta_initializer", "beta_init"));
        this.gammaInitializer = Initializers.get(first(c, "ones", "gamma_initializer", "gamma_init"));
        this.movingMeanInitializer = Initializers.get(first(c, "zeros", "moving_mean_initializer"));
        this.movingVarianceInitializer = Initializers.get(first(c, "ones", "moving_variance_initializer"));
        this.betaRegularizer = Regularizers.get(c.get("beta_regularizer"));
        this.gammaRegularizer = Regularizers.get(c.get("gamma_regularizer"));
        this.betaConstraint = Constraints.get(c.get("beta_constraint"));
        this.gammaConstraint = Constraints.get(c.get("gamma_constraint"));
        if (c.getBoolean("renorm", false)) {
            throw new IllegalArgumentException("BatchNormalization: renorm=True (batch renormalization) is not "
                    + "supported");
        }
        if (c.has("virtual_batch_size")) {
            throw new IllegalArgumentException("BatchNormalization: virtual_batch_size is not supported, got "
                    + c.get("virtual_batch_size"));
        }
        if (c.has("adjustment")) {
            throw new IllegalArgumentException("BatchNormalization: 'adjustment' is not supported");
        }
        if (c.has("mode") && c.getLong("mode", 0) != 0) {
            throw new IllegalArgumentException("BatchNormalization: Keras 1's mode=" + c.get("mode") + " no longer "
                    + "exists (only mode=0, feature-wise normalization, is supported)");
        }
        supportsMasking = true;
    }

    private static Object first(ConfigMap c, Object dflt, String... keys) {
        for (String k : keys) {
            if (c.has(k)) {
                return c.get(k);
            }
        }
        return dflt;
    }

    private static double checkEpsilon(double e) {
        if (!(e >= 0) || Double.isInfinite(e)) {
            throw new IllegalArgumentException("BatchNormalization: argument 'epsilon' must be a non-negative number, "
                    + "got " + e);
        }
        return e;
    }

    public static BatchNormalization fromConfig(Map<String, Object> config) {
        return new BatchNormalization(new ConfigMap("BatchNormalization", config));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Every argument of BatchNormalization, with Keras's defaults. */
    public static final class Builder {
        private Axes axis = Axes.of(-1);
        private double momentum = 0.99;
        private double epsilon = 1e-3;
        private boolean center = true;
        private boolean scale = true;
        private Object betaInitializer = "zeros";
        private Object gammaInitializer = "ones";
        private Object movingMeanInitializer = "zeros";
        private Object movingVarianceInitializer = "ones";
        private Object betaRegularizer;
        private Object gammaRegularizer;
        private Object betaConstraint;
        private Object gammaConstraint;

        private Builder() {
        }

        /** The normalised (feature) axis, e.g. 1 after a channels_first convolution. */
        public Builder axis(int a) {
            this.axis = Axes.of(a);
            return this;
        }

        /** Several normalised axes (tf.keras). */
        public Builder axes(int... a) {
            this.axis = Axes.of(a);
            return this;
        }

        public Builder momentum(double m) {
            this.momentum = m;
            return this;
        }

        public Builder epsilon(double e) {
            this.epsilon = e;
            return this;
        }

        public Builder center(boolean c) {
            this.center = c;
            return this;
        }

        public Builder scale(boolean s) {
            this.scale = s;
            return this;
        }

        public Builder betaInitializer(Object i) {
            this.betaInitializer = i;
            return this;
        }

        public Builder gammaInitializer(Object i) {
            this.gammaInitializer = i;
            return this;
        }

        public Builder movingMeanInitializer(Object i) {
            this.movingMeanInitializer = i;
            return this;
        }

        public Builder movingVarianceInitializer(Object i) {
            this.movingVarianceInitializer = i;
            return this;
        }

        public Builder betaRegularizer(Object r) {
            this.betaRegularizer = r;
            return this;
        }

        public Builder gammaRegularizer(Object r) {
            this.gammaRegularizer = r;
            return this;
        }

        public Builder betaConstraint(Object c) {
            this.betaConstraint = c;
            return this;
        }

        public Builder gammaConstraint(Object c) {
            this.gammaConstraint = c;
            return this;
        }

        public BatchNormalization build() {
            return new BatchNormalization(this);
        }
    }

    @Override
    protected void doBuild(Shape inputShape) {
        int[] axes = axis.resolve("BatchNormalization", getName(), inputShape);
        int rank = inputShape.rank();
        Map<Integer, Long> specAxes = new HashMap<>();
        for (int a : axes) {
            long d = inputShape.dim(a);
            if (d == Shape.UNKNOWN) {
                throw new IllegalArgumentException("Axis " + a + " of input tensor should have a defined dimension but "
                        + "the layer received an input with shape " + inputShape + " (layer " + getName() + ")");
            }
            specAxes.put(a, d);
        }
        long[] param;
        if (axes.length == 1) {
            param = new long[] {inputShape.dim(axes[0])};
        } else {
            param = new long[rank];
            Arrays.fill(param, 1);
            for (int a : axes) {
                param[a] = inputShape.dim(a);
            }
        }
        this.channelAxes = axes;
        if (scale) {
            gamma = addWeight("gamma", param, gammaInitializer, gammaRegularizer, gammaConstraint, true);
        }
        if (center) {
            beta = addWeight("beta", param, betaInitializer, betaRegularizer, betaConstraint, true);
        }
        addWeight("moving_mean", param, movingMeanInitializer, null, null, false);
        addWeight("moving_variance", param, movingVarianceInitializer, null, null, false);
        var ws = weightVariables();
        movingMean = ws.get(ws.size() - 2);
        movingVariance = ws.get(ws.size() - 1);
        setInputSpec(InputSpec.ndim(rank).withAxes(specAxes));
    }

    /** The shape the per-channel tensors broadcast with against an input of this rank. */
    private long[] broadcastShape(Tensor x) {
        long[] b = new long[x.rank()];
        Arrays.fill(b, 1);
        for (int a : channelAxes) {
            b[a] = x.dim(a);
        }
        return b;
    }

    private static Tensor shaped(Tensor t, long[] shape) {
        return t == null ? null : Ops.reshape(t, shape);
    }

    @Override
    protected Tensor call(Tensor input, Tensor mask, boolean training) {
        long[] b = broadcastShape(input);
        if (!training) {
            return NormOps.normalize(input, shaped(movingMean.value(), b), shaped(movingVariance.value(), b),
                    shaped(gamma, b), shaped(beta, b), (float) epsilon);
        }
        int[] reduction = new int[input.rank() - channelAxes.length];
        long n = 1;
        int j = 0;
        for (int i = 0; i < input.rank(); i++) {
            final int ax = i;
            if (Arrays.stream(channelAxes).noneMatch(c -> c == ax)) {
                reduction[j++] = i;
                n *= input.dim(i);
            }
        }
        NormOps.Normalized out = NormOps.normalizeWithMoments(input, reduction, shaped(gamma, b), shaped(beta, b),
                (float) epsilon);
        if (isTrainable()) {
            updateMovingStatistics(out.mean(), out.variance(), n);
        }
        return out.output();
    }

    /** Keras 2.2.4's update, off the tape: unbiased variance, moving = moving * momentum + batch * (1 - momentum). */
    private void updateMovingStatistics(Tensor mean, Tensor variance, long n) {
        long[] param = movingMean.value().shape();
        double correction = n / (n - (1.0 + epsilon));
        Tensor batchMean = Ops.reshape(Ops.stopGradient(mean), param);
        Tensor batchVar = Ops.mul(Ops.reshape(Ops.stopGradient(variance), param), (float) correction);
        Tensor newMean = NormOps.movingAverage(movingMean.value(), batchMean, (float) momentum);
        Tensor newVar = NormOps.movingAverage(movingVariance.value(), batchVar, (float) momentum);
        movingMean.assign(newMean);
        movingVariance.assign(newVar);
    }

    public double momentum() {
        return momentum;
    }

    public double epsilon() {
        return epsilon;
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("axis", axis.serialize());
        c.put("momentum", momentum);
        c.put("epsilon", epsilon);
        c.put("center", center);
        c.put("scale", scale);
        c.put("beta_initializer", Initializers.serialize(betaInitializer));
        c.put("gamma_initializer", Initializers.serialize(gammaInitializer));
        c.put("moving_mean_initializer", Initializers.serialize(movingMeanInitializer));
        c.put("moving_variance_initializer", Initializers.serialize(movingVarianceInitializer));
        c.put("beta_regularizer", Regularizers.serialize(betaRegularizer));
        c.put("gamma_regularizer", Regularizers.serialize(gammaRegularizer));
        c.put("beta_constraint", Constraints.serialize(betaConstraint));
        c.put("gamma_constraint", Constraints.serialize(gammaConstraint));
        return c;
    }
}
