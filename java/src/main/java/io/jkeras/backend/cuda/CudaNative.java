package io.jkeras.backend.cuda;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.Platform;
import org.bytedeco.javacpp.annotation.Properties;

/**
 * The JNI binding of libjkeras_cuda's C ABI (native/include/jkeras/cuda.h): our own CUDA kernels, each queued on
 * the stream passed first. Addresses (device, host and stream) travel as {@code long}; descriptors, shapes and
 * strides as host arrays. Every function returning {@code int} returns a status that {@link CudaBackend} turns
 * into an exception. libjkeras_cuda links the CUDA runtime statically, so loading it needs only the driver.
 */
@Properties(value = @Platform(include = "jkeras/cuda.h", link = "jkeras_cuda", library = "jnijkeras_cuda"))
public final class CudaNative {
    private CudaNative() {
    }

    /** Loads the native libraries; throws the loader's error where they cannot load. */
    static void load() {
        Loader.load(CudaNative.class);
    }

    public static native @Cast("const char*") String jkc_last_error();

    // runtime
    public static native int jkc_device_count(int[] count);
    public static native int jkc_versions(int[] driver, int[] runtime);
    public static native int jkc_device_properties(int device, @Cast("char*") byte[] name, int len, int[] major,
            int[] minor, @Cast("int64_t*") long[] totalBytes);
    public static native int jkc_stream_create(int device, @Cast("void**") long[] stream);
    public static native int jkc_stream_destroy(@Cast("void*") long stream);
    public static native int jkc_stream_synchronize(@Cast("void*") long stream);
    public static native int jkc_alloc(@Cast("void*") long stream, long bytes, @Cast("void**") long[] out);
    public static native int jkc_free(@Cast("void*") long stream, @Cast("void*") long p);
    public static native int jkc_trim(@Cast("void*") long stream);
    public static native int jkc_host_alloc(long bytes, @Cast("void**") long[] out);
    public static native int jkc_host_free(@Cast("void*") long p);
    public static native int jkc_copy_to_device(@Cast("void*") long stream, @Cast("void*") long dst,
            @Cast("const void*") long hostSrc, long bytes);
    public static native int jkc_copy_to_host(@Cast("void*") long stream, @Cast("void*") long hostDst,
            @Cast("const void*") long src, long bytes);

    // memory
    public static native int jkc_fill(@Cast("void*") long stream, @Cast("float*") long dst, long n, float value);
    public static native int jkc_copy(@Cast("void*") long stream, @Cast("void*") long dst,
            @Cast("const void*") long src, long bytes);
    public static native int jkc_copy_strided(@Cast("void*") long stream, int rank,
            @Cast("const int64_t*") long[] shape, @Cast("const void*") long src,
            @Cast("const int64_t*") long[] srcStrides, @Cast("void*") long dst,
            @Cast("const int64_t*") long[] dstStrides);
    public static native int jkc_int_to_float(@Cast("void*") long stream, @Cast("const int32_t*") long src,
            @Cast("float*") long dst, long n);

    // eltwise
    public static native int jkc_unary(@Cast("void*") long stream, int op, @Cast("const float*") long x,
            @Cast("float*") long y, long n, float a, float b, float c);
    public static native int jkc_unary_backward(@Cast("void*") long stream, int op, @Cast("const float*") long x,
            @Cast("const float*") long y, @Cast("const float*") long dy, @Cast("float*") long dx, long n, float a,
            float b, float c);
    public static native int jkc_binary(@Cast("void*") long stream, int op, int rank,
            @Cast("const int64_t*") long[] shape, @Cast("const float*") long a,
            @Cast("const int64_t*") long[] aStrides, @Cast("const float*") long b,
            @Cast("const int64_t*") long[] bStrides, @Cast("float*") long out);

    // reduce
    public static native int jkc_reduce(@Cast("void*") long stream, int op, @Cast("const float*") long x,
            @Cast("float*") long y, long outer, long n, long inner);
    public static native int jkc_softmax(@Cast("void*") long stream, @Cast("const float*") long x,
            @Cast("float*") long y, long outer, long n, long inner);
    public static native int jkc_softmax_backward(@Cast("void*") long stream, @Cast("const float*") long y,
            @Cast("const float*") long dy, @Cast("float*") long dx, long outer, long n, long inner);

    // random
    public static native int jkc_random_uniform(@Cast("void*") long stream, @Cast("float*") long out, long n,
            @Cast("uint64_t") long seed, @Cast("uint64_t") long offset, float low, float high);
    public static native int jkc_random_normal(@Cast("void*") long stream, @Cast("float*") long out, long n,
            @Cast("uint64_t") long seed, @Cast("uint64_t") long offset, float mean, float stddev);
    public static native int jkc_random_truncated_normal(@Cast("void*") long stream, @Cast("float*") long out,
            long n, @Cast("uint64_t") long seed, @Cast("uint64_t") long offset, float mean, float stddev);

    // optim
    public static native int jkc_sgd_update(@Cast("void*") long stream, @Cast("float*") long w,
            @Cast("const float*") long g, @Cast("float*") long v, long n, float lr, float momentum, int nesterov);
    public static native int jkc_adam_update(@Cast("void*") long stream, @Cast("float*") long w,
            @Cast("const float*") long g, @Cast("float*") long m, @Cast("float*") long v, long n, float lrT,
            float beta1, float beta2, float epsilon);

    // index
    public static native int jkc_one_hot(@Cast("void*") long stream, @Cast("const int32_t*") long ids,
            @Cast("float*") long out, long n, long depth);
    public static native int jkc_argmax(@Cast("void*") long stream, @Cast("const float*") long x,
            @Cast("int32_t*") long out, long rows, long n);
    public static native int jkc_gather_rows(@Cast("void*") long stream, @Cast("const float*") long table,
            long rows, long dim, @Cast("const int32_t*") long ids, long n, @Cast("float*") long out);
    public static native int jkc_scatter_add_rows(@Cast("void*") long stream, @Cast("const float*") long src,
            @Cast("const int32_t*") long ids, long n, @Cast("float*") long table, long rows, long dim);

    // pool: the descriptor is the C struct's int64 fields (PoolDesc.toArray)
    public static native int jkc_pool_workspace_size(@Cast("const jk_pool_desc*") long[] desc,
            @Cast("int64_t*") long[] bytes);
    public static native int jkc_pool_forward(@Cast("void*") long stream, @Cast("const jk_pool_desc*") long[] desc,
            @Cast("const float*") long x, @Cast("float*") long y, @Cast("void*") long workspace);
    public static native int jkc_pool_backward(@Cast("void*") long stream, @Cast("const jk_pool_desc*") long[] desc,
            @Cast("const float*") long dy, @Cast("const void*") long workspace, @Cast("float*") long dx);

    // resize
    public static native int jkc_resize_bilinear(@Cast("void*") long stream, @Cast("const float*") long x,
            @Cast("float*") long y, long batch, long channels, long inH, long inW, long outH, long outW,
            int channelsFirst, int halfPixelCenters);
    public static native int jkc_resize_bilinear_backward(@Cast("void*") long stream, @Cast("const float*") long dy,
            @Cast("float*") long dx, long batch, long channels, long inH, long inW, long outH, long outW,
            int channelsFirst, int halfPixelCenters);

    // rnn: the descriptor is RnnDesc.toArray, the activations' parameters RnnDesc.params
    public static native int jkc_rnn_workspace_size(@Cast("const jk_rnn_desc*") long[] desc, float[] params,
            @Cast("int64_t*") long[] floats);
    public static native int jkc_rnn_forward(@Cast("void*") long stream, @Cast("const jk_rnn_desc*") long[] desc,
            float[] params, @Cast("const float*") long xw, @Cast("const float*") long u,
            @Cast("const float*") long recBias, @Cast("const float*") long h0, @Cast("const float*") long c0,
            @Cast("const float*") long mask, @Cast("float*") long seq, @Cast("float*") long lastH,
            @Cast("float*") long lastC, @Cast("float*") long workspace);
    public static native int jkc_rnn_backward(@Cast("void*") long stream, @Cast("const jk_rnn_desc*") long[] desc,
            float[] params, @Cast("const float*") long u, @Cast("const float*") long mask,
            @Cast("const float*") long workspace, @Cast("const float*") long dSeq, @Cast("const float*") long dLastH,
            @Cast("const float*") long dLastC, @Cast("float*") long dxw, @Cast("float*") long du,
            @Cast("float*") long dRecBias, @Cast("float*") long dh0, @Cast("float*") long dc0);
}
