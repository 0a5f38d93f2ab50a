package io.jkeras.initializers;

import io.jkeras.ops.Ops;
import io.jkeras.ops.RandomStream;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * A random orthogonal matrix times gain, as tf.keras makes it: the weight is seen as the matrix
 * (prod(shape[:-1]), shape[-1]); a normal matrix of shape (max, min) of those is factored as QR, Q's columns are
 * multiplied by the signs of R's diagonal (which makes the draw uniform over orthogonal matrices and Q unique),
 * and Q is transposed for a wide matrix. The factorisation runs on the host in double precision.
 */
public final class Orthogonal implements Initializer {
    /** Below this many element updates per Householder step, the columns are updated on one thread. */
    private static final long PARALLEL_WORK = 1 << 16;

    private final double gain;
    private final Long seed;

    public Orthogonal() {
        this(1.0, null);
    }

    public Orthogonal(double gain, Long seed) {
        this.gain = gain;
        this.seed = seed;
    }

    public static Orthogonal fromConfig(Map<String, Object> config) {
        ConfigMap c = BuiltinInitializers.config("Orthogonal", config, "gain", "seed");
        return new Orthogonal(c.getDouble("gain", 1.0), c.getNullableLong("seed"));
    }

    @Override
    public Tensor apply(long... shape) {
        if (shape.length < 2) {
            throw new IllegalArgumentException("Orthogonal: the tensor to initialize must be at least two-dimensional, "
                    + "got shape " + Shape.of(shape));
        }
        long rowsL = 1;
        for (int i = 0; i < shape.length - 1; i++) {
            rowsL *= shape[i];
        }
        int rows = Math.toIntExact(rowsL);
        int cols = Math.toIntExact(shape[shape.length - 1]);
        int m = Math.max(rows, cols);
        int n = Math.min(rows, cols);
        float[] a;
        try (Tensor draws = Ops.randomNormal(new long[] {m, n}, 0f, 1f, RandomStream.of(seed))) {
            a = draws.toFloatArray();
        }
        double[][] q = orthonormalColumns(a, m, n);
        float[] out = new float[Math.multiplyExact(rows, cols)];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out[i * cols + j] = (float) (gain * (rows >= cols ? q[j][i] : q[i][j]));
            }
        }
        return Tensor.of(out, shape);
    }

    /**
     * The columns of Q in a = QR (Householder, thin), a being row-major m x n with m >= n, each column's sign
     * chosen so that R's diagonal is positive.
     */
    static double[][] orthonormalColumns(float[] a, int m, int n) {
        double[][] col = new double[n][m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                col[j][i] = a[i * n + j];
            }
        }
        double[][] v = new double[n][];
        double[] sign = new double[n];
        for (int k = 0; k < n; k++) {
            double[] x = col[k];
            double norm = 0;
            for (int i = k; i < m; i++) {
                norm += x[i] * x[i];
            }
            norm = Math.sqrt(norm);
            // R[k][k] = alpha; its sign is opposite to x[k]'s to avoid cancellation in v.
            double alpha = x[k] > 0 ? -norm : norm;
            sign[k] = alpha < 0 ? -1 : 1;
            double[] vk = new double[m];
            System.arraycopy(x, k, vk, k, m - k);
            vk[k] -= alpha;
            v[k] = vk;
            reflect(vk, k, m, col, k + 1, n);
        }
        // Q = H_0 ... H_{n-1} applied to the first n columns of the identity, last reflector first.
        double[][] q = new double[n][m];
        for (int j = 0; j < n; j++) {
            q[j][j] = 1;
        }
        for (int k = n - 1; k >= 0; k--) {
            reflect(v[k], k, m, q, k, n);
        }
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < m; i++) {
                q[j][i] *= sign[j];
            }
        }
        return q;
    }

    /** Applies I - 2 v v^T / (v^T v) (v zero above row k) to columns from..to-1. */
    private static void reflect(double[] v, int k, int m, double[][] columns, int from, int to) {
        double vv = 0;
        for (int i = k; i < m; i++) {
            vv += v[i] * v[i];
        }
        if (vv == 0) {
            return;
        }
        double scale = 2 / vv;
        IntStream js = IntStream.range(from, to);
        if ((long) (m - k) * (to - from) >= PARALLEL_WORK) {
            js = js.parallel();
        }
        js.forEach(j -> {
            double[] c = columns[j];
            double dot = 0;
            for (int i = k; i < m; i++) {
                dot += v[i] * c[i];
            }
            double f = dot * scale;
            for (int i = k; i < m; i++) {
                c[i] -= f * v[i];
            }
        });
    }

    @Override
    public String className() {
        return "Orthogonal";
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("gain", gain);
        m.put("seed", seed);
        return m;
    }
}
