package io.jkeras.bench;

import static org.bytedeco.cuda.global.cublas.*;

import io.jkeras.tensor.Tensor;
import org.bytedeco.cuda.cublas.cublasContext;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.cudnn.cudnnContext;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.cuda.global.cudnn;
import org.bytedeco.javacpp.FloatPointer;

/**
 * The reference the GPU benchmarks compare against: cuDNN, cuBLAS and the CUDA runtime called directly through the
 * org.bytedeco:cuda presets, not through jkeras's layers, ops or backend, on a stream of their own (one cuDNN and
 * one cuBLAS handle bound to it). A call is the library calls plus a {@code cudaStreamSynchronize} of that stream.
 * Buffers are device addresses of jkeras tensors made in setup ({@link Gpu#uniform}; jkeras's stream is waited for
 * before the raw stream uses them); nothing here allocates per call.
 *
 * <p>Precision as {@code CudaBackend}'s: full float32 (cuBLAS {@code CUBLAS_PEDANTIC_MATH}, cuDNN
 * {@code CUDNN_FMA_MATH}) unless {@code -Djkeras.cuda.tf32=true}, which lets both sides use TF32 tensor cores
 * (cuBLAS {@code CUBLAS_TF32_TENSOR_OP_MATH}, cuDNN {@code CUDNN_DEFAULT_MATH}).
 */
final class RawCuda {
    /** The switch CudaBackend reads: TF32 tensor cores for float32 products. */
    static final boolean TF32 = Boolean.getBoolean("jkeras.cuda.tf32");

    private static RawCuda instance;

    final CUstream_st stream = new CUstream_st();
    final cudnnContext dnn = new cudnnContext();
    final cublasContext blas = new cublasContext();
    /** Host scalars for the alpha / beta arguments (host pointer mode). */
    final FloatPointer one = new FloatPointer(1f);
    final FloatPointer zero = new FloatPointer(0f);

    private RawCuda() {
        Gpu.backend();  // jkeras's probe first: it names whatever is missing
        check(cudart.cudaSetDevice(Gpu.DEVICE.index()), "cudaSetDevice");
        check(cudart.cudaStreamCreateWithFlags(stream, cudart.cudaStreamNonBlocking), "cudaStreamCreateWithFlags");
        cublasCheck(cublasCreate_v2(blas), "cublasCreate");
        cublasCheck(cublasSetStream_v2(blas, stream), "cublasSetStream");
        cublasCheck(cublasSetPointerMode_v2(blas, CUBLAS_POINTER_MODE_HOST), "cublasSetPointerMode");
        cublasCheck(cublasSetMathMode(blas, TF32 ? CUBLAS_TF32_TENSOR_OP_MATH : CUBLAS_PEDANTIC_MATH),
                "cublasSetMathMode");
        cudnnCheck(cudnn.cudnnCreate(dnn), "cudnnCreate");
        cudnnCheck(cudnn.cudnnSetStream(dnn, stream), "cudnnSetStream");
    }

    /** The process's raw context (created on first use, kept until exit). */
    static synchronized RawCuda get() {
        if (instance == null) {
            instance = new RawCuda();
        }
        return instance;
    }

    /** cuDNN's math type for float32 convolutions and recurrences, as CudaBackend's (CudnnConvolution, CudnnRnn). */
    static int cudnnMath() {
        return TF32 ? cudnn.CUDNN_DEFAULT_MATH : cudnn.CUDNN_FMA_MATH;
    }

    static void check(int error, String what) {
        if (error != cudart.cudaSuccess) {
            throw new IllegalStateException(what + ": " + cudart.cudaGetErrorString(error).getString());
        }
    }

    static void cudnnCheck(int status, String what) {
        if (status != cudnn.CUDNN_STATUS_SUCCESS) {
            throw new IllegalStateException(what + ": " + cudnn.cudnnGetErrorString(status).getString());
        }
    }

    static void cublasCheck(int status, String what) {
        if (status != CUBLAS_STATUS_SUCCESS) {
            throw new IllegalStateException(what + ": " + cublasGetStatusString(status).getString());
        }
    }

    /** Waits for the raw stream; returns 0 (something to consume). */
    int sync() {
        check(cudart.cudaStreamSynchronize(stream), "cudaStreamSynchronize");
        return 0;
    }

    /**
     * Queues row-major C(m x n) = op(A) op(B) (A m x k, or k x m when transA; B k x n, or n x k when transB) as one
     * {@code cublasSgemm}: cuBLAS's column-major C^T = op(B)^T op(A)^T, operands swapped.
     */
    void sgemm(boolean transA, boolean transB, long m, long n, long k, Tensor a, Tensor b, Tensor c) {
        int lda = Math.toIntExact(transA ? m : k);
        int ldb = Math.toIntExact(transB ? k : n);
        cublasCheck(cublasSgemm_v2(blas, transB ? CUBLAS_OP_T : CUBLAS_OP_N, transA ? CUBLAS_OP_T : CUBLAS_OP_N,
                Math.toIntExact(n), Math.toIntExact(m), Math.toIntExact(k), one, Data.view(b), ldb, Data.view(a),
                lda, zero, Data.view(c), Math.toIntExact(n)), "cublasSgemm");
    }

    /** Queues a device-to-device copy of src into dst (as many bytes as src holds). */
    void copy(Tensor src, Tensor dst) {
        check(cudart.cudaMemcpyAsync(Data.view(dst), Data.view(src), 4L * src.size(),
                cudart.cudaMemcpyDeviceToDevice, stream), "cudaMemcpyAsync");
    }

    /** Queues a zero fill of t. */
    void clear(Tensor t) {
        check(cudart.cudaMemsetAsync(Data.view(t), 0, 4L * t.size(), stream), "cudaMemsetAsync");
    }
}
