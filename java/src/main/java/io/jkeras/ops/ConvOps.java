package io.jkeras.ops;

import io.jkeras.backend.ConvDesc;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import java.util.Arrays;

/**
 * Differentiable convolutions over the backends' convolution primitives. A transposed convolution is the
 * backward-data pass of the convolution it transposes, so both share one descriptor and one kernel layout.
 */
public final class ConvOps {
    private ConvOps() {
    }

    private static void expect(String op, String what, Tensor t, long[] shape) {
        if (!Arrays.equals(t.shape(), shape)) {
            throw new IllegalArgumentException(op + ": " + what + " has shape " + t.getShape() + ", expected "
                    + Shape.of(shape));
        }
    }

    /** y = conv(x, kernel) + bias, x of d.inputShape(), kernel of d.kernelShape(); bias (out,) or null. */
    public static Tensor conv(Tensor x, Tensor kernel, Tensor bias, ConvDesc d) {
        expect("conv", "input", x, d.inputShape());
        expect("conv", "kernel", kernel, d.kernelShape());
        if (bias != null) {
            expect("conv", "bias", bias, new long[] {d.outChannels()});
        }
        Tensor y = Tensor.emptyLike(x, d.outputShape());
        x.backend().convForward(d, x, kernel, bias, y);
        GradientTape.record("conv", new Tensor[] {x, kernel, bias}, y, dy -> {
            Tensor dx = Tensor.emptyLike(x, d.inputShape());
            x.backend().convBackwardData(d, dy, kernel, dx);
            Tensor dw = Tensor.emptyLike(x, d.kernelShape());
            Tensor db = bias == null ? null : Tensor.emptyLike(x, d.outChannels());
            x.backend().convBackwardWeights(d, x, dy, dw, db);
            return new Tensor[] {dx, dw, db};
        });
        return y;
    }

    /**
     * The transpose of {@link #conv} with the same descriptor (groups 1): x of d.outputShape() gives y of
     * d.inputShape() (Keras's ConvTranspose: kernel (k..., filters, in)); bias (filters,) or null, fused.
     */
    public static Tensor convTranspose(Tensor x, Tensor kernel, Tensor bias, ConvDesc d) {
        expect("conv_transpose", "input", x, d.outputShape());
        expect("conv_transpose", "kernel", kernel, d.kernelShape());
        if (bias != null) {
            expect("conv_transpose", "bias", bias, new long[] {d.inChannels()});
        }
        if (d.groups() != 1) {
            throw new IllegalArgumentException("conv_transpose: groups must be 1, got " + d.groups());
        }
        Tensor y = Tensor.emptyLike(x, d.inputShape());
        x.backend().convTransposeForward(d, x, kernel, bias, y);
        GradientTape.record("conv_transpose", new Tensor[] {x, kernel, bias}, y, dy -> {
            Tensor dx = Tensor.emptyLike(x, d.outputShape());
            x.backend().convForward(d, dy, kernel, null, dx);
            Tensor dw = Tensor.emptyLike(x, d.kernelShape());
            x.backend().convBackwardWeights(d, dy, x, dw, null);
            return new Tensor[] {dx, dw, bias == null ? null : channelSums(dy, d.channelsFirst())};
        });
        return y;
    }

    /** Sums over every axis but the channel one (axis 1, or the last): a bias's gradient. */
    private static Tensor channelSums(Tensor dy, boolean channelsFirst) {
        int rank = dy.rank();
        int channel = channelsFirst ? 1 : rank - 1;
        int[] axes = new int[rank - 1];
        for (int i = 0, j = 0; i < rank; i++) {
            if (i != channel) {
                axes[j++] = i;
            }
        }
        return Ops.sum(dy, axes, false);
    }
}
