package io.jkeras.backend.cpu;

import static io.jkeras.backend.cpu.CpuNative.*;

import io.jkeras.backend.Backend;
import io.jkeras.backend.BinaryOp;
import io.jkeras.backend.ConvDesc;
import io.jkeras.backend.NativeBackend;
import io.jkeras.backend.NativeException;
import io.jkeras.backend.NativeMemory;
import io.jkeras.backend.PoolDesc;
import io.jkeras.backend.ReduceOp;
import io.jkeras.backend.RnnDesc;
import io.jkeras.backend.UnaryOp;
import io.jkeras.tensor.Device;
import io.jkeras.tensor.Tensor;

/** The host backend: libjkeras (oneDNN and our own kernels) through {@link CpuNative}. */
public final class CpuBackend extends NativeBackend {
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
        NativeMemory.floats(at(dst), src.length).put(src);
    }

    @Override
    public void write(Tensor dst, int[] src) {
        NativeMemory.ints(at(dst), src.length).put(src);
    }

    @Override
    public void read(Tensor src, float[] dst) {
        NativeMemory.floats(at(src), dst.length).get(dst);
    }

    @Override
    public void read(Tensor src, int[] dst) {
        NativeMemory.ints(at(src), dst.length).get(dst);
    }

    @Override
    public void copyFromHost(long hostAddress, Tensor dst, long bytes) {
        check(jk_copy(at(dst), hostAddress, bytes));
    }

    @Override
    public void copyToHost(Tensor src, long hostAddress, long bytes) {
        check(jk_copy(hostAddress, at(src), bytes));
    }

    @Override
    public void fill(Tensor dst, float value) {
        check(jk_fill(at(dst), dst.size(), value));
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        check(jk_copy(at(dst), at(src), 4L * src.size()));
    }

    @Override
    public void copyStrided(long[] shape, Tensor src, long srcOffset, long[] srcStrides, Tensor dst, long dstOffset,
            long[] dstStrides) {
        check(jk_copy_strided(shape.length, shape, at(src, srcOffset), srcStrides, at(dst, dstOffset),
                dstStrides));
    }

    @Override
    public void intToFloat(Tensor src, Tensor dst) {
        check(jk_int_to_float(at(src), at(dst), src.size()));
    }

    @Override
    public void unary(UnaryOp op, float a, float b, float c, Tensor x, Tensor y) {
        check(jk_unary(op.code, at(x), at(y), x.size(), a, b, c));
    }

    @Override
    public void unaryBackward(UnaryOp op, float a, float b, float c, Tensor x, Tensor y, Tensor dy, Tensor dx) {
        check(jk_unary_backward(op.code, at(x), at(y), at(dy), at(dx), x.size(), a, b, c));
    }

    @Override
    public void binary(BinaryOp op, long[] shape, Tensor a, long[] aStrides, Tensor b, long[] bStrides, Tensor out) {
        check(jk_binary(op.code, shape.length, shape, at(a), aStrides, at(b), bStrides, at(out)));
    }

    @Override
    public void reduce(ReduceOp op, Tensor x, Tensor y, long outer, long n, long inner) {
        check(jk_reduce(op.code, at(x), at(y), outer, n, inner));
    }

    @Override
    public void softmax(Tensor x, Tensor y, long outer, long n, long inner) {
        check(jk_softmax(at(x), at(y), outer, n, inner));
    }

    @Override
    public void softmaxBackward(Tensor y, Tensor dy, Tensor dx, long outer, long n, long inner) {
        check(jk_softmax_backward(at(y), at(dy), at(dx), outer, n, inner));
    }

    @Override
    public void gemm(boolean transA, boolean transB, long batch, long m, long n, long k, float alpha, Tensor a,
            long strideA, Tensor b, long strideB, float beta, Tensor c, long strideC) {
        check(jk_gemm(transA ? 1 : 0, transB ? 1 : 0, batch, m, n, k, alpha, at(a), strideA, at(b),
                strideB, beta, at(c), strideC));
    }

    @Override
    public void convForward(ConvDesc d, Tensor x, Tensor w, Tensor bias, Tensor y) {
        check(jk_conv_forward(d.toArray(), at(x), at(w), atOrNull(bias), at(y)));
    }

    @Override
    public void convTransposeForward(ConvDesc d, Tensor x, Tensor w, Tensor bias, Tensor y) {
        check(jk_conv_transpose_forward(d.toArray(), at(x), at(w), atOrNull(bias),
                at(y)));
    }

    @Override
    public void convBackwardData(ConvDesc d, Tensor dy, Tensor w, Tensor dx) {
        check(jk_conv_backward_data(d.toArray(), at(dy), at(w), at(dx)));
    }

    @Override
    public void convBackwardWeights(ConvDesc d, Tensor x, Tensor dy, Tensor dw, Tensor dBias) {
        check(jk_conv_backward_weights(d.toArray(), at(x), at(dy), at(dw),
                atOrNull(dBias)));
    }

    @Override
    public long poolWorkspaceBytes(PoolDesc d) {
        long[] bytes = new long[1];
        check(jk_pool_workspace_size(d.toArray(), bytes));
        return bytes[0];
    }

    @Override
    public void poolForward(PoolDesc d, Tensor x, Tensor y, Tensor workspace) {
        check(jk_pool_forward(d.toArray(), at(x), at(y), atOrNull(workspace)));
    }

    @Override
    public void poolBackward(PoolDesc d, Tensor x, Tensor y, Tensor dy, Tensor workspace, Tensor dx) {
        check(jk_pool_backward(d.toArray(), at(dy), atOrNull(workspace), at(dx)));
    }

    @Override
    public void resizeBilinear(Tensor x, Tensor y, boolean channelsFirst, boolean halfPixelCenters) {
        long[] g = Backend.resizeGeometry("resizeBilinear", x, y, channelsFirst);
        check(jk_resize_bilinear(at(x), at(y), g[0], g[1], g[2], g[3], g[4], g[5],
                channelsFirst ? 1 : 0, halfPixelCenters ? 1 : 0));
    }

    @Override
    public void resizeBilinearBackward(Tensor dy, Tensor dx, boolean channelsFirst, boolean halfPixelCenters) {
        long[] g = Backend.resizeGeometry("resizeBilinearBackward", dx, dy, channelsFirst);
        check(jk_resize_bilinear_backward(at(dy), at(dx), g[0], g[1], g[2], g[3], g[4], g[5],
                channelsFirst ? 1 : 0, halfPixelCenters ? 1 : 0));
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
        check(jk_rnn_forward(d.toArray(), d.params(), at(xw), at(recurrentKernel), atOrNull(recBias),
                atOrNull(h0), atOrNull(c0), atOrNull(mask), at(sequence), at(lastH),
                atOrNull(lastC), at(workspace)));
    }

    @Override
    public void rnnBackward(RnnDesc d, Tensor recurrentKernel, Tensor mask, Tensor workspace, Tensor dSequence,
            Tensor dLastH, Tensor dLastC, Tensor dxw, Tensor dKernel, Tensor dRecBias, Tensor dh0, Tensor dc0) {
        check(jk_rnn_backward(d.toArray(), d.params(), at(recurrentKernel), atOrNull(mask),
                at(workspace), atOrNull(dSequence), atOrNull(dLastH), atOrNull(dLastC), at(dxw),
                at(dKernel), atOrNull(dRecBias), at(dh0), atOrNull(dc0)));
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
        check(jk_rnn_fused_forward(d.toArray(), x.dim(2), at(x), at(kernel), atOrNull(bias),
                at(recurrentKernel), atOrNull(recBias), atOrNull(h0), atOrNull(c0), at(sequence),
                at(lastH), atOrNull(lastC), atOrNull(workspace)));
    }

    @Override
    public void rnnFusedBackward(RnnDesc d, Tensor x, Tensor kernel, Tensor bias, Tensor recurrentKernel,
            Tensor recBias, Tensor h0, Tensor c0, Tensor workspace, Tensor dSequence, Tensor dLastH, Tensor dLastC,
            Tensor dx, Tensor dKernel, Tensor dBias, Tensor dRecurrentKernel, Tensor dRecBias, Tensor dh0,
            Tensor dc0) {
        check(jk_rnn_fused_backward(d.toArray(), x.dim(2), at(x), at(kernel), atOrNull(bias),
                at(recurrentKernel), atOrNull(recBias), atOrNull(h0), atOrNull(c0), at(workspace),
                atOrNull(dSequence), atOrNull(dLastH), atOrNull(dLastC), at(dx), at(dKernel),
                atOrNull(dBias), at(dRecurrentKernel), atOrNull(dRecBias), at(dh0),
                atOrNull(dc0)));
    }


    @Override
    public void randomUniform(Tensor out, long seed, long offset, float low, float high) {
        check(jk_random_uniform(at(out), out.size(), seed, offset, low, high));
    }

    @Override
    public void randomNormal(Tensor out, long seed, long offset, float mean, float stddev) {
        check(jk_random_normal(at(out), out.size(), seed, offset, mean, stddev));
    }

    @Override
    public void randomTruncatedNormal(Tensor out, long seed, long offset, float mean, float stddev) {
        check(jk_random_truncated_normal(at(out), out.size(), seed, offset, mean, stddev));
    }

    @Override
    public void sgdUpdate(Tensor w, Tensor g, Tensor velocity, float lr, float momentum, boolean nesterov) {
        check(jk_sgd_update(at(w), at(g), atOrNull(velocity), w.size(), lr,
                momentum, nesterov ? 1 : 0));
    }

    @Override
    public void adamUpdate(Tensor w, Tensor g, Tensor m, Tensor v, float lrT, float beta1, float beta2,
            float epsilon) {
        check(jk_adam_update(at(w), at(g), at(m), at(v), w.size(), lrT, beta1, beta2,
                epsilon));
    }

    @Override
    public void oneHot(Tensor ids, Tensor out, long depth) {
        Backend.requireInt(ids, "oneHot");
        check(jk_one_hot(at(ids), at(out), ids.size(), depth));
    }

    @Override
    public void argmax(Tensor x, Tensor out, long rows, long n) {
        Backend.requireInt(out, "argmax");
        check(jk_argmax(at(x), at(out), rows, n));
    }

    @Override
    public void gatherRows(Tensor table, Tensor ids, Tensor out) {
        Backend.requireInt(ids, "gatherRows");
        check(jk_gather_rows(at(table), table.dim(0), table.dim(1), at(ids), ids.size(),
                at(out)));
    }

    @Override
    public void scatterAddRows(Tensor src, Tensor ids, Tensor table) {
        Backend.requireInt(ids, "scatterAddRows");
        check(jk_scatter_add_rows(at(src), at(ids), ids.size(), at(table), table.dim(0),
                table.dim(1)));
    }
}
