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
     * The transpose of {@link #conv} with the same descriptor: x of d.outputShape() gives y of d.inputShape()
     * (Keras's ConvTranspose: kernel (k..., filters, in)); bias (filters,) on the channel axis, or null.
     */
    public static Tensor convTranspose(Tensor x, Tensor kernel, Tensor bias, ConvDesc d) {
        expect("conv_transpose", "input", x, d.outputShape());
        expect("conv_transpose", "kernel", kernel, d.kernelShape());
        Tensor y = Tensor.emptyLike(x, d.inputShape());
        x.backend().convBackwardData(d, x, kernel, y);
        GradientTape.record("conv_transpose", new Tensor[] {x, kernel}, y, dy -> {
            Tensor dx = Tensor.emptyLike(x, d.outputShape());
            x.backend().convForward(d, dy, kernel, null, dx);
            Tensor dw = Tensor.emptyLike(x, d.kernelShape());
            x.backend().convBackwardWeights(d, dy, x, dw, null);
            return new Tensor[] {dx, dw};
        });
        return bias == null ? y : addChannelBias(y, bias, d.channelsFirst());
    }

    /** Adds a per-channel bias on axis 1 (channels_first) or the last axis. */
    public static Tensor addChannelBias(Tensor y, Tensor bias, boolean channelsFirst) {
        if (!channelsFirst) {
            return Ops.biasAdd(y, bias);
        }
        long[] s = new long[y.rank() - 1];
        Arrays.fill(s, 1);
        s[0] = bias.dim(0);
        return Ops.add(y, Ops.reshape(bias, s));
    }
}
