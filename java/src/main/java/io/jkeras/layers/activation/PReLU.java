package io.jkeras.layers.activation;

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
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Keras's PReLU: relu(x) - alpha * relu(-x) with a learned alpha (weight "alpha") of the input's shape without
 * the batch axis, size 1 along the {@code shared_axes} (1-based axes of the full input, as Keras counts them).
 */
public final class PReLU extends Layer {
    private static final Set<String> KEYS = keys("alpha_initializer", "alpha_regularizer", "alpha_constraint",
            "shared_axes", "init", "weights");

    private final Initializer alphaInitializer;
    private final Regularizer alphaRegularizer;
    private final Constraint alphaConstraint;
    /** null: none (Keras writes null). */
    private final int[] sharedAxes;
    private Tensor alpha;

    public PReLU() {
        this(builder());
    }

    private PReLU(Builder b) {
        this.alphaInitializer = Initializers.get(b.alphaInitializer);
        this.alphaRegularizer = Regularizers.get(b.alphaRegularizer);
        this.alphaConstraint = Constraints.get(b.alphaConstraint);
        this.sharedAxes = checkShared(b.sharedAxes);
        supportsMasking = true;
    }

    private PReLU(ConfigMap c) {
        super(c);
        c.checkKnown(KEYS);
        if (c.has("weights")) {
            throw new IllegalArgumentException("PReLU: Keras 1's 'weights' argument is not supported; set the weights "
                    + "after building the layer");
        }
        // Keras 1 called the initializer 'init'
        Object init = c.has("alpha_initializer") ? c.get("alpha_initializer") : c.has("init") ? c.get("init") : "zeros";
        this.alphaInitializer = Initializers.get(init);
        this.alphaRegularizer = Regularizers.get(c.get("alpha_regularizer"));
        this.alphaConstraint = Constraints.get(c.get("alpha_constraint"));
        this.sharedAxes = checkShared(c.getInts("shared_axes", 0));
        supportsMasking = true;
    }

    private static int[] checkShared(int[] axes) {
        if (axes == null) {
            return null;
        }
        for (int a : axes) {
            if (a < 1) {
                throw new IllegalArgumentException("PReLU: argument 'shared_axes' holds axes of the input counted "
                        + "from 1 (the batch axis is 0 and cannot be shared), got " + Arrays.toString(axes));
            }
        }
        return axes.clone();
    }

    public static PReLU fromConfig(Map<String, Object> config) {
        return new PReLU(new ConfigMap("PReLU", config));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Every argument of PReLU, with Keras's defaults. */
    public static final class Builder {
        private Object alphaInitializer = "zeros";
        private Object alphaRegularizer;
        private Object alphaConstraint;
        private int[] sharedAxes;

        private Builder() {
        }

        public Builder alphaInitializer(Object i) {
            this.alphaInitializer = i;
            return this;
        }

        public Builder alphaRegularizer(Object r) {
            this.alphaRegularizer = r;
            return this;
        }

        public Builder alphaConstraint(Object c) {
            this.alphaConstraint = c;
            return this;
        }

        /** Axes (counted from 1, the batch axis being 0) along which alpha is shared. */
        public Builder sharedAxes(int... axes) {
            this.sharedAxes = axes;
            return this;
        }

        public PReLU build() {
            return new PReLU(this);
        }
    }

    @Override
    protected void doBuild(Shape inputShape) {
        int rank = inputShape.rank();
        if (rank < 2) {
            throw new IllegalArgumentException("PReLU " + getName() + ": needs an input with a batch axis and at "
                    + "least one more, got shape " + inputShape);
        }
        long[] param = inputShape.dropFirst().dims();
        if (sharedAxes != null) {
            for (int a : sharedAxes) {
                if (a >= rank) {
                    throw new IllegalArgumentException("PReLU " + getName() + ": shared axis " + a + " is out of "
                            + "range for an input of shape " + inputShape);
                }
                param[a - 1] = 1;
            }
        }
        Map<Integer, Long> axes = new HashMap<>();
        for (int i = 0; i < param.length; i++) {
            if (param[i] == Shape.UNKNOWN) {
                throw new IllegalArgumentException("PReLU " + getName() + ": axis " + (i + 1) + " of the input "
                        + inputShape + " must be defined (or listed in shared_axes) to size the weight alpha");
            }
            boolean shared = false;
            if (sharedAxes != null) {
                for (int a : sharedAxes) {
                    shared |= a == i + 1;
                }
            }
            if (!shared) {
                axes.put(i + 1, param[i]);
            }
        }
        alpha = addWeight("alpha", param, alphaInitializer, alphaRegularizer, alphaConstraint, true);
        setInputSpec(InputSpec.ndim(rank).withAxes(axes));
    }

    @Override
    protected Tensor call(Tensor input, Tensor mask, boolean training) {
        Tensor pos = Ops.relu(input);
        Tensor neg = Ops.mul(alpha, Ops.relu(Ops.neg(input)));
        return Ops.sub(pos, neg);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("alpha_initializer", Initializers.serialize(alphaInitializer));
        c.put("alpha_regularizer", Regularizers.serialize(alphaRegularizer));
        c.put("alpha_constraint", Constraints.serialize(alphaConstraint));
        c.put("shared_axes", sharedAxes == null ? null : Arrays.stream(sharedAxes).boxed().toList());
        return c;
    }
}
