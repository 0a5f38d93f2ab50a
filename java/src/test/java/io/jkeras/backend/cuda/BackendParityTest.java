package io.jkeras.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jkeras.backend.Backend;
import io.jkeras.backend.BinaryOp;
import io.jkeras.backend.ConvDesc;
import io.jkeras.backend.NativeException;
import io.jkeras.backend.PoolDesc;
import io.jkeras.backend.ReduceOp;
import io.jkeras.backend.RnnDesc;
import io.jkeras.backend.UnaryOp;
import io.jkeras.tensor.DType;
import io.jkeras.tensor.Scope;
import io.jkeras.tensor.Tensor;
import io.jkeras.testing.Golden;
import io.jkeras.testing.UnaryCases;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@link Backend} primitive on the CUDA backend against the CPU backend, on the same inputs: drawn on the host
 * from a seed of the case's name, copied to each device, results read back and compared element for element, with
 * |cpu - cuda| <= tol * max(1, |cpu|): 1e-5 for elementwise ops, reductions, softmax, copies, indices, optimizer
 * updates and resizing, 1e-4 for matrix products, convolutions and recurrences; random numbers and copies must be
 * bit-identical. Skipped where CUDA is unusable; {@code -Djkeras.parity.reference=cpu} runs it CPU against CPU (see
 * {@link ParityHarness}).
 */
@Tag("gpu")
class BackendParityTest {
    static final double ELTWISE = 1e-5;
    static final double HEAVY = 1e-4;
    /** What output tensors hold before a primitive writes them, so that unwritten elements compare too. */
    static final float SENTINEL = -7.25f;

    private Backend ref;
    private Backend dut;

    /** Every test first: skipped (each reported so, with the reason) where CUDA is unusable. */
    @BeforeEach
    void deviceUnderTest() {
        ParityHarness.assumeDeviceUnderTest();
        ref = ParityHarness.reference();
        dut = ParityHarness.underTest();
    }

    // ------------------------------------------------------------------------------------------------ harness

    /** A case on one backend: draws its inputs from env (the same on every backend), runs primitives, keeps results. */
    @FunctionalInterface
    interface Run {
        void run(Backend be, Env env);
    }

    /** A case: its tolerance (0: bit-identical) and what it runs. */
    record Case(double tol, Run run) {
    }

    /** One result of a case on one backend: floats, or ints (compared exactly). */
    record Result(String name, float[] floats, int[] ints, boolean exact) {
    }

    /** Inputs and results of a case on one backend; inputs come from a Random seeded by the case. */
    static final class Env {
        final Backend be;
        final Random rnd;
        final List<Result> results = new ArrayList<>();

        Env(Backend be, long seed) {
            this.be = be;
            this.rnd = new Random(seed);
        }

        /** data on the backend's device (made on the host, then copied). */
        Tensor put(float[] data, long... shape) {
            return ParityHarness.copyTo(ParityHarness.host(data, shape), be);
        }

        Tensor putInts(int[] data, long... shape) {
            return ParityHarness.copyTo(ParityHarness.hostInts(data, shape), be);
        }

        float[] floats(int n, float lo, float hi) {
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = lo + (hi - lo) * rnd.nextFloat();
            }
            return v;
        }

        Tensor uniform(float lo, float hi, long... shape) {
            return put(floats(size(shape), lo, hi), shape);
        }

        /** Multiples of 1/64 in [-2, 2]: sums of up to 2^17 of them are exact in float32, in any order. */
        Tensor grid(long... shape) {
            float[] v = new float[size(shape)];
            for (int i = 0; i < v.length; i++) {
                v[i] = (rnd.nextInt(257) - 128) / 64f;
            }
            return put(v, shape);
        }

        int[] ints(int n, int bound) {
            int[] v = new int[n];
            for (int i = 0; i < n; i++) {
                v[i] = rnd.nextInt(bound);
            }
            return v;
        }

        /** An output tensor holding {@link #SENTINEL}s. */
        Tensor out(long... shape) {
            float[] v = new float[size(shape)];
            Arrays.fill(v, SENTINEL);
            return put(v, shape);
        }

        Tensor outInts(long... shape) {
            int[] v = new int[size(shape)];
            Arrays.fill(v, -7);
            return putInts(v, shape);
        }

        /** Keeps t's values, compared within the case's tolerance (exactly for int32 tensors). */
        void keep(String name, Tensor t) {
            if (t == null) {
                return;
            }
            if (t.dtype() == DType.INT32) {
                results.add(new Result(name, null, t.toIntArray(), true));
            } else {
                results.add(new Result(name, t.toFloatArray(), null, false));
            }
        }

        /** Keeps t's values, to be compared bit for bit. */
        void keepExact(String name, Tensor t) {
            results.add(new Result(name, t.toFloatArray(), null, true));
        }
    }

    static int size(long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return Math.toIntExact(n);
    }

    static long[] contiguous(long... shape) {
        long[] s = new long[shape.length];
        long acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    static Arguments c(String name, double tol, Run run) {
        return Arguments.of(name, new Case(tol, run));
    }

    static List<Result> run(Backend be, String name, Run run) {
        Env env = new Env(be, name.hashCode() * 1_000_003L + 17);
        try (Scope s = Scope.open()) {
            run.run(be, env);
        }
        return env.results;
    }

    /** Compares every result of a case on the reference (expected) with the device's (actual). */
    static void compare(String name, double tol, List<Result> expected, List<Result> actual) {
        assertFalse(expected.isEmpty(), name + ": the case kept no result");
        assertEquals(expected.stream().map(Result::name).toList(), actual.stream().map(Result::name).toList(),
                name + ": the results kept");
        List<Executable> checks = new ArrayList<>();
        for (int i = 0; i < expected.size(); i++) {
            Result e = expected.get(i);
            Result a = actual.get(i);
            String what = name + ": " + e.name();
            checks.add(() -> {
                if (e.ints() != null) {
                    assertArrayEquals(e.ints(), a.ints(), what);
                } else if (e.exact() || tol == 0) {
                    assertArrayEquals(e.floats(), a.floats(), what + " (bit-identical)");
                } else {
                    Golden.assertClose(what, e.floats(), a.floats(), tol);
                }
            });
        }
        assertAll(name, checks);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void parity(String name, Case c) {
        compare(name, c.tol(), run(ref, name, c.run()), run(dut, name, c.run()));
    }

    static Stream<Arguments> cases() {
        return Stream.of(memory(), elementwise(), reductions(), gemm(), convolutions(), pooling(), resizing(),
                recurrences(), random(), optimizers(), indices()).flatMap(s -> s);
    }

    // ------------------------------------------------------------------------------------------------ memory

    /** A strided copy; dst holds sentinels where the shape does not reach (offsets and strides may be < 0). */
    static Arguments strided(String what, long[] shape, long srcOff, long[] srcStrides, long dstOff,
            long[] dstStrides) {
        return c("copyStrided " + what, 0, (be, env) -> {
            Tensor src = env.uniform(-1, 1, srcOff + span(shape, srcStrides));
            Tensor dst = env.out(dstOff + span(shape, dstStrides));
            be.copyStrided(shape, src, srcOff, srcStrides, dst, dstOff, dstStrides);
            env.keepExact("dst", dst);
        });
    }

    /** 1 + the largest offset a view reaches from its first element (negative strides reach below it). */
    static long span(long[] shape, long[] strides) {
        long max = 0;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == 0) {
                return 1;
            }
            max += Math.max(0, (shape[i] - 1) * strides[i]);
        }
        return max + 1;
    }

    static Stream<Arguments> memory() {
        long[] s8 = {2, 1, 2, 1, 2, 1, 2, 3};
        long[] st8 = contiguous(s8);
        st8[0] = 0;
        return Stream.of(
            c("fill", 0, (be, env) -> {
                Tensor t = env.out(3, 70);
                be.fill(t, 2.5f);
                env.keepExact("filled", t);
                Tensor big = env.out(300, 301);
                be.fill(big, -1e-3f);
                env.keepExact("filled large", big);
            }),
            c("copy", 0, (be, env) -> {
                Tensor src = env.uniform(-5, 5, 5, 40);
                Tensor dst = env.out(40, 5);
                be.copy(src, dst);
                env.keepExact("dst", dst);
            }),
            strided("transpose (2,0,1)", new long[] {5, 3, 4}, 0, new long[] {1, 20, 5}, 0, contiguous(5, 3, 4)),
            strided("broadcast row", new long[] {3, 4}, 0, new long[] {0, 1}, 0, contiguous(3, 4)),
            strided("broadcast scalar with offset", new long[] {2, 3, 2}, 2, new long[] {0, 0, 0}, 0,
                    contiguous(2, 3, 2)),
            strided("block with offsets", new long[] {2, 3}, 5, new long[] {4, 1}, 7, new long[] {6, 1}),
            strided("strided destination", new long[] {4, 3}, 0, contiguous(4, 3), 1, new long[] {8, 2}),
            strided("reversed", new long[] {7}, 6, new long[] {-1}, 0, new long[] {1}),
            strided("rows flipped", new long[] {3, 4}, 8, new long[] {-4, 1}, 0, contiguous(3, 4)),
            strided("negative destination strides", new long[] {4, 3}, 0, contiguous(4, 3), 11, new long[] {-3, -1}),
            strided("negative both with gaps", new long[] {2, 3, 2}, 3 + 2 * 12, new long[] {-12, 4, -1}, 40,
                    new long[] {-20, 3, 1}),
            strided("rank 0", new long[] {}, 3, new long[] {}, 2, new long[] {}),
            strided("empty", new long[] {3, 0}, 0, new long[] {0, 1}, 0, new long[] {0, 1}),
            strided("rank 8 broadcast", s8, 0, st8, 0, contiguous(s8)),
            strided("large transpose", new long[] {200, 256}, 0, new long[] {1, 200}, 0, contiguous(200, 256)),
            c("copyStrided int32 bit patterns", 0, (be, env) -> {
                Tensor src = env.putInts(new int[] {Integer.MIN_VALUE, -1, 0x7fc00001, 5, 6, 7}, 2, 3);
                Tensor dst = env.outInts(3, 2);
                be.copyStrided(new long[] {3, 2}, src, 0, new long[] {1, 3}, dst, 0, new long[] {2, 1});
                env.keep("dst", dst);
            }),
            c("intToFloat", 0, (be, env) -> {
                int[] iv = {0, 1, -1, 123456, -7654321, Integer.MAX_VALUE, Integer.MIN_VALUE, 16777217, 16777219};
                int[] all = Arrays.copyOf(iv, 1000);
                for (int i = iv.length; i < all.length; i++) {
                    all[i] = env.rnd.nextInt();
                }
                Tensor dst = env.out(all.length);
                be.intToFloat(env.putInts(all, all.length), dst);
                env.keepExact("floats", dst);
            }));
    }

    // ------------------------------------------------------------------------------------------------ elementwise

    static Stream<Arguments> elementwise() {
        List<Arguments> out = new ArrayList<>();
        for (UnaryOp op : UnaryOp.values()) {
            for (UnaryCases.Case uc : UnaryCases.of(op)) {
                out.add(c("unary " + uc.label(), ELTWISE, (be, env) -> {
                    int n = 4099;
                    Tensor x = env.put(uc.inputs(env.rnd, n), n);
                    Tensor y = env.out(n);
                    be.unary(op, uc.a(), uc.b(), uc.c(), x, y);
                    env.keep("y", y);
                    Tensor dx = env.out(n);
                    be.unaryBackward(op, uc.a(), uc.b(), uc.c(), x, y, env.uniform(-2, 2, n), dx);
                    env.keep("dx", dx);
                }));
            }
        }
        out.add(c("unary large inputs", ELTWISE, (be, env) -> {
            float[] x = {-100f, -30f, -1e30f, 30f, 100f, 1e30f};
            for (UnaryOp op : new UnaryOp[] {UnaryOp.SIGMOID, UnaryOp.SOFTPLUS, UnaryOp.TANH, UnaryOp.SOFTSIGN,
                UnaryOp.HARD_SIGMOID, UnaryOp.ELU, UnaryOp.SELU}) {
                Tensor tx = env.put(x, x.length);
                Tensor y = env.out(x.length);
                be.unary(op, 1f, 0, 0, tx, y);
                env.keep(op + " y", y);
                Tensor dx = env.out(x.length);
                be.unaryBackward(op, 1f, 0, 0, tx, y, env.put(new float[] {1, 1, 1, 1, 1, 1}, x.length), dx);
                env.keep(op + " dx", dx);
            }
        }));
        out.add(c("unary above the parallel grain", ELTWISE, (be, env) -> {
            int n = 300_007;
            Tensor y = env.out(n);
            be.unary(UnaryOp.TANH, 0, 0, 0, env.uniform(-5, 5, n), y);
            env.keep("tanh", y);
        }));
        for (BinaryOp op : BinaryOp.values()) {
            out.add(c("binary " + op, ELTWISE, (be, env) -> {
                binary(be, env, op, "same shape", new long[] {3, 4}, contiguous(3, 4), contiguous(3, 4));
                binary(be, env, op, "(2,3,4) op (4,)", new long[] {2, 3, 4}, contiguous(2, 3, 4),
                        new long[] {0, 0, 1});
                binary(be, env, op, "(4,) op (2,3,4)", new long[] {2, 3, 4}, new long[] {0, 0, 1},
                        contiguous(2, 3, 4));
                binary(be, env, op, "(2,1,4) op (3,1)", new long[] {2, 3, 4}, new long[] {4, 0, 1},
                        new long[] {0, 1, 0});
                binary(be, env, op, "(3,4) op scalar", new long[] {3, 4}, contiguous(3, 4), new long[] {0, 0});
                binary(be, env, op, "(2,3,1) op (1,3,4)", new long[] {2, 3, 4}, new long[] {3, 1, 0},
                        new long[] {0, 4, 1});
                binary(be, env, op, "transposed a", new long[] {3, 4}, new long[] {1, 3}, contiguous(3, 4));
                binary(be, env, op, "both non-contiguous", new long[] {4, 3}, new long[] {1, 4}, new long[] {2, 8});
                binary(be, env, op, "rank 0", new long[] {}, new long[] {}, new long[] {});
                binary(be, env, op, "large (64,1024) op (1024,)", new long[] {64, 1024}, contiguous(64, 1024),
                        new long[] {0, 1});
                binary(be, env, op, "large (1024,64) op (1024,1)", new long[] {1024, 64}, contiguous(1024, 64),
                        new long[] {1, 0});
            }));
        }
        return out.stream();
    }

    /** out = a op b over shape; inputs in each op's domain, some pairs equal for the comparisons. */
    static void binary(Backend be, Env env, BinaryOp op, String pattern, long[] shape, long[] aStrides,
            long[] bStrides) {
        int na = Math.toIntExact(span(shape, aStrides));
        int nb = Math.toIntExact(span(shape, bStrides));
        float[] a = op == BinaryOp.POW ? env.floats(na, 0.1f, 3) : env.floats(na, -3, 3);
        float[] b = op == BinaryOp.DIV ? env.floats(nb, 0.5f, 3) : op == BinaryOp.POW ? env.floats(nb, -2, 2)
                : env.floats(nb, -3, 3);
        for (int i = 0; i < Math.min(na, nb); i += 3) {
            b[i] = op == BinaryOp.DIV ? Math.max(0.5f, Math.abs(a[i])) : op == BinaryOp.POW ? b[i] : a[i];
        }
        Tensor out = env.out(shape);
        be.binary(op, shape, env.put(a, na), aStrides, env.put(b, nb), bStrides, out);
        env.keep(pattern, out);
    }

    // ------------------------------------------------------------------------------------------------ reductions

    static final long[][] REDUCE_LAYOUTS = {{7, 33, 1}, {1, 1000, 1}, {8, 5000, 1}, {1, 100_000, 1}, {3, 1, 5},
        {5, 6, 9}, {1, 7, 4}, {4, 100, 100}, {2, 3, 2000}};

    static Stream<Arguments> reductions() {
        List<Arguments> out = new ArrayList<>();
        for (ReduceOp op : ReduceOp.values()) {
            for (boolean innerOne : new boolean[] {true, false}) {
                out.add(c("reduce " + op + (innerOne ? " inner == 1" : " inner > 1"), ELTWISE, (be, env) -> {
                    for (long[] l : REDUCE_LAYOUTS) {
                        if ((l[2] == 1) != innerOne) {
                            continue;
                        }
                        Tensor y = env.out(l[0], l[2]);
                        be.reduce(op, env.grid(l[0], l[1], l[2]), y, l[0], l[1], l[2]);
                        env.keep(Arrays.toString(l), y);
                    }
                }));
            }
        }
        for (long[] l : new long[][] {{1, 5, 1}, {3, 5, 1}, {64, 1000, 1}, {2, 3, 4}, {4, 1, 2}, {1, 4, 3},
            {2, 10, 2000}}) {
            out.add(c("softmax " + Arrays.toString(l), ELTWISE, (be, env) -> {
                Tensor x = env.uniform(-5, 5, l);
                Tensor y = env.out(l);
                be.softmax(x, y, l[0], l[1], l[2]);
                env.keep("y", y);
                Tensor dx = env.out(l);
                be.softmaxBackward(y, env.uniform(-2, 2, l), dx, l[0], l[1], l[2]);
                env.keep("dx", dx);
            }));
        }
        out.add(c("softmax of large logits", ELTWISE, (be, env) -> {
            Tensor y = env.out(2, 3);
            be.softmax(env.put(new float[] {1000f, 1001f, 999f, -1000f, -1001f, -999f}, 2, 3), y, 2, 3, 1);
            env.keep("y", y);
        }));
        return out.stream();
    }

    // ------------------------------------------------------------------------------------------------ gemm

    /** C = alpha op(A) op(B) + beta C per batch item; batch strides padded by `pad` elements, 0 where shared. */
    static Arguments gemmCase(boolean ta, boolean tb, int batch, int m, int n, int k, float alpha, float beta,
            boolean shareA, boolean shareB, int pad) {
        String name = "gemm ta=" + ta + " tb=" + tb + " batch=" + batch + " m=" + m + " n=" + n + " k=" + k
                + " alpha=" + alpha + " beta=" + beta + (shareA ? " shared A" : "") + (shareB ? " shared B" : "")
                + (pad > 0 ? " strides +" + pad : "");
        return c(name, HEAVY, (be, env) -> {
            long sa = shareA ? 0 : (long) m * k + pad;
            long sb = shareB ? 0 : (long) k * n + pad;
            long sc = (long) m * n + pad;
            Tensor a = env.uniform(-1, 1, Math.max(1, shareA ? m * k : batch * sa));
            Tensor b = env.uniform(-1, 1, Math.max(1, shareB ? k * n : batch * sb));
            Tensor cm = env.uniform(-1, 1, Math.max(1, batch * sc));
            be.gemm(ta, tb, batch, m, n, k, alpha, a, sa, b, sb, beta, cm, sc);
            env.keep("C", cm);
        });
    }

    static Stream<Arguments> gemm() {
        List<Arguments> out = new ArrayList<>();
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                out.add(gemmCase(ta, tb, 1, 5, 7, 6, 1f, 0f, false, false, 0));
                out.add(gemmCase(ta, tb, 3, 4, 5, 6, 0.7f, 0.3f, false, false, 0));
                out.add(gemmCase(ta, tb, 3, 4, 5, 6, 1f, 0f, true, false, 3));
                out.add(gemmCase(ta, tb, 3, 4, 5, 6, 1f, 1f, false, true, 5));
                out.add(gemmCase(ta, tb, 2, 33, 65, 17, -2f, 0.5f, false, false, 0));
                out.add(gemmCase(ta, tb, 1, 64, 128, 96, 1f, 0f, false, false, 0));
            }
        }
        out.add(c("gemm beta=0 ignores NaN in C", HEAVY, (be, env) -> {
            Tensor cm = env.put(new float[] {Float.NaN, Float.NaN, Float.NaN, Float.NaN}, 2, 2);
            be.gemm(false, false, 1, 2, 2, 2, 1f, env.uniform(-1, 1, 2, 2), 0, env.uniform(-1, 1, 2, 2), 0, 0f, cm, 4);
            env.keep("C", cm);
        }));
        out.add(c("gemm k=0 scales C by beta", HEAVY, (be, env) -> {
            Tensor cm = env.uniform(-1, 1, 2, 3);
            be.gemm(false, false, 1, 2, 3, 0, 1f, env.out(1), 0, env.out(1), 0, 0.5f, cm, 6);
            env.keep("C beta 0.5", cm);
            Tensor z = env.uniform(-1, 1, 2, 3);
            be.gemm(false, false, 1, 2, 3, 0, 1f, env.out(1), 0, env.out(1), 0, 0f, z, 6);
            env.keep("C beta 0", z);
        }));
        return out.stream();
    }

    // ------------------------------------------------------------------------------------------------ convolutions

    /** A convolution descriptor with its output sizes from the padding: floor((in + pb + pe - span) / s) + 1. */
    static ConvDesc conv(int spatial, boolean channelsFirst, long batch, long in, long out, long groups, long[] size,
            long[] k, long[] s, long[] d, long[] pb, long[] pe) {
        long[] o = new long[spatial];
        for (int i = 0; i < spatial; i++) {
            o[i] = Math.floorDiv(size[i] + pb[i] + pe[i] - d[i] * (k[i] - 1) - 1, s[i]) + 1;
            if (o[i] <= 0) {
                throw new IllegalArgumentException("bad test geometry on axis " + i);
            }
        }
        return new ConvDesc(spatial, channelsFirst, batch, in, out, groups, size, o, k, s, d, pb, pe);
    }

    static long[] l(long... v) {
        return v;
    }

    static String describe(ConvDesc d) {
        return d.spatial() + "D " + (d.channelsFirst() ? "cf" : "cl") + " N=" + d.batch() + " C=" + d.inChannels()
                + "->" + d.outChannels() + " g=" + d.groups() + " in=" + Arrays.toString(d.inSize()) + " k="
                + Arrays.toString(d.kernel()) + " s=" + Arrays.toString(d.stride()) + " d="
                + Arrays.toString(d.dilation()) + " pad=" + Arrays.toString(d.padBegin()) + "/"
                + Arrays.toString(d.padEnd());
    }

    static Stream<Arguments> convolutions() {
        record G(String what, ConvDesc d, boolean bias) {
        }
        List<G> forward = List.of(
            new G("", conv(1, false, 2, 3, 4, 1, l(9), l(3), l(1), l(1), l(0), l(0)), true),
            new G("same, pad_end = pad_begin + 1", conv(1, true, 2, 3, 5, 1, l(7), l(4), l(1), l(1), l(1), l(2)),
                    false),
            new G("causal, stride 2, dilation 2", conv(1, false, 2, 2, 3, 1, l(10), l(3), l(2), l(2), l(4), l(0)),
                    true),
            new G("groups 2, dilation 2", conv(2, false, 2, 4, 6, 2, l(7, 8), l(3, 3), l(1, 1), l(2, 2), l(0, 0),
                    l(0, 0)), false),
            new G("depthwise (groups == in), stride 2, same", conv(2, true, 2, 3, 6, 3, l(7, 8), l(3, 3), l(2, 2),
                    l(1, 1), l(1, 0), l(1, 1)), true),
            new G("same k=(4,2) dilation (1,2)", conv(2, false, 2, 3, 4, 1, l(6, 7), l(4, 2), l(1, 1), l(1, 2),
                    l(1, 1), l(2, 1)), true),
            new G("1x1 stride 2", conv(2, false, 3, 5, 7, 1, l(6, 5), l(1, 1), l(2, 2), l(1, 1), l(0, 0), l(0, 0)),
                    true),
            new G("groups 2, stride 2", conv(2, true, 2, 4, 4, 2, l(9, 8), l(3, 2), l(2, 2), l(1, 1), l(0, 0),
                    l(0, 0)), true),
            new G("larger, same", conv(2, false, 4, 16, 32, 1, l(12, 12), l(3, 3), l(1, 1), l(1, 1), l(1, 1),
                    l(1, 1)), true),
            new G("stride (1,2,1), same", conv(3, false, 2, 2, 3, 1, l(4, 5, 4), l(2, 3, 2), l(1, 2, 1),
                    l(1, 1, 1), l(0, 1, 0), l(1, 1, 1)), true),
            new G("groups 2, dilation (1,1,2)", conv(3, true, 2, 4, 2, 2, l(4, 4, 6), l(2, 2, 2), l(1, 1, 1),
                    l(1, 1, 2), l(0, 0, 0), l(0, 0, 0)), false),
            new G("depthwise (groups == in), same", conv(3, false, 1, 2, 4, 2, l(3, 4, 5), l(3, 3, 3), l(1, 1, 1),
                    l(1, 1, 1), l(1, 1, 1), l(1, 1, 1)), true));
        List<G> transposed = List.of(
            new G("stride 2", conv(1, false, 2, 3, 4, 1, l(9), l(3), l(2), l(1), l(1), l(1)), true),
            new G("stride 2, same, pad_end = pad_begin + 1", conv(2, true, 2, 3, 2, 1, l(8, 7), l(3, 3), l(2, 2),
                    l(1, 1), l(0, 1), l(1, 1)), false),
            new G("dilation 2", conv(2, false, 2, 2, 3, 1, l(7, 7), l(3, 3), l(1, 1), l(2, 2), l(2, 2), l(2, 2)),
                    true),
            // a negative pad_end (a cropped output): transposed convolutions with output_padding (conv.h)
            new G("stride 2, negative pad_end", conv(1, false, 2, 2, 3, 1, l(7), l(3), l(2), l(1), l(1), l(-1)),
                    true),
            new G("stride 2, negative pad_end", conv(2, false, 1, 2, 3, 1, l(6, 6), l(3, 3), l(2, 2), l(1, 1),
                    l(1, 1), l(-1, 0)), true),
            new G("stride 2, negative pad_end", conv(3, true, 1, 2, 2, 1, l(5, 6, 5), l(3, 3, 2), l(2, 2, 2),
                    l(1, 1, 1), l(1, 1, 0), l(-1, 0, -1)), false),
            new G("stride 2", conv(3, false, 2, 2, 3, 1, l(6, 6, 6), l(2, 2, 2), l(2, 2, 2), l(1, 1, 1),
                    l(0, 0, 0), l(0, 0, 0)), true),
            new G("channels_first, same", conv(3, true, 1, 3, 2, 1, l(4, 5, 4), l(3, 2, 3), l(1, 1, 1), l(1, 1, 1),
                    l(1, 0, 1), l(1, 1, 1)), false));
        List<Arguments> out = new ArrayList<>();
        for (G g : forward) {
            out.add(c("conv " + describe(g.d()) + (g.bias() ? " bias" : "") + " " + g.what(), HEAVY,
                    convolution(g.d(), g.bias(), false)));
        }
        for (G g : transposed) {
            ConvDesc d = g.d();
            out.add(c("convTranspose " + describe(d) + (g.bias() ? " bias" : "") + " " + g.what(), HEAVY,
                    (be, env) -> {
                        Tensor x = env.uniform(-1, 1, d.outputShape());
                        Tensor w = env.uniform(-0.5f, 0.5f, d.kernelShape());
                        Tensor b = g.bias() ? env.uniform(-0.5f, 0.5f, d.inChannels()) : null;
                        Tensor y = env.out(d.inputShape());
                        be.convTransposeForward(d, x, w, b, y);
                        env.keep("y", y);
                    }));
        }
        return out.stream();
    }

    /**
     * Forward, backward-data and backward-weights passes of d; with cropped, the same computed on the input cropped
     * where pad_end < 0 (see {@link #cropped}), the gradient of the cropped elements being 0.
     */
    static Run convolution(ConvDesc d, boolean bias, boolean cropped) {
        return (be, env) -> {
            Tensor x = env.uniform(-1, 1, d.inputShape());
            Tensor w = env.uniform(-0.5f, 0.5f, d.kernelShape());
            Tensor b = bias ? env.uniform(-0.5f, 0.5f, d.outChannels()) : null;
            Tensor dy = env.uniform(-1, 1, d.outputShape());
            Tensor y = env.out(d.outputShape());
            Tensor dx = env.out(d.inputShape());
            Tensor dw = env.out(d.kernelShape());
            Tensor db = bias ? env.out(d.outChannels()) : null;
            if (cropped) {
                ConvDesc c = cropped(d);
                Tensor xc = env.out(c.inputShape());
                be.copyStrided(c.inputShape(), x, 0, contiguous(d.inputShape()), xc, 0, contiguous(c.inputShape()));
                be.convForward(c, xc, w, b, y);
                Tensor dxc = env.out(c.inputShape());
                be.convBackwardData(c, dy, w, dxc);
                be.fill(dx, 0f);
                be.copyStrided(c.inputShape(), dxc, 0, contiguous(c.inputShape()), dx, 0, contiguous(d.inputShape()));
                be.convBackwardWeights(c, xc, dy, dw, db);
            } else {
                be.convForward(d, x, w, b, y);
                be.convBackwardData(d, dy, w, dx);
                be.convBackwardWeights(d, x, dy, dw, db);
            }
            env.keep("y", y);
            env.keep("dx", dx);
            env.keep("dw", dw);
            env.keep("db", db);
        };
    }

    /** d with its input cropped where pad_end < 0 (the elements no window reaches), pad_end 0 there: same windows. */
    static ConvDesc cropped(ConvDesc d) {
        long[] in = d.inSize().clone();
        long[] pe = d.padEnd().clone();
        for (int i = 0; i < d.spatial(); i++) {
            if (pe[i] < 0) {
                in[i] += pe[i];
                pe[i] = 0;
            }
        }
        return new ConvDesc(d.spatial(), d.channelsFirst(), d.batch(), d.inChannels(), d.outChannels(), d.groups(),
                in, d.outSize(), d.kernel(), d.stride(), d.dilation(), d.padBegin(), pe);
    }

    /** Stride-2 convolutions with a negative pad_end, whose transposed convolution the CPU backend runs. */
    static Stream<Arguments> negativePadEndStride2() {
        return Stream.of(
            negative(conv(1, false, 2, 2, 3, 1, l(7), l(3), l(2), l(1), l(1), l(-1)), true),
            negative(conv(2, false, 1, 2, 3, 1, l(6, 6), l(3, 3), l(2, 2), l(1, 1), l(1, 1), l(-1, 0)), false),
            negative(conv(3, true, 1, 2, 2, 1, l(5, 6, 5), l(3, 3, 2), l(2, 2, 2), l(1, 1, 1), l(1, 1, 0),
                    l(-1, 0, -1)), true));
    }

    static Arguments negative(ConvDesc d, boolean bias) {
        return Arguments.of("conv " + describe(d) + (bias ? " bias" : ""), d, bias);
    }

    /** Convolutions with a negative pad_end (a cropped input), which the CPU backend's convolution refuses. */
    static Stream<Arguments> negativePadEnd() {
        return Stream.concat(negativePadEndStride2(), Stream.of(
            negative(conv(2, false, 2, 3, 4, 1, l(6, 6), l(3, 2), l(1, 1), l(1, 1), l(1, 0), l(-1, -1)), false),
            negative(conv(3, true, 1, 2, 3, 1, l(5, 4, 4), l(2, 2, 3), l(2, 1, 1), l(1, 1, 1), l(0, 1, 1),
                    l(-1, 0, -1)), true)));
    }

    /**
     * The device's convolution passes with a negative pad_end against the CPU's on the cropped input (the CPU
     * backend refuses the descriptor itself, so in the CPU-against-CPU mode there is nothing to compare).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("negativePadEnd")
    void convolutionWithANegativePadEnd(String name, ConvDesc d, boolean bias) {
        assumeFalse(ParityHarness.cpuReferenceMode(), "the CPU backend's convolution refuses a negative pad_end");
        compare(name, HEAVY, run(ref, name, convolution(d, bias, true)), run(dut, name, convolution(d, bias, false)));
    }

    /**
     * The cropped reference of {@link #convolutionWithANegativePadEnd} checked where the CPU takes a negative
     * pad_end: its backward-data pass against the CPU's transposed convolution (the same product) of d itself.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("negativePadEndStride2")
    void theCroppedReferenceMatchesTheTransposedConvolution(String name, ConvDesc d, boolean bias) {
        ConvDesc c = cropped(d);
        Run direct = (be, env) -> {
            Tensor x = env.uniform(-1, 1, d.outputShape());
            Tensor w = env.uniform(-0.5f, 0.5f, d.kernelShape());
            Tensor y = env.out(d.inputShape());
            be.convTransposeForward(d, x, w, null, y);
            env.keep("y", y);
        };
        Run viaCrop = (be, env) -> {
            Tensor x = env.uniform(-1, 1, d.outputShape());
            Tensor w = env.uniform(-0.5f, 0.5f, d.kernelShape());
            Tensor yc = env.out(c.inputShape());
            be.convBackwardData(c, x, w, yc);
            Tensor y = env.out(d.inputShape());
            be.fill(y, 0f);
            be.copyStrided(c.inputShape(), yc, 0, contiguous(c.inputShape()), y, 0, contiguous(d.inputShape()));
            env.keep("y", y);
        };
        compare(name, HEAVY, run(ref, name, direct), run(ref, name, viaCrop));
    }

    // ------------------------------------------------------------------------------------------------ pooling

    static PoolDesc pool(int spatial, boolean channelsFirst, PoolDesc.Algorithm alg, long batch, long channels,
            long[] size, long[] k, long[] s, long[] pb, long[] pe) {
        long[] o = new long[spatial];
        for (int i = 0; i < spatial; i++) {
            o[i] = (size[i] + pb[i] + pe[i] - k[i]) / s[i] + 1;
        }
        return new PoolDesc(spatial, channelsFirst, alg, batch, channels, size, o, k, s, pb, pe);
    }

    static Stream<Arguments> pooling() {
        List<Arguments> out = new ArrayList<>();
        for (PoolDesc.Algorithm alg : PoolDesc.Algorithm.values()) {
            List<PoolDesc> geometries = List.of(
                pool(1, false, alg, 2, 3, l(9), l(2), l(2), l(0), l(0)),
                pool(1, true, alg, 2, 3, l(8), l(3), l(2), l(0), l(1)),
                pool(2, false, alg, 2, 3, l(5, 6), l(3, 3), l(1, 1), l(1, 1), l(1, 1)),
                pool(2, true, alg, 2, 2, l(7, 8), l(2, 3), l(2, 2), l(0, 0), l(1, 1)),
                pool(2, false, alg, 2, 3, l(4, 5), l(4, 5), l(1, 1), l(0, 0), l(0, 0)),
                pool(2, false, alg, 4, 16, l(16, 16), l(2, 2), l(2, 2), l(0, 0), l(0, 0)),
                pool(3, false, alg, 2, 2, l(4, 5, 4), l(2, 2, 2), l(2, 2, 2), l(0, 0, 0), l(0, 0, 0)),
                pool(3, true, alg, 2, 3, l(5, 4, 5), l(3, 2, 2), l(2, 1, 2), l(1, 0, 0), l(1, 1, 1)));
            for (PoolDesc d : geometries) {
                String name = "pool " + alg + " " + d.spatial() + "D " + (d.channelsFirst() ? "cf" : "cl") + " in="
                        + Arrays.toString(d.inSize()) + " k=" + Arrays.toString(d.kernel()) + " s="
                        + Arrays.toString(d.stride()) + " pad=" + Arrays.toString(d.padBegin()) + "/"
                        + Arrays.toString(d.padEnd());
                out.add(c(name, ELTWISE, (be, env) -> {
                    Tensor x = env.uniform(-1, 1, d.inputShape());
                    Tensor inference = env.out(d.outputShape());
                    be.poolForward(d, x, inference, null);
                    env.keep("y (inference)", inference);
                    long bytes = be.poolWorkspaceBytes(d);
                    Tensor ws = bytes == 0 ? null : Tensor.empty(be, DType.INT32, (bytes + 3) / 4);
                    Tensor y = env.out(d.outputShape());
                    be.poolForward(d, x, y, ws);
                    env.keep("y", y);
                    Tensor dx = env.out(d.inputShape());
                    be.poolBackward(d, x, y, env.uniform(-1, 1, d.outputShape()), ws, dx);
                    env.keep("dx", dx);
                }));
            }
        }
        // many ties: max pooling's gradient goes to the first maximal element of each window (PoolDesc)
        for (PoolDesc d : List.of(
                pool(2, false, PoolDesc.Algorithm.MAX, 2, 3, l(6, 7), l(3, 3), l(1, 2), l(1, 1), l(1, 1)),
                pool(3, true, PoolDesc.Algorithm.MAX, 1, 2, l(4, 5, 4), l(2, 3, 2), l(1, 2, 2), l(0, 1, 0),
                        l(1, 1, 1)))) {
            out.add(c("pool MAX with ties " + d.spatial() + "D " + (d.channelsFirst() ? "cf" : "cl"), ELTWISE,
                    (be, env) -> {
                        float[] v = new float[size(d.inputShape())];
                        for (int i = 0; i < v.length; i++) {
                            v[i] = env.rnd.nextInt(3);
                        }
                        Tensor x = env.put(v, d.inputShape());
                        long bytes = be.poolWorkspaceBytes(d);
                        Tensor ws = bytes == 0 ? null : Tensor.empty(be, DType.INT32, (bytes + 3) / 4);
                        Tensor y = env.out(d.outputShape());
                        be.poolForward(d, x, y, ws);
                        env.keep("y", y);
                        Tensor dx = env.out(d.inputShape());
                        be.poolBackward(d, x, y, env.uniform(-1, 1, d.outputShape()), ws, dx);
                        env.keep("dx", dx);
                    }));
        }
        return out.stream();
    }

    static Stream<Arguments> resizing() {
        List<Arguments> out = new ArrayList<>();
        for (boolean cf : new boolean[] {false, true}) {
            for (boolean half : new boolean[] {true, false}) {
                for (long[] g : new long[][] {{3, 4, 7, 9}, {8, 6, 3, 4}, {4, 4, 8, 8}}) {
                    String name = "resizeBilinear " + (cf ? "channels_first" : "channels_last")
                            + (half ? " half-pixel" : " TF1") + " " + g[0] + "x" + g[1] + " -> " + g[2] + "x" + g[3];
                    long[] in = cf ? l(2, 3, g[0], g[1]) : l(2, g[0], g[1], 3);
                    long[] o = cf ? l(2, 3, g[2], g[3]) : l(2, g[2], g[3], 3);
                    out.add(c(name, ELTWISE, (be, env) -> {
                        Tensor y = env.out(o);
                        be.resizeBilinear(env.uniform(-1, 1, in), y, cf, half);
                        env.keep("y", y);
                        Tensor dx = env.out(in);
                        be.resizeBilinearBackward(env.uniform(-1, 1, o), dx, cf, half);
                        env.keep("dx", dx);
                    }));
                }
            }
        }
        return out.stream();
    }

    // ------------------------------------------------------------------------------------------------ recurrences

    static final float[] NO_PARAMS = {0, 0, 0};
    static final float[] RELU_PARAMS = {0, Float.NaN, 0};

    static RnnDesc rnn(RnnDesc.Cell cell, long n, long t, long h, boolean back, UnaryOp act, UnaryOp rec) {
        return new RnnDesc(cell, n, t, h, back, act, act == UnaryOp.RELU ? RELU_PARAMS : NO_PARAMS,
                cell == RnnDesc.Cell.SIMPLE ? UnaryOp.LINEAR : rec, NO_PARAMS);
    }

    /** Steps 0/1 per sample: all valid; a masked middle; masked leading steps (Keras keeps the states there). */
    static float[] mask(int n, int t) {
        float[] m = new float[n * t];
        Arrays.fill(m, 1f);
        m[t + 1] = 0;
        m[t + 3] = 0;
        if (n > 2) {
            m[2 * t] = 0;
            m[2 * t + 1] = 0;
        }
        return m;
    }

    /** The variants of a recurrence: which optional inputs are given and which output gradients are null. */
    enum RnnVariant {
        STATES(true, true, false, false, true, true),
        MASKED(true, true, true, false, true, true),
        MASKED_BACKWARDS_NO_STATES(false, false, true, true, true, false),
        BACKWARDS(true, true, false, true, false, true);

        final boolean recBias;
        final boolean states;
        final boolean mask;
        final boolean backwards;
        final boolean dSequence;
        final boolean dLast;

        RnnVariant(boolean recBias, boolean states, boolean mask, boolean backwards, boolean dSequence,
                boolean dLast) {
            this.recBias = recBias;
            this.states = states;
            this.mask = mask;
            this.backwards = backwards;
            this.dSequence = dSequence;
            this.dLast = dLast;
        }
    }

    static Stream<Arguments> recurrences() {
        List<Arguments> out = new ArrayList<>();
        int n = 3, t = 5, h = 4;
        for (RnnDesc.Cell cell : RnnDesc.Cell.values()) {
            for (UnaryOp[] acts : new UnaryOp[][] {{UnaryOp.TANH, UnaryOp.SIGMOID},
                {UnaryOp.RELU, UnaryOp.HARD_SIGMOID}}) {
                for (RnnVariant v : RnnVariant.values()) {
                    RnnDesc d = rnn(cell, n, t, h, v.backwards, acts[0], acts[1]);
                    String name = "rnn " + cell + " " + acts[0] + (cell == RnnDesc.Cell.SIMPLE ? "" : "/" + acts[1])
                            + " " + v;
                    out.add(c(name, HEAVY, (be, env) -> {
                        boolean lstm = cell == RnnDesc.Cell.LSTM;
                        long gh = d.gateUnits();
                        Tensor xw = env.uniform(-1, 1, n, t, gh);
                        Tensor u = env.uniform(-0.5f, 0.5f, h, gh);
                        Tensor rb = v.recBias ? env.uniform(-0.5f, 0.5f, gh) : null;
                        Tensor h0 = v.states ? env.uniform(-0.5f, 0.5f, n, h) : null;
                        Tensor c0 = v.states && lstm ? env.uniform(-0.5f, 0.5f, n, h) : null;
                        Tensor m = v.mask ? env.put(mask(n, t), n, t) : null;
                        Tensor ws = Tensor.empty(be, DType.FLOAT32, Math.max(1, be.rnnWorkspaceFloats(d)));
                        Tensor seq = env.out(n, t, h);
                        Tensor lastH = env.out(n, h);
                        Tensor lastC = lstm ? env.out(n, h) : null;
                        be.rnnForward(d, xw, u, rb, h0, c0, m, seq, lastH, lastC, ws);
                        env.keep("sequence", seq);
                        env.keep("lastH", lastH);
                        env.keep("lastC", lastC);
                        Tensor dSeq = v.dSequence ? env.uniform(-1, 1, n, t, h) : null;
                        Tensor dLastH = v.dLast ? env.uniform(-1, 1, n, h) : null;
                        Tensor dLastC = v.dLast && lstm ? env.uniform(-1, 1, n, h) : null;
                        Tensor dxw = env.out(n, t, gh);
                        Tensor du = env.out(h, gh);
                        Tensor drb = rb != null ? env.out(gh) : null;
                        Tensor dh0 = env.out(n, h);
                        Tensor dc0 = c0 != null ? env.out(n, h) : null;
                        be.rnnBackward(d, u, m, ws, dSeq, dLastH, dLastC, dxw, du, drb, dh0, dc0);
                        env.keep("dxw", dxw);
                        env.keep("dRecurrentKernel", du);
                        env.keep("dRecBias", drb);
                        if (h0 != null) {
                            env.keep("dh0", dh0);
                        }
                        env.keep("dc0", dc0);
                    }));
                }
            }
        }
        return out.stream();
    }

    // ------------------------------------------------------------------------------------------------ fused rnn

    static final int FN = 3, FT = 6, FI = 5, FH = 4;

    /** The fused recurrences the backends may serve, in the variants of their optional inputs. */
    static Stream<Arguments> fusedCases() {
        List<Arguments> out = new ArrayList<>();
        RnnDesc[] descs = {
            rnn(RnnDesc.Cell.LSTM, FN, FT, FH, false, UnaryOp.TANH, UnaryOp.SIGMOID),
            rnn(RnnDesc.Cell.GRU_RESET_AFTER, FN, FT, FH, false, UnaryOp.TANH, UnaryOp.SIGMOID),
            rnn(RnnDesc.Cell.GRU, FN, FT, FH, false, UnaryOp.TANH, UnaryOp.SIGMOID),
            rnn(RnnDesc.Cell.SIMPLE, FN, FT, FH, false, UnaryOp.TANH, UnaryOp.LINEAR),
            rnn(RnnDesc.Cell.SIMPLE, FN, FT, FH, false, UnaryOp.RELU, UnaryOp.LINEAR)};
        for (RnnDesc base : descs) {
            for (String variant : new String[] {"full", "bare backwards", "inference"}) {
                boolean back = variant.equals("bare backwards");
                RnnDesc d = new RnnDesc(base.cell(), FN, FT, FH, back, base.activation(), base.activationParams(),
                        base.recurrentActivation(), base.recurrentActivationParams());
                out.add(Arguments.of("rnnFused " + d.cell() + " " + d.activation() + "/" + d.recurrentActivation()
                        + " " + variant, d, variant));
            }
        }
        return out.stream();
    }

    /**
     * The fused recurrence on x (N, T, I) with its gradients; where be has no fused path for d (or composed is set)
     * the same from its parts: xw = x.kernel + bias by gemm, rnnForward / rnnBackward, and the gradients of x, the
     * kernel and the bias by gemm and a reduction.
     */
    static Run fused(RnnDesc d, String variant, boolean composed) {
        return (be, env) -> {
            boolean full = variant.equals("full");
            boolean training = !variant.equals("inference");
            boolean lstm = d.cell() == RnnDesc.Cell.LSTM;
            long gh = d.gateUnits();
            long nt = (long) FN * FT;
            Tensor x = env.uniform(-1, 1, FN, FT, FI);
            Tensor k = env.uniform(-0.5f, 0.5f, FI, gh);
            Tensor bias = env.uniform(-0.5f, 0.5f, gh);
            Tensor u = env.uniform(-0.5f, 0.5f, FH, gh);
            Tensor rb = full ? env.uniform(-0.5f, 0.5f, gh) : null;
            Tensor h0 = full ? env.uniform(-0.5f, 0.5f, FN, FH) : null;
            Tensor c0 = full && lstm ? env.uniform(-0.5f, 0.5f, FN, FH) : null;
            Tensor dSeq = env.uniform(-1, 1, FN, FT, FH);
            Tensor dLastH = env.uniform(-1, 1, FN, FH);
            Tensor dLastC = lstm ? env.uniform(-1, 1, FN, FH) : null;
            Tensor seq = env.out(FN, FT, FH);
            Tensor lastH = env.out(FN, FH);
            Tensor lastC = lstm ? env.out(FN, FH) : null;
            Tensor dx = env.out(FN, FT, FI);
            Tensor dk = env.out(FI, gh);
            Tensor dBias = env.out(gh);
            Tensor du = env.out(FH, gh);
            Tensor drb = rb != null ? env.out(gh) : null;
            Tensor dh0 = env.out(FN, FH);
            Tensor dc0 = c0 != null ? env.out(FN, FH) : null;
            if (composed || !be.rnnFusedSupported(d)) {
                Tensor xw = env.out(FN, FT, gh);
                be.copyStrided(new long[] {nt, gh}, bias, 0, new long[] {0, 1}, xw, 0, new long[] {gh, 1});
                be.gemm(false, false, 1, nt, gh, FI, 1f, x, 0, k, 0, 1f, xw, 0);
                Tensor ws = Tensor.empty(be, DType.FLOAT32, Math.max(1, be.rnnWorkspaceFloats(d)));
                be.rnnForward(d, xw, u, rb, h0, c0, null, seq, lastH, lastC, ws);
                if (training) {
                    Tensor dxw = env.out(FN, FT, gh);
                    be.rnnBackward(d, u, null, ws, dSeq, dLastH, dLastC, dxw, du, drb, dh0, dc0);
                    be.gemm(false, true, 1, nt, FI, gh, 1f, dxw, 0, k, 0, 0f, dx, 0);
                    be.gemm(true, false, 1, FI, gh, nt, 1f, x, 0, dxw, 0, 0f, dk, 0);
                    be.reduce(ReduceOp.SUM, dxw, dBias, 1, nt, gh);
                }
            } else {
                Tensor ws = training ? Tensor.empty(be, DType.INT32,
                        Math.max(1, (be.rnnFusedWorkspaceBytes(d, FI) + 3) / 4)) : null;
                be.rnnFusedForward(d, x, k, bias, u, rb, h0, c0, seq, lastH, lastC, ws);
                if (training) {
                    be.rnnFusedBackward(d, x, k, bias, u, rb, h0, c0, ws, dSeq, dLastH, dLastC, dx, dk, dBias, du,
                            drb, dh0, dc0);
                }
            }
            env.keep("sequence", seq);
            env.keep("lastH", lastH);
            env.keep("lastC", lastC);
            if (training) {
                env.keep("dx", dx);
                env.keep("dKernel", dk);
                env.keep("dBias", dBias);
                env.keep("dRecurrentKernel", du);
                env.keep("dRecBias", drb);
                if (h0 != null) {
                    env.keep("dh0", dh0);
                }
                env.keep("dc0", dc0);
            }
        };
    }

    /** The device's fused recurrence against the CPU's (fused where the CPU has it, else composed). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("fusedCases")
    void rnnFused(String name, RnnDesc d, String variant) {
        assumeTrue(dut.rnnFusedSupported(d), () -> dut.name() + " has no fused path for " + name);
        compare(name, HEAVY, run(ref, name, fused(d, variant, false)), run(dut, name, fused(d, variant, false)));
    }

    /** The reference's two ways agree where it has a fused path: checks the composed reference used elsewhere. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("fusedCases")
    void rnnFusedAgreesWithTheComposedReference(String name, RnnDesc d, String variant) {
        assumeTrue(ref.rnnFusedSupported(d), () -> "the CPU has no fused path for " + name);
        compare(name, HEAVY, run(ref, name, fused(d, variant, true)), run(ref, name, fused(d, variant, false)));
    }

    // ------------------------------------------------------------------------------------------------ random

    static Stream<Arguments> random() {
        List<Arguments> out = new ArrayList<>();
        long[][] seeds = {{0, 0}, {0x1234_5678_9abc_def0L, (1L << 32) - 3}, {42, 1_000_000}};
        for (String kind : new String[] {"uniform", "normal", "truncatedNormal"}) {
            for (long[] so : seeds) {
                for (int n : new int[] {1000, 100_003}) {
                    out.add(c("random " + kind + " seed=" + so[0] + " offset=" + so[1] + " n=" + n, 0, (be, env) -> {
                        Tensor t = env.out(n);
                        switch (kind) {
                            case "uniform" -> be.randomUniform(t, so[0], so[1], -1.5f, 2.5f);
                            case "normal" -> be.randomNormal(t, so[0], so[1], 0.5f, 2f);
                            default -> be.randomTruncatedNormal(t, so[0], so[1], 0.5f, 2f);
                        }
                        env.keepExact(kind, t);
                    }));
                }
            }
        }
        return out.stream();
    }

    // ------------------------------------------------------------------------------------------------ optimizers

    static Stream<Arguments> optimizers() {
        List<Arguments> out = new ArrayList<>();
        int n = 10_007;
        for (float momentum : new float[] {0f, 0.9f}) {
            for (boolean nesterov : momentum == 0 ? new boolean[] {false} : new boolean[] {false, true}) {
                out.add(c("sgdUpdate momentum=" + momentum + " nesterov=" + nesterov, ELTWISE, (be, env) -> {
                    Tensor w = env.uniform(-1, 1, n);
                    Tensor v = momentum == 0 ? null : env.uniform(-0.1f, 0.1f, n);
                    for (int step = 0; step < 3; step++) {
                        be.sgdUpdate(w, env.uniform(-1, 1, n), v, 0.05f, momentum, nesterov);
                    }
                    env.keep("w", w);
                    env.keep("velocity", v);
                }));
            }
        }
        out.add(c("adamUpdate", ELTWISE, (be, env) -> {
            float lr = 0.01f, beta1 = 0.9f, beta2 = 0.999f, eps = 1e-7f;
            Tensor w = env.uniform(-1, 1, n);
            Tensor m = env.put(new float[n], n);
            Tensor v = env.put(new float[n], n);
            for (int t = 1; t <= 3; t++) {
                float lrT = (float) (lr * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t)));
                be.adamUpdate(w, env.uniform(-1, 1, n), m, v, lrT, beta1, beta2, eps);
            }
            env.keep("w", w);
            env.keep("m", m);
            env.keep("v", v);
        }));
        return out.stream();
    }

    // ------------------------------------------------------------------------------------------------ indices

    static Stream<Arguments> indices() {
        return Stream.of(
            c("oneHot", 0, (be, env) -> {
                Tensor out = env.out(50, 7);
                be.oneHot(env.putInts(env.ints(50, 7), 50), out, 7);
                env.keepExact("one-hot", out);
            }),
            c("argmax with ties", 0, (be, env) -> {
                int rows = 200, n = 9;
                float[] x = new float[rows * n];
                for (int i = 0; i < x.length; i++) {
                    x[i] = env.rnd.nextInt(4);
                }
                Tensor idx = env.outInts(rows);
                be.argmax(env.put(x, rows, n), idx, rows, n);
                env.keep("argmax", idx);
                Tensor one = env.outInts(3);
                be.argmax(env.put(new float[] {5, -1, 2}, 3, 1), one, 3, 1);
                env.keep("argmax n=1", one);
                Tensor wide = env.outInts(3);
                be.argmax(env.uniform(-1, 1, 3, 5000), wide, 3, 5000);
                env.keep("argmax n=5000", wide);
            }),
            c("gatherRows with repeated ids", 0, (be, env) -> {
                Tensor table = env.uniform(-1, 1, 11, 6);
                int[] ids = env.ints(20, 11);
                ids[3] = ids[0];
                ids[19] = 10;
                Tensor out = env.out(20, 6);
                be.gatherRows(table, env.putInts(ids, 20), out);
                env.keepExact("rows", out);
            }),
            c("gatherRows refuses an out-of-range id and writes nothing", 0, (be, env) -> {
                Tensor table = env.uniform(-1, 1, 11, 6);
                for (int[] bad : new int[][] {{1, 11, 0}, {2, -1, 3}}) {
                    Tensor out = env.out(3, 6);
                    Tensor ids = env.putInts(bad, 3);
                    assertThrows(NativeException.class, () -> be.gatherRows(table, ids, out),
                            be.name() + ": id " + bad[1] + " of a table of 11 rows");
                    float[] sentinels = new float[18];
                    Arrays.fill(sentinels, SENTINEL);
                    assertArrayEquals(sentinels, out.toFloatArray(), be.name() + ": out must be left unwritten");
                    env.keepExact("out after id " + bad[1], out);
                }
                Tensor ok = env.out(2, 6);
                be.gatherRows(table, env.putInts(new int[] {10, 0}, 2), ok);
                env.keepExact("a gather after the failures", ok);
            }),
            c("scatterAddRows with repeated ids", ELTWISE, (be, env) -> {
                Tensor table = env.grid(8, 5);
                int[] ids = env.ints(300, 8);
                ids[1] = ids[0];
                ids[2] = ids[0];
                be.scatterAddRows(env.grid(300, 5), env.putInts(ids, 300), table);
                env.keep("table", table);
            }));
    }

    // ------------------------------------------------------------------------------------------------ devices

    /** A tensor of the other device is refused with IllegalArgumentException, never read: nothing crashes. */
    @Test
    void aTensorOfTheOtherDeviceIsRefused() {
        assumeFalse(ParityHarness.cpuReferenceMode(), "needs a second device");
        try (Scope s = Scope.open()) {
            float[] data = {0.1f, -0.2f, 0.3f, -0.4f};
            float[] sentinels = {SENTINEL, SENTINEL, SENTINEL, SENTINEL};
            Tensor onHost = ParityHarness.host(data, 2, 2);
            Tensor onDevice = onHost.to(ParityHarness.device());
            Tensor hostOut = ParityHarness.host(sentinels, 2, 2);
            Tensor deviceOut = hostOut.to(ParityHarness.device());
            for (Backend[] pair : new Backend[][] {{dut, ref}, {ref, dut}}) {
                Backend be = pair[0];
                Tensor mine = be == ref ? onHost : onDevice;
                Tensor theirs = be == ref ? onDevice : onHost;
                Tensor myOut = be == ref ? hostOut : deviceOut;
                Tensor theirOut = be == ref ? deviceOut : hostOut;
                String who = be.name() + " given a tensor on " + theirs.device();
                assertThrows(IllegalArgumentException.class, () -> be.unary(UnaryOp.TANH, 0, 0, 0, theirs, myOut),
                        who + " as input");
                assertThrows(IllegalArgumentException.class, () -> be.unary(UnaryOp.TANH, 0, 0, 0, mine, theirOut),
                        who + " as output");
                assertThrows(IllegalArgumentException.class, () -> be.fill(theirOut, 1f), who + ": fill");
                assertThrows(IllegalArgumentException.class, () -> be.read(theirs, new float[4]), who + ": read");
                assertThrows(IllegalArgumentException.class, () -> be.gemm(false, false, 1, 2, 2, 2, 1f, mine, 0,
                        theirs, 0, 0f, myOut, 0), who + ": gemm");
                ConvDesc d = conv(2, false, 1, 1, 1, 1, l(2, 2), l(1, 1), l(1, 1), l(1, 1), l(0, 0), l(0, 0));
                assertThrows(IllegalArgumentException.class, () -> be.convForward(d, theirs,
                        ParityHarness.copyTo(ParityHarness.host(new float[] {1}, 1, 1, 1, 1), be), null, myOut),
                        who + ": convForward");
            }
            assertArrayEquals(sentinels, hostOut.toFloatArray(), "the host output was written");
            assertArrayEquals(sentinels, deviceOut.toFloatArray(), "the device output was written");
            dut.unary(UnaryOp.NEG, 0, 0, 0, onDevice, deviceOut);
            assertArrayEquals(new float[] {-0.1f, 0.2f, -0.3f, 0.4f}, deviceOut.toFloatArray(),
                    "the device still computes after the refusals");
        }
    }
}
