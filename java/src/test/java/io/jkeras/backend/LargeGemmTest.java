package io.jkeras.backend;

import static org.junit.jupiter.api.Assertions.*;

import io.jkeras.backend.cpu.CpuBackend;
import io.jkeras.tensor.Tensor;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Products large enough for the cached oneDNN matmul path, against a plain loop (small ones are tested elsewhere). */
class LargeGemmTest {
    @ParameterizedTest
    @CsvSource({
        "false, false, 1, 1, 96, 130, 100, 0",
        "true, false, 1, 1, 96, 130, 100, 0",
        "false, true, 1, 1, 96, 130, 100, 1",
        "true, true, 1, 1, 96, 130, 100, 0",
        "false, false, 3, 3, 64, 70, 90, 0",
        "false, true, 3, 1, 64, 70, 90, 1",
        "true, false, 1, 3, 64, 70, 90, 0",
    })
    void matchesALoop(boolean ta, boolean tb, int batchA, int batchB, int m, int n, int k, int beta) {
        Random r = new Random(m * 31 + n);
        int batch = Math.max(batchA, batchB);
        float[] a = new float[batchA * m * k], b = new float[batchB * k * n], c0 = new float[batch * m * n];
        for (int i = 0; i < a.length; i++) a[i] = (float) r.nextGaussian();
        for (int i = 0; i < b.length; i++) b[i] = (float) r.nextGaussian();
        for (int i = 0; i < c0.length; i++) c0[i] = (float) r.nextGaussian();
        Tensor ta_ = Tensor.of(a, a.length), tb_ = Tensor.of(b, b.length), tc = Tensor.of(c0, c0.length);
        CpuBackend.instance().gemm(ta, tb, batch, m, n, k, 1f, ta_, batchA == 1 ? 0 : (long) m * k, tb_,
                batchB == 1 ? 0 : (long) k * n, beta, tc, (long) m * n);
        float[] got = tc.toFloatArray();
        for (int bi = 0; bi < batch; bi++) {
            int oa = batchA == 1 ? 0 : bi * m * k, ob = batchB == 1 ? 0 : bi * k * n;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = beta * c0[bi * m * n + i * n + j];
                    for (int p = 0; p < k; p++) {
                        float av = ta ? a[oa + p * m + i] : a[oa + i * k + p];
                        float bv = tb ? b[ob + j * k + p] : b[ob + p * n + j];
                        s += (double) av * bv;
                    }
                    assertEquals(s, got[bi * m * n + i * n + j], 1e-3 * Math.max(1, Math.abs(s)),
                            "batch " + bi + " [" + i + "," + j + "]");
                }
            }
        }
    }
}
