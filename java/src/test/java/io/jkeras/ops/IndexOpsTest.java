package io.jkeras.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.backend.Backend;
import io.jkeras.backend.NativeException;
import io.jkeras.ops.GradientCheckTest.Case;
import io.jkeras.ops.GradientCheckTest.In;
import io.jkeras.tensor.Scope;
import io.jkeras.tensor.Tensor;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link IndexOps#gather} (Embedding's lookup) and the backends' row gather / scatter-add against plain loops. */
class IndexOpsTest {

    static float[] uniform(Random rnd, int n) {
        float[] d = new float[n];
        for (int i = 0; i < n; i++) {
            d[i] = 2 * rnd.nextFloat() - 1;
        }
        return d;
    }

    @Test
    void gatherPicksRowsAndKeepsTheIdsShape() {
        try (Scope s = Scope.open()) {
            float[] table = {0, 1, 10, 11, 20, 21, 30, 31};
            Tensor out = IndexOps.gather(Tensor.of(table, 4, 2), Tensor.ofInts(new int[] {3, 0, 3, 1, 2, 2}, 2, 3));
            assertArrayEquals(new long[] {2, 3, 2}, out.shape());
            assertArrayEquals(new float[] {30, 31, 0, 1, 30, 31, 10, 11, 20, 21, 20, 21}, out.toFloatArray());
            Tensor scalarIds = IndexOps.gather(Tensor.of(table, 4, 2), Tensor.ofInts(new int[] {2}));
            assertArrayEquals(new long[] {2}, scalarIds.shape());
            assertArrayEquals(new float[] {20, 21}, scalarIds.toFloatArray());
        }
    }

    /** Sizes for each scatter path: serial, column chunks per thread (wide rows), row ranges per thread (narrow). */
    @Test
    void gradientIsAScatterAddWithRepeatedIds() {
        int[][] sizes = {{7, 5, 40}, {50, 300, 400}, {64, 4, 20000}, {3, 16, 5000}};
        for (int[] sz : sizes) {
            int v = sz[0];
            int d = sz[1];
            int n = sz[2];
            Random rnd = new Random(v * 31L + d);
            int[] ids = new int[n];
            for (int i = 0; i < n; i++) {
                ids[i] = i % 5 == 0 ? 1 : rnd.nextInt(v);  // many repeats of id 1
            }
            float[] table = uniform(rnd, v * d);
            float[] dy = uniform(rnd, n * d);
            double[] expected = new double[v * d];
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < d; k++) {
                    expected[ids[i] * d + k] += dy[i * d + k];
                }
            }
            try (Scope s = Scope.open(); GradientTape tape = new GradientTape()) {
                Tensor tt = Tensor.of(table, v, d);
                Tensor idt = Tensor.ofInts(ids, n);
                tape.watch(tt);
                Tensor out = IndexOps.gather(tt, idt);
                float[] o = out.toFloatArray();
                for (int i = 0; i < n; i += Math.max(1, n / 50)) {
                    for (int k = 0; k < d; k++) {
                        assertEquals(table[ids[i] * d + k], o[i * d + k]);
                    }
                }
                Tensor loss = Ops.sum(Ops.mul(out, Tensor.of(dy, n, d)));
                List<Tensor> g = tape.gradient(loss, List.of(tt, idt));
                float[] got = g.get(0).toFloatArray();
                for (int i = 0; i < expected.length; i++) {
                    assertEquals(expected[i], got[i], 1e-4 * Math.max(1, Math.abs(expected[i])),
                            "V " + v + " D " + d + " n " + n + " element " + i);
                }
                assertNull(g.get(1), "ids get no gradient");
            }
        }
    }

    @Test
    void scatterAddAccumulatesIntoTheTable() {
        try (Scope s = Scope.open()) {
            Backend be = Tensor.zeros(1).backend();
            Tensor table = Tensor.of(new float[] {1, 1, 2, 2, 3, 3}, 3, 2);
            be.scatterAddRows(Tensor.of(new float[] {1, 2, 10, 20, 100, 200}, 3, 2), Tensor.ofInts(new int[] {2, 0, 2},
                    3), table);
            assertArrayEquals(new float[] {11, 21, 2, 2, 104, 205}, table.toFloatArray());
        }
    }

    @Test
    void gatherGradientMatchesCentralDifferences() {
        Random rnd = new Random(3);
        int[] ids = {1, 4, 1, 0, 4, 4};
        GradientCheckTest.check(new Case("gather", List.of(new In(new long[] {5, 3}, uniform(rnd, 15))),
                xs -> IndexOps.gather(xs.get(0), Tensor.ofInts(ids, 2, 3)), 1e-2f));
    }

    @Test
    void idsOutOfRangeAreRejectedNamingTheIdAndTheTableSize() {
        try (Scope s = Scope.open()) {
            Tensor table = Tensor.zeros(4, 2);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> IndexOps.gather(table, Tensor.ofInts(new int[] {0, 4, 1}, 3)));
            assertTrue(e.getMessage().contains("id 4") && e.getMessage().contains("[0, 4)"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> IndexOps.gather(table, Tensor.ofInts(new int[] {-1}, 1)));
            assertTrue(e.getMessage().contains("id -1"), e.getMessage());
        }
    }

    @Test
    void nothingIsWrittenWhenAnIdIsBad() {
        try (Scope s = Scope.open()) {
            Backend be = Tensor.zeros(1).backend();
            Tensor out = Tensor.full(7f, 3, 2);
            Tensor table = Tensor.ones(4, 2);
            Tensor ids = Tensor.ofInts(new int[] {0, 1, 9}, 3);
            assertThrows(NativeException.class, () -> be.gatherRows(table, ids, out));
            assertArrayEquals(new float[] {7, 7, 7, 7, 7, 7}, out.toFloatArray());
            Tensor before = Tensor.full(5f, 4, 2);
            assertThrows(NativeException.class, () -> be.scatterAddRows(Tensor.ones(3, 2), ids, before));
            assertArrayEquals(new float[] {5, 5, 5, 5, 5, 5, 5, 5}, before.toFloatArray());
        }
    }

    @Test
    void argumentErrorsNameWhatIsWrong() {
        try (Scope s = Scope.open()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> IndexOps.gather(Tensor.zeros(4, 2), Tensor.zeros(3)));
            assertTrue(e.getMessage().contains("ids must be int32"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> IndexOps.gather(Tensor.zeros(4), Tensor.ofInts(new int[] {0}, 1)));
            assertTrue(e.getMessage().contains("table must be a float32 matrix"), e.getMessage());
        }
    }
}
