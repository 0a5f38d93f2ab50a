package io.jkeras.layers.normalization;

import io.jkeras.constraints.Constraint;
import io.jkeras.constraints.Constraints;
import io.jkeras.initializers.Initializer;
import io.jkeras.initializers.Initializers;
import io.jkeras.layers.Layer;
import io.jkeras.ops.NormOps;
import io.jkeras.ops.Ops;
import io.jkeras.regularizers.Regularizer;
import io.jkeras.regularizers.Regularizers;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * tf.keras's LayerNormalization(axis=-1, epsilon=1e-3, center, scale, initializers, regularizers and constraints
 * of beta and gamma): each sample normalised over {@code axis} (one or several) with its own mean and biased
 * variance, then {@code * gamma + beta}. Weights gamma (if scale) then beta (if center), of the sizes of the
 * normalised axes in the order given. The same in training and inference. Keras 3's rms_scaling is supported.
 */
public final class LayerNormalization extends Layer {
    private static final Set<String> KEYS = keys("axis", "epsilon", "center", "scale", "beta_initializer",
            "gamma_initializer", "beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint",
            "rms_scaling");

    private final Axes axis;
    private final double epsilon;
    private final boolean center;
    private final boolean scale;
    private final boolean rmsScaling;
    private final Initializer betaInitializer;
    private final Initializer gammaInitializer;
    private final Regularizer betaRegularizer;
    private final Regularizer gammaRegularizer;
    private final Constraint betaConstraint;
    private final Constraint gammaConstraint;
    private Tensor gamma;
    private Tensor beta;
    private int[] normAxes;

    public LayerNormalization() {
        this(builder());
    }

    public LayerNormalization(int axis) {
        this(builder().axis(axis));
    }

    private LayerNormalization(Builder b) {
        this.axis = b.axis;
        this.epsilon = checkEpsilon(b.epsilon);
        this.center = b.center;
        this.scale = b.scale;
        this.rmsScaling = b.rmsScaling;
        this.betaInitializer = Initializers.get(b.betaInitializer);
        this.gammaInitializer = Initializers.get(b.gammaInitializer);
        this.betaRegularizer = Regularizers.get(b.betaRegularizer);
        this.gammaRegularizer = Regularizers.get(b.gammaRegularizer);
        this.betaConstraint = Constraints.get(b.betaConstraint);
        this.gammaConstraint = Constraints.get(b.gammaConstraint);
        supportsMasking = true;
    }

    private LayerNormalization(ConfigMap c) {
        super(c);
        c.checkKnown(KEYS);
        this.axis = Axes.read("LayerNormalization", c, -1);
        this.epsilon = checkEpsilon(c.getDouble("epsilon", 1e-3));
        this.center = c.getBoolean("center", true);
        this.scale = c.getBoolean("scale", true);
        this.rmsScaling = c.getBoolean("rms_scaling", false);
        this.betaInitializer = Initializers.get(c.has("beta_initializer") ? c.get("beta_initializer") : "zeros");
        this.gammaInitializer = Initializers.get(c.has("gamma_initializer") ? c.get("gamma_initializer") : "ones");
        this.betaRegularizer = Regularizers.get(c.get("beta_regularizer"));
        this.gammaRegularizer = Regularizers.get(c.get("gamma_regularizer"));
        this.betaConstraint = Constraints.get(c.get("beta_constraint"));
        this.gammaConstraint = Constraints.get(c.get("gamma_constraint"));
        supportsMasking = true;
    }

    private static double checkEpsilon(double e) {
        if (!(e >= 0) || Double.isInfinite(e)) {
            throw new IllegalArgumentException("LayerNormalization: argument 'epsilon' must be a non-negative number, "
                    + "got " + e);
        }
        return e;
    }

    public static LayerNormalization fromConfig(Map<String, Object> config) {
        return new LayerNormalization(new ConfigMap("LayerNormalization", config));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Every argument of LayerNormalization, with tf.keras's defaults. */
    public static final class Builder {
        private Axes axis = Axes.of(-1);
        private double epsilon = 1e-3;
        private boolean center = true;
        private boolean scale = true;
        private boolean rmsScaling;
        private Object betaInitializer = "zeros";
        private Object gammaInitializer = "ones";
        private Object betaRegularizer;
        private Object gammaRegularizer;
        private Object betaConstraint;
        private Object gammaConstraint;

        private Builder() {
        }

        public Builder axis(int a) {
            this.axis = Axes.of(a);
            return this;
        }

        public Builder axes(int... a) {
            this.axis = Axes.of(a);
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

        /** Keras 3: divide by the root mean square instead of centring and dividing by the deviation. */
        public Builder rmsScaling(boolean r) {
            this.rmsScaling = r;
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

        public LayerNormalization build() {
            return new LayerNormalization(this);
        }
    }

    @Override
    protected void doBuild(Shape inputShape) {
        int[] axes = axis.resolve("LayerNormalization", getName(), inputShape);
        long[] param = new long[axes.length];
        for (int i = 0; i < axes.length; i++) {
            param[i] = inputShape.dim(axes[i]);
            if (param[i] == Shape.UNKNOWN) {
                throw new IllegalArgumentException("LayerNormalization " + getName() + ": axis " + axes[i] + " of the "
                        + "input " + inputShape + " must be defined");
            }
        }
        this.normAxes = axes;
        if (scale) {
            gamma = addWeight("gamma", param, gammaInitializer, gammaRegularizer, gammaConstraint, true);
        }
        if (center) {
            beta = addWeight("beta", param, betaInitializer, betaRegularizer, betaConstraint, true);
        }
    }

    @Override
    protected Tensor call(Tensor input, Tensor mask, boolean training) {
        long[] b = new long[input.rank()];
        Arrays.fill(b, 1);
        for (int a : normAxes) {
            b[a] = input.dim(a);
        }
        Tensor g = gamma == null ? null : Ops.reshape(gamma, b);
        Tensor bt = beta == null ? null : Ops.reshape(beta, b);
        int[] sorted = normAxes.clone();
        Arrays.sort(sorted);
        if (rmsScaling) {
            return NormOps.rmsNormalize(input, sorted, g, (float) epsilon);
        }
        return NormOps.normalizeWithMoments(input, sorted, g, bt, (float) epsilon).output();
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("axis", axis.serialize());
        c.put("epsilon", epsilon);
        c.put("center", center);
        c.put("scale", scale);
        if (rmsScaling) {
            c.put("rms_scaling", true);
        }
        c.put("beta_initializer", Initializers.serialize(betaInitializer));
        c.put("gamma_initializer", Initializers.serialize(gammaInitializer));
        c.put("beta_regularizer", Regularizers.serialize(betaRegularizer));
        c.put("gamma_regularizer", Regularizers.serialize(gammaRegularizer));
        c.put("beta_constraint", Constraints.serialize(betaConstraint));
        c.put("gamma_constraint", Constraints.serialize(gammaConstraint));
        return c;
    }
}
