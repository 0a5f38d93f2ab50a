package io.jkeras.initializers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.ops.Ops;
import io.jkeras.ops.RandomStream;
import io.jkeras.tensor.Scope;
import io.jkeras.tensor.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Orthogonal, Identity, Zeros, Ones and Constant against their exact definitions. */
class DeterministicInitializersTest {
    private Scope scope;

    @BeforeEach
    void open() {
        scope = Scope.open();
    }

    @AfterEach
    void close() {
        scope.close();
    }

    /** w as the matrix (prod(shape[:-1]), shape[-1]), in double. */
    private static double[][] matrix(Tensor w) {
        long[] s = w.shape();
        int cols = (int) s[s.length - 1];
        int rows = (int) (w.size() / cols);
        float[] v = w.toFloatArray();
        double[][] m = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                m[i][j] = v[i * cols + j];
            }
        }
        return m;
    }

    /** The Gram matrix of the smaller side: W^T W for a tall matrix, W W^T for a wide one. */
    private static double[][] gram(double[][] w) {
        int rows = w.length;
        int cols = w[0].length;
        boolean tall = rows >= cols;
        int k = Math.min(rows, cols);
        double[][] g = new double[k][k];
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < k; b++) {
                double s = 0;
                for (int i = 0; i < Math.max(rows, cols); i++) {
                    s += tall ? w[i][a] * w[i][b] : w[a][i] * w[b][i];
                }
                g[a][b] = s;
            }
        }
        return g;
    }

    private static void assertOrthogonal(double gain, long... shape) {
        Tensor w = new Orthogonal(gain, 5L).apply(shape);
        assertArrayEquals(shape, w.shape());
        double[][] g = gram(matrix(w));
        for (int a = 0; a < g.length; a++) {
            for (int b = 0; b < g.length; b++) {
                assertEquals(a == b ? gain * gain : 0, g[a][b], 2e-6 * gain * gain,
                        Arrays.toString(shape) + " entry " + a + "," + b);
            }
        }
    }

    @Test
    void orthogonalTallWideSquareAndKernel() {
        assertOrthogonal(1.0, 60, 20);
        assertOrthogonal(1.0, 20, 60);
        assertOrthogonal(1.0, 32, 32);
        assertOrthogonal(1.0, 3, 3, 8, 16);
        assertOrthogonal(1.0, 2, 2, 4, 32);
        assertOrthogonal(1.5, 40, 10);
        assertOrthogonal(0.5, 300, 300);
    }

    /** tf.keras's definition: Q of the QR of the same normal draws, with R's diagonal positive. */
    @Test
    void orthogonalIsTheSignCorrectedQOfTheNormalDraws() {
        int m = 12;
        int n = 5;
        double[][] a = matrix(Ops.randomNormal(new long[] {m, n}, 0f, 1f, new RandomStream(9)));
        double[][] q = matrix(new Orthogonal(1.0, 9L).apply(m, n));
        double[][] wide = matrix(new Orthogonal(1.0, 9L).apply(n, m));
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double r = 0;
                for (int k = 0; k < m; k++) {
                    r += q[k][i] * a[k][j];
                }
                if (i == j) {
                    assertTrue(r > 0, "R's diagonal is positive: R[" + i + "][" + i + "] = " + r);
                } else if (i > j) {
                    assertEquals(0, r, 1e-5, "R is upper triangular at " + i + "," + j);
                }
            }
            for (int k = 0; k < m; k++) {
                assertEquals(q[k][i], wide[i][k], 0, "a wide matrix is the transposed tall one");
            }
        }
    }

    @Test
    void orthogonalNeedsTwoDimensions() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Orthogonal().apply(7));
        assertTrue(e.getMessage().startsWith("Orthogonal"), e.getMessage());
    }

    @Test
    void identity() {
        assertArrayEquals(new float[] {2, 0, 0, 0, 2, 0, 0, 0, 2}, new Identity(2.0).apply(3, 3).toFloatArray());
        assertArrayEquals(new float[] {1, 0, 0, 0, 0, 1, 0, 0}, new Identity().apply(2, 4).toFloatArray());
        assertArrayEquals(new float[] {1, 0, 0, 1, 0, 0}, new Identity().apply(3, 2).toFloatArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Identity().apply(2, 2, 2));
        assertTrue(e.getMessage().contains("Identity matrix initializer can only be used for 2D"), e.getMessage());
    }

    @Test
    void constants() {
        assertArrayEquals(new float[6], new Zeros().apply(2, 3).toFloatArray());
        float[] ones = new float[6];
        Arrays.fill(ones, 1f);
        assertArrayEquals(ones, new Ones().apply(3, 2).toFloatArray());
        Tensor c = new Constant(-2.5).apply(4);
        assertArrayEquals(new long[] {4}, c.shape());
        assertArrayEquals(new float[] {-2.5f, -2.5f, -2.5f, -2.5f}, c.toFloatArray());
        assertEquals(0f, new Constant().apply().item());
    }

    @Test
    void customInitializer() {
        CustomInitializer init = CustomInitializer.register("my_fives", shape -> Tensor.full(5f, shape));
        assertEquals("my_fives", init.className());
        Initializer back = Initializers.get(Initializers.serialize(init));
        assertArrayEquals(new float[] {5, 5}, back.apply(2).toFloatArray());
        assertEquals(init, Initializers.get("my_fives"));
        Initializer wrong = CustomInitializer.of("wrong", shape -> Tensor.zeros(1));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> wrong.apply(2, 2));
        assertTrue(e.getMessage().contains("wrong"), e.getMessage());
    }
}
