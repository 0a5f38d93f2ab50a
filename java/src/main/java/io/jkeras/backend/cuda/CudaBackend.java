package io.jkeras.backend.cuda;

import static io.jkeras.backend.cuda.CudaNative.*;
import static org.bytedeco.cuda.global.cublas.*;

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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.cuda.cublas.cublasContext;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.cudnn.cudnnContext;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.cuda.global.cudnn;
import org.bytedeco.javacpp.FloatPointer;

/**
 * The GPU backend of one CUDA device: cuDNN (convolutions, the fused recurrences) and cuBLAS (GEMM) through the
 * JavaCPP CUDA presets, our own kernels (libjkeras_cuda, {@link CudaNative}) for the rest. Everything runs on one
 * stream per backend, in order, so no call synchronises except those that read device memory into Java (reads,
 * and the id check of gathers). Device memory comes from the device's stream-ordered pool, which caches freed
 * blocks; transfers go through a pinned staging buffer.
 *
 * <p>Full float32 everywhere by default (TF32 off in cuDNN and cuBLAS), so results match the CPU backend's and
 * Keras's; {@code -Djkeras.cuda.tf32=true} allows TF32 tensor cores on Ampere and newer.
 */
public final class CudaBackend extends NativeBackend {
    private static final System.Logger LOG = System.getLogger(CudaBackend.class.getName());
    private static final Map<Integer, CudaBackend> INSTANCES = new ConcurrentHashMap<>();
    private static final int MIN_CUDNN_VERSION = 90000;
    private static volatile String unavailableReason;
    private static volatile boolean probed;

    private final Device device;
    private final long stream;
    private final CUstream_st cudaStream;
    private final cublasContext cublas = new cublasContext();
    private final cudnnContext cudnnHandle = new cudnnContext();
    private final boolean tf32;
    private final Map<Long, Long> allocations = new ConcurrentHashMap<>();
    private final AtomicLong allocatedBytes = new AtomicLong();
    private final Map<String, long[]> scratch = new HashMap<>();
    private final FloatPointer alpha = new FloatPointer(1);
    private final FloatPointer beta = new FloatPointer(1);
    private final CudnnConvolution convolution;
    private final CudnnRnn recurrence;
    private long staging;
    private long stagingBytes;

    private CudaBackend(int index) {
        this.device = Device.cuda(index);
        this.tf32 = Boolean.getBoolean("jkeras.cuda.tf32");
        long[] s = new long[1];
        check(jkc_stream_create(index, s));
        this.stream = s[0];
        this.cudaStream = new CUstream_st(NativeMemory.at(stream));
        cudaCheck(cudart.cudaSetDevice(index), "cudaSetDevice");
        cublasCheck(cublasCreate_v2(cublas), "cublasCreate");
        cublasCheck(cublasSetStream_v2(cublas, cudaStream), "cublasSetStream");
        cublasCheck(cublasSetPointerMode_v2(cublas, CUBLAS_POINTER_MODE_HOST), "cublasSetPointerMode");
        cublasCheck(cublasSetMathMode(cublas, tf32 ? CUBLAS_TF32_TENSOR_OP_MATH : CUBLAS_PEDANTIC_MATH),
                "cublasSetMathMode");
        Cudnn.check(cudnn.cudnnCreate(cudnnHandle), "cudnnCreate");
        Cudnn.check(cudnn.cudnnSetStream(cudnnHandle, cudaStream), "cudnnSetStream");
        this.convolution = new CudnnConvolution(this);
        this.recurrence = new CudnnRnn(this);
    }

    /**
     * The backend of CUDA device {@code index}, created on first use.
     *
     * @throws UnsupportedOperationException with {@link #unavailableReason()} where CUDA cannot serve
     */
    public static CudaBackend forDevice(int index) {
        CudaBackend made = INSTANCES.get(index);
        return made != null ? made : create(index);
    }

    private static synchronized CudaBackend create(int index) {
        String reason = unavailableReason();
        if (reason != null) {
            throw new UnsupportedOperationException("CUDA backend unavailable: " + reason);
        }
        int[] count = new int[1];
        check(jkc_device_count(count));
        if (index >= count[0]) {
            throw new IllegalArgumentException("no CUDA device " + index + ": this machine has " + count[0]);
        }
        return INSTANCES.computeIfAbsent(index, CudaBackend::new);
    }

    /**
     * Null where the CUDA backend can serve, or exactly what is missing: libjkeras_cuda, the driver, a device,
     * the CUDA runtime, cuBLAS, or cuDNN 9. Probed once.
     */
    public static String unavailableReason() {
        if (!probed) {
            synchronized (CudaBackend.class) {
                if (!probed) {
                    unavailableReason = probe();
                    probed = true;
                }
            }
        }
        return unavailableReason;
    }

    private static String probe() {
        try {
            CudaNative.load();
        } catch (Throwable e) {
            return "libjkeras_cuda does not load (" + e.getMessage() + ")";
        }
        int[] count = new int[1];
        if (jkc_device_count(count) != 0) {
            String error = jkc_last_error();
            // CUDA's runtime says "insufficient driver" also where there is no driver at all
            return driverLibraryFound() ? "no usable CUDA driver: " + error
                    : "no NVIDIA driver: libcuda.so.1 is not on the library path (" + error + ")";
        }
        if (count[0] == 0) {
            return "the CUDA driver reports no device";
        }
        for (String[] lib : new String[][] {{"cudart", "the CUDA 13 runtime (libcudart.so.13)"},
                {"cublas", "cuBLAS 13 (libcublas.so.13, libcublasLt.so.13)"}, {"cudnn", "cuDNN 9 (libcudnn.so.9)"}}) {
            try {
                org.bytedeco.javacpp.Loader.load(Class.forName("org.bytedeco.cuda.global." + lib[0]));
            } catch (Throwable e) {
                return lib[1] + " not found: " + e.getMessage();
            }
        }
        long version = cudnn.cudnnGetVersion();
        if (version < MIN_CUDNN_VERSION) {
            return "cuDNN " + version + " is older than 9.0";
        }
        return null;
    }

    private static boolean driverLibraryFound() {
        List<String> dirs = new ArrayList<>(List.of("/usr/lib/x86_64-linux-gnu",
                "/usr/lib64", "/usr/lib", "/usr/local/nvidia/lib64", "/usr/lib/wsl/lib", "/lib/x86_64-linux-gnu"));
        dirs.addAll(List.of(System.getenv().getOrDefault("LD_LIBRARY_PATH", "").split(":")));
        for (String dir : dirs) {
            if (!dir.isEmpty() && Files.exists(Path.of(dir, "libcuda.so.1"))) {
                return true;
            }
        }
        return false;
    }

    /** One line on the device, its driver, and the libraries in use. */
    public String describe() {
        byte[] name = new byte[256];
        int[] major = new int[1];
        int[] minor = new int[1];
        long[] total = new long[1];
        check(jkc_device_properties(device.index(), name, name.length, major, minor, total));
        int[] driver = new int[1];
        int[] runtime = new int[1];
        check(jkc_versions(driver, runtime));
        int end = 0;
        while (end < name.length && name[end] != 0) {
            end++;
        }
        return new String(name, 0, end, StandardCharsets.UTF_8) + " (sm_" + major[0] + minor[0] + ", "
                + (total[0] >> 20) + " MiB), driver " + version(driver[0]) + ", runtime " + version(runtime[0])
                + ", cuDNN " + cudnn.cudnnGetVersion() + (tf32 ? ", TF32 on" : "");
    }

    private static String version(int v) {
        return v / 1000 + "." + (v % 1000) / 10;
    }

    // ------------------------------------------------------------------------------------------ context

    /** Turns a libjkeras_cuda status into an exception carrying its message. */
    static void check(int status) {
        if (status != 0) {
            throw new NativeException(status, jkc_last_error());
        }
    }

    private static void cudaCheck(int error, String what) {
        if (error != 0) {
            throw new NativeException(3, what + ": " + cudart.cudaGetErrorString(error).getString());
        }
    }

    private static void cublasCheck(int status, String what) {
        if (status != 0) {
            throw new NativeException(3, what + ": " + cublasGetStatusString(status).getString());
        }
    }

    long stream() {
        return stream;
    }

    CUstream_st cudaStream() {
        return cudaStream;
    }

    cudnnContext cudnn() {
        return cudnnHandle;
    }

    /** Whether TF32 tensor cores may serve float32 products (off by default: exact float32). */
    boolean tf32() {
        return tf32;
    }

    /**
     * The device address of a buffer of at least {@code bytes} kept under {@code key} for reuse (convolution
     * workspaces, reordered weights, padded inputs): grown by reallocation, never shrunk. Work on the backend's
     * one stream is ordered, so a buffer may be reused by the next call at once; callers hold the backend's lock.
     */
    synchronized long scratch(String key, long bytes) {
        long[] entry = scratch.get(key);
        if (entry != null && entry[1] >= bytes) {
            return entry[0];
        }
        if (entry != null) {
            check(jkc_free(stream, entry[0]));
        }
        long[] out = new long[1];
        check(jkc_alloc(stream, Math.max(bytes, 256), out));
        scratch.put(key, new long[] {out[0], Math.max(bytes, 256)});
        return out[0];
    }

    // ------------------------------------------------------------------------------------------ memory

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public Device device() {
        return device;
    }

    @Override
    public long allocate(long bytes) {
        long[] out = new long[1];
        check(jkc_alloc(stream, bytes, out));
        allocations.put(out[0], bytes);
        allocatedBytes.addAndGet(bytes);
        return out[0];
    }

    @Override
    public void free(long address) {
        Long bytes = allocations.remove(address);
        if (bytes != null) {
            allocatedBytes.addAndGet(-bytes);
            check(jkc_free(stream, address));
        }
    }

    @Override
    public long allocatedBytes() {
        return allocatedBytes.get();
    }

    /** Returns the memory pool's cached, unused blocks to the driver. */
    public void trim() {
        check(jkc_trim(stream));
    }

    /** Waits for all work queued on this backend's stream. */
    public void synchronize() {
        check(jkc_stream_synchronize(stream));
    }

    /** A pinned host buffer of at least bytes; callers hold the lock on this backend. */
    private long staging(long bytes) {
        if (bytes > stagingBytes) {
            if (staging != 0) {
                check(jkc_host_free(staging));
                staging = 0;
            }
            long[] out = new long[1];
            check(jkc_host_alloc(Math.max(bytes, 1 << 20), out));
            staging = out[0];
            stagingBytes = Math.max(bytes, 1 << 20);
        }
        return staging;
    }

    @Override
    public synchronized void write(Tensor dst, float[] src) {
        long host = staging(4L * src.length);
        NativeMemory.floats(host, src.length).put(src);
        check(jkc_copy_to_device(stream, at(dst), host, 4L * src.length));
    }

    @Override
    public synchronized void write(Tensor dst, int[] src) {
        long host = staging(4L * src.length);
        NativeMemory.ints(host, src.length).put(src);
        check(jkc_copy_to_device(stream, at(dst), host, 4L * src.length));
    }

    @Override
    public synchronized void read(Tensor src, float[] dst) {
        long host = staging(4L * dst.length);
        check(jkc_copy_to_host(stream, host, at(src), 4L * dst.length));
        NativeMemory.floats(host, dst.length).get(dst);
    }

    @Override
    public synchronized void read(Tensor src, int[] dst) {
        long host = staging(4L * dst.length);
        check(jkc_copy_to_host(stream, host, at(src), 4L * dst.length));
        NativeMemory.ints(host, dst.length).get(dst);
    }

    @Override
    public void copyFromHost(long hostAddress, Tensor dst, long bytes) {
        check(jkc_copy_to_device(stream, at(dst), hostAddress, bytes));
    }

    @Override
    public void copyToHost(Tensor src, long hostAddress, long bytes) {
        check(jkc_copy_to_host(stream, hostAddress, at(src), bytes));
    }

    @Override
    public void fill(Tensor dst, float value) {
        check(jkc_fill(stream, at(dst), dst.size(), value));
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        check(jkc_copy(stream, at(dst), at(src), 4L * src.size()));
    }

    @Override
    public void copyStrided(long[] shape, Tensor src, long srcOffset, long[] srcStrides, Tensor dst, long dstOffset,
            long[] dstStrides) {
        check(jkc_copy_strided(stream, shape.length, shape, at(src, srcOffset), srcStrides, at(dst, dstOffset),
                dstStrides));
    }

    @Override
    public void intToFloat(Tensor src, Tensor dst) {
        check(jkc_int_to_float(stream, at(src), at(dst), src.size()));
    }

    // ------------------------------------------------------------------------------------------ elementwise

    @Override
    public void unary(UnaryOp op, float a, float b, float c, Tensor x, Tensor y) {
        check(jkc_unary(stream, op.code, at(x), at(y), x.size(), a, b, c));
    }

    @Override
    public void unaryBackward(UnaryOp op, float a, float b, float c, Tensor x, Tensor y, Tensor dy, Tensor dx) {
        check(jkc_unary_backward(stream, op.code, at(x), at(y), at(dy), at(dx), x.size(), a, b, c));
    }

    @Override
    public void binary(BinaryOp op, long[] shape, Tensor a, long[] aStrides, Tensor b, long[] bStrides, Tensor out) {
        check(jkc_binary(stream, op.code, shape.length, shape, at(a), aStrides, at(b), bStrides, at(out)));
    }

    @Override
    public void reduce(ReduceOp op, Tensor x, Tensor y, long outer, long n, long inner) {
        check(jkc_reduce(stream, op.code, at(x), at(y), outer, n, inner));
    }

    @Override
    public void softmax(Tensor x, Tensor y, long outer, long n, long inner) {
        check(jkc_softmax(stream, at(x), at(y), outer, n, inner));
    }

    @Override
    public void softmaxBackward(Tensor y, Tensor dy, Tensor dx, long outer, long n, long inner) {
        check(jkc_softmax_backward(stream, at(y), at(dy), at(dx), outer, n, inner));
    }

    // ------------------------------------------------------------------------------------------ cuBLAS

    /**
     * Row-major C = alpha op(A) op(B) + beta C as cuBLAS's column-major C^T = op(B)^T op(A)^T: the operands swap
     * and keep their own transposes; leading dimensions are the row-major row lengths.
     */
    @Override
    public synchronized void gemm(boolean transA, boolean transB, long batch, long m, long n, long k, float alpha,
            Tensor a, long strideA, Tensor b, long strideB, float beta, Tensor c, long strideC) {
        if (batch == 0 || m == 0 || n == 0) {
            return;
        }
        this.alpha.put(alpha);
        this.beta.put(beta);
        // k == 0 is BLAS's C = beta C; leading dimensions must still be >= 1
        int lda = Math.toIntExact(Math.max(1, transA ? m : k));
        int ldb = Math.toIntExact(Math.max(1, transB ? k : n));
        int status = cublasSgemmStridedBatched(cublas, transB ? CUBLAS_OP_T : CUBLAS_OP_N,
                transA ? CUBLAS_OP_T : CUBLAS_OP_N, Math.toIntExact(n), Math.toIntExact(m), Math.toIntExact(k),
                this.alpha, NativeMemory.floats(at(b), 0), ldb, strideB, NativeMemory.floats(at(a), 0), lda,
                strideA, this.beta, NativeMemory.floats(at(c), 0), Math.toIntExact(n), strideC,
                Math.toIntExact(batch));
        cublasCheck(status, "cublasSgemmStridedBatched");
    }

    // ------------------------------------------------------------------------------------------ cuDNN

    @Override
    public synchronized void convForward(ConvDesc d, Tensor x, Tensor w, Tensor bias, Tensor y) {
        convolution.forward(d, at(x), at(w), atOrNull(bias), at(y));
    }

    @Override
    public synchronized void convBackwardData(ConvDesc d, Tensor dy, Tensor w, Tensor dx) {
        convolution.backwardData(d, at(dy), at(w), at(dx));
    }

    @Override
    public synchronized void convTransposeForward(ConvDesc d, Tensor x, Tensor w, Tensor bias, Tensor y) {
        convolution.transposeForward(d, at(x), at(w), atOrNull(bias), at(y));
    }

    @Override
    public synchronized void convBackwardWeights(ConvDesc d, Tensor x, Tensor dy, Tensor dw, Tensor dBias) {
        convolution.backwardWeights(d, at(x), at(dy), at(dw), atOrNull(dBias));
    }

    @Override
    public boolean rnnFusedSupported(RnnDesc d) {
        return recurrence.supported(d);
    }

    @Override
    public synchronized long rnnFusedWorkspaceBytes(RnnDesc d, long inputSize) {
        return recurrence.workspaceBytes(d, inputSize);
    }

    @Override
    public synchronized void rnnFusedForward(RnnDesc d, Tensor x, Tensor kernel, Tensor bias,
            Tensor recurrentKernel, Tensor recBias, Tensor h0, Tensor c0, Tensor sequence, Tensor lastH, Tensor lastC,
            Tensor workspace) {
        recurrence.forward(d, x.dim(2), at(x), at(kernel), atOrNull(bias), at(recurrentKernel), atOrNull(recBias),
                atOrNull(h0), atOrNull(c0), at(sequence), at(lastH), atOrNull(lastC), atOrNull(workspace));
    }

    @Override
    public synchronized void rnnFusedBackward(RnnDesc d, Tensor x, Tensor kernel, Tensor bias,
            Tensor recurrentKernel, Tensor recBias, Tensor h0, Tensor c0, Tensor workspace, Tensor dSequence,
            Tensor dLastH, Tensor dLastC, Tensor dx, Tensor dKernel, Tensor dBias, Tensor dRecurrentKernel,
            Tensor dRecBias, Tensor dh0, Tensor dc0) {
        recurrence.backward(d, x.dim(2), at(x), at(kernel), atOrNull(bias), at(recurrentKernel), atOrNull(recBias),
                atOrNull(h0), atOrNull(c0), at(workspace), atOrNull(dSequence), atOrNull(dLastH), atOrNull(dLastC),
                at(dx), at(dKernel), atOrNull(dBias), at(dRecurrentKernel), atOrNull(dRecBias), at(dh0),
                atOrNull(dc0));
    }

    // ------------------------------------------------------------------------------------------ own kernels

    @Override
    public long poolWorkspaceBytes(PoolDesc d) {
        long[] bytes = new long[1];
        check(jkc_pool_workspace_size(d.toArray(), bytes));
        return bytes[0];
    }

    @Override
    public void poolForward(PoolDesc d, Tensor x, Tensor y, Tensor workspace) {
        check(jkc_pool_forward(stream, d.toArray(), at(x), at(y), atOrNull(workspace)));
    }

    @Override
    public void poolBackward(PoolDesc d, Tensor x, Tensor y, Tensor dy, Tensor workspace, Tensor dx) {
        check(jkc_pool_backward(stream, d.toArray(), at(dy), atOrNull(workspace), at(dx)));
    }

    @Override
    public void resizeBilinear(Tensor x, Tensor y, boolean channelsFirst, boolean halfPixelCenters) {
        long[] g = Backend.resizeGeometry("resizeBilinear", x, y, channelsFirst);
        check(jkc_resize_bilinear(stream, at(x), at(y), g[0], g[1], g[2], g[3], g[4], g[5],
                channelsFirst ? 1 : 0, halfPixelCenters ? 1 : 0));
    }

    @Override
    public void resizeBilinearBackward(Tensor dy, Tensor dx, boolean channelsFirst, boolean halfPixelCenters) {
        long[] g = Backend.resizeGeometry("resizeBilinearBackward", dx, dy, channelsFirst);
        check(jkc_resize_bilinear_backward(stream, at(dy), at(dx), g[0], g[1], g[2], g[3], g[4], g[5],
                channelsFirst ? 1 : 0, halfPixelCenters ? 1 : 0));
    }

    @Override
    public long rnnWorkspaceFloats(RnnDesc d) {
        long[] floats = new long[1];
        check(jkc_rnn_workspace_size(d.toArray(), d.params(), floats));
        return floats[0];
    }

    @Override
    public void rnnForward(RnnDesc d, Tensor xw, Tensor recurrentKernel, Tensor recBias, Tensor h0, Tensor c0,
            Tensor mask, Tensor sequence, Tensor lastH, Tensor lastC, Tensor workspace) {
        check(jkc_rnn_forward(stream, d.toArray(), d.params(), at(xw), at(recurrentKernel), atOrNull(recBias),
                atOrNull(h0), atOrNull(c0), atOrNull(mask), at(sequence), at(lastH), atOrNull(lastC),
                at(workspace)));
    }

    @Override
    public void rnnBackward(RnnDesc d, Tensor recurrentKernel, Tensor mask, Tensor workspace, Tensor dSequence,
            Tensor dLastH, Tensor dLastC, Tensor dxw, Tensor dKernel, Tensor dRecBias, Tensor dh0, Tensor dc0) {
        check(jkc_rnn_backward(stream, d.toArray(), d.params(), at(recurrentKernel), atOrNull(mask), at(workspace),
                atOrNull(dSequence), atOrNull(dLastH), atOrNull(dLastC), at(dxw), at(dKernel), atOrNull(dRecBias),
                at(dh0), atOrNull(dc0)));
    }

    @Override
    public void randomUniform(Tensor out, long seed, long offset, float low, float high) {
        check(jkc_random_uniform(stream, at(out), out.size(), seed, offset, low, high));
    }

    @Override
    public void randomNormal(Tensor out, long seed, long offset, float mean, float stddev) {
        check(jkc_random_normal(stream, at(out), out.size(), seed, offset, mean, stddev));
    }

    @Override
    public void randomTruncatedNormal(Tensor out, long seed, long offset, float mean, float stddev) {
        check(jkc_random_truncated_normal(stream, at(out), out.size(), seed, offset, mean, stddev));
    }

    @Override
    public void sgdUpdate(Tensor w, Tensor g, Tensor velocity, float lr, float momentum, boolean nesterov) {
        check(jkc_sgd_update(stream, at(w), at(g), atOrNull(velocity), w.size(), lr, momentum, nesterov ? 1 : 0));
    }

    @Override
    public void adamUpdate(Tensor w, Tensor g, Tensor m, Tensor v, float lrT, float beta1, float beta2,
            float epsilon) {
        check(jkc_adam_update(stream, at(w), at(g), at(m), at(v), w.size(), lrT, beta1, beta2, epsilon));
    }

    @Override
    public void oneHot(Tensor ids, Tensor out, long depth) {
        Backend.requireInt(ids, "oneHot");
        check(jkc_one_hot(stream, at(ids), at(out), ids.size(), depth));
    }

    @Override
    public void argmax(Tensor x, Tensor out, long rows, long n) {
        Backend.requireInt(out, "argmax");
        check(jkc_argmax(stream, at(x), at(out), rows, n));
    }

    @Override
    public void gatherRows(Tensor table, Tensor ids, Tensor out) {
        Backend.requireInt(ids, "gatherRows");
        check(jkc_gather_rows(stream, at(table), table.dim(0), table.dim(1), at(ids), ids.size(), at(out)));
    }

    @Override
    public void scatterAddRows(Tensor src, Tensor ids, Tensor table) {
        Backend.requireInt(ids, "scatterAddRows");
        check(jkc_scatter_add_rows(stream, at(src), at(ids), ids.size(), at(table), table.dim(0), table.dim(1)));
    }
}
