package io.jkeras.layers.core;

import io.jkeras.activations.Activation;
import io.jkeras.activations.Activations;
import io.jkeras.constraints.Constraint;
import io.jkeras.constraints.Constraints;
import io.jkeras.initializers.Initializer;
import io.jkeras.initializers.Initializers;
import io.jkeras.layers.InputSpec;
import io.jkeras.layers.Layer;
import io.jkeras.ops.Ops;
import io.jkeras.regularizers.Regularizer;
import io.jkeras.regularizers.Regularizers;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import java.util.Map;
import java.util.Set;

/**
 * Keras's Dense: {@code activation(dot(input, kernel) + bias)} over the last axis of an input of any rank >= 2;
 * kernel (input_dim, units), bias (units,).
 */
public final class Dense extends Layer {
    private static final Set<String> KEYS = keys("units", "activation", "use_bias", "kernel_initializer",
            "bias_initializer", "kernel_regularizer", "bias_regularizer", "activity_regularizer",
            "kernel_constraint", "bias_constraint", "input_dim");

    private final int units;
    private final Activation activation;
    private final boolean useBias;
    private final Initializer kernelInitializer;
    private final Initializer biasInitializer;
    private final Regularizer kernelRegularizer;
    private final Regularizer biasRegularizer;
    private final Constraint kernelConstraint;
    private final Constraint biasConstraint;
    private Tensor kernel;
    private Tensor bias;

    public Dense(int units) {
        this(builder(units));
    }

    public Dense(int units, String activation) {
        this(builder(units).activation(activation));
    }

    private Dense(Builder b) {
        this.units = checkUnits(b.units);
        this.activation = Activations.get(b.activation);
        this.useBias = b.useBias;
        this.kernelInitializer = Initializers.get(b.kernelInitializer);
        this.biasInitializer = Initializers.get(b.biasInitializer);
        this.kernelRegularizer = Regularizers.get(b.kernelRegularizer);
        this.biasRegularizer = Regularizers.get(b.biasRegularizer);
        this.kernelConstraint = Constraints.get(b.kernelConstraint);
        this.biasConstraint = Constraints.get(b.biasConstraint);
        setActivityRegularizer(Regularizers.get(b.activityRegularizer));
        setInputSpec(InputSpec.minNdim(2));
        supportsMasking = true;
    }

    private Dense(ConfigMap c) {
        super(c);
        c.checkKnown(KEYS);
        if (c.has("input_dim") && batchInputShape() == null) {
            setInputShape(c.getLong("input_dim", 0));
        }
        this.units = checkUnits(c.getInt("units", -1));
        this.activation = Activations.get(c.get("activation"));
        this.useBias = c.getBoolean("use_bias", true);
        this.kernelInitializer = Initializers.get(c.has("kernel_initializer") ? c.get("kernel_initializer")
                : "glorot_uniform");
        this.biasInitializer = Initializers.get(c.has("bias_initializer") ? c.get("bias_initializer") : "zeros");
        this.kernelRegularizer = Regularizers.get(c.get("kernel_regularizer"));
        this.biasRegularizer = Regularizers.get(c.get("bias_regularizer"));
        this.kernelConstraint = Constraints.get(c.get("kernel_constraint"));
        this.biasConstraint = Constraints.get(c.get("bias_constraint"));
        setActivityRegularizer(Regularizers.get(c.get("activity_regularizer")));
        setInputSpec(InputSpec.minNdim(2));
        supportsMasking = true;
    }

    private static int checkUnits(int units) {
        if (units <= 0) {
            throw new IllegalArgumentException("Dense: argument 'units' must be a positive integer, got " + units);
        }
        return units;
    }

    public static Dense fromConfig(Map<String, Object> config) {
        return new Dense(new ConfigMap("Dense", config));
    }

    public static Builder builder(int units) {
        return new Builder(units);
    }

    /** Every argument of Dense, with Keras's defaults. */
    public static final class Builder {
        private final int units;
        private Object activation;
        private boolean useBias = true;
        private Object kernelInitializer = "glorot_uniform";
        private Object biasInitializer = "zeros";
        private Object kernelRegularizer;
        private Object biasRegularizer;
        private Object activityRegularizer;
        private Object kernelConstraint;
        private Object biasConstraint;

        private Builder(int units) {
            this.units = units;
        }

        /** A name ("relu"), an {@link Activation}, or null for linear. */
        public Builder activation(Object a) {
            this.activation = a;
            return this;
        }

        public Builder useBias(boolean b) {
            this.useBias = b;
            return this;
        }

        public Builder kernelInitializer(Object i) {
            this.kernelInitializer = i;
            return this;
        }

        public Builder biasInitializer(Object i) {
            this.biasInitializer = i;
            return this;
        }

        public Builder kernelRegularizer(Object r) {
            this.kernelRegularizer = r;
            return this;
        }

        public Builder biasRegularizer(Object r) {
            this.biasRegularizer = r;
            return this;
        }

        public Builder activityRegularizer(Object r) {
            this.activityRegularizer = r;
            return this;
        }

        public Builder kernelConstraint(Object c) {
            this.kernelConstraint = c;
            return this;
        }

        public Builder biasConstraint(Object c) {
            this.biasConstraint = c;
            return this;
        }

        public Dense build() {
            return new Dense(this);
        }
    }

    @Override
    protected void doBuild(Shape inputShape) {
        long inputDim = inputShape.dim(-1);
        if (inputDim == Shape.UNKNOWN) {
            throw new IllegalArgumentException("The last dimension of the inputs to `Dense` (layer " + getName()
                    + ") should be defined. Found `None`. Full input shape received: " + inputShape);
        }
        kernel = addWeight("kernel", new long[] {inputDim, units}, kernelInitializer, kernelRegularizer,
                kernelConstraint, true);
        if (useBias) {
            bias = addWeight("bias", new long[] {units}, biasInitializer, biasRegularizer, biasConstraint, true);
        }
        setInputSpec(InputSpec.minNdim(2).withAxes(Map.of(-1, inputDim)));
    }

    @Override
    protected Tensor call(Tensor input, Tensor mask, boolean training) {
        Tensor y = Ops.matmul(input, kernel);
        if (useBias) {
            y = Ops.biasAdd(y, bias);
        }
        return activation.apply(y);
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        return inputShape.withDim(-1, units);
    }

    public int units() {
        return units;
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("units", units);
        c.put("activation", Activations.serialize(activation));
        c.put("use_bias", useBias);
        c.put("kernel_initializer", Initializers.serialize(kernelInitializer));
        c.put("bias_initializer", Initializers.serialize(biasInitializer));
        c.put("kernel_regularizer", Regularizers.serialize(kernelRegularizer));
        c.put("bias_regularizer", Regularizers.serialize(biasRegularizer));
        c.put("activity_regularizer", Regularizers.serialize(activityRegularizer()));
        c.put("kernel_constraint", Constraints.serialize(kernelConstraint));
        c.put("bias_constraint", Constraints.serialize(biasConstraint));
        return c;
    }
}
