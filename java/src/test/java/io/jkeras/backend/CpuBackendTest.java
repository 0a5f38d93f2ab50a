package io.jkeras.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jkeras.backend.cpu.CpuBackend;
import io.jkeras.ops.Ops;
import io.jkeras.ops.RandomStream;
import io.jkeras.tensor.DType;
import io.jkeras.tensor.Scope;
import io.jkeras.tensor.Tensor;
import io.jkeras.testing.UnaryCases;
import java.util.Arrays;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every {@link Backend} primitive of {@link CpuBackend} against a plain Java reference loop on random data.
 * Each test runs inside a scope, which frees its tensors.
 */
class CpuBackendTest {
    private static final CpuBackend CPU = CpuBackend.instance();
    private Scope scope;
    private final Random rnd = new Random(20240607);

    @BeforeEach
    void open() {
        scope = Scope.open();
    }

    @AfterEach
    void close() {
        scope.close();
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static Tensor f(float[] data, long... shape) {
        Tensor t = Tensor.empty(CPU, DType.FLOAT32, shape);
        CPU.write(t, data);
        return t;
    }

    private static Tensor empty(long... shape) {
        return Tensor.empty(CPU, DType.FLOAT32, shape);
    }

    private static Tensor ints(int[] data, long... shape) {
        Tensor t = Tensor.empty(CPU, DType.INT32, shape);
        CPU.write(t, data);
        return t;
    }

    private static float[] read(Tensor t) {
        float[] out = new float[Math.toIntExact(t.size())];
        CPU.read(t, out);
        return out;
    }

    private float[] uniform(int n, float lo, float hi) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = lo + (hi - lo) * rnd.nextFloat();
        }
        return v;
    }

    private static int size(long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return Math.toIntExact(n);
    }

    private static long[] contiguous(long... shape) {
        long[] s = new long[shape.length];
        long acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    /** Offset of multi-index idx under strides. */
    private static long offset(long[] idx, long[] strides) {
        long o = 0;
        for (int i = 0; i < idx.length; i++) {
            o += idx[i] * strides[i];
        }
        return o;
    }

    /** Advances a row-major multi-index; false after the last one. */
    private static boolean next(long[] idx, long[] shape) {
        for (int d = shape.length - 1; d >= 0; d--) {
            if (++idx[d] < shape[d]) {
                return true;
            }
            idx[d] = 0;
        }
        return false;
    }

    /** Elements a strided view of shape needs: 1 + the largest offset (0 for an empty shape). */
    private static int extent(long[] shape, long[] strides) {
        long max = 0;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == 0) {
                return 0;
            }
            max += (shape[i] - 1) * strides[i];
        }
        return Math.toIntExact(max + 1);
    }

    /** |a - e| <= tol * max(1, |e|), NaN only for NaN. */
    private static void close(String what, double expected, double actual, double tol) {
        boolean ok = Double.isNaN(expected) ? Double.isNaN(actual)
                : Math.abs(actual - expected) <= tol * Math.max(1.0, Math.abs(expected));
        if (!ok) {
            fail(what + ": expected " + expected + " but was " + actual);
        }
    }

    private static void close(String what, double[] expected, float[] actual, double tol) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            close(what + " [" + i + "]", expected[i], actual[i], tol);
        }
    }

    // ------------------------------------------------------------------------------------------------ memory

    @Test
    void identity() {
        assertEquals("cpu", CPU.name());
        assertEquals(io.jkeras.tensor.Device.CPU, CPU.device());
        assertTrue(Backends.available().containsKey("cpu"));
    }

    @Test
    void allocateIsAlignedAndAccountedExactly() {
        for (long bytes : new long[] {0, 1, 3, 64, 100, 4096, 1 << 20}) {
            long before = CPU.allocatedBytes();
            long p = CPU.allocate(bytes);
            assertTrue(p != 0, "address for " + bytes + " bytes");
            assertEquals(0, p % 64, "64-byte alignment of a block of " + bytes + " bytes");
            assertEquals(before + bytes, CPU.allocatedBytes(), "accounting of " + bytes + " bytes");
            CPU.free(p);
            assertEquals(before, CPU.allocatedBytes());
        }
        CPU.free(0); // freeing null is a no-op
        NativeException e = assertThrows(NativeException.class, () -> CPU.allocate(-1));
        assertTrue(e.getMessage().contains("jk_alloc"), e.getMessage());
    }

    @Test
    void writeReadFillCopy() {
        float[] v = uniform(1000, -5, 5);
        Tensor t = f(v, 10, 100);
        assertArrayEquals(v, read(t));
        int[] iv = new int[257];
        for (int i = 0; i < iv.length; i++) {
            iv[i] = rnd.nextInt();
        }
        Tensor it = ints(iv, 257);
        int[] back = new int[257];
        CPU.read(it, back);
        assertArrayEquals(iv, back);

        Tensor big = empty(300, 300); // above the parallel grain
        CPU.fill(big, -2.5f);
        for (float x : read(big)) {
            assertEquals(-2.5f, x);
        }
        Tensor c = empty(100, 10);
        CPU.copy(t, c);
        assertArrayEquals(v, read(c), "copy ignores shapes, copies elements");
    }

    @Test
    void intToFloat() {
        int[] iv = {0, 1, -1, 123456, -7654321, Integer.MAX_VALUE, Integer.MIN_VALUE, 16777217};
        Tensor src = ints(iv, iv.length);
        Tensor dst = empty(iv.length);
        CPU.intToFloat(src, dst);
        float[] out = read(dst);
        for (int i = 0; i < iv.length; i++) {
            assertEquals((float) iv[i], out[i], "element " + i);
        }
    }

    /** Reference: dst[dstOff + i.dstStrides] = src[srcOff + i.srcStrides]. */
    private void checkCopyStrided(String what, long[] shape, long srcOff, long[] srcStrides, long dstOff,
            long[] dstStrides) {
        int srcN = Math.toIntExact(srcOff + Math.max(1, extent(shape, srcStrides)));
        int dstN = Math.toIntExact(dstOff + Math.max(1, extent(shape, dstStrides)));
        float[] s = uniform(srcN, -1, 1);
        float[] d0 = new float[dstN];
        Arrays.fill(d0, -99f);
        Tensor src = f(s, srcN);
        Tensor dst = f(d0, dstN);
        CPU.copyStrided(shape, src, srcOff, srcStrides, dst, dstOff, dstStrides);
        float[] expected = d0.clone();
        if (size(shape) > 0) {
            long[] idx = new long[shape.length];
            do {
                expected[Math.toIntExact(dstOff + offset(idx, dstStrides))] =
                        s[Math.toIntExact(srcOff + offset(idx, srcStrides))];
            } while (next(idx, shape));
        }
        assertArrayEquals(expected, read(dst), what);
    }

    @Test
    void copyStrided() {
        // transpose (2, 0, 1) of a (3, 4, 5) array
        checkCopyStrided("transpose", new long[] {5, 3, 4}, 0, new long[] {1, 20, 5}, 0, contiguous(5, 3, 4));
        // broadcast: a row read as a matrix (stride 0 on the outer axis)
        checkCopyStrided("broadcast row", new long[] {3, 4}, 0, new long[] {0, 1}, 0, contiguous(3, 4));
        // broadcast: a column read as a matrix (stride 0 on the inner axis)
        checkCopyStrided("broadcast column", new long[] {3, 4}, 0, new long[] {1, 0}, 0, contiguous(3, 4));
        // both broadcast: a scalar filling a block
        checkCopyStrided("broadcast scalar", new long[] {2, 3, 2}, 2, new long[] {0, 0, 0}, 0, contiguous(2, 3, 2));
        // a block out of one matrix into another, both with offsets: untouched elements stay
        checkCopyStrided("block with offsets", new long[] {2, 3}, 5, new long[] {4, 1}, 7, new long[] {6, 1});
        // strided destination (a scatter into every other element)
        checkCopyStrided("strided destination", new long[] {4, 3}, 0, contiguous(4, 3), 1, new long[] {8, 2});
        // rank 0: one element
        checkCopyStrided("rank 0", new long[] {}, 3, new long[] {}, 2, new long[] {});
        // empty: nothing written
        checkCopyStrided("empty", new long[] {3, 0}, 0, new long[] {0, 1}, 0, new long[] {0, 1});
        // rank 8 (the native limit), mixed broadcast
        long[] s8 = {2, 1, 2, 1, 2, 1, 2, 3};
        long[] st = contiguous(s8);
        st[0] = 0;
        checkCopyStrided("rank 8", s8, 0, st, 0, contiguous(s8));
        // above the parallel grain: transpose of a 256 x 200 matrix
        checkCopyStrided("large transpose", new long[] {200, 256}, 0, new long[] {1, 200}, 0, contiguous(200, 256));
    }

    @Test
    void copyStridedCopiesInt32BitPatterns() {
        int[] iv = {Integer.MIN_VALUE, -1, 0x7fc00001, 5, 6, 7};
        Tensor src = ints(iv, 2, 3);
        Tensor dst = Tensor.empty(CPU, DType.INT32, 3, 2);
        CPU.copyStrided(new long[] {3, 2}, src, 0, new long[] {1, 3}, dst, 0, new long[] {2, 1});
        int[] out = new int[6];
        CPU.read(dst, out);
        assertArrayEquals(new int[] {Integer.MIN_VALUE, 5, -1, 6, 0x7fc00001, 7}, out);
    }

    @Test
    void copyStridedRejectsRankAboveEight() {
        long[] shape = new long[9];
        Arrays.fill(shape, 1);
        Tensor a = empty(1), b = empty(1);
        NativeException e = assertThrows(NativeException.class,
                () -> CPU.copyStrided(shape, a, 0, new long[9], b, 0, new long[9]));
        assertTrue(e.getMessage().contains("jk_copy_strided") && e.getMessage().contains("rank"), e.getMessage());
    }

    // ------------------------------------------------------------------------------------------- elementwise

    private static final double SELU_ALPHA = 1.6732632423543772848170429916717;
    private static final double SELU_SCALE = 1.0507009873554804934193349852946;

    /** Keras 2's backend relu, transcribed from keras/backend/tensorflow_backend.py (2.2.4). */
    static double kerasRelu(double x, double alpha, Double maxValue, double threshold) {
        double negativePart = 0;
        if (alpha != 0) {
            negativePart = threshold != 0 ? Math.max(-x + threshold, 0) : Math.max(-x, 0);
        }
        double y;
        if (threshold != 0) {
            y = x * (x > threshold ? 1 : 0);
        } else {
            y = Math.max(x, 0);
        }
        if (maxValue != null) {
            y = Math.min(Math.max(y, 0), maxValue);
        }
        return y - alpha * negativePart;
    }

    /** f(x; a, b, c) in double; null where the primitive takes no such parameters. */
    static double reference(UnaryOp op, double x, float a, float b, float c) {
        return switch (op) {
            case LINEAR -> x;
            case RELU -> kerasRelu(x, a, Float.isNaN(b) ? null : (double) b, c);
            case ELU -> x > 0 ? x : a * Math.expm1(x);
            case SELU -> SELU_SCALE * (x > 0 ? x : SELU_ALPHA * Math.expm1(x));
            case SOFTPLUS -> Math.log1p(Math.exp(x));
            case SOFTSIGN -> x / (1 + Math.abs(x));
            case TANH -> Math.tanh(x);
            case SIGMOID -> 1 / (1 + Math.exp(-x));
            case HARD_SIGMOID -> Math.min(Math.max(0.2 * x + 0.5, 0), 1);
            case EXP -> Math.exp(x);
            case NEG -> -x;
            case LOG -> Math.log(x);
            case SQRT -> Math.sqrt(x);
            case SQUARE -> x * x;
            case ABS -> Math.abs(x);
            case RECIPROCAL -> 1 / x;
            case AFFINE -> a * x + b;
            case CLIP -> Math.min(Math.max(x, a), b);
            case POW -> Math.pow(x, a);
            case STEP -> x >= a ? 1 : 0;
            case SIGN -> Math.signum(x);
            case THRESHOLDED_RELU -> x > a ? x : 0;
        };
    }

    @ParameterizedTest
    @EnumSource(UnaryOp.class)
    void unaryForwardAndBackward(UnaryOp op) {
        for (UnaryCases.Case uc : UnaryCases.of(op)) {
            String what = uc.label();
            int n = 4000;
            float[] x = uc.inputs(rnd, n);
            Tensor tx = f(x, n);
            Tensor ty = empty(n);
            CPU.unary(op, uc.a(), uc.b(), uc.c(), tx, ty);
            float[] y = read(ty);
            float[] dy = uniform(n, -2, 2);
            Tensor tdx = empty(n);
            CPU.unaryBackward(op, uc.a(), uc.b(), uc.c(), tx, ty, f(dy, n), tdx);
            float[] dx = read(tdx);
            for (int i = 0; i < n; i++) {
                double ref = reference(op, x[i], uc.a(), uc.b(), uc.c());
                close(what + " forward at x=" + x[i], ref, y[i], 1e-5);
                // the derivative: central difference of the double reference (exact enough away from kinks)
                double h = 1e-5;
                double deriv = (reference(op, x[i] + h, uc.a(), uc.b(), uc.c())
                        - reference(op, x[i] - h, uc.a(), uc.b(), uc.c())) / (2 * h);
                close(what + " backward at x=" + x[i], dy[i] * deriv, dx[i], 1e-4);
            }
        }
    }

    @Test
    void unaryAboveTheParallelGrain() {
        int n = 100_000;
        float[] x = uniform(n, -5, 5);
        Tensor ty = empty(n);
        CPU.unary(UnaryOp.TANH, 0, 0, 0, f(x, n), ty);
        float[] y = read(ty);
        for (int i = 0; i < n; i += 7) {
            close("tanh", Math.tanh(x[i]), y[i], 1e-6);
        }
    }

    @Test
    void activationsStayFiniteForLargeInputs() {
        float[] x = {-100f, -30f, 30f, 100f, -1e30f, 1e30f};
        Tensor tx = f(x, x.length);
        for (UnaryOp op : new UnaryOp[] {UnaryOp.SIGMOID, UnaryOp.SOFTPLUS, UnaryOp.TANH, UnaryOp.SOFTSIGN,
            UnaryOp.HARD_SIGMOID, UnaryOp.ELU, UnaryOp.SELU}) {
            Tensor ty = empty(x.length);
            CPU.unary(op, 1f, 0, 0, tx, ty);
            float[] y = read(ty);
            Tensor dx = empty(x.length);
            CPU.unaryBackward(op, 1f, 0, 0, tx, ty, f(new float[] {1, 1, 1, 1, 1, 1}, x.length), dx);
            float[] d = read(dx);
            for (int i = 0; i < x.length; i++) {
                assertTrue(Float.isFinite(y[i]), op + "(" + x[i] + ") = " + y[i]);
                assertTrue(Float.isFinite(d[i]), op + "'(" + x[i] + ") = " + d[i]);
                if (Math.abs(x[i]) <= 100) {
                    close(op + "(" + x[i] + ")", reference(op, x[i], 1f, 0, 0), y[i], 1e-5);
                }
            }
        }
    }

    static double reference(BinaryOp op, double a, double b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case MAXIMUM -> Math.max(a, b);
            case MINIMUM -> Math.min(a, b);
            case GREATER_EQUAL -> a >= b ? 1 : 0;
            case EQUAL -> a == b ? 1 : 0;
            case POW -> Math.pow(a, b);
        };
    }

    /** out = a op b over shape, each side with its own strides, against the reference loop. */
    private void checkBinary(BinaryOp op, String pattern, long[] shape, long[] aStrides, long[] bStrides) {
        int na = Math.max(1, extent(shape, aStrides));
        int nb = Math.max(1, extent(shape, bStrides));
        float[] a = op == BinaryOp.POW ? uniform(na, 0.1f, 3) : uniform(na, -3, 3);
        float[] b = op == BinaryOp.DIV ? uniform(nb, 0.5f, 3) : op == BinaryOp.POW ? uniform(nb, -2, 2)
                : uniform(nb, -3, 3);
        if (op == BinaryOp.EQUAL || op == BinaryOp.GREATER_EQUAL || op == BinaryOp.MAXIMUM
                || op == BinaryOp.MINIMUM) {
            // make some pairs equal
            for (int i = 0; i < Math.min(na, nb); i += 3) {
                b[i] = a[i];
            }
        }
        int n = size(shape);
        Tensor out = empty(shape);
        CPU.binary(op, shape, f(a, na), aStrides, f(b, nb), bStrides, out);
        float[] got = read(out);
        if (n == 0) {
            return;
        }
        long[] idx = new long[shape.length];
        int k = 0;
        do {
            float va = a[Math.toIntExact(offset(idx, aStrides))];
            float vb = b[Math.toIntExact(offset(idx, bStrides))];
            double ref = reference(op, va, vb);
            close(op + " " + pattern + " at " + Arrays.toString(idx) + " (" + va + ", " + vb + ")", ref, got[k],
                    1e-5);
            k++;
        } while (next(idx, shape));
        assertEquals(n, k);
    }

    @ParameterizedTest
    @EnumSource(BinaryOp.class)
    void binaryEveryBroadcastPattern(BinaryOp op) {
        checkBinary(op, "same shape", new long[] {3, 4}, contiguous(3, 4), contiguous(3, 4));
        checkBinary(op, "(2,3,4) op (4,)", new long[] {2, 3, 4}, contiguous(2, 3, 4), new long[] {0, 0, 1});
        checkBinary(op, "(4,) op (2,3,4)", new long[] {2, 3, 4}, new long[] {0, 0, 1}, contiguous(2, 3, 4));
        checkBinary(op, "(2,1,4) op (3,1)", new long[] {2, 3, 4}, new long[] {4, 0, 1}, new long[] {0, 1, 0});
        checkBinary(op, "(3,4) op scalar", new long[] {3, 4}, contiguous(3, 4), new long[] {0, 0});
        checkBinary(op, "scalar op (1000,)", new long[] {1000}, new long[] {0}, new long[] {1});
        checkBinary(op, "(2,3,1) op (1,3,4)", new long[] {2, 3, 4}, new long[] {3, 1, 0}, new long[] {0, 4, 1});
        checkBinary(op, "transposed a", new long[] {3, 4}, new long[] {1, 3}, contiguous(3, 4));
        checkBinary(op, "both non-contiguous", new long[] {4, 3}, new long[] {1, 4}, new long[] {2, 8});
        checkBinary(op, "size-1 dims", new long[] {1, 5, 1}, new long[] {5, 1, 1}, new long[] {0, 1, 0});
        checkBinary(op, "rank 0", new long[] {}, new long[] {}, new long[] {});
        checkBinary(op, "empty", new long[] {3, 0}, new long[] {0, 1}, new long[] {0, 1});
        checkBinary(op, "large (64,1024) op (1024,)", new long[] {64, 1024}, contiguous(64, 1024),
                new long[] {0, 1});
        checkBinary(op, "large (1024,64) op (1024,1)", new long[] {1024, 64}, contiguous(1024, 64),
                new long[] {1, 0});
    }

    // -------------------------------------------------------------------------------------------- reductions

    @ParameterizedTest
    @EnumSource(ReduceOp.class)
    void reduceOverTheMiddleAxis(ReduceOp op) {
        long[][] cases = {{1, 1, 1}, {3, 5, 1}, {1, 7, 4}, {2, 3, 4}, {4, 1, 3}, {2, 1000, 1}, {8, 5000, 1},
            {4, 100, 100}, {5, 3, 1}, {1, 100_000, 1}};
        for (long[] c : cases) {
            int outer = (int) c[0], n = (int) c[1], inner = (int) c[2];
            float[] x = uniform(outer * n * inner, -1, 1);
            Tensor y = empty(outer, inner);
            CPU.reduce(op, f(x, outer, n, inner), y, outer, n, inner);
            float[] got = read(y);
            for (int o = 0; o < outer; o++) {
                for (int i = 0; i < inner; i++) {
                    double acc = op == ReduceOp.MAX ? Double.NEGATIVE_INFINITY
                            : op == ReduceOp.MIN ? Double.POSITIVE_INFINITY : 0;
                    double abs = 0;
                    for (int k = 0; k < n; k++) {
                        double v = x[(o * n + k) * inner + i];
                        abs += Math.abs(v);
                        acc = switch (op) {
                            case SUM, MEAN -> acc + v;
                            case MAX -> Math.max(acc, v);
                            case MIN -> Math.min(acc, v);
                        };
                    }
                    if (op == ReduceOp.MEAN) {
                        acc /= n;
                        abs /= n;
                    }
                    double g = got[o * inner + i];
                    String what = op + " (" + outer + ", " + n + ", " + inner + ") at [" + o + ", " + i + "]";
                    // float accumulation: allow 1e-6 of the sum of magnitudes on top of the usual rule
                    if (Math.abs(g - acc) > 1e-5 * Math.max(1, Math.abs(acc)) + 1e-6 * abs) {
                        fail(what + ": expected " + acc + " but was " + g);
                    }
                }
            }
        }
    }

    @Test
    void reduceOverAnEmptyAxis() {
        Tensor y = empty(2, 3);
        CPU.reduce(ReduceOp.SUM, empty(2, 0, 3), y, 2, 0, 3);
        assertArrayEquals(new float[6], read(y), "an empty sum is 0");
        CPU.reduce(ReduceOp.MAX, empty(2, 0, 3), y, 2, 0, 3);
        for (float v : read(y)) {
            assertEquals(Float.NEGATIVE_INFINITY, v, "an empty max is -inf");
        }
    }

    private static double[] softmaxRef(float[] x, int outer, int n, int inner) {
        double[] y = new double[x.length];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                double m = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < n; k++) {
                    m = Math.max(m, x[(o * n + k) * inner + i]);
                }
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += Math.exp(x[(o * n + k) * inner + i] - m);
                }
                for (int k = 0; k < n; k++) {
                    int j = (o * n + k) * inner + i;
                    y[j] = Math.exp(x[j] - m) / s;
                }
            }
        }
        return y;
    }

    @Test
    void softmaxAndItsBackward() {
        int[][] cases = {{1, 5, 1}, {3, 5, 1}, {2, 3, 4}, {1, 4, 3}, {4, 1, 2}, {64, 1000, 1}, {2, 10, 2000}};
        for (int[] c : cases) {
            int outer = c[0], n = c[1], inner = c[2];
            int total = outer * n * inner;
            float[] x = uniform(total, -5, 5);
            Tensor tx = f(x, total);
            Tensor ty = empty(total);
            CPU.softmax(tx, ty, outer, n, inner);
            float[] y = read(ty);
            String what = "softmax (" + outer + ", " + n + ", " + inner + ")";
            close(what, softmaxRef(x, outer, n, inner), y, 1e-5);

            float[] dy = uniform(total, -2, 2);
            Tensor dx = empty(total);
            CPU.softmaxBackward(ty, f(dy, total), dx, outer, n, inner);
            double[] ref = new double[total];
            for (int o = 0; o < outer; o++) {
                for (int i = 0; i < inner; i++) {
                    double dot = 0;
                    for (int k = 0; k < n; k++) {
                        int j = (o * n + k) * inner + i;
                        dot += (double) dy[j] * y[j];
                    }
                    for (int k = 0; k < n; k++) {
                        int j = (o * n + k) * inner + i;
                        ref[j] = y[j] * (dy[j] - dot);
                    }
                }
            }
            close(what + " backward", ref, read(dx), 1e-5);
        }
    }

    @Test
    void softmaxOfLargeLogitsIsStable() {
        float[] x = {1000f, 1001f, 999f, -1000f, -1001f, -999f};
        Tensor ty = empty(6);
        CPU.softmax(f(x, 6), ty, 2, 3, 1);
        close("softmax of large logits", softmaxRef(x, 2, 3, 1), read(ty), 1e-6);
    }

    // ----------------------------------------------------------------------------------------------- gemm

    private void checkGemm(boolean ta, boolean tb, int batch, int m, int n, int k, float alpha, boolean shareA,
            boolean shareB, float beta) {
        int sa = shareA ? 0 : m * k, sb = shareB ? 0 : k * n, sc = m * n;
        float[] a = uniform(Math.max(1, (shareA ? 1 : batch) * m * k), -1, 1);
        float[] b = uniform(Math.max(1, (shareB ? 1 : batch) * k * n), -1, 1);
        float[] c0 = uniform(Math.max(1, batch * m * n), -1, 1);
        Tensor tc = f(c0, c0.length);
        CPU.gemm(ta, tb, batch, m, n, k, alpha, f(a, a.length), sa, f(b, b.length), sb, beta, tc, sc);
        float[] got = read(tc);
        String what = "gemm ta=" + ta + " tb=" + tb + " batch=" + batch + " m=" + m + " n=" + n + " k=" + k
                + " alpha=" + alpha + " beta=" + beta + (shareA ? " shared A" : "") + (shareB ? " shared B" : "");
        for (int p = 0; p < batch; p++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0, abs = 0;
                    for (int l = 0; l < k; l++) {
                        // op(A)[i][l]: A stored m x k, or k x m when transposed
                        double av = ta ? a[p * sa + l * m + i] : a[p * sa + i * k + l];
                        double bv = tb ? b[p * sb + j * k + l] : b[p * sb + l * n + j];
                        s += av * bv;
                        abs += Math.abs(av * bv);
                    }
                    int ci = p * sc + i * n + j;
                    double ref = alpha * s + (beta == 0 ? 0 : beta * c0[ci]);
                    if (Math.abs(got[ci] - ref) > 1e-5 * Math.max(1, Math.abs(ref)) + 1e-6 * abs) {
                        fail(what + " at [" + p + ", " + i + ", " + j + "]: expected " + ref + " but was " + got[ci]);
                    }
                }
            }
        }
    }

    @Test
    void gemmEveryTransposeBatchAndBroadcast() {
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                checkGemm(ta, tb, 1, 4, 5, 6, 1f, false, false, 0f);
                checkGemm(ta, tb, 3, 4, 5, 6, 0.7f, false, false, 0.3f);
                checkGemm(ta, tb, 3, 4, 5, 6, 1f, true, false, 0f);
                checkGemm(ta, tb, 3, 4, 5, 6, 1f, false, true, 1f);
                checkGemm(ta, tb, 2, 1, 1, 7, -2f, false, false, 0f);
                checkGemm(ta, tb, 2, 33, 65, 17, 1f, false, false, 0f);
            }
        }
        checkGemm(false, false, 1, 64, 128, 96, 1f, false, false, 0f);
    }

    @Test
    void gemmBetaZeroIgnoresNaNInC() {
        Tensor c = f(new float[] {Float.NaN, Float.NaN, Float.NaN, Float.NaN}, 2, 2);
        CPU.gemm(false, false, 1, 2, 2, 2, 1f, f(new float[] {1, 2, 3, 4}, 2, 2), 0, f(new float[] {1, 0, 0, 1}, 2, 2),
                0, 0f, c, 4);
        assertArrayEquals(new float[] {1, 2, 3, 4}, read(c), "beta = 0 overwrites C (BLAS semantics)");
    }

    @Test
    void gemmWithAnEmptyInnerDimension() {
        Tensor c = f(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        CPU.gemm(false, false, 1, 2, 3, 0, 1f, empty(1), 0, empty(1), 0, 0.5f, c, 6);
        assertArrayEquals(new float[] {0.5f, 1, 1.5f, 2, 2.5f, 3}, read(c), "k = 0: C = beta C");
        Tensor z = f(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        CPU.gemm(false, false, 1, 2, 3, 0, 1f, empty(1), 0, empty(1), 0, 0f, z, 6);
        assertArrayEquals(new float[6], read(z), "k = 0, beta = 0: C = 0");
    }

    // --------------------------------------------------------------------------------------------- random

    /** Philox-4x32-10 in Java (Random123), the reference of the native generator. */
    static int[] philox(int[] ctr, int[] key) {
        int c0 = ctr[0], c1 = ctr[1], c2 = ctr[2], c3 = ctr[3];
        int k0 = key[0], k1 = key[1];
        for (int round = 0; round < 10; round++) {
            long p0 = (0xD2511F53L) * (c0 & 0xffffffffL);
            long p1 = (0xCD9E8D57L) * (c2 & 0xffffffffL);
            int hi0 = (int) (p0 >>> 32), lo0 = (int) p0, hi1 = (int) (p1 >>> 32), lo1 = (int) p1;
            int n0 = hi1 ^ c1 ^ k0, n1 = lo1, n2 = hi0 ^ c3 ^ k1, n3 = lo0;
            c0 = n0;
            c1 = n1;
            c2 = n2;
            c3 = n3;
            k0 += 0x9E3779B9;
            k1 += 0xBB67AE85;
        }
        return new int[] {c0, c1, c2, c3};
    }

    /** The native layout: counter (offset + i as 64 bits, attempt, 0), key = seed. */
    static int[] draw(long seed, long counter, int attempt) {
        return philox(new int[] {(int) counter, (int) (counter >>> 32), attempt, 0},
                new int[] {(int) seed, (int) (seed >>> 32)});
    }

    static float uniform01(int w) {
        return (float) (w >>> 8) * (1.0f / 16777216.0f);
    }

    static double normalFrom(int w0, int w1) {
        double u1 = ((w0 >>> 8) + 1.0) / 16777216.0;
        double u2 = (w1 >>> 8) / 16777216.0;
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    @Test
    void philoxReferenceMatchesRandom123KnownAnswers() {
        assertArrayEquals(new int[] {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8},
                philox(new int[] {0, 0, 0, 0}, new int[] {0, 0}));
        assertArrayEquals(new int[] {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd},
                philox(new int[] {-1, -1, -1, -1}, new int[] {-1, -1}));
        assertArrayEquals(new int[] {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1},
                philox(new int[] {0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344},
                        new int[] {0xa4093822, 0x299f31d0}));
    }

    @Test
    void randomDrawsMatchThePhiloxReference() {
        long seed = 0x1234_5678_9abc_def0L;
        long offset = (1L << 32) - 3; // crosses into the counter's high word
        int n = 64;
        Tensor u = empty(n);
        CPU.randomUniform(u, seed, offset, -1f, 3f);
        Tensor z = empty(n);
        CPU.randomNormal(z, seed, offset, 0.5f, 2f);
        Tensor tz = empty(n);
        CPU.randomTruncatedNormal(tz, seed, offset, 0.5f, 2f);
        float[] gu = read(u), gz = read(z), gt = read(tz);
        for (int i = 0; i < n; i++) {
            int[] r = draw(seed, offset + i, 0);
            assertEquals(-1f + 4f * uniform01(r[0]), gu[i], 1e-6f, "uniform " + i);
            close("normal " + i, 0.5 + 2 * normalFrom(r[0], r[1]), gz[i], 1e-5);
            double t;
            int attempt = 0;
            do {
                int[] q = draw(seed, offset + i, attempt++);
                t = normalFrom(q[0], q[1]);
            } while (t < -2 || t > 2);
            close("truncated normal " + i, 0.5 + 2 * t, gt[i], 1e-5);
        }
        // the zero vector: seed 0, offset 0 gives the first word 0x6627e8d5
        Tensor first = empty(1);
        CPU.randomUniform(first, 0, 0, 0f, 1f);
        assertEquals((0x6627e8d5 >>> 8) / 16777216.0f, read(first)[0]);
    }

    private static double mean(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static double std(float[] v) {
        double m = mean(v), s = 0;
        for (float x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / v.length);
    }

    @Test
    void uniformIsInRangeWithTheRightMoments() {
        int n = 200_000;
        Tensor t = empty(n);
        CPU.randomUniform(t, 42, 0, -1.5f, 2.5f);
        float[] v = read(t);
        for (float x : v) {
            assertTrue(x >= -1.5f && x < 2.5f, "uniform draw " + x + " outside [-1.5, 2.5)");
        }
        assertEquals(0.5, mean(v), 0.015, "mean of U[-1.5, 2.5)");
        assertEquals(4 / Math.sqrt(12), std(v), 0.01, "std of U[-1.5, 2.5)");
    }

    @Test
    void normalHasTheRightMoments() {
        int n = 200_000;
        Tensor t = empty(n);
        CPU.randomNormal(t, 7, 0, 0.7f, 1.3f);
        float[] v = read(t);
        assertEquals(0.7, mean(v), 0.015, "mean");
        assertEquals(1.3, std(v), 0.015, "std");
        int within1 = 0;
        for (float x : v) {
            if (Math.abs(x - 0.7) < 1.3) {
                within1++;
            }
        }
        assertEquals(0.6827, within1 / (double) n, 0.01, "fraction within one std");
    }

    @Test
    void truncatedNormalStaysWithinTwoStd() {
        int n = 200_000;
        Tensor t = empty(n);
        CPU.randomTruncatedNormal(t, 9, 0, 0.5f, 2f);
        float[] v = read(t);
        for (float x : v) {
            assertTrue(x >= 0.5f - 4f && x <= 0.5f + 4f, "truncated draw " + x + " beyond two std of 0.5");
        }
        assertEquals(0.5, mean(v), 0.02, "mean");
        // the std of a standard normal truncated to [-2, 2] is 0.8796
        assertEquals(2 * 0.8796, std(v), 0.02, "std");
    }

    @Test
    void drawsAreDeterministicAndOffsetShiftsTheSequence() {
        int n = 1000, k = 137, m = 500;
        for (String kind : new String[] {"uniform", "normal", "truncated"}) {
            float[] a = draw(kind, 99, 0, n);
            float[] b = draw(kind, 99, 0, n);
            assertArrayEquals(a, b, kind + ": same (seed, offset), same numbers");
            float[] shifted = draw(kind, 99, k, m);
            assertArrayEquals(Arrays.copyOfRange(a, k, k + m), shifted,
                    kind + ": element i of offset k == element i + k of offset 0");
            float[] other = draw(kind, 100, 0, n);
            assertNotEquals(Arrays.toString(a), Arrays.toString(other), kind + ": another seed, other numbers");
        }
        // above the parallel grain the result does not depend on threads
        float[] big1 = draw("normal", 5, 0, 100_000);
        float[] big2 = draw("normal", 5, 50_000, 50_000);
        assertArrayEquals(Arrays.copyOfRange(big1, 50_000, 100_000), big2);
    }

    private static float[] draw(String kind, long seed, long offset, int n) {
        Tensor t = empty(n);
        switch (kind) {
            case "uniform" -> CPU.randomUniform(t, seed, offset, 0f, 1f);
            case "normal" -> CPU.randomNormal(t, seed, offset, 0f, 1f);
            default -> CPU.randomTruncatedNormal(t, seed, offset, 0f, 1f);
        }
        return read(t);
    }

    @Test
    void aRandomStreamHandsOutConsecutiveBlocks() {
        RandomStream rng = new RandomStream(31);
        float[] first = Ops.randomUniform(new long[] {10}, 0f, 1f, rng).toFloatArray();
        float[] second = Ops.randomUniform(new long[] {2, 5}, 0f, 1f, rng).toFloatArray();
        float[] all = Ops.randomUniform(new long[] {20}, 0f, 1f, new RandomStream(31)).toFloatArray();
        assertArrayEquals(Arrays.copyOfRange(all, 0, 10), first);
        assertArrayEquals(Arrays.copyOfRange(all, 10, 20), second);
    }

    // ----------------------------------------------------------------------------------------- optimizers

    @Test
    void sgdPlainMomentumAndNesterovFollowKeras2() {
        int n = 1000;
        for (float momentum : new float[] {0f, 0.9f}) {
            for (boolean nesterov : new boolean[] {false, true}) {
                float lr = 0.05f;
                float[] w = uniform(n, -1, 1);
                float[] v = new float[n];
                Tensor tw = f(w, n);
                Tensor tv = momentum == 0 ? null : f(v, n);
                double[] rw = new double[n], rv = new double[n];
                for (int i = 0; i < n; i++) {
                    rw[i] = w[i];
                }
                for (int step = 0; step < 3; step++) {
                    float[] g = uniform(n, -1, 1);
                    CPU.sgdUpdate(tw, f(g, n), tv, lr, momentum, nesterov);
                    for (int i = 0; i < n; i++) {
                        // Keras 2 SGD: v = momentum * v - lr * g; p += nesterov ? momentum * v - lr * g : v
                        double vi = momentum * rv[i] - lr * g[i];
                        rv[i] = vi;
                        rw[i] += nesterov ? momentum * vi - lr * g[i] : vi;
                    }
                }
                String what = "sgd momentum=" + momentum + " nesterov=" + nesterov;
                float[] gw = read(tw);
                for (int i = 0; i < n; i++) {
                    double refStep = rw[i] - w[i], gotStep = (double) gw[i] - w[i];
                    assertEquals(refStep, gotStep, 1e-4 * Math.abs(refStep) + 2e-7, what + " update of w[" + i + "]");
                }
                if (tv != null) {
                    close(what + " velocity", rv, read(tv), 1e-6);
                }
            }
        }
    }

    @Test
    void adamFollowsKeras2() {
        int n = 1000;
        float lr = 0.01f, beta1 = 0.9f, beta2 = 0.999f, eps = 1e-7f;
        float[] w = uniform(n, -1, 1);
        Tensor tw = f(w, n), tm = f(new float[n], n), tv = f(new float[n], n);
        double[] rw = new double[n], rm = new double[n], rv = new double[n];
        for (int i = 0; i < n; i++) {
            rw[i] = w[i];
        }
        for (int t = 1; t <= 4; t++) {
            float[] g = uniform(n, -1, 1);
            // Keras 2: lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t)
            double lrT = lr * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t));
            CPU.adamUpdate(tw, f(g, n), tm, tv, (float) lrT, beta1, beta2, eps);
            for (int i = 0; i < n; i++) {
                rm[i] = beta1 * rm[i] + (1 - beta1) * g[i];
                rv[i] = beta2 * rv[i] + (1 - beta2) * (double) g[i] * g[i];
                rw[i] -= lrT * rm[i] / (Math.sqrt(rv[i]) + eps);
            }
        }
        float[] gm = read(tm), gv = read(tv), gw = read(tw);
        for (int i = 0; i < n; i++) {
            // relative checks: v is ~1e-4, and the weights move by ~lr per step
            // m mixes terms of both signs: float cancellation allows an absolute error of a few ulps of 0.1
            assertEquals(rm[i], gm[i], 1e-5 * Math.abs(rm[i]) + 5e-8, "adam m[" + i + "]");
            assertEquals(rv[i], gv[i], 1e-5 * Math.abs(rv[i]) + 1e-12, "adam v[" + i + "]");
            double refStep = rw[i] - w[i], gotStep = (double) gw[i] - w[i];
            assertEquals(refStep, gotStep, 1e-3 * Math.abs(refStep) + 2e-7, "adam total update of w[" + i + "]");
        }
    }

    // ---------------------------------------------------------------------------------------- integer ops

    @Test
    void oneHot() {
        int n = 50, depth = 7;
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = rnd.nextInt(depth);
        }
        Tensor out = empty(n, depth);
        CPU.fill(out, 5f);
        CPU.oneHot(ints(ids, n), out, depth);
        float[] got = read(out);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < depth; j++) {
                assertEquals(ids[i] == j ? 1f : 0f, got[i * depth + j], "row " + i + " column " + j);
            }
        }
    }

    @Test
    void oneHotRefusesAnOutOfRangeIdAndWritesNothing() {
        Tensor out = empty(3, 4);
        CPU.fill(out, 7f);
        NativeException e = assertThrows(NativeException.class,
                () -> CPU.oneHot(ints(new int[] {1, 4, 0}, 3), out, 4));
        assertTrue(e.getMessage().contains("jk_one_hot") && e.getMessage().contains("4"), e.getMessage());
        for (float v : read(out)) {
            assertEquals(7f, v, "out must be left unwritten");
        }
        assertThrows(IllegalArgumentException.class, () -> CPU.oneHot(empty(3), out, 4), "float ids are refused");
    }

    @Test
    void argmaxTakesTheFirstOnTies() {
        int rows = 200, n = 9;
        float[] x = new float[rows * n];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextInt(4); // many ties
        }
        Tensor out = Tensor.empty(CPU, DType.INT32, rows);
        CPU.argmax(f(x, rows, n), out, rows, n);
        int[] got = new int[rows];
        CPU.read(out, got);
        for (int r = 0; r < rows; r++) {
            int best = 0;
            for (int k = 1; k < n; k++) {
                if (x[r * n + k] > x[r * n + best]) {
                    best = k;
                }
            }
            assertEquals(best, got[r], "row " + r);
        }
        Tensor one = Tensor.empty(CPU, DType.INT32, 3);
        CPU.argmax(f(new float[] {5, -1, 2}, 3, 1), one, 3, 1);
        int[] zeros = new int[3];
        CPU.read(one, zeros);
        assertArrayEquals(new int[3], zeros, "n = 1: index 0");
        assertThrows(NativeException.class, () -> CPU.argmax(empty(0), Tensor.empty(CPU, DType.INT32, 2), 2, 0));
        assertThrows(IllegalArgumentException.class, () -> CPU.argmax(f(new float[] {1}, 1), empty(1), 1, 1),
                "argmax writes int32");
    }

    @Test
    void theJvmSurvivesNativeErrors() {
        for (int i = 0; i < 100; i++) {
            assertThrows(NativeException.class, () -> CPU.oneHot(ints(new int[] {9}, 1), empty(1, 3), 3));
        }
        Tensor y = empty(2);
        CPU.unary(UnaryOp.EXP, 0, 0, 0, f(new float[] {0, 1}, 2), y);
        close("exp after errors", Math.E, read(y)[1], 1e-6);
    }
}
