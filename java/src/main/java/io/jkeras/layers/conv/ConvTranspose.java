package io.jkeras.layers.conv;

import io.jkeras.backend.ConvDesc;
import io.jkeras.layers.InputSpec;
import io.jkeras.ops.ConvOps;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * Keras's transposed convolutions (Conv1DTranspose / Conv2DTranspose / Conv3DTranspose): the Conv arguments
 * with padding valid or same, plus output_padding (each value below its stride; null: inferred). Kernel
 * (k..., filters, in), bias (filters,). The output length is Keras's deconv_output_length.
 *
 * <p>Keras hands that length to TensorFlow's conv*d_transpose, which is the gradient of the forward convolution
 * from an input of the transposed output's size O to the transposed input's size I with the same strides,
 * dilation and padding mode. So the descriptor is that forward convolution (in_size O, out_size I) with
 * TensorFlow's padding for it: valid pads nothing (a tail the windows do not reach gets no contribution, e.g.
 * from output_padding), same pads max((I - 1) * s + span - O, 0) split with the smaller half first. TensorFlow
 * requires that forward convolution to give exactly I (it fails otherwise, e.g. same padding, an even kernel and
 * output_padding 0); so does this layer, with a message naming the sizes.
 */
public abstract class ConvTranspose extends Conv {
    protected static final Set<String> TRANSPOSE_KEYS = plus(KEYS, "output_padding");

    /** Per spatial axis; null when Keras infers it (output_padding=None). */
    protected final long[] outputPadding;

    protected ConvTranspose(int rank, ConfigMap c) {
        super(rank, c, TRANSPOSE_KEYS, true, false);
        requireOneGroup();
        String layer = className();
        if (c.has("output_padding")) {
            outputPadding = c.getLongs("output_padding", rank);
            for (int i = 0; i < rank; i++) {
                if (outputPadding[i] < 0) {
                    throw new IllegalArgumentException(layer + ": argument 'output_padding' must hold non-negative "
                            + "integers, got " + Arrays.toString(outputPadding));
                }
                if (outputPadding[i] >= strides[i]) {
                    throw new IllegalArgumentException(layer + ": strides must be greater than output padding. "
                            + "Received strides=" + Arrays.toString(strides) + ", output_padding="
                            + Arrays.toString(outputPadding) + " (axis " + i + ")");
                }
            }
        } else {
            outputPadding = null;
        }
    }

    @Override
    protected void doBuild(Shape inputShape) {
        long in = inputChannels(inputShape);
        long[] kshape = Arrays.copyOf(kernelSize, rank + 2);
        kshape[rank] = filters;
        kshape[rank + 1] = in;
        kernel = addWeight("kernel", kshape, kernelInitializer, kernelRegularizer, kernelConstraint, true);
        if (useBias) {
            bias = addWeight("bias", new long[] {filters}, biasInitializer, biasRegularizer, biasConstraint, true);
        }
        setInputSpec(InputSpec.ndim(rank + 2).withAxes(Map.of(channelAxis(), in)));
    }

    /** Keras's deconv_output_length on each spatial axis (unknown stays unknown). */
    protected long[] transposedSizes(Shape inputShape) {
        long[] in = spatial(inputShape);
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            out[i] = ConvUtils.deconvOutputLength(in[i], kernelSize[i], padding,
                    outputPadding == null ? null : outputPadding[i], strides[i], dilationRate[i]);
        }
        return out;
    }

    /**
     * The forward convolution this layer transposes, for an input of the given shape: its input side is this
     * layer's output (size O, filters channels), its output side this layer's input (size I, in channels).
     */
    @Override
    protected ConvDesc desc(long[] inShape) {
        Shape s = Shape.of(inShape);
        long[] in = spatial(s);
        long[] out = transposedSizes(s);
        long[] pb = new long[rank];
        long[] pe = new long[rank];
        for (int i = 0; i < rank; i++) {
            String where = className() + " " + getName() + ": on spatial axis " + i + " (input shape " + s
                    + ", kernel_size " + kernelSize[i] + ", strides " + strides[i] + ", dilation_rate "
                    + dilationRate[i] + ", padding \"" + padding + "\", output_padding "
                    + (outputPadding == null ? "None" : String.valueOf(outputPadding[i])) + ")";
            if (out[i] <= 0) {
                throw new IllegalArgumentException(where + " the output length would be " + out[i]);
            }
            long back = ConvUtils.outputLength(out[i], kernelSize[i], padding, strides[i], dilationRate[i]);
            if (back != in[i]) {
                throw new IllegalArgumentException(where + " the output length " + out[i] + " is inconsistent with "
                        + "the input length " + in[i] + ": a \"" + padding + "\" convolution of length " + out[i]
                        + " gives " + back + ", not " + in[i] + " (TensorFlow's conv_transpose rejects this too)");
            }
            long[] p = ConvUtils.padding(out[i], in[i], kernelSize[i], padding, strides[i], dilationRate[i]);
            pb[i] = p[0];
            pe[i] = p[1];
        }
        return new ConvDesc(rank, channelsFirst(), inShape[0], filters, inputChannels(s), 1, out, in, kernelSize,
                strides, dilationRate, pb, pe);
    }

    @Override
    protected Tensor call(Tensor input, Tensor mask, boolean training) {
        return activation.apply(ConvOps.convTranspose(input, kernel, useBias ? bias : null, desc(input.shape())));
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        return withSpatial(inputShape, filters, transposedSizes(inputShape));
    }

    /** Whether get_config writes dilation_rate (Keras's Conv3DTranspose removes it). */
    protected boolean writesDilationRate() {
        return true;
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        if (!writesDilationRate() && Arrays.stream(dilationRate).allMatch(d -> d == 1)) {
            c.remove("dilation_rate");
        }
        c.put("output_padding", outputPadding == null ? null : ConfigMap.list(outputPadding));
        return c;
    }
}
