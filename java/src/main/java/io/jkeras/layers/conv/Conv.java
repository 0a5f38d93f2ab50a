package io.jkeras.layers.conv;

import io.jkeras.activations.Activation;
import io.jkeras.activations.Activations;
import io.jkeras.backend.ConvDesc;
import io.jkeras.constraints.Constraint;
import io.jkeras.constraints.Constraints;
import io.jkeras.initializers.Initializer;
import io.jkeras.initializers.Initializers;
import io.jkeras.layers.InputSpec;
import io.jkeras.layers.Layer;
import io.jkeras.layers.core.DataFormats;
import io.jkeras.ops.ConvOps;
import io.jkeras.regularizers.Regularizer;
import io.jkeras.regularizers.Regularizers;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Keras's convolution base (Conv1D / Conv2D / Conv3D, and through its family constructor SeparableConv,
 * DepthwiseConv and ConvTranspose): filters, kernel_size, strides, padding (valid, same, and
 * causal for 1-D), data_format, dilation_rate, groups, activation, bias, and the initializers, regularizers and
 * constraints of kernel and bias. Kernel (k..., in / groups, filters), bias (filters,).
 */
public abstract class Conv extends Layer {
    protected static final Set<String> KEYS = keys("filters", "kernel_size", "strides", "padding", "data_format",
            "dilation_rate", "groups", "activation", "use_bias", "kernel_initializer", "bias_initializer",
            "kernel_regularizer", "bias_regularizer", "activity_regularizer", "kernel_constraint", "bias_constraint");

    protected final int rank;
    protected final int filters;
    protected final long[] kernelSize;
    protected final long[] strides;
    protected final String padding;
    protected final String dataFormat;
    protected final long[] dilationRate;
    protected final int groups;
    protected final Activation activation;
    protected final boolean useBias;
    protected final Initializer kernelInitializer;
    protected final Initializer biasInitializer;
    protected final Regularizer kernelRegularizer;
    protected final Regularizer biasRegularizer;
    protected final Constraint kernelConstraint;
    protected final Constraint biasConstraint;
    protected Tensor kernel;
    protected Tensor bias;

    /** Reads every argument from a Keras config (the Java constructors build one). */
    protected Conv(int rank, ConfigMap c) {
        this(rank, c, KEYS, true, rank == 1);
    }

    /**
     * The shared reading of a convolution family's config: {@code known} is the family's key set,
     * {@code hasFilters} false for the depthwise layers (their output channels follow from the input),
     * {@code causalAllowed} where Keras accepts padding "causal" (Conv1D, SeparableConv1D).
     */
    protected Conv(int rank, ConfigMap c, Set<String> known, boolean hasFilters, boolean causalAllowed) {
        super(c);
        c.checkKnown(known);
        this.rank = rank;
        String layer = className();
        this.filters = hasFilters ? c.getInt("filters", -1) : -1;
        if (hasFilters && filters <= 0) {
            throw new IllegalArgumentException(layer + ": argument 'filters' must be a positive integer, got "
                    + c.get("filters"));
        }
        this.kernelSize = c.getPositiveLongs("kernel_size", rank, null);
        this.strides = c.getPositiveLongs("strides", rank, ConvUtils.ones(rank));
        this.padding = ConvUtils.checkPadding(layer, c.getString("padding", "valid").toLowerCase(Locale.ROOT),
                causalAllowed);
        this.dataFormat = DataFormats.check(layer, c.getString("data_format", DataFormats.CHANNELS_LAST));
        this.dilationRate = c.getPositiveLongs("dilation_rate", rank, ConvUtils.ones(rank));
        this.groups = c.getInt("groups", 1);
        if (groups < 1 || hasFilters && filters % groups != 0) {
            throw new IllegalArgumentException(layer + ": the number of filters (" + filters + ") must be evenly "
                    + "divisible by the number of groups (" + groups + ")");
        }
        if (Arrays.stream(strides).anyMatch(s -> s != 1) && Arrays.stream(dilationRate).anyMatch(d -> d != 1)) {
            throw new IllegalArgumentException(layer + ": `strides > 1` not supported in conjunction with "
                    + "`dilation_rate > 1`, got strides " + Arrays.toString(strides) + " and dilation_rate "
                    + Arrays.toString(dilationRate));
        }
        if (padding.equals("causal") && dataFormat.equals(DataFormats.CHANNELS_FIRST)) {
            throw new IllegalArgumentException(layer + ": causal padding is only supported with channels_last");
        }
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
        setInputSpec(InputSpec.ndim(rank + 2));
    }

    /** base plus extra keys. */
    protected static Set<String> plus(Set<String> base, String... extra) {
        Set<String> s = new HashSet<>(base);
        s.addAll(List.of(extra));
        return Set.copyOf(s);
    }

    /** base without some keys. */
    protected static Set<String> minus(Set<String> base, String... removed) {
        Set<String> s = new HashSet<>(base);
        List.of(removed).forEach(s::remove);
        return Set.copyOf(s);
    }

    /** Fails unless groups is 1: the layers whose Keras class writes groups but has no grouped form. */
    protected void requireOneGroup() {
        if (groups != 1) {
            throw new IllegalArgumentException(className() + ": argument 'groups' must be 1 (Keras's " + className()
                    + " has no grouped form), got " + groups);
        }
    }

    protected boolean channelsFirst() {
        return dataFormat.equals(DataFormats.CHANNELS_FIRST);
    }

    protected int channelAxis() {
        return channelsFirst() ? 1 : rank + 1;
    }

    protected long[] spatial(Shape s) {
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            out[i] = s.dim(channelsFirst() ? 2 + i : 1 + i);
        }
        return out;
    }

    protected Shape withSpatial(Shape in, long channels, long[] sizes) {
        long[] d = in.dims();
        d[channelAxis()] = channels;
        for (int i = 0; i < rank; i++) {
            d[channelsFirst() ? 2 + i : 1 + i] = sizes[i];
        }
        return Shape.of(d);
    }

    protected long inputChannels(Shape inputShape) {
        long c = inputShape.dim(channelAxis());
        if (c == Shape.UNKNOWN) {
            throw new IllegalArgumentException("The channel dimension of the inputs to " + className() + " "
                    + getName() + " should be defined. Found `None` in " + inputShape);
        }
        return c;
    }

    @Override
    protected void doBuild(Shape inputShape) {
        long in = inputChannels(inputShape);
        if (in % groups != 0) {
            throw new IllegalArgumentException(className() + " " + getName() + ": the number of input channels (" + in
                    + ") must be evenly divisible by the number of groups (" + groups + ")");
        }
        long[] kshape = Arrays.copyOf(kernelSize, rank + 2);
        kshape[rank] = in / groups;
        kshape[rank + 1] = filters;
        kernel = addWeight("kernel", kshape, kernelInitializer, kernelRegularizer, kernelConstraint, true);
        if (useBias) {
            bias = addWeight("bias", new long[] {filters}, biasInitializer, biasRegularizer, biasConstraint, true);
        }
        setInputSpec(InputSpec.ndim(rank + 2).withAxes(Map.of(channelAxis(), in)));
    }

    /** The descriptor of this layer's convolution for an input of the given shape. */
    protected ConvDesc desc(long[] inShape) {
        return forwardDesc(inShape, filters, groups);
    }

    /**
     * The descriptor of a convolution with this layer's kernel size, strides, padding and dilation from an input
     * of the given shape to {@code outChannels} channels in {@code groups} groups.
     */
    protected ConvDesc forwardDesc(long[] inShape, long outChannels, long groups) {
        Shape s = Shape.of(inShape);
        long[] in = spatial(s);
        long[] out = new long[rank];
        long[] pb = new long[rank];
        long[] pe = new long[rank];
        for (int i = 0; i < rank; i++) {
            out[i] = ConvUtils.outputLength(in[i], kernelSize[i], padding, strides[i], dilationRate[i]);
            if (out[i] <= 0) {
                throw new IllegalArgumentException(className() + " " + getName() + ": the kernel (extent "
                        + ConvUtils.span(kernelSize[i], dilationRate[i]) + ") is larger than the input (" + in[i]
                        + ") on spatial axis " + i + " with padding \"" + padding + "\"; input shape " + s);
            }
            long[] p = ConvUtils.padding(in[i], out[i], kernelSize[i], padding, strides[i], dilationRate[i]);
            pb[i] = p[0];
            pe[i] = p[1];
        }
        return new ConvDesc(rank, channelsFirst(), inShape[0], inputChannels(s), outChannels, groups, in, out,
                kernelSize, strides, dilationRate, pb, pe);
    }

    @Override
    protected Tensor call(Tensor input, Tensor mask, boolean training) {
        return activation.apply(ConvOps.conv(input, kernel, useBias ? bias : null, desc(input.shape())));
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        return withSpatial(inputShape, filters, outputSizes(inputShape));
    }

    /** The spatial output sizes of a forward convolution of this geometry (unknown stays unknown). */
    protected long[] outputSizes(Shape inputShape) {
        long[] in = spatial(inputShape);
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            out[i] = ConvUtils.outputLength(in[i], kernelSize[i], padding, strides[i], dilationRate[i]);
        }
        return out;
    }


    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("filters", filters);
        c.put("kernel_size", ConfigMap.list(kernelSize));
        c.put("strides", ConfigMap.list(strides));
        c.put("padding", padding);
        c.put("data_format", dataFormat);
        c.put("dilation_rate", ConfigMap.list(dilationRate));
        c.put("groups", groups);
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
