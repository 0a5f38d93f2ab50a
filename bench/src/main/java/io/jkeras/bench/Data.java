package io.jkeras.bench;

import io.jkeras.backend.NativeMemory;
import io.jkeras.tensor.Tensor;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.FloatPointer;

/**
 * Benchmark inputs: float32 tensors of uniform values in [-1, 1), made once in setup; and JavaCPP views of their
 * memory for the raw references (oneDNN's host pointers, cuDNN's and cuBLAS's device pointers).
 */
final class Data {
    /**
     * The JVM argument of every benchmark fork: the host is the default backend, also on a machine with a GPU (where
     * jkeras would otherwise choose CUDA). The CPU benchmarks hand their tensors' addresses to raw oneDNN as host
     * pointers; the GPU benchmarks move their tensors to the device explicitly.
     */
    static final String HOST_DEFAULT = "-Djkeras.backend=cpu";

    private Data() {
    }

    static Tensor uniform(long seed, long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        float[] v = new float[Math.toIntExact(n)];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return Tensor.of(v, shape);
    }

    /** 2 * m * n * k: one multiply and one add per term of each output element. */
    static double matmulFlops(long m, long n, long k) {
        return 2.0 * m * n * k;
    }

    static void closeAll(Tensor... ts) {
        for (Tensor t : ts) {
            if (t != null) {
                t.close();
            }
        }
    }

    /** A JavaCPP view of native memory owned elsewhere (a jkeras tensor, host or device): never allocates or frees. */
    static FloatPointer view(long address, long n) {
        return NativeMemory.floats(address, n);
    }

    /** A view of a tensor's memory (its elements as floats). */
    static FloatPointer view(Tensor t) {
        return NativeMemory.floats(t.address(), t.size());
    }
}
