package io.jkeras.backend;

import io.jkeras.tensor.Device;
import io.jkeras.tensor.Tensor;

/**
 * The device primitives every backend implements: the single place of device code. Ops check shapes and
 * allocate; a backend only computes. Sizes and strides are in elements; offsets in elements from a tensor's
 * first one. Errors come back as {@link NativeException}, never as a crash.
 */
public interface Backend {
    String name();

    Device device();

    // memory
    long allocate(long bytes);

    void free(long address);

    /** Bytes this backend holds for tensors now. */
    long allocatedBytes();

    void write(Tensor dst, float[] src);

    void write(Tensor dst, int[] src);

    void read(Tensor src, float[] dst);

    void read(Tensor src, int[] dst);

    /** Copies bytes from host memory (any address) into dst: how tensors move onto this backend's device. */
    void copyFromHost(long hostAddress, Tensor dst, long bytes);

    /** Copies the first bytes of src into host memory, returning once they are there. */
    void copyToHost(Tensor src, long hostAddress, long bytes);

    void fill(Tensor dst, float value);

    /** dst = src, element for element (same size, any shapes). */
    void copy(Tensor src, Tensor dst);

    /** dst[dstOffset + i.dstStrides] = src[srcOffset + i.srcStrides] for every index i of shape. */
    void copyStrided(long[] shape, Tensor src, long srcOffset, long[] srcStrides, Tensor dst, long dstOffset,
            long[] dstStrides);

    void intToFloat(Tensor src, Tensor dst);

    // elementwise
    void unary(UnaryOp op, float a, float b, float c, Tensor x, Tensor y);

    /** dx = dy * f'(x), with y = f(x). */
    void unaryBackward(UnaryOp op, float a, float b, float c, Tensor x, Tensor y, Tensor dy, Tensor dx);

    /** out = a op b over out's shape, strides 0 on broadcast dimensions. */
    void binary(BinaryOp op, long[] shape, Tensor a, long[] aStrides, Tensor b, long[] bStrides, Tensor out);

    // reductions over the middle axis of an (outer, n, inner) view
    void reduce(ReduceOp op, Tensor x, Tensor y, long outer, long n, long inner);

    void softmax(Tensor x, Tensor y, long outer, long n, long inner);

    void softmaxBackward(Tensor y, Tensor dy, Tensor dx, long outer, long n, long inner);

    // matrix products, row-major: C = alpha op(A) op(B) + beta C for each of batch items
    void gemm(boolean transA, boolean transB, long batch, long m, long n, long k, float alpha, Tensor a,
            long strideA, Tensor b, long strideB, float beta, Tensor c, long strideC);

    // convolutions, Keras layouts (see ConvDesc); bias and dBias may be null
    void convForward(ConvDesc d, Tensor x, Tensor w, Tensor bias, Tensor y);

    void convBackwardData(ConvDesc d, Tensor dy, Tensor w, Tensor dx);

    /** The transposed convolution of d (groups 1) with its bias fused: x of d's output shape, y of its input shape. */
    void convTransposeForward(ConvDesc d, Tensor x, Tensor w, Tensor bias, Tensor y);

    void convBackwardWeights(ConvDesc d, Tensor x, Tensor dy, Tensor dw, Tensor dBias);

    // pooling (see PoolDesc): max pooling's forward pass fills a workspace that its backward pass reads
    /** Bytes of the workspace {@link #poolForward} fills for {@link #poolBackward} (0: pass null). */
    long poolWorkspaceBytes(PoolDesc d);

    void poolForward(PoolDesc d, Tensor x, Tensor y, Tensor workspace);

    /** dx = d pool / d x given dy; x and y are the forward pass's input and output, for backends that need them. */
    void poolBackward(PoolDesc d, Tensor x, Tensor y, Tensor dy, Tensor workspace, Tensor dx);

    // bilinear resizing of the two spatial axes of 4-D images (N, H, W, C) or (N, C, H, W); sizes from the shapes
    /** y = resize(x): TF2's half-pixel centres, or TF1's resize_bilinear mapping when halfPixelCenters is false. */
    void resizeBilinear(Tensor x, Tensor y, boolean channelsFirst, boolean halfPixelCenters);

    void resizeBilinearBackward(Tensor dy, Tensor dx, boolean channelsFirst, boolean halfPixelCenters);

    // whole recurrences (see RnnDesc): the forward pass fills a workspace that the backward pass reads
    /** Floats of the workspace of {@link #rnnForward} / {@link #rnnBackward}. */
    long rnnWorkspaceFloats(RnnDesc d);

    /** recBias, h0, c0, mask may be null (none, zeros, zeros, all steps valid); lastC is null unless LSTM. */
    void rnnForward(RnnDesc d, Tensor xw, Tensor recurrentKernel, Tensor recBias, Tensor h0, Tensor c0, Tensor mask,
            Tensor sequence, Tensor lastH, Tensor lastC, Tensor workspace);

    /**
     * Gradients of a recurrence given those of its outputs (each null for zeros); dxw, dKernel and dh0 are
     * overwritten, dRecBias and dc0 too unless null (not wanted).
     */
    void rnnBackward(RnnDesc d, Tensor recurrentKernel, Tensor mask, Tensor workspace, Tensor dSequence,
            Tensor dLastH, Tensor dLastC, Tensor dxw, Tensor dKernel, Tensor dRecBias, Tensor dh0, Tensor dc0);

    /**
     * Whether {@link #rnnFusedForward} runs this recurrence: the backend's own fused LSTM / GRU (on the CPU oneDNN's
     * primitives, for LSTM and both GRUs with sigmoid gates and tanh, batch and steps > 0). Masks are never fused.
     */
    boolean rnnFusedSupported(RnnDesc d);

    /** Bytes of the workspace of {@link #rnnFusedForward} / {@link #rnnFusedBackward}. */
    long rnnFusedWorkspaceBytes(RnnDesc d, long inputSize);

    /**
     * The recurrence from the layer's input: x (N, T, I), kernel (I, G*H), bias (G*H) or null; the rest as for
     * {@link #rnnForward} (without a mask); workspace null when no backward pass will follow (inference).
     */
    void rnnFusedForward(RnnDesc d, Tensor x, Tensor kernel, Tensor bias, Tensor recurrentKernel, Tensor recBias,
            Tensor h0, Tensor c0, Tensor sequence, Tensor lastH, Tensor lastC, Tensor workspace);

    /** Gradients of {@link #rnnFusedForward}; dBias, dRecBias and dc0 may be null (not wanted). */
    void rnnFusedBackward(RnnDesc d, Tensor x, Tensor kernel, Tensor bias, Tensor recurrentKernel, Tensor recBias,
            Tensor h0, Tensor c0, Tensor workspace, Tensor dSequence, Tensor dLastH, Tensor dLastC, Tensor dx,
            Tensor dKernel, Tensor dBias, Tensor dRecurrentKernel, Tensor dRecBias, Tensor dh0, Tensor dc0);

    // random numbers: element i depends only on (seed, offset + i)
    void randomUniform(Tensor out, long seed, long offset, float low, float high);

    void randomNormal(Tensor out, long seed, long offset, float mean, float stddev);

    void randomTruncatedNormal(Tensor out, long seed, long offset, float mean, float stddev);

    // optimizer updates, in place
    void sgdUpdate(Tensor w, Tensor g, Tensor velocity, float lr, float momentum, boolean nesterov);

    void adamUpdate(Tensor w, Tensor g, Tensor m, Tensor v, float lrT, float beta1, float beta2, float epsilon);

    // integer indices
    void oneHot(Tensor ids, Tensor out, long depth);

    void argmax(Tensor x, Tensor out, long rows, long n);

    /** out (n, D) = rows ids (int32, n of them) of table (V, D); an id outside [0, V) fails and writes nothing. */
    void gatherRows(Tensor table, Tensor ids, Tensor out);

    /** table[ids[i]] += src[i] for each row i of src (n, D); repeated ids accumulate. */
    void scatterAddRows(Tensor src, Tensor ids, Tensor table);

    /**
     * The address of t's element offsetElements, t being on owner's device: a tensor of another device is refused
     * with an exception, never handed to native code that would dereference it.
     */
    static long addressOn(Backend owner, Tensor t, long offsetElements) {
        if (t.backend() != owner) {
            throw new IllegalArgumentException("a tensor on " + t.device() + " was passed to the " + owner.device()
                    + " backend; move it with Tensor.to(" + owner.device() + ")");
        }
        return t.address() + (long) t.dtype().byteSize() * offsetElements;
    }

    /**
     * The geometry of a bilinear resize from {@code input} to {@code output} (4-D images in either layout):
     * {batch, channels, input height, input width, output height, output width}; op names the call in errors.
     */
    static long[] resizeGeometry(String op, Tensor input, Tensor output, boolean channelsFirst) {
        long[] in = imageDims(input, channelsFirst, op + " input");
        long[] out = imageDims(output, channelsFirst, op + " output");
        if (in[0] != out[0] || in[1] != out[1]) {
            throw new IllegalArgumentException(op + ": batch and channels differ between input (" + in[0] + ", "
                    + in[1] + ") and output (" + out[0] + ", " + out[1] + ")");
        }
        return new long[] {in[0], in[1], in[2], in[3], out[2], out[3]};
    }

    /** (batch, channels, height, width) of a 4-D image tensor in either layout. */
    private static long[] imageDims(Tensor t, boolean channelsFirst, String what) {
        if (t.rank() != 4) {
            throw new IllegalArgumentException(what + ": expected a 4-D image tensor, got " + t);
        }
        long[] d = t.shape();
        return channelsFirst ? new long[] {d[0], d[1], d[2], d[3]} : new long[] {d[0], d[3], d[1], d[2]};
    }

    static void requireInt(Tensor t, String op) {
        if (t.dtype() != io.jkeras.tensor.DType.INT32) {
            throw new IllegalArgumentException(op + ": expected an int32 tensor, got " + t);
        }
    }
}
