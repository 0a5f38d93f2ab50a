package io.jkeras.bench;

import io.jkeras.tensor.Tensor;
import java.util.SplittableRandom;

/** Benchmark inputs: float32 tensors of uniform values in [-1, 1), made once in setup. */
final class Data {
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
}
