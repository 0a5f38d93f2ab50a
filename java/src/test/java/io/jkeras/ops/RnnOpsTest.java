package io.jkeras.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.backend.UnaryOp;
import io.jkeras.ops.GradientCheckTest.Case;
import io.jkeras.ops.GradientCheckTest.In;
import io.jkeras.ops.RnnOps.Act;
import io.jkeras.ops.RnnOps.Cell;
import io.jkeras.ops.RnnOps.Result;
import io.jkeras.tensor.Scope;
import io.jkeras.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link RnnOps#recurrence} against a slow, obviously correct double-precision loop of Keras 2's formulas
 * (backend.rnn's masking included), and its gradients against central differences.
 */
class RnnOpsTest {

    // ------------------------------------------------------------------------------------ the reference loop

    static double f(Act a, double x) {
        return switch (a.op()) {
            case LINEAR -> x;
            case TANH -> Math.tanh(x);
            case SIGMOID -> 1 / (1 + Math.exp(-x));
            case HARD_SIGMOID -> Math.min(1, Math.max(0, 0.2 * x + 0.5));
            case RELU -> {
                double pos = x > a.c() ? x : 0;
                if (!Float.isNaN(a.b())) {
                    pos = Math.min(Math.max(pos, 0), a.b());
                }
                if (a.a() != 0) {
                    pos -= a.a() * Math.max(a.c() - x, 0);
                }
                yield pos;
            }
            case ELU -> x > 0 ? x : a.a() * Math.expm1(x);
            case SOFTSIGN -> x / (1 + Math.abs(x));
            case SOFTPLUS -> Math.log1p(Math.exp(x));
            case EXP -> Math.exp(x);
            default -> throw new IllegalArgumentException("reference has no " + a.op());
        };
    }

    /** The inputs of one recurrence, as float arrays (null where absent). */
    record Inputs(Cell cell, int n, int t, int h, float[] xw, float[] u, float[] bias, float[] h0, float[] c0,
            float[] mask, Act act, Act ract, boolean back) {
        int gh() {
            return cell.gates() * h;
        }
    }

    /** seq (N*T*H), lastH (N*H), lastC (N*H or null), in double. */
    static double[][] reference(Inputs in) {
        int n = in.n, tt = in.t, h = in.h, gh = in.gh();
        double[] seq = new double[n * tt * h];
        double[] lastH = new double[n * h];
        double[] lastC = in.cell == Cell.LSTM ? new double[n * h] : null;
        for (int b = 0; b < n; b++) {
            double[] hs = new double[h];
            double[] cs = new double[h];
            double[] out = new double[h];
            for (int j = 0; j < h; j++) {
                hs[j] = in.h0 == null ? 0 : in.h0[b * h + j];
                cs[j] = in.c0 == null ? 0 : in.c0[b * h + j];
            }
            for (int s = 0; s < tt; s++) {
                int t = in.back ? tt - 1 - s : s;
                boolean valid = in.mask == null || in.mask[b * tt + t] != 0;
                if (valid) {
                    double[] x = new double[gh];
                    for (int k = 0; k < gh; k++) {
                        x[k] = in.xw[(b * tt + t) * gh + k];
                    }
                    double[] hn = new double[h];
                    double[] cn = new double[h];
                    step(in, x, hs, cs, hn, cn);
                    hs = hn;
                    cs = cn;
                    out = hn.clone();
                }
                for (int j = 0; j < h; j++) {
                    seq[(b * tt + s) * h + j] = out[j];
                }
            }
            for (int j = 0; j < h; j++) {
                lastH[b * h + j] = hs[j];
                if (lastC != null) {
                    lastC[b * h + j] = cs[j];
                }
            }
        }
        return new double[][] {seq, lastH, lastC};
    }

    /** vec . U[:, from .. from + h) (+ bias[from ..]). */
    static double[] dot(Inputs in, double[] vec, int from, boolean withBias) {
        int h = in.h, gh = in.gh();
        double[] r = new double[h];
        for (int j = 0; j < h; j++) {
            double acc = withBias && in.bias != null ? in.bias[from + j] : 0;
            for (int k = 0; k < h; k++) {
                acc += vec[k] * in.u[k * gh + from + j];
            }
            r[j] = acc;
        }
        return r;
    }

    static void step(Inputs in, double[] x, double[] hp, double[] cp, double[] hn, double[] cn) {
        int h = in.h;
        switch (in.cell) {
            case SIMPLE -> {
                double[] r = dot(in, hp, 0, true);
                for (int j = 0; j < h; j++) {
                    hn[j] = f(in.act, x[j] + r[j]);
                }
            }
            case LSTM -> {
                double[] ri = dot(in, hp, 0, true);
                double[] rf = dot(in, hp, h, true);
                double[] rc = dot(in, hp, 2 * h, true);
                double[] ro = dot(in, hp, 3 * h, true);
                for (int j = 0; j < h; j++) {
                    double i = f(in.ract, x[j] + ri[j]);
                    double fg = f(in.ract, x[h + j] + rf[j]);
                    double g = f(in.act, x[2 * h + j] + rc[j]);
                    double o = f(in.ract, x[3 * h + j] + ro[j]);
                    cn[j] = fg * cp[j] + i * g;
                    hn[j] = o * f(in.act, cn[j]);
                }
            }
            case GRU -> {
                double[] rz = dot(in, hp, 0, true);
                double[] rr = dot(in, hp, h, true);
                double[] z = new double[h];
                double[] rh = new double[h];
                for (int j = 0; j < h; j++) {
                    z[j] = f(in.ract, x[j] + rz[j]);
                    rh[j] = f(in.ract, x[h + j] + rr[j]) * hp[j];
                }
                double[] rhh = dot(in, rh, 2 * h, true);
                for (int j = 0; j < h; j++) {
                    double hh = f(in.act, x[2 * h + j] + rhh[j]);
                    hn[j] = z[j] * hp[j] + (1 - z[j]) * hh;
                }
            }
            case GRU_RESET_AFTER -> {
                double[] rz = dot(in, hp, 0, true);
                double[] rr = dot(in, hp, h, true);
                double[] rhh = dot(in, hp, 2 * h, true);
                for (int j = 0; j < h; j++) {
                    double z = f(in.ract, x[j] + rz[j]);
                    double r = f(in.ract, x[h + j] + rr[j]);
                    double hh = f(in.act, x[2 * h + j] + r * rhh[j]);
                    hn[j] = z * hp[j] + (1 - z) * hh;
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------ helpers

    static float[] uniform(Random rnd, int n, float lo, float hi) {
        float[] d = new float[n];
        for (int i = 0; i < n; i++) {
            d[i] = lo + (hi - lo) * rnd.nextFloat();
        }
        return d;
    }

    static Tensor t(float[] d, long... shape) {
        return d == null ? null : Tensor.of(d, shape);
    }

    static Result run(Inputs in) {
        return RnnOps.recurrence(in.cell, t(in.xw, in.n, in.t, in.gh()), t(in.u, in.h, in.gh()),
                t(in.bias, in.gh()), t(in.h0, in.n, in.h), t(in.c0, in.n, in.h), t(in.mask, in.n, in.t), in.act,
                in.ract, in.back);
    }

    /** Masks: first step masked in row 0, row 1 all masked, row 2 masked in the middle and at the end. */
    static float[] mask(int n, int tt) {
        float[] m = new float[n * tt];
        java.util.Arrays.fill(m, 1f);
        m[0] = 0;
        if (n > 1) {
            for (int t = 0; t < tt; t++) {
                m[tt + t] = 0;
            }
        }
        if (n > 2) {
            m[2 * tt + tt / 2] = 0;
            m[2 * tt + tt - 1] = 0;
        }
        return m;
    }

    /** A case: which optional inputs are present, the activations and the direction. */
    static Inputs inputs(Cell cell, int n, int tt, int h, boolean bias, boolean states, boolean masked, Act act,
            Act ract, boolean back, long seed, float xLo, float xHi, float uScale) {
        Random rnd = new Random(seed);
        int gh = cell.gates() * h;
        return new Inputs(cell, n, tt, h, uniform(rnd, n * tt * gh, xLo, xHi), uniform(rnd, h * gh, -uScale, uScale),
                bias ? uniform(rnd, gh, -0.3f, 0.3f) : null, states ? uniform(rnd, n * h, -0.8f, 0.8f) : null,
                states && cell == Cell.LSTM ? uniform(rnd, n * h, -0.8f, 0.8f) : null, masked ? mask(n, tt) : null,
                act, ract, back);
    }

    static Stream<Arguments> forwardCases() {
        List<Arguments> out = new ArrayList<>();
        Act[][] acts = {
            {Act.TANH, Act.HARD_SIGMOID}, {Act.TANH, Act.SIGMOID}, {Act.RELU, Act.HARD_SIGMOID},
            {Act.SIGMOID, Act.RELU}, {new Act(UnaryOp.RELU, 0.1f, 1.5f, 0.05f), Act.SIGMOID},
            {Act.of("elu"), Act.of("softsign")}};
        long seed = 1;
        for (Cell cell : Cell.values()) {
            for (Act[] a : acts) {
                for (int variant = 0; variant < 4; variant++) {
                    boolean bias = variant != 0;
                    boolean states = variant >= 2;
                    boolean masked = variant == 1 || variant == 3;
                    boolean back = variant == 2 || variant == 3;
                    String name = cell + " " + a[0].op() + "/" + a[1].op() + (bias ? " bias" : "")
                            + (states ? " h0" : "") + (masked ? " mask" : "") + (back ? " backwards" : "");
                    out.add(Arguments.of(name, inputs(cell, 3, 6, 5, bias, states, masked, a[0], a[1], back, seed++,
                            -1.5f, 1.5f, 0.6f)));
                }
            }
        }
        return out.stream();
    }

    static void assertClose(String what, double[] ref, float[] got, double tol) {
        assertEquals(ref.length, got.length, what + ": length");
        for (int i = 0; i < ref.length; i++) {
            double err = Math.abs(ref[i] - got[i]);
            if (!(err <= tol * Math.max(1, Math.abs(ref[i])))) {
                throw new AssertionError(what + "[" + i + "]: expected " + ref[i] + ", got " + got[i]);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forwardCases")
    void forwardMatchesTheKerasLoop(String name, Inputs in) {
        try (Scope s = Scope.open()) {
            Result r = run(in);
            double[][] ref = reference(in);
            assertArrayEquals(new long[] {in.n, in.t, in.h}, r.sequence().shape());
            assertClose(name + " sequence", ref[0], r.sequence().toFloatArray(), 2e-6);
            assertClose(name + " lastH", ref[1], r.lastH().toFloatArray(), 2e-6);
            if (in.cell == Cell.LSTM) {
                assertClose(name + " lastC", ref[2], r.lastC().toFloatArray(), 2e-6);
            } else {
                assertNull(r.lastC());
            }
        }
    }

    @Test
    void maskedStepsRepeatTheOutputAndKeepTheStates() {
        // Row 0: first step masked (output zeros, state h0); row 1: all masked (lastH = h0, outputs zeros).
        Inputs in = inputs(Cell.LSTM, 3, 4, 2, true, true, true, Act.TANH, Act.HARD_SIGMOID, false, 99, -1, 1, 0.5f);
        try (Scope s = Scope.open()) {
            Result r = run(in);
            float[] seq = r.sequence().toFloatArray();
            float[] lastH = r.lastH().toFloatArray();
            float[] lastC = r.lastC().toFloatArray();
            assertEquals(0f, seq[0]);
            assertEquals(0f, seq[1]);
            for (int i = 0; i < 4 * 2; i++) {
                assertEquals(0f, seq[8 + i], "all-masked row outputs zeros");
            }
            assertEquals(in.h0[2], lastH[2]);
            assertEquals(in.h0[3], lastH[3]);
            assertEquals(in.c0[2], lastC[2]);
            assertEquals(in.c0[3], lastC[3]);
            // row 2: step 3 masked repeats step 2's output
            assertEquals(seq[(2 * 4 + 2) * 2], seq[(2 * 4 + 3) * 2]);
        }
    }

    @Test
    void longerRecurrenceAndWiderUnitsStayClose() {
        // Large enough for the parallel row kernels and the matmul-primitive products.
        for (Cell cell : Cell.values()) {
            Inputs in = inputs(cell, 16, 20, 96, true, true, true, Act.TANH, Act.SIGMOID, cell == Cell.GRU, 5, -1, 1,
                    0.15f);
            try (Scope s = Scope.open()) {
                Result r = run(in);
                double[][] ref = reference(in);
                assertClose(cell + " sequence", ref[0], r.sequence().toFloatArray(), 1e-5);
                assertClose(cell + " lastH", ref[1], r.lastH().toFloatArray(), 1e-5);
            }
        }
    }

    @Test
    void noStepsGiveTheInitialStates() {
        try (Scope s = Scope.open()) {
            Tensor h0 = Tensor.of(new float[] {1, 2}, 1, 2);
            Tensor c0 = Tensor.of(new float[] {3, 4}, 1, 2);
            Result r = RnnOps.recurrence(Cell.LSTM, Tensor.zeros(1, 0, 8), Tensor.zeros(2, 8), null, h0, c0, null,
                    Act.TANH, Act.SIGMOID, false);
            assertArrayEquals(new long[] {1, 0, 2}, r.sequence().shape());
            assertArrayEquals(new float[] {1, 2}, r.lastH().toFloatArray());
            assertArrayEquals(new float[] {3, 4}, r.lastC().toFloatArray());
        }
    }

    // --------------------------------------------------------------------------------------- gradients

    /** The three outputs flattened into one (N, T*H + H [+ H]) tensor, so every output's gradient is checked. */
    static Tensor joined(Result r) {
        long n = r.sequence().dim(0);
        List<Tensor> parts = new ArrayList<>();
        parts.add(Ops.reshape(r.sequence(), n, -1));
        parts.add(r.lastH());
        if (r.lastC() != null) {
            parts.add(r.lastC());
        }
        return Ops.concat(parts, 1);
    }

    static Case gradientCase(String name, Inputs in, int which) {
        List<In> ins = new ArrayList<>();
        long gh = in.gh();
        ins.add(new In(new long[] {in.n, in.t, gh}, in.xw));
        ins.add(new In(new long[] {in.h, gh}, in.u));
        if (in.bias != null) {
            ins.add(new In(new long[] {gh}, in.bias));
        }
        if (in.h0 != null) {
            ins.add(new In(new long[] {in.n, in.h}, in.h0));
        }
        if (in.c0 != null) {
            ins.add(new In(new long[] {in.n, in.h}, in.c0));
        }
        return new Case(name, ins, xs -> {
            int k = 2;
            Tensor bias = in.bias != null ? xs.get(k++) : null;
            Tensor h0 = in.h0 != null ? xs.get(k++) : null;
            Tensor c0 = in.c0 != null ? xs.get(k++) : null;
            Result r = RnnOps.recurrence(in.cell, xs.get(0), xs.get(1), bias, h0, c0, t(in.mask, in.n, in.t),
                    in.act, in.ract, in.back);
            return switch (which) {
                case 0 -> joined(r);
                case 1 -> r.sequence();
                default -> r.lastH();
            };
        }, 1e-2f);
    }

    static Stream<Arguments> gradientCases() {
        List<Arguments> out = new ArrayList<>();
        long seed = 100;
        for (Cell cell : Cell.values()) {
            Act[][] acts = {{Act.TANH, Act.HARD_SIGMOID}, {Act.TANH, Act.SIGMOID}};
            for (Act[] a : acts) {
                for (int variant = 0; variant < 3; variant++) {
                    boolean masked = variant >= 1;
                    boolean back = variant == 2;
                    String name = "grad " + cell + " " + a[0].op() + "/" + a[1].op() + (masked ? " mask" : "")
                            + (back ? " backwards" : "");
                    // |pre-activations| stay below 2.3: away from hard_sigmoid's kinks at +-2.5
                    Inputs in = inputs(cell, 3, 4, 3, true, true, masked, a[0], a[1], back, seed++, -1f, 1f, 0.3f);
                    out.add(Arguments.of(gradientCase(name, in, 0)));
                }
            }
            // activations whose derivatives need the gates' inputs (the workspace keeps them then)
            Inputs kept = inputs(cell, 3, 4, 3, true, true, true, Act.of("softsign"), Act.of("softplus"), true,
                    seed++, -1f, 1f, 0.3f);
            out.add(Arguments.of(gradientCase("grad " + cell + " SOFTSIGN/SOFTPLUS mask backwards", kept, 0)));
            // relu activation: inputs kept positive, so no pre-activation comes near the kink at 0 (LSTM: c0 = 0 so
            // that every c is positive too)
            Inputs relu = inputs(cell, 2, 4, 3, true, cell != Cell.LSTM, true, Act.RELU, Act.SIGMOID, false, seed++, 0.4f, 1.2f,
                    0.04f);
            out.add(Arguments.of(gradientCase("grad " + cell + " RELU/SIGMOID mask", relu, 0)));
            // no bias, no initial states, only one of the outputs used
            Inputs bare = inputs(cell, 2, 3, 3, false, false, false, Act.TANH, Act.SIGMOID, false, seed++, -1f, 1f,
                    0.3f);
            out.add(Arguments.of(gradientCase("grad " + cell + " sequence only", bare, 1)));
            out.add(Arguments.of(gradientCase("grad " + cell + " lastH only", bare, 2)));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("gradientCases")
    void gradientsMatchCentralDifferences(Case c) {
        GradientCheckTest.check(c);
    }

    @Test
    void gradientWithoutWatchedInputsIsNotRecorded() {
        try (Scope s = Scope.open(); GradientTape tape = new GradientTape()) {
            Tensor other = Tensor.ones(1);
            tape.watch(other);
            Inputs in = inputs(Cell.GRU, 2, 3, 2, false, false, false, Act.TANH, Act.SIGMOID, false, 1, -1, 1, 0.3f);
            Result r = run(in);
            Tensor loss = Ops.sum(r.sequence());
            assertNull(tape.gradient(loss, List.of(other)).get(0));
        }
    }

    @Test
    void gradientOfUnusedInitialStateInputsIsNullAndXwGetsOne() {
        try (Scope s = Scope.open(); GradientTape tape = new GradientTape()) {
            Inputs in = inputs(Cell.LSTM, 2, 3, 2, false, false, false, Act.TANH, Act.SIGMOID, false, 1, -1, 1, 0.3f);
            Tensor xw = t(in.xw, 2, 3, 8);
            Tensor u = t(in.u, 2, 8);
            tape.watch(xw, u);
            Result r = RnnOps.recurrence(Cell.LSTM, xw, u, null, null, null, null, Act.TANH, Act.SIGMOID, false);
            Tensor loss = Ops.sum(r.lastC());
            List<Tensor> g = tape.gradient(loss, List.of(xw, u));
            assertNotNull(g.get(0));
            assertNotNull(g.get(1));
        }
    }

    // ------------------------------------------------------------------------------- from the layer's inputs

    /** A case of recurrenceOnInputs: x (N, T, I), kernel (I, G*H), bias (G*H) besides the recurrence's inputs. */
    record LayerInputs(Inputs rec, int i, float[] x, float[] kernel, float[] bias) {
        /** The recurrence's inputs with xw = x.kernel + bias (in double, rounded once). */
        Inputs withXw() {
            int n = rec.n, tt = rec.t, gh = rec.gh();
            float[] xw = new float[n * tt * gh];
            for (int r = 0; r < n * tt; r++) {
                for (int k = 0; k < gh; k++) {
                    double acc = bias == null ? 0 : bias[k];
                    for (int j = 0; j < i; j++) {
                        acc += (double) x[r * i + j] * kernel[j * gh + k];
                    }
                    xw[r * gh + k] = (float) acc;
                }
            }
            return new Inputs(rec.cell, n, tt, rec.h, xw, rec.u, rec.bias, rec.h0, rec.c0, rec.mask, rec.act,
                    rec.ract, rec.back);
        }

        Result run() {
            return RnnOps.recurrenceOnInputs(rec.cell, t(x, rec.n, rec.t, i), t(kernel, i, rec.gh()),
                    t(bias, rec.gh()), t(rec.u, rec.h, rec.gh()), t(rec.bias, rec.gh()), t(rec.h0, rec.n, rec.h),
                    t(rec.c0, rec.n, rec.h), t(rec.mask, rec.n, rec.t), rec.act, rec.ract, rec.back);
        }
    }

    static LayerInputs layerInputs(Inputs rec, int i, boolean bias, long seed, float scale) {
        Random rnd = new Random(seed);
        int gh = rec.gh();
        return new LayerInputs(rec, i, uniform(rnd, rec.n * rec.t * i, -1f, 1f), uniform(rnd, i * gh, -scale, scale),
                bias ? uniform(rnd, gh, -0.3f, 0.3f) : null);
    }

    static Stream<Arguments> layerCases() {
        List<Arguments> out = new ArrayList<>();
        long seed = 500;
        for (Cell cell : Cell.values()) {
            Act[][] acts = {{Act.TANH, Act.SIGMOID}, {Act.TANH, Act.HARD_SIGMOID}};
            for (Act[] a : acts) {
                for (int variant = 0; variant < 4; variant++) {
                    boolean states = variant >= 1;
                    boolean back = variant == 2;
                    boolean masked = variant == 3;
                    String name = cell + " " + a[0].op() + "/" + a[1].op() + (states ? " h0 biases" : "")
                            + (back ? " backwards" : "") + (masked ? " mask" : "");
                    Inputs rec = inputs(cell, 4, 7, 6, states, states, masked, a[0], a[1], back, seed++, 0, 0, 0.4f);
                    out.add(Arguments.of(name, layerInputs(rec, 5, states, seed++, 0.4f)));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layerCases")
    void onInputsMatchesTheKerasLoopOnBothPaths(String name, LayerInputs in) {
        double[][] ref = reference(in.withXw());
        for (boolean fused : new boolean[] {true, false}) {
            boolean was = RnnOps.fusedEnabled;
            RnnOps.fusedEnabled = fused;
            try (Scope s = Scope.open()) {
                Result r = in.run();
                String what = name + (fused ? " (fused allowed)" : " (step path)");
                assertClose(what + " sequence", ref[0], r.sequence().toFloatArray(), 1e-5);
                assertClose(what + " lastH", ref[1], r.lastH().toFloatArray(), 1e-5);
                if (in.rec.cell == Cell.LSTM) {
                    assertClose(what + " lastC", ref[2], r.lastC().toFloatArray(), 1e-5);
                }
            } finally {
                RnnOps.fusedEnabled = was;
            }
        }
    }

    @Test
    void theFusedPathRunsForSigmoidAndTanhWithoutMasks() {
        try (Scope s = Scope.open()) {
            io.jkeras.backend.Backend be = Tensor.zeros(1).backend();
            for (Cell cell : new Cell[] {Cell.LSTM, Cell.GRU, Cell.GRU_RESET_AFTER}) {
                io.jkeras.backend.RnnDesc.Cell bc = io.jkeras.backend.RnnDesc.Cell.valueOf(cell.name());
                float[] none = {0, 0, 0};
                assertTrue(be.rnnFusedSupported(new io.jkeras.backend.RnnDesc(bc, 2, 3, 4, false, UnaryOp.TANH, none,
                        UnaryOp.SIGMOID, none)), cell + " sigmoid/tanh");
                assertTrue(!be.rnnFusedSupported(new io.jkeras.backend.RnnDesc(bc, 2, 3, 4, false, UnaryOp.TANH, none,
                        UnaryOp.HARD_SIGMOID, none)), cell + " hard_sigmoid");
            }
        }
    }

    static Case layerGradientCase(String name, LayerInputs in, int which) {
        Inputs r = in.rec;
        long gh = r.gh();
        List<In> ins = new ArrayList<>();
        ins.add(new In(new long[] {r.n, r.t, in.i}, in.x));
        ins.add(new In(new long[] {in.i, gh}, in.kernel));
        ins.add(new In(new long[] {r.h, gh}, r.u));
        boolean states = in.bias != null;
        if (states) {
            ins.add(new In(new long[] {gh}, in.bias));
            ins.add(new In(new long[] {gh}, r.bias));
            ins.add(new In(new long[] {r.n, r.h}, r.h0));
            if (r.c0 != null) {
                ins.add(new In(new long[] {r.n, r.h}, r.c0));
            }
        }
        return new Case(name, ins, xs -> {
            Tensor c0 = states && r.c0 != null ? xs.get(6) : null;
            Result res = RnnOps.recurrenceOnInputs(r.cell, xs.get(0), xs.get(1), states ? xs.get(3) : null,
                    xs.get(2), states ? xs.get(4) : null, states ? xs.get(5) : null, c0, t(r.mask, r.n, r.t), r.act,
                    r.ract, r.back);
            return switch (which) {
                case 0 -> joined(res);
                case 1 -> res.sequence();
                default -> r.cell == Cell.LSTM ? res.lastC() : res.lastH();
            };
        }, 1e-2f);
    }

    static Stream<Arguments> layerGradientCases() {
        List<Arguments> out = new ArrayList<>();
        long seed = 900;
        for (Cell cell : Cell.values()) {
            for (int variant = 0; variant < 4; variant++) {
                boolean states = variant != 1;
                boolean back = variant == 2;
                Act ract = variant == 3 ? Act.HARD_SIGMOID : Act.SIGMOID;
                Inputs rec = inputs(cell, 2, 4, 3, states, states, false, Act.TANH, ract, back, seed++, 0, 0, 0.3f);
                LayerInputs in = layerInputs(rec, 3, states, seed++, 0.3f);
                String name = "grad on inputs " + cell + " TANH/" + ract.op() + (states ? " h0 biases" : "")
                        + (back ? " backwards" : "");
                out.add(Arguments.of(layerGradientCase(name, in, 0)));
                if (variant == 0) {
                    out.add(Arguments.of(layerGradientCase(name + " sequence only", in, 1)));
                    out.add(Arguments.of(layerGradientCase(name + " last state only", in, 2)));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layerGradientCases")
    void onInputsGradientsMatchCentralDifferences(Case c) {
        GradientCheckTest.check(c);
    }

    // ------------------------------------------------------------------------------------------ errors

    @Test
    void shapeErrorsNameTheArgumentAndShapes() {
        try (Scope s = Scope.open()) {
            Tensor xw = Tensor.zeros(2, 3, 8);
            Tensor u = Tensor.zeros(2, 8);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RnnOps.recurrence(
                    Cell.GRU, xw, u, null, null, null, null, Act.TANH, Act.SIGMOID, false));
            assertTrue(e.getMessage().contains("recurrentKernel") && e.getMessage().contains("(2, 8)"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> RnnOps.recurrence(Cell.LSTM, Tensor.zeros(2, 3, 6),
                    u, null, null, null, null, Act.TANH, Act.SIGMOID, false));
            assertTrue(e.getMessage().contains("xw") && e.getMessage().contains("(2, 3, 6)"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> RnnOps.recurrence(Cell.LSTM, xw, u,
                    Tensor.zeros(4), null, null, null, Act.TANH, Act.SIGMOID, false));
            assertTrue(e.getMessage().contains("recurrentBias") && e.getMessage().contains("(4,)"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> RnnOps.recurrence(Cell.LSTM, xw, u, null,
                    Tensor.zeros(3, 2), null, null, Act.TANH, Act.SIGMOID, false));
            assertTrue(e.getMessage().contains("h0") && e.getMessage().contains("(3, 2)")
                    && e.getMessage().contains("(2, 2)"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> RnnOps.recurrence(Cell.LSTM, xw, u, null, null,
                    Tensor.zeros(2, 3), null, Act.TANH, Act.SIGMOID, false));
            assertTrue(e.getMessage().contains("c0"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> RnnOps.recurrence(Cell.LSTM, xw, u, null, null,
                    null, Tensor.ones(2, 4), Act.TANH, Act.SIGMOID, false));
            assertTrue(e.getMessage().contains("mask") && e.getMessage().contains("(2, 3)"), e.getMessage());
            Tensor su = Tensor.zeros(2, 2);
            e = assertThrows(IllegalArgumentException.class, () -> RnnOps.recurrence(Cell.SIMPLE,
                    Tensor.zeros(2, 3, 2), su, null, null, Tensor.zeros(2, 2), null, Act.TANH, null, false));
            assertTrue(e.getMessage().contains("c0") && e.getMessage().contains("SIMPLE"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> RnnOps.recurrence(Cell.GRU,
                    Tensor.zeros(2, 3, 6), Tensor.zeros(2, 6), null, null, null, null, Act.TANH, null, false));
            assertTrue(e.getMessage().contains("recurrentActivation"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> RnnOps.recurrence(Cell.SIMPLE,
                    Tensor.zeros(2, 3), su, null, null, null, null, Act.TANH, null, false));
            assertTrue(e.getMessage().contains("xw") && e.getMessage().contains("(2, 3)"), e.getMessage());
        }
    }

    @Test
    void simpleCellWithoutRecurrentActivationRuns() {
        try (Scope s = Scope.open()) {
            Result r = RnnOps.recurrence(Cell.SIMPLE, Tensor.ones(1, 2, 3), Tensor.zeros(3, 3), null, null, null,
                    null, Act.TANH, null, false);
            float[] seq = r.sequence().toFloatArray();
            assertEquals((float) Math.tanh(1), seq[0], 1e-6);
        }
    }

    @Test
    void actOfKerasNames() {
        assertEquals(UnaryOp.HARD_SIGMOID, Act.of("hard_sigmoid").op());
        assertEquals(UnaryOp.TANH, Act.of("tanh").op());
        assertEquals(UnaryOp.LINEAR, Act.of("linear").op());
        assertEquals(UnaryOp.LINEAR, Act.of((String) null).op());
        assertEquals(UnaryOp.EXP, Act.of("exponential").op());
        assertEquals(1f, Act.of("elu").a());
        assertTrue(Float.isNaN(Act.of("relu").b()));
        assertNull(Act.of("softmax"));
        assertNull(Act.of("no_such_thing"));
        assertEquals(4, Cell.LSTM.gates());
        assertEquals(3, Cell.GRU_RESET_AFTER.gates());
        assertEquals(1, Cell.SIMPLE.gates());
    }
}
