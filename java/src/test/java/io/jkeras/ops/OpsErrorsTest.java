package io.jkeras.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.backend.NativeException;
import io.jkeras.backend.cpu.CpuBackend;
import io.jkeras.tensor.Scope;
import io.jkeras.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Bad input gives a clear Java exception (the op and the shapes named), never a crash. Every test runs inside a
 * scope so that what an op allocated before failing is freed.
 */
class OpsErrorsTest {
    private Scope scope;

    @BeforeEach
    void open() {
        scope = Scope.open();
    }

    @AfterEach
    void close() {
        scope.close();
    }

    private static Tensor t(long... shape) {
        int n = 1;
        for (long d : shape) {
            n *= (int) d;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = 0.1f * i;
        }
        return Tensor.of(v, shape);
    }

    /** The exception is of type {@code type} and its message holds every one of {@code parts}. */
    private static <T extends Throwable> T expect(Class<T> type, Executable call, String... parts) {
        T e = assertThrows(type, call);
        String m = e.getMessage();
        assertTrue(m != null && !m.isBlank(), "empty message from " + e);
        for (String p : parts) {
            assertTrue(m.contains(p), "message should mention '" + p + "': " + m);
        }
        return e;
    }

    @Test
    void matmulInnerDimensionMismatch() {
        Tensor a = t(3, 4), b = t(5, 6);
        expect(IllegalArgumentException.class, () -> Ops.matmul(a, b), "matmul", "(3, 4)", "(5, 6)");
        Tensor c = t(2, 3, 4), d = t(2, 3, 4);
        expect(IllegalArgumentException.class, () -> Ops.matmul(c, d), "matmul", "(2, 3, 4)");
        // transposes are taken into account: (3, 4) @ (4, 3) is fine, (3, 4) @ (4, 3)^T is not
        assertEquals(9, Ops.matmul(t(3, 4), t(4, 3)).size());
        expect(IllegalArgumentException.class, () -> Ops.matmul(t(3, 4), t(4, 3), false, true), "matmul", "(3, 4)",
                "(4, 3)");
        expect(IllegalArgumentException.class, () -> Ops.matmul(t(3, 4), t(3, 4), true, true), "matmul", "(3, 4)");
    }

    @Test
    void matmulBatchMismatchAndLowRank() {
        expect(IllegalArgumentException.class, () -> Ops.matmul(t(2, 3, 4), t(3, 4, 5)), "matmul", "2", "3");
        expect(IllegalArgumentException.class, () -> Ops.matmul(t(4), t(4, 5)), "matmul", "(4,)", "(4, 5)");
    }

    @Test
    void nonBroadcastableAdd() {
        Tensor a = t(2, 3), b = t(4);
        IllegalArgumentException e = expect(IllegalArgumentException.class, () -> Ops.add(a, b), "add");
        assertMentionsShape(e.getMessage(), 2, 3);
        assertMentionsShape(e.getMessage(), 4);
        expect(IllegalArgumentException.class, () -> Ops.mul(t(2, 3, 4), t(3, 3)), "multiply");
        expect(IllegalArgumentException.class, () -> Ops.maximum(t(5), t(4)), "maximum");
    }

    /** The shape written either as Keras does, (2, 3), or as Arrays.toString, [2, 3]. */
    private static void assertMentionsShape(String message, long... dims) {
        String inner = java.util.Arrays.toString(dims);
        inner = inner.substring(1, inner.length() - 1);
        String keras = dims.length == 1 ? "(" + inner + ",)" : "(" + inner + ")";
        assertTrue(message.contains("[" + inner + "]") || message.contains(keras),
                "message should mention shape " + keras + ": " + message);
    }

    @Test
    void reshapeWithTwoUnknownDimensions() {
        Tensor x = t(2, 3, 4);
        expect(IllegalArgumentException.class, () -> Ops.reshape(x, -1, -1), "reshape", "[-1, -1]", "(2, 3, 4)");
    }

    @Test
    void reshapeWithWrongTotalSize() {
        Tensor x = t(2, 3);
        expect(IllegalArgumentException.class, () -> Ops.reshape(x, 4, 2), "reshape", "(2, 3)", "[4, 2]");
        expect(IllegalArgumentException.class, () -> Ops.reshape(x, 4, -1), "reshape", "(2, 3)", "[4, -1]");
        expect(IllegalArgumentException.class, () -> Ops.reshape(x, 2, -3), "reshape", "-3");
    }

    @Test
    void transposeWithANonPermutation() {
        Tensor x = t(2, 3);
        expect(IllegalArgumentException.class, () -> Ops.transpose(x, 0, 0), "transpose", "[0, 0]", "(2, 3)");
        expect(IllegalArgumentException.class, () -> Ops.transpose(x, 0, 2), "transpose", "[0, 2]", "(2, 3)");
        expect(IllegalArgumentException.class, () -> Ops.transpose(x, 0, 1, 2), "transpose", "[0, 1, 2]", "(2, 3)");
    }

    @Test
    void sliceOutOfRange() {
        Tensor x = t(2, 3);
        expect(IllegalArgumentException.class, () -> Ops.slice(x, new long[] {1, 1}, new long[] {2, 1}), "slice",
                "(2, 3)", "[1, 1]", "[2, 1]");
        expect(IllegalArgumentException.class, () -> Ops.slice(x, new long[] {-1, 0}, new long[] {1, 1}), "slice",
                "(2, 3)");
        expect(IllegalArgumentException.class, () -> Ops.slice(x, new long[] {0, 4}, new long[] {1, -1}), "slice",
                "(2, 3)");
        expect(IllegalArgumentException.class, () -> Ops.slice(x, new long[] {0}, new long[] {1}), "slice", "rank");
    }

    @Test
    void concatWithMismatchedShapes() {
        Tensor a = t(2, 3), b = t(2, 4), c = t(2, 3, 1);
        expect(IllegalArgumentException.class, () -> Ops.concat(List.of(a, b), 0), "concat", "(2, 3)", "(2, 4)");
        expect(IllegalArgumentException.class, () -> Ops.concat(List.of(a, c), 1), "concat", "(2, 3)", "(2, 3, 1)");
        expect(IllegalArgumentException.class, () -> Ops.concat(List.of(a, b), 2), "concat", "axis 2");
        expect(IllegalArgumentException.class, () -> Ops.concat(List.of(), 0), "concat");
        expect(IllegalArgumentException.class, () -> Ops.stack(List.of(a, b), 0), "stack", "(2, 3)", "(2, 4)");
    }

    @Test
    void softmaxAxisOutOfRange() {
        Tensor x = t(2, 3);
        expect(IllegalArgumentException.class, () -> Ops.softmax(x, 2), "softmax", "axis 2", "(2, 3)");
        expect(IllegalArgumentException.class, () -> Ops.softmax(x, -3), "softmax", "axis -3", "(2, 3)");
    }

    @Test
    void reductionAxisOutOfRangeOrRepeated() {
        Tensor x = t(2, 3);
        expect(IllegalArgumentException.class, () -> Ops.sum(x, new int[] {2}, false), "sum", "axis 2");
        expect(IllegalArgumentException.class, () -> Ops.mean(x, new int[] {0, -2}, false), "mean", "axis");
    }

    @Test
    void biasAddWithTheWrongBias() {
        Tensor x = t(2, 3), b = t(4);
        expect(IllegalArgumentException.class, () -> Ops.biasAdd(x, b), "bias_add", "(4,)", "(2, 3)");
    }

    @Test
    void broadcastToAnIncompatibleShape() {
        Tensor x = t(2, 3);
        expect(IllegalArgumentException.class, () -> Ops.broadcastTo(x, new long[] {3, 3}), "broadcast_to");
        expect(IllegalArgumentException.class, () -> Ops.broadcastTo(x, new long[] {3}), "broadcast_to", "(2, 3)");
    }

    @Test
    void usingAClosedTensor() {
        Tensor x = t(2, 3);
        x.close();
        expect(IllegalStateException.class, x::toFloatArray, "closed", "(2, 3)");
        expect(IllegalStateException.class, () -> Ops.relu(x), "closed", "(2, 3)");
        expect(IllegalStateException.class, () -> Ops.matmul(x, t(3, 2)), "closed", "(2, 3)");
        expect(IllegalStateException.class, () -> Ops.add(t(2, 3), x), "closed", "(2, 3)");
        expect(IllegalStateException.class, () -> x.reshapeView(3, 2), "closed", "(2, 3)");
        x.close(); // closing twice is harmless
    }

    /** An op refused because an input is closed must not leave its output allocated. */
    @Test
    void aRefusedOpAllocatesNothing() {
        Tensor x = t(64, 64);
        x.close();
        long before = CpuBackend.instance().allocatedBytes();
        try (Scope inner = Scope.open()) {
            assertThrows(IllegalStateException.class, () -> Ops.relu(x));
            assertThrows(IllegalStateException.class, () -> Ops.softmax(x, -1));
            // Still inside the scope: nothing the failed ops allocated may still be held.
            assertEquals(before, CpuBackend.instance().allocatedBytes(),
                    "a failed op left its output allocated (only a scope or the Cleaner would free it)");
        }
    }

    @Test
    void tensorOfWithTheWrongDataLength() {
        expect(IllegalArgumentException.class, () -> Tensor.of(new float[5], 2, 3), "Tensor.of", "5", "(2, 3)");
        expect(IllegalArgumentException.class, () -> Tensor.ofInts(new int[7], 2, 3), "Tensor.ofInts", "7",
                "(2, 3)");
        expect(IllegalArgumentException.class, () -> Tensor.of(new float[6], 2, -3), "-3");
    }

    @Test
    void oneHotWithAnOutOfRangeIdIsANativeExceptionAndTheJvmSurvives() {
        Tensor ids = Tensor.ofInts(new int[] {0, 5, 1}, 3);
        NativeException e = expect(NativeException.class, () -> Ops.oneHot(ids, 3), "one_hot", "5", "[0, 3)");
        assertEquals(1, e.status(), "JK_INVALID_ARGUMENT");
        Tensor neg = Tensor.ofInts(new int[] {-1}, 1);
        expect(NativeException.class, () -> Ops.oneHot(neg, 3), "one_hot", "-1");
        // The library still works after the native errors.
        Tensor ok = Ops.oneHot(Tensor.ofInts(new int[] {2, 0}, 2), 3);
        assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0}, ok.toFloatArray());
        assertEquals(2f, Ops.sum(ok).item());
        Tensor y = Ops.matmul(t(2, 2), t(2, 2));
        assertEquals(4, y.toFloatArray().length);
    }

    @Test
    void oneHotWithFloatIds() {
        expect(IllegalArgumentException.class, () -> Ops.oneHot(t(3), 4), "one_hot", "int32");
    }

    @Test
    void dropoutRateOne() {
        Tensor x = t(2, 3);
        expect(IllegalArgumentException.class, () -> Ops.dropout(x, 1f, null, new RandomStream(1)), "dropout",
                "rate", "1.0");
        expect(IllegalArgumentException.class, () -> Ops.dropout(x, -0.1f, null, new RandomStream(1)), "dropout",
                "rate");
        expect(IllegalArgumentException.class, () -> Ops.dropout(x, Float.NaN, null, new RandomStream(1)), "dropout",
                "rate");
        expect(IllegalArgumentException.class, () -> Ops.dropout(x, 0.5f, new long[] {4, 1}, new RandomStream(1)),
                "dropout");
    }

    @Test
    void clipWithMinAboveMax() {
        expect(IllegalArgumentException.class, () -> Ops.clip(t(2), 1f, 0f), "clip", "min", "max");
    }

    @Test
    void maxOverAnEmptyAxis() {
        Tensor x = Tensor.zeros(2, 0);
        expect(IllegalArgumentException.class, () -> Ops.max(x, new int[] {1}, false), "max", "(2, 0)");
    }

    /** Beyond the native rank limit (8) the native side refuses; Java gets an exception, not a crash. */
    @Test
    void rankAboveTheNativeLimitIsAnExceptionNotACrash() {
        Tensor x = Ops.reshape(t(2, 1, 1, 1, 1, 1, 1, 1, 2), 2, 1, 1, 1, 1, 1, 1, 1, 2);
        Tensor y = t(1, 1, 1, 1, 1, 1, 1, 2, 1);
        RuntimeException e = assertThrows(RuntimeException.class, () -> Ops.add(x, y));
        assertTrue(e instanceof NativeException || e instanceof IllegalArgumentException, e.toString());
        assertTrue(e.getMessage().contains("rank"), e.getMessage());
        // and the library still works
        assertEquals(4, Ops.matmul(t(2, 2), t(2, 2)).size());
    }
}
