package io.jkeras.backend.cpu;

import static io.jkeras.backend.cpu.CpuNative.*;

import io.jkeras.backend.Backend;
import io.jkeras.backend.BinaryOp;
import io.jkeras.backend.ConvDesc;
import io.jkeras.backend.NativeException;
import io.jkeras.backend.PoolDesc;
import io.jkeras.backend.ReduceOp;
import io.jkeras.backend.RnnDesc;
import io.jkeras.backend.UnaryOp;
import io.jkeras.tensor.DType;
import io.jkeras.tensor.Device;
import io.jkeras.tensor.Tensor;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;

/** The host backend: libjkeras (oneDNN and our own kernels) through {@link CpuNative}. */
public final class CpuBackend implements Backend {
    private static final CpuBackend INSTANCE = new CpuBackend();

    private CpuBackend() {
        CpuNative.load();
    }

    public static CpuBackend instance() {
        return INSTANCE;
    }

    /** Turns a native status into an exception carrying the native message. */
    static void check(int status) {
        if (status != 0) {
            throw new NativeException(status, jk_last_error());
        }
    }

    /** A JavaCPP view of native memory we own, for bulk copies to and from Java arrays. */
    private static final class FloatView extends FloatPointer {
        FloatView(long address, long n) {
            this.address = address;
            this.limit = n;
            this.capacity = n;
        }
    }

    private static final class IntView extends IntPointer {
        IntView(long address, long n) {
            this.address = address;
            this.limit = n;
            this.capacity = n;
        }
    }

    private static long addr(Tensor t, long offsetElements) {
        return t.address() + 4L * offsetElements;
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public Device device() {
        return Device.CPU;
    }

    @Override
    public long allocate(long bytes) {
        long[] out = new long[1];
        check(jk_alloc(bytes, out));
        return out[0];
    }

    @Override
    public void free(long address) {
        jk_free(address);
    }

    @Override
    public long allocatedBytes() {
        return jk_allocated_bytes();
    }

    @Override
    public void write(Tensor dst, float[] src) {
        new FloatView(dst.address(), src.length).put(src);
    }

    @Override
    public void write(Tensor dst, int[] src) {
        new IntView(dst.address(), src.length).put(src);
    }

    @Override
    public void read(Tensor src, float[] dst) {
        new FloatView(src.address(), dst.length).get(dst);
    }

    @Override
    public void read(Tensor src, int[] dst) {
        new IntView(src.address(), dst.length).get(dst);
    }

    @Override
    public void fill(Tensor dst, float value) {
        check(jk_fill(dst.address(), dst.size(), value));
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        check(jk_copy(dst.address(), src.address(), 4L * src.size()));
    }

    @Override
    public void copyStrided(long[] shape, Tensor src, long srcOffset, long[] srcStrides, Tensor dst, long dstOffset,
            long[] dstStrides) {
        check(jk_copy_strided(shape.length, shape, addr(src, srcOffset), srcStrides, addr(dst, dstOffset),
                dstStrides));
    }

    @Override
    public void intToFloat(Tensor src, Tensor dst) {
        check(jk_int_to_float(src.address(), dst.address(), src.size()));
    }

    @Override
    public void unary(UnaryOp op, float a, float b, float c, Tensor x, Tensor y) {
        check(jk_unary(op.code, x.address(), y.address(), x.size(), a, b, c));
    }

    @Override
    public void unaryBackward(UnaryOp op, float a, float b, float c, Tensor x, Tensor y, Tensor dy, Tensor dx) {
        check(jk_unary_backward(op.code, x.address(), y.address(), dy.address(), dx.address(), x.size(), a, b, c));
    }

    @Override
    public void binary(BinaryOp op, long[] shape, Tensor a, long[] aStrides, Tensor b, long[] bStrides, Tensor out) {
        check(jk_binary(op.code, shape.length, shape, a.address(), aStrides, b.address(), bStrides, out.address()));
    }

    @Override
    public void reduce(ReduceOp op, Tensor x, Tensor y, long outer, long n, long inner) {
        check(jk_reduce(op.code, x.address(), y.address(), outer, n, inner));
    }

    @Override
    public void softmax(Tensor x, Tensor y, long outer, long n, long inner) {
        check(jk_softmax(x.address(), y.address(), outer, n, inner));
    }

    @Override
    public void softmaxBackward(Tensor y, Tensor dy, Tensor dx, long outer, long n, long inner) {
        check(jk_softmax_backward(y.address(), dy.address(), dx.address(), outer, n, inner));
    }

    @Override
    public void gemm(boolean transA, boolean transB, long batch, long m, long n, long k, float alpha, Tensor a,
            long strideA, Tensor b, long strideB, float beta, Tensor c, long strideC) {
        check(jk_gemm(transA ? 1 : 0, transB ? 1 : 0, batch, m, n, k, alpha, a.address(), strideA, b.address(),
                strideB, beta, c.address(), strideC));
    }

    @Override
    public void convForward(ConvDesc d, Tensor x, Tensor w, Tensor bias, Tensor y) {
        check(jk_conv_forward(d.toArray(), x.address(), w.address(), bias == null ? 0 : bias.address(), y.address()));
    }

    @Override
    public void convTransposeForward(ConvDesc d, Tensor x, Tensor w, Tensor bias, Tensor y) {
        check(jk_conv_transpose_forward(d.toArray(), x.address(), w.address(), bias == null ? 0 : bias.address(),
                y.address()));
    }

    @Override
    public void convBackwardData(ConvDesc d, Tensor dy, Tensor w, Tensor dx) {
        check(jk_conv_backward_data(d.toArray(), dy.address(), w.address(), dx.address()));
    }

    @Override
    public void convBackwardWeights(ConvDesc d, Tensor x, Tensor dy, Tensor dw, Tensor dBias) {
        check(jk_conv_backward_weights(d.toArray(), x.address(), dy.address(), dw.address(),
                dBias == null ? 0 : dBias.address()));
    }

    @Override
    public long poolWorkspaceBytes(PoolDesc d) {
        long[] bytes = new long[1];
        check(jk_pool_workspace_size(d.toArray(), bytes));
        return bytes[0];
    }

    @Override
    public void poolForward(PoolDesc d, Tensor x, Tensor y, Tensor workspace) {
        check(jk_pool_forward(d.toArray(), x.address(), y.address(), workspace == null ? 0 : workspace.address()));
    }

    @Override
    public void poolBackward(PoolDesc d, Tensor x, Tensor y, Tensor dy, Tensor workspace, Tensor dx) {
        check(jk_pool_backward(d.toArray(), dy.address(), workspace == null ? 0 : workspace.address(), dx.address()));
    }

    @Override
    public void resizeBilinear(Tensor x, Tensor y, boolean channelsFirst, boolean halfPixelCenters) {
        long[] in = image(x, channelsFirst, "resizeBilinear x");
        long[] out = image(y, channelsFirst, "resizeBilinear y");
        sameImages("resizeBilinear", in, out);
        check(jk_resize_bilinear(x.address(), y.address(), in[0], in[1], in[2], in[3], out[2], out[3],
                channelsFirst ? 1 : 0, halfPixelCenters ? 1 : 0));
    }

    @Override
    public void resizeBilinearBackward(Tensor dy, Tensor dx, boolean channelsFirst, boolean halfPixelCenters) {
        long[] in = image(dx, channelsFirst, "resizeBilinearBackward dx");
        long[] out = image(dy, channelsFirst, "resizeBilinearBackward dy");
        sameImages("resizeBilinearBackward", in, out);
        check(jk_resize_bilinear_backward(dy.address(), dx.address(), in[0], in[1], in[2], in[3], out[2], out[3],
                channelsFirst ? 1 : 0, halfPixelCenters ? 1 : 0));
    }

    private static void sameImages(String op, long[] a, long[] b) {
        if (a[0] != b[0] || a[1] != b[1]) {
            throw new IllegalArgumentException(op + ": batch and channels differ between input (" + a[0] + ", " + a[1]
                    + ") and output (" + b[0] + ", " + b[1] + ")");
        }
    }

    /** (batch, channels, height, width) of a 4-D image tensor in either layout. */
    private static long[] image(Tensor t, boolean channelsFirst, String what) {
        if (t.rank() != 4) {
            throw new IllegalArgumentException(what + ": expected a 4-D image tensor, got " + t);
        }
        long[] d = t.shape();
        return channelsFirst ? new long[] {d[0], d[1], d[2], d[3]} : new long[] {d[0], d[3], d[1], d[2]};
    }

    @Override
    public long rnnWorkspaceFloats(RnnDesc d) {
        long[] floats = new long[1];
        check(jk_rnn_workspace_size(d.toArray(), d.params(), floats));
        return floats[0];
    }

    @Override
    public void rnnForward(RnnDesc d, Tensor xw, Tensor recurrentKernel, Tensor recBias, Tensor h0, Tensor c0,
            Tensor mask, Tensor sequence, Tensor lastH, Tensor lastC, Tensor workspace) {
        check(jk_rnn_forward(d.toArray(), d.params(), xw.address(), recurrentKernel.address(), addrOrNull(recBias),
                addrOrNull(h0), addrOrNull(c0), addrOrNull(mask), sequence.address(), lastH.address(),
                addrOrNull(lastC), workspace.address()));
    }

    @Override
    public void rnnBackward(RnnDesc d, Tensor recurrentKernel, Tensor mask, Tensor workspace, Tensor dSequence,
            Tensor dLastH, Tensor dLastC, Tensor dxw, Tensor dKernel, Tensor dRecBias, Tensor dh0, Tensor dc0) {
        check(jk_rnn_backward(d.toArray(), d.params(), recurrentKernel.address(), addrOrNull(mask),
                workspace.address(), addrOrNull(dSequence), addrOrNull(dLastH), addrOrNull(dLastC), dxw.address(),
                dKernel.address(), addrOrNull(dRecBias), dh0.address(), addrOrNull(dc0)));
    }

    @Override
    public boolean rnnFusedSupported(RnnDesc d) {
        int[] supported = new int[1];
        check(jk_rnn_fused_supported(d.toArray(), d.params(), supported));
        return supported[0] != 0;
    }

    @Override
    public long rnnFusedWorkspaceBytes(RnnDesc d, long inputSize) {
        long[] bytes = new long[1];
        check(jk_rnn_fused_workspace_size(d.toArray(), inputSize, bytes));
        return bytes[0];
    }

    @Override
    public void rnnFusedForward(RnnDesc d, Tensor x, Tensor kernel, Tensor bias, Tensor recurrentKernel,
            Tensor recBias, Tensor h0, Tensor c0, Tensor sequence, Tensor lastH, Tensor lastC, Tensor workspace) {
        check(jk_rnn_fused_forward(d.toArray(), x.dim(2), x.address(), kernel.address(), addrOrNull(bias),
                recurrentKernel.address(), addrOrNull(recBias), addrOrNull(h0), addrOrNull(c0), sequence.address(),
                lastH.address(), addrOrNull(lastC), addrOrNull(workspace)));
    }

    @Override
    public void rnnFusedBackward(RnnDesc d, Tensor x, Tensor kernel, Tensor bias, Tensor recurrentKernel,
            Tensor recBias, Tensor h0, Tensor c0, Tensor workspace, Tensor dSequence, Tensor dLastH, Tensor dLastC,
            Tensor dx, Tensor dKernel, Tensor dBias, Tensor dRecurrentKernel, Tensor dRecBias, Tensor dh0,
            Tensor dc0) {
        check(jk_rnn_fused_backward(d.toArray(), x.dim(2), x.address(), kernel.address(), addrOrNull(bias),
                recurrentKernel.address(), addrOrNull(recBias), addrOrNull(h0), addrOrNull(c0), workspace.address(),
                addrOrNull(dSequence), addrOrNull(dLastH), addrOrNull(dLastC), dx.address(), dKernel.address(),
                addrOrNull(dBias), dRecurrentKernel.address(), addrOrNull(dRecBias), dh0.address(),
                addrOrNull(dc0)));
    }

    private static long addrOrNull(Tensor t) {
        return t == null ? 0 : t.address();
    }

    @Override
    public void randomUniform(Tensor out, long seed, long offset, float low, float high) {
        check(jk_random_uniform(out.address(), out.size(), seed, offset, low, high));
    }

    @Override
    public void randomNormal(Tensor out, long seed, long offset, float mean, float stddev) {
        check(jk_random_normal(out.address(), out.size(), seed, offset, mean, stddev));
    }

    @Override
    public void randomTruncatedNormal(Tensor out, long seed, long offset, float mean, float stddev) {
        check(jk_random_truncated_normal(out.address(), out.size(), seed, offset, mean, stddev));
    }

    @Override
    public void sgdUpdate(Tensor w, Tensor g, Tensor velocity, float lr, float momentum, boolean nesterov) {
        check(jk_sgd_update(w.address(), g.address(), velocity == null ? 0 : velocity.address(), w.size(), lr,
                momentum, nesterov ? 1 : 0));
    }

    @Override
    public void adamUpdate(Tensor w, Tensor g, Tensor m, Tensor v, float lrT, float beta1, float beta2,
            float epsilon) {
        check(jk_adam_update(w.address(), g.address(), m.address(), v.address(), w.size(), lrT, beta1, beta2,
                epsilon));
    }

    @Override
    public void oneHot(Tensor ids, Tensor out, long depth) {
        requireInt(ids, "oneHot");
        check(jk_one_hot(ids.address(), out.address(), ids.size(), depth));
    }

    @Override
    public void argmax(Tensor x, Tensor out, long rows, long n) {
        requireInt(out, "argmax");
        check(jk_argmax(x.address(), out.address(), rows, n));
    }

    @Override
    public void gatherRows(Tensor table, Tensor ids, Tensor out) {
        requireInt(ids, "gatherRows");
        check(jk_gather_rows(table.address(), table.dim(0), table.dim(1), ids.address(), ids.size(),
                out.address()));
    }

    @Override
    public void scatterAddRows(Tensor src, Tensor ids, Tensor table) {
        requireInt(ids, "scatterAddRows");
        check(jk_scatter_add_rows(src.address(), ids.address(), ids.size(), table.address(), table.dim(0),
                table.dim(1)));
    }

    private static void requireInt(Tensor t, String op) {
        if (t.dtype() != DType.INT32) {
            throw new IllegalArgumentException(op + ": expected an int32 tensor, got " + t);
        }
    }
}
