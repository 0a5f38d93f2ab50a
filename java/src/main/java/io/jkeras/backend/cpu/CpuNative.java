package io.jkeras.backend.cpu;

import java.io.IOException;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.Platform;
import org.bytedeco.javacpp.annotation.Properties;

/**
 * The JNI binding of libjkeras's C ABI (native/include/jkeras). JavaCPP generates the glue at build time;
 * addresses travel as {@code long} so a call allocates nothing on the Java side.
 * Every function returning {@code int} returns a status; {@link CpuBackend} turns a non-zero one into an exception.
 *
 * <p>libjkeras needs libdnnl and libgomp, which come in the org.bytedeco:dnnl preset jar. We load those two
 * files from it ourselves rather than through {@code @Properties(inherit = ...)}: the preset inherits the OpenCL
 * preset, and loading it would require OpenCL's JNI library although oneDNN's CPU engine never uses it.
 */
@Properties(value = @Platform(include = "jkeras/jkeras.h", link = "jkeras", library = "jnijkeras"))
public final class CpuNative {
    static {
        for (String lib : new String[] {"libgomp.so.1", "libdnnl.so.3"}) {
            String resource = "/org/bytedeco/dnnl/" + Loader.getPlatform() + "/" + lib;
            try {
                System.load(Loader.cacheResource(resource).getAbsolutePath());
            } catch (IOException | NullPointerException e) {
                throw new UnsatisfiedLinkError("jkeras: cannot load " + resource
                        + " from the org.bytedeco:dnnl platform jar (is it on the class path?): " + e);
            }
        }
        Loader.load();
    }

    private CpuNative() {
    }

    /** Forces the native libraries to load (and fail here, with the loader's reason, if they cannot). */
    public static void load() {
    }

    public static native @Cast("const char*") String jk_last_error();

    // memory.h
    public static native int jk_alloc(long bytes, @Cast("void**") long[] out);
    public static native void jk_free(@Cast("void*") long p);
    public static native long jk_allocated_bytes();
    public static native int jk_fill(@Cast("float*") long dst, long n, float value);
    public static native int jk_copy(@Cast("void*") long dst, @Cast("const void*") long src, long bytes);
    public static native int jk_copy_strided(int rank, @Cast("const int64_t*") long[] shape,
            @Cast("const void*") long src, @Cast("const int64_t*") long[] srcStrides,
            @Cast("void*") long dst, @Cast("const int64_t*") long[] dstStrides);
    public static native int jk_int_to_float(@Cast("const int32_t*") long src, @Cast("float*") long dst, long n);

    // eltwise.h
    public static native int jk_unary(int op, @Cast("const float*") long x, @Cast("float*") long y, long n,
            float a, float b, float c);
    public static native int jk_unary_backward(int op, @Cast("const float*") long x, @Cast("const float*") long y,
            @Cast("const float*") long dy, @Cast("float*") long dx, long n, float a, float b, float c);
    public static native int jk_binary(int op, int rank, @Cast("const int64_t*") long[] shape,
            @Cast("const float*") long a, @Cast("const int64_t*") long[] aStrides,
            @Cast("const float*") long b, @Cast("const int64_t*") long[] bStrides, @Cast("float*") long out);

    // reduce.h
    public static native int jk_reduce(int op, @Cast("const float*") long x, @Cast("float*") long y,
            long outer, long n, long inner);
    public static native int jk_softmax(@Cast("const float*") long x, @Cast("float*") long y,
            long outer, long n, long inner);
    public static native int jk_softmax_backward(@Cast("const float*") long y, @Cast("const float*") long dy,
            @Cast("float*") long dx, long outer, long n, long inner);

    // gemm.h
    public static native int jk_gemm(int transA, int transB, long batch, long m, long n, long k, float alpha,
            @Cast("const float*") long a, long strideA, @Cast("const float*") long b, long strideB, float beta,
            @Cast("float*") long c, long strideC);

    // conv.h: the descriptor is the C struct's int64 fields (ConvDesc.toArray)
    public static native int jk_conv_forward(@Cast("const jk_conv_desc*") long[] desc, @Cast("const float*") long x,
            @Cast("const float*") long w, @Cast("const float*") long bias, @Cast("float*") long y);
    public static native int jk_conv_transpose_forward(@Cast("const jk_conv_desc*") long[] desc,
            @Cast("const float*") long x, @Cast("const float*") long w, @Cast("const float*") long bias,
            @Cast("float*") long y);
    public static native int jk_conv_backward_data(@Cast("const jk_conv_desc*") long[] desc,
            @Cast("const float*") long dy, @Cast("const float*") long w, @Cast("float*") long dx);
    public static native int jk_conv_backward_weights(@Cast("const jk_conv_desc*") long[] desc,
            @Cast("const float*") long x, @Cast("const float*") long dy, @Cast("float*") long dw,
            @Cast("float*") long dBias);

    // pool.h: the descriptor is the C struct's int64 fields (PoolDesc.toArray)
    public static native int jk_pool_workspace_size(@Cast("const jk_pool_desc*") long[] desc,
            @Cast("int64_t*") long[] bytes);
    public static native int jk_pool_forward(@Cast("const jk_pool_desc*") long[] desc, @Cast("const float*") long x,
            @Cast("float*") long y, @Cast("void*") long workspace);
    public static native int jk_pool_backward(@Cast("const jk_pool_desc*") long[] desc, @Cast("const float*") long dy,
            @Cast("const void*") long workspace, @Cast("float*") long dx);

    // resize.h
    public static native int jk_resize_bilinear(@Cast("const float*") long x, @Cast("float*") long y, long batch,
            long channels, long inH, long inW, long outH, long outW, int channelsFirst, int halfPixelCenters);
    public static native int jk_resize_bilinear_backward(@Cast("const float*") long dy, @Cast("float*") long dx,
            long batch, long channels, long inH, long inW, long outH, long outW, int channelsFirst,
            int halfPixelCenters);

    // random.h
    public static native int jk_random_uniform(@Cast("float*") long out, long n, @Cast("uint64_t") long seed,
            @Cast("uint64_t") long offset, float low, float high);
    public static native int jk_random_normal(@Cast("float*") long out, long n, @Cast("uint64_t") long seed,
            @Cast("uint64_t") long offset, float mean, float stddev);
    public static native int jk_random_truncated_normal(@Cast("float*") long out, long n,
            @Cast("uint64_t") long seed, @Cast("uint64_t") long offset, float mean, float stddev);

    // optim.h
    public static native int jk_sgd_update(@Cast("float*") long w, @Cast("const float*") long g,
            @Cast("float*") long v, long n, float lr, float momentum, int nesterov);
    public static native int jk_adam_update(@Cast("float*") long w, @Cast("const float*") long g,
            @Cast("float*") long m, @Cast("float*") long v, long n, float lrT, float beta1, float beta2,
            float epsilon);

    // index.h
    public static native int jk_one_hot(@Cast("const int32_t*") long ids, @Cast("float*") long out, long n,
            long depth);
    public static native int jk_argmax(@Cast("const float*") long x, @Cast("int32_t*") long out, long rows, long n);
    public static native int jk_gather_rows(@Cast("const float*") long table, long rows, long dim,
            @Cast("const int32_t*") long ids, long n, @Cast("float*") long out);
    public static native int jk_scatter_add_rows(@Cast("const float*") long src, @Cast("const int32_t*") long ids,
            long n, @Cast("float*") long table, long rows, long dim);

    // rnn.h: the descriptor is the C struct's int64 fields (RnnDesc.toArray), params RnnDesc.params()
    public static native int jk_rnn_workspace_size(@Cast("const jk_rnn_desc*") long[] desc,
            @Cast("const float*") float[] params, @Cast("int64_t*") long[] floats);
    public static native int jk_rnn_forward(@Cast("const jk_rnn_desc*") long[] desc,
            @Cast("const float*") float[] params, @Cast("const float*") long xw, @Cast("const float*") long u,
            @Cast("const float*") long recBias, @Cast("const float*") long h0, @Cast("const float*") long c0,
            @Cast("const float*") long mask, @Cast("float*") long seq, @Cast("float*") long lastH,
            @Cast("float*") long lastC, @Cast("float*") long workspace);
    public static native int jk_rnn_fused_supported(@Cast("const jk_rnn_desc*") long[] desc,
            @Cast("const float*") float[] params, int[] supported);
    public static native int jk_rnn_fused_workspace_size(@Cast("const jk_rnn_desc*") long[] desc, long inputSize,
            @Cast("int64_t*") long[] bytes);
    public static native int jk_rnn_fused_forward(@Cast("const jk_rnn_desc*") long[] desc, long inputSize,
            @Cast("const float*") long x, @Cast("const float*") long kernel, @Cast("const float*") long bias,
            @Cast("const float*") long u, @Cast("const float*") long recBias, @Cast("const float*") long h0,
            @Cast("const float*") long c0, @Cast("float*") long seq, @Cast("float*") long lastH,
            @Cast("float*") long lastC, @Cast("void*") long workspace);
    public static native int jk_rnn_fused_backward(@Cast("const jk_rnn_desc*") long[] desc, long inputSize,
            @Cast("const float*") long x, @Cast("const float*") long kernel, @Cast("const float*") long bias,
            @Cast("const float*") long u, @Cast("const float*") long recBias, @Cast("const float*") long h0,
            @Cast("const float*") long c0, @Cast("const void*") long workspace, @Cast("const float*") long dSeq,
            @Cast("const float*") long dLastH, @Cast("const float*") long dLastC, @Cast("float*") long dx,
            @Cast("float*") long dKernel, @Cast("float*") long dBias, @Cast("float*") long du,
            @Cast("float*") long dRecBias, @Cast("float*") long dh0, @Cast("float*") long dc0);
    public static native int jk_rnn_backward(@Cast("const jk_rnn_desc*") long[] desc,
            @Cast("const float*") float[] params, @Cast("const float*") long u, @Cast("const float*") long mask,
            @Cast("const float*") long workspace, @Cast("const float*") long dSeq,
            @Cast("const float*") long dLastH, @Cast("const float*") long dLastC, @Cast("float*") long dxw,
            @Cast("float*") long du, @Cast("float*") long dRecBias, @Cast("float*") long dh0,
            @Cast("float*") long dc0);
}
