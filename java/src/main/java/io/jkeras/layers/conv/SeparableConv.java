package io.jkeras.layers.conv;

import io.jkeras.backend.ConvDesc;
import io.jkeras.constraints.Constraint;
import io.jkeras.constraints.Constraints;
import io.jkeras.initializers.Initializer;
import io.jkeras.initializers.Initializers;
import io.jkeras.layers.InputSpec;
import io.jkeras.ops.ConvOps;
import io.jkeras.regularizers.Regularizer;
import io.jkeras.regularizers.Regularizers;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * Keras's depthwise-separable convolution (SeparableConv1D / SeparableConv2D): a depthwise convolution (one group
 * per input channel, depth_multiplier outputs each, with the layer's strides, padding and dilation) followed by
 * a 1x1 pointwise convolution to filters channels, then bias and activation. Weights depthwise_kernel (k..., in,
 * depth_multiplier), pointwise_kernel (1..., in * depth_multiplier, filters), bias (filters,).
 *
 * <p>Keras 2's get_config writes the Conv keys (including the unused kernel_initializer, kernel_regularizer,
 * kernel_constraint and groups) and the separable ones; both are read and written back. SeparableConv1D accepts
 * padding "causal".
 */
public abstract class SeparableConv extends Conv {
    protected static final Set<String> SEPARABLE_KEYS = plus(KEYS, "depth_multiplier", "depthwise_initializer",
            "pointwise_initializer", "depthwise_regularizer", "pointwise_regularizer", "depthwise_constraint",
            "pointwise_constraint");

    protected final int depthMultiplier;
    protected final Initializer depthwiseInitializer;
    protected final Initializer pointwiseInitializer;
    protected final Regularizer depthwiseRegularizer;
    protected final Regularizer pointwiseRegularizer;
    protected final Constraint depthwiseConstraint;
    protected final Constraint pointwiseConstraint;
    protected Tensor depthwiseKernel;
    protected Tensor pointwiseKernel;

    protected SeparableConv(int rank, ConfigMap c) {
        super(rank, c, SEPARABLE_KEYS, true, rank == 1);
        requireOneGroup();
        this.depthMultiplier = c.getInt("depth_multiplier", 1);
        if (depthMultiplier <= 0) {
            throw new IllegalArgumentException(className() + ": argument 'depth_multiplier' must be a positive "
                    + "integer, got " + c.get("depth_multiplier"));
        }
        this.depthwiseInitializer = Initializers.get(c.has("depthwise_initializer") ? c.get("depthwise_initializer")
                : "glorot_uniform");
        this.pointwiseInitializer = Initializers.get(c.has("pointwise_initializer") ? c.get("pointwise_initializer")
                : "glorot_uniform");
        this.depthwiseRegularizer = Regularizers.get(c.get("depthwise_regularizer"));
        this.pointwiseRegularizer = Regularizers.get(c.get("pointwise_regularizer"));
        this.depthwiseConstraint = Constraints.get(c.get("depthwise_constraint"));
        this.pointwiseConstraint = Constraints.get(c.get("pointwise_constraint"));
    }

    @Override
    protected void doBuild(Shape inputShape) {
        long in = inputChannels(inputShape);
        long[] dshape = Arrays.copyOf(kernelSize, rank + 2);
        dshape[rank] = in;
        dshape[rank + 1] = depthMultiplier;
        long[] pshape = new long[rank + 2];
        Arrays.fill(pshape, 1);
        pshape[rank] = in * depthMultiplier;
        pshape[rank + 1] = filters;
        depthwiseKernel = addWeight("depthwise_kernel", dshape, depthwiseInitializer, depthwiseRegularizer,
                depthwiseConstraint, true);
        pointwiseKernel = addWeight("pointwise_kernel", pshape, pointwiseInitializer, pointwiseRegularizer,
                pointwiseConstraint, true);
        if (useBias) {
            bias = addWeight("bias", new long[] {filters}, biasInitializer, biasRegularizer, biasConstraint, true);
        }
        setInputSpec(InputSpec.ndim(rank + 2).withAxes(Map.of(channelAxis(), in)));
    }

    @Override
    protected Tensor call(Tensor input, Tensor mask, boolean training) {
        long in = inputChannels(input.getShape());
        ConvDesc dw = forwardDesc(input.shape(), in * depthMultiplier, in);
        Tensor mid = ConvOps.conv(input, DepthwiseConv.groupedView(depthwiseKernel, rank), null, dw);
        long[] ones = ConvUtils.ones(rank);
        long[] zeros = new long[rank];
        ConvDesc pw = new ConvDesc(rank, channelsFirst(), dw.batch(), in * depthMultiplier, filters, 1,
                dw.outSize(), dw.outSize(), ones, ones, ones, zeros, zeros);
        return activation.apply(ConvOps.conv(mid, pointwiseKernel, useBias ? bias : null, pw));
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("depth_multiplier", depthMultiplier);
        c.put("depthwise_initializer", Initializers.serialize(depthwiseInitializer));
        c.put("pointwise_initializer", Initializers.serialize(pointwiseInitializer));
        c.put("depthwise_regularizer", Regularizers.serialize(depthwiseRegularizer));
        c.put("pointwise_regularizer", Regularizers.serialize(pointwiseRegularizer));
        c.put("depthwise_constraint", Constraints.serialize(depthwiseConstraint));
        c.put("pointwise_constraint", Constraints.serialize(pointwiseConstraint));
        return c;
    }
}
