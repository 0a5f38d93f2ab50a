package io.jkeras.layers.conv;

import io.jkeras.constraints.Constraint;
import io.jkeras.constraints.Constraints;
import io.jkeras.initializers.Initializer;
import io.jkeras.initializers.Initializers;
import io.jkeras.layers.InputSpec;
import io.jkeras.ops.ConvOps;
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
 * Keras's depthwise convolution (DepthwiseConv1D / DepthwiseConv2D, and DepthwiseConv3D built the same way):
 * kernel_size, strides, padding (valid, same), depth_multiplier, data_format, dilation_rate, activation, bias,
 * depthwise and bias initializers, regularizers and constraints. Weights depthwise_kernel (k..., in,
 * depth_multiplier) and bias (in * depth_multiplier,); output channel c * depth_multiplier + m is input channel c
 * through depthwise_kernel[..., c, m].
 *
 * <p>It is a grouped convolution with one group per input channel: Keras's (k..., in, dm) kernel is, unchanged
 * in memory, the grouped kernel (k..., 1, in * dm) of {@link ConvOps#conv}.
 */
public abstract class DepthwiseConv extends Conv {
    protected static final Set<String> DEPTHWISE_KEYS = plus(minus(KEYS, "filters", "kernel_initializer",
            "kernel_regularizer", "kernel_constraint"), "depth_multiplier", "depthwise_initializer",
            "depthwise_regularizer", "depthwise_constraint");

    protected final int depthMultiplier;
    protected final Initializer depthwiseInitializer;
    protected final Regularizer depthwiseRegularizer;
    protected final Constraint depthwiseConstraint;
    protected Tensor depthwiseKernel;

    protected DepthwiseConv(int rank, ConfigMap c) {
        super(rank, c, DEPTHWISE_KEYS, false, false);
        requireOneGroup();
        this.depthMultiplier = c.getInt("depth_multiplier", 1);
        if (depthMultiplier <= 0) {
            throw new IllegalArgumentException(className() + ": argument 'depth_multiplier' must be a positive "
                    + "integer, got " + c.get("depth_multiplier"));
        }
        this.depthwiseInitializer = Initializers.get(c.has("depthwise_initializer") ? c.get("depthwise_initializer")
                : "glorot_uniform");
        this.depthwiseRegularizer = Regularizers.get(c.get("depthwise_regularizer"));
        this.depthwiseConstraint = Constraints.get(c.get("depthwise_constraint"));
    }

    @Override
    protected void doBuild(Shape inputShape) {
        long in = inputChannels(inputShape);
        long[] kshape = Arrays.copyOf(kernelSize, rank + 2);
        kshape[rank] = in;
        kshape[rank + 1] = depthMultiplier;
        depthwiseKernel = addWeight("depthwise_kernel", kshape, depthwiseInitializer, depthwiseRegularizer,
                depthwiseConstraint, true);
        if (useBias) {
            bias = addWeight("bias", new long[] {in * depthMultiplier}, biasInitializer, biasRegularizer,
                    biasConstraint, true);
        }
        setInputSpec(InputSpec.ndim(rank + 2).withAxes(Map.of(channelAxis(), in)));
    }

    @Override
    protected Tensor call(Tensor input, Tensor mask, boolean training) {
        long in = inputChannels(input.getShape());
        return activation.apply(ConvOps.conv(input, groupedView(depthwiseKernel, rank), useBias ? bias : null,
                forwardDesc(input.shape(), in * depthMultiplier, in)));
    }

    /** A (k..., in, dm) depthwise kernel as the grouped kernel (k..., 1, in * dm): a view, gradients included. */
    static Tensor groupedView(Tensor depthwise, int rank) {
        long[] s = depthwise.shape();
        long[] g = Arrays.copyOf(s, rank + 2);
        g[rank] = 1;
        g[rank + 1] = s[rank] * s[rank + 1];
        return Ops.reshape(depthwise, g);
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        long in = inputShape.dim(channelAxis());
        return withSpatial(inputShape, in == Shape.UNKNOWN ? Shape.UNKNOWN : in * depthMultiplier,
                outputSizes(inputShape));
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.remove("filters");
        c.remove("kernel_initializer");
        c.remove("kernel_regularizer");
        c.remove("kernel_constraint");
        c.put("depth_multiplier", depthMultiplier);
        c.put("depthwise_initializer", Initializers.serialize(depthwiseInitializer));
        c.put("depthwise_regularizer", Regularizers.serialize(depthwiseRegularizer));
        c.put("depthwise_constraint", Constraints.serialize(depthwiseConstraint));
        return c;
    }
}
