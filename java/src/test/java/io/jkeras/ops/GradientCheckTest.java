package io.jkeras.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jkeras.tensor.Scope;
import io.jkeras.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.opentest4j.AssertionFailedError;

/**
 * Central finite differences against the tape's gradients, for every op of {@link Ops}. The backend is float32
 * only, so: the scalar L(x) = sum(f(x) * r) (r fixed and random) is summed in double on the Java side, the step
 * is eps ~ 1e-2 (divided by the step actually taken after float rounding), inputs stay at least 0.05 away from
 * every kink, and the tolerance is 1e-3 absolute + 2e-2 relative to the numeric derivative.
 * {@link #checkerCatchesAWrongGradient} proves the check can fail.
 */
class GradientCheckTest {
    static final double ATOL = 1e-3;
    static final double RTOL = 2e-2;
    static final float EPS = 1e-2f;
    static final float MARGIN = 0.05f;

    /** One input of a case: its shape and values. */
    record In(long[] shape, float[] data) {
    }

    /** A gradient-check case: inputs, the function of them, the finite-difference step. */
    record Case(String name, List<In> inputs, Function<List<Tensor>, Tensor> f, float eps) {
        @Override
        public String toString() {
            return name;
        }
    }

    // ------------------------------------------------------------------------------------------ the checker

    /** Fails (AssertionFailedError) when an analytic gradient differs from the central difference. */
    static void check(Case c) {
        int nIn = c.inputs.size();
        // The output's shape fixes r.
        float[] r;
        try (Scope s = Scope.open()) {
            List<Tensor> xs = tensors(c.inputs);
            Tensor out = c.f.apply(xs);
            Random rnd = new Random(c.name.hashCode() * 31L + 7);
            r = new float[Math.toIntExact(out.size())];
            for (int i = 0; i < r.length; i++) {
                r[i] = 2f * rnd.nextFloat() - 1f;
            }
        }
        // The tape's gradients of sum(f(x) * r).
        List<float[]> analytic = new ArrayList<>();
        try (Scope s = Scope.open(); GradientTape tape = new GradientTape()) {
            List<Tensor> xs = tensors(c.inputs);
            tape.watch(xs);
            Tensor out = c.f.apply(xs);
            Tensor loss = Ops.sum(Ops.mul(out, Tensor.of(r, out.shape())));
            List<Tensor> grads = tape.gradient(loss, xs);
            for (int i = 0; i < nIn; i++) {
                Tensor g = grads.get(i);
                if (g == null) {
                    throw new AssertionFailedError(c.name + ": no gradient reached input " + i);
                }
                assertArrayEquals(c.inputs.get(i).shape, g.shape(), c.name + ": gradient of input " + i
                        + " has shape " + Arrays.toString(g.shape()));
                analytic.add(g.toFloatArray());
            }
        }
        // Central differences, one element at a time.
        StringBuilder errors = new StringBuilder();
        int bad = 0;
        for (int i = 0; i < nIn; i++) {
            float[] base = c.inputs.get(i).data;
            for (int j = 0; j < base.length; j++) {
                float[] plus = base.clone();
                float[] minus = base.clone();
                plus[j] = base[j] + c.eps;
                minus[j] = base[j] - c.eps;
                double lp = loss(c, i, plus, r);
                double lm = loss(c, i, minus, r);
                double numeric = (lp - lm) / ((double) plus[j] - (double) minus[j]);
                double a = analytic.get(i)[j];
                double err = Math.abs(a - numeric);
                if (!(err <= ATOL + RTOL * Math.abs(numeric))) {
                    if (bad++ < 8) {
                        errors.append(String.format("%n  input %d index %d (x = %s): numeric %.6g, analytic %.6g",
                                i, j, base[j], numeric, a));
                    }
                }
            }
        }
        if (bad > 0) {
            throw new AssertionFailedError(c.name + ": " + bad + " gradient elements differ from central differences"
                    + " (atol " + ATOL + ", rtol " + RTOL + ", eps " + c.eps + "):" + errors);
        }
    }

    private static double loss(Case c, int which, float[] data, float[] r) {
        try (Scope s = Scope.open()) {
            List<Tensor> xs = new ArrayList<>();
            for (int i = 0; i < c.inputs.size(); i++) {
                In in = c.inputs.get(i);
                xs.add(Tensor.of(i == which ? data : in.data, in.shape));
            }
            float[] y = c.f.apply(xs).toFloatArray();
            double l = 0;
            for (int k = 0; k < y.length; k++) {
                l += (double) y[k] * r[k];
            }
            return l;
        }
    }

    private static List<Tensor> tensors(List<In> ins) {
        List<Tensor> xs = new ArrayList<>();
        for (In in : ins) {
            xs.add(Tensor.of(in.data, in.shape));
        }
        return xs;
    }

    // -------------------------------------------------------------------------------------------- inputs

    /** Reproducible inputs per case. */
    static final class Gen {
        final Random rnd;

        Gen(String name) {
            rnd = new Random(name.hashCode());
        }

        In uniform(float lo, float hi, long... shape) {
            float[] d = new float[size(shape)];
            for (int i = 0; i < d.length; i++) {
                d[i] = lo + (hi - lo) * rnd.nextFloat();
            }
            return new In(shape, d);
        }

        In std(long... shape) {
            return uniform(-2f, 2f, shape);
        }

        /** Uniform in [-hi, -lo] u [lo, hi]. */
        In signed(float lo, float hi, long... shape) {
            In u = uniform(lo, hi, shape);
            for (int i = 0; i < u.data.length; i++) {
                if (rnd.nextBoolean()) {
                    u.data[i] = -u.data[i];
                }
            }
            return u;
        }

        /** Uniform in [-3, 3], every value at least MARGIN away from each kink. */
        In activation(float... kinks) {
            In u = uniform(-3f, 3f, 3, 5);
            for (int i = 0; i < u.data.length; i++) {
                u.data[i] = away(u.data[i], kinks);
            }
            return u;
        }

        /** Distinct values at least 0.1 apart, shuffled: no ties for max / min. */
        In distinct(long... shape) {
            int n = size(shape);
            List<Float> v = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                v.add(-0.05f * n + 0.1f * i + 0.013f);
            }
            java.util.Collections.shuffle(v, rnd);
            float[] d = new float[n];
            for (int i = 0; i < n; i++) {
                d[i] = v.get(i);
            }
            return new In(shape, d);
        }
    }

    static float away(float v, float... kinks) {
        for (float k : kinks) {
            if (Math.abs(v - k) < MARGIN) {
                v = v >= k ? k + MARGIN + 0.01f : k - MARGIN - 0.01f;
            }
        }
        return v;
    }

    static int size(long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return Math.toIntExact(n);
    }

    // --------------------------------------------------------------------------------------------- cases

    private static final List<Case> CASES = new ArrayList<>();

    private static void add(String name, Function<List<Tensor>, Tensor> f, Function<Gen, List<In>> inputs) {
        add(name, EPS, f, inputs);
    }

    private static void add(String name, float eps, Function<List<Tensor>, Tensor> f,
            Function<Gen, List<In>> inputs) {
        CASES.add(new Case(name, inputs.apply(new Gen(name)), f, eps));
    }

    private static Function<List<Tensor>, Tensor> unary(Function<Tensor, Tensor> f) {
        return xs -> f.apply(xs.get(0));
    }

    private static Function<List<Tensor>, Tensor> binary(java.util.function.BinaryOperator<Tensor> f) {
        return xs -> f.apply(xs.get(0), xs.get(1));
    }

    static {
        // activations (Keras 2 semantics)
        add("relu", unary(Ops::relu), g -> List.of(g.activation(0f)));
        add("relu_alpha0.2", unary(x -> Ops.relu(x, 0.2f, null, 0f)), g -> List.of(g.activation(0f)));
        add("relu_max1.5", unary(x -> Ops.relu(x, 0f, 1.5f, 0f)), g -> List.of(g.activation(0f, 1.5f)));
        add("relu_alpha0.1_max2_threshold0.5", unary(x -> Ops.relu(x, 0.1f, 2f, 0.5f)),
                g -> List.of(g.activation(0f, 0.5f, 2f)));
        add("relu_threshold-0.5", unary(x -> Ops.relu(x, 0f, null, -0.5f)), g -> List.of(g.activation(-0.5f, 0f)));
        add("elu_alpha1", unary(x -> Ops.elu(x, 1f)), g -> List.of(g.activation(0f)));
        add("elu_alpha0.5", unary(x -> Ops.elu(x, 0.5f)), g -> List.of(g.activation(0f)));
        add("selu", unary(Ops::selu), g -> List.of(g.activation(0f)));
        add("softplus", unary(Ops::softplus), g -> List.of(g.activation()));
        add("softsign", unary(Ops::softsign), g -> List.of(g.activation(0f)));
        add("tanh", unary(Ops::tanh), g -> List.of(g.activation()));
        add("sigmoid", unary(Ops::sigmoid), g -> List.of(g.activation()));
        add("hard_sigmoid", unary(Ops::hardSigmoid), g -> List.of(g.activation(-2.5f, 2.5f)));
        add("exponential", unary(Ops::exponential), g -> List.of(g.activation()));
        add("linear", unary(Ops::linear), g -> List.of(g.activation()));
        add("thresholded_relu_1", unary(x -> Ops.thresholdedRelu(x, 1f)), g -> List.of(g.activation(1f)));
        add("softmax_axis-1_3x5", unary(x -> Ops.softmax(x, -1)), g -> List.of(g.std(3, 5)));
        add("softmax_axis0_4x3", unary(x -> Ops.softmax(x, 0)), g -> List.of(g.std(4, 3)));
        add("softmax_axis1_2x3x4", unary(x -> Ops.softmax(x, 1)), g -> List.of(g.std(2, 3, 4)));

        // element functions
        add("exp", unary(Ops::exp), g -> List.of(g.std(3, 4)));
        add("neg", unary(Ops::neg), g -> List.of(g.std(3, 4)));
        add("log", unary(Ops::log), g -> List.of(g.uniform(0.5f, 2f, 3, 4)));
        add("sqrt", unary(Ops::sqrt), g -> List.of(g.uniform(0.5f, 2f, 3, 4)));
        add("square", unary(Ops::square), g -> List.of(g.std(3, 4)));
        add("abs", unary(Ops::abs), g -> List.of(g.signed(0.1f, 2f, 3, 4)));
        add("reciprocal", unary(Ops::reciprocal), g -> List.of(g.signed(0.5f, 2f, 3, 4)));
        add("pow_2.5", unary(x -> Ops.pow(x, 2.5f)), g -> List.of(g.uniform(0.5f, 2f, 3, 4)));
        add("pow_3", unary(x -> Ops.pow(x, 3f)), g -> List.of(g.std(3, 4)));
        add("pow_-1.5", 3e-3f, unary(x -> Ops.pow(x, -1.5f)), g -> List.of(g.uniform(0.5f, 2f, 3, 4)));
        add("affine_1.5_-0.3", unary(x -> Ops.affine(x, 1.5f, -0.3f)), g -> List.of(g.std(3, 4)));
        add("mul_scalar_-2", unary(x -> Ops.mul(x, -2f)), g -> List.of(g.std(3, 4)));
        add("add_scalar_0.7", unary(x -> Ops.add(x, 0.7f)), g -> List.of(g.std(3, 4)));
        add("clip_-0.5_0.8", unary(x -> Ops.clip(x, -0.5f, 0.8f)), g -> List.of(g.activation(-0.5f, 0.8f)));
        add("step_0.3", unary(x -> Ops.step(x, 0.3f)), g -> List.of(g.activation(0.3f)));
        add("sign", unary(Ops::sign), g -> List.of(g.activation(0f)));

        // broadcasting binary ops, every pattern
        long[][][] patterns = {
            {{3, 4}, {3, 4}},
            {{2, 3, 4}, {4}},
            {{4}, {2, 3, 4}},
            {{2, 1, 4}, {3, 1}},
            {{3, 4}, {}},
            {{2, 3, 1}, {1, 3, 4}},
        };
        for (long[][] p : patterns) {
            String shapes = Arrays.toString(p[0]) + "x" + Arrays.toString(p[1]);
            add("add_" + shapes, binary(Ops::add), g -> List.of(g.std(p[0]), g.std(p[1])));
            add("subtract_" + shapes, binary(Ops::sub), g -> List.of(g.std(p[0]), g.std(p[1])));
            add("multiply_" + shapes, binary(Ops::mul), g -> List.of(g.std(p[0]), g.std(p[1])));
            add("divide_" + shapes, binary(Ops::div), g -> List.of(g.std(p[0]), g.signed(0.5f, 2f, p[1])));
            // a in [-2, -0.6] u [0.6, 2], b in [-0.5, 0.5]: never within 0.1 of each other, each side wins somewhere
            add("maximum_" + shapes, binary(Ops::maximum),
                    g -> List.of(g.signed(0.6f, 2f, p[0]), g.uniform(-0.5f, 0.5f, p[1])));
            add("minimum_" + shapes, binary(Ops::minimum),
                    g -> List.of(g.signed(0.6f, 2f, p[0]), g.uniform(-0.5f, 0.5f, p[1])));
        }
        add("bias_add", binary(Ops::biasAdd), g -> List.of(g.std(2, 3, 4), g.std(4)));

        // reductions, contiguous and not
        int[][] axesList = {null, {0}, {1}, {-1}, {0, 2}, {0, 1, 2}, {2, 0}};
        for (int[] axes : axesList) {
            for (boolean keep : new boolean[] {false, true}) {
                String suffix = (axes == null ? "all" : Arrays.toString(axes)) + (keep ? "_keepdims" : "");
                add("sum_" + suffix, unary(x -> Ops.sum(x, axes, keep)), g -> List.of(g.std(2, 3, 4)));
                add("mean_" + suffix, unary(x -> Ops.mean(x, axes, keep)), g -> List.of(g.std(2, 3, 4)));
                add("max_" + suffix, unary(x -> Ops.max(x, axes, keep)), g -> List.of(g.distinct(2, 3, 4)));
                add("min_" + suffix, unary(x -> Ops.min(x, axes, keep)), g -> List.of(g.distinct(2, 3, 4)));
            }
        }
        add("sum_scalar_input", unary(Ops::sum), g -> List.of(g.std()));

        // matrix products
        add("matmul_2d", binary(Ops::matmul), g -> List.of(g.std(3, 4), g.std(4, 5)));
        add("matmul_2d_ta", binary((a, b) -> Ops.matmul(a, b, true, false)), g -> List.of(g.std(4, 3), g.std(4, 5)));
        add("matmul_2d_tb", binary((a, b) -> Ops.matmul(a, b, false, true)), g -> List.of(g.std(3, 4), g.std(5, 4)));
        add("matmul_2d_ta_tb", binary((a, b) -> Ops.matmul(a, b, true, true)), g -> List.of(g.std(4, 3), g.std(5, 4)));
        add("matmul_batched_2x3x4@2x4x5", binary(Ops::matmul), g -> List.of(g.std(2, 3, 4), g.std(2, 4, 5)));
        add("matmul_bcast_2x3x4@1x4x5", binary(Ops::matmul), g -> List.of(g.std(2, 3, 4), g.std(1, 4, 5)));
        add("matmul_bcast_1x3x4@2x4x5", binary(Ops::matmul), g -> List.of(g.std(1, 3, 4), g.std(2, 4, 5)));
        add("matmul_shared_3x4@2x4x5", binary(Ops::matmul), g -> List.of(g.std(3, 4), g.std(2, 4, 5)));
        add("matmul_shared_2x3x4@4x5", binary(Ops::matmul), g -> List.of(g.std(2, 3, 4), g.std(4, 5)));
        add("matmul_shared_2x3x4@5x4_tb", binary((a, b) -> Ops.matmul(a, b, false, true)),
                g -> List.of(g.std(2, 3, 4), g.std(5, 4)));
        add("matmul_bcast_2x4x3@1x5x4_ta_tb", binary((a, b) -> Ops.matmul(a, b, true, true)),
                g -> List.of(g.std(2, 4, 3), g.std(1, 5, 4)));
        add("matmul_bcast_4d_2x1x3x4@3x4x2", binary(Ops::matmul), g -> List.of(g.std(2, 1, 3, 4), g.std(3, 4, 2)));

        // shapes and copies
        add("transpose_2_0_1", unary(x -> Ops.transpose(x, 2, 0, 1)), g -> List.of(g.std(2, 3, 4)));
        add("transpose_1_0", unary(x -> Ops.transpose(x, 1, 0)), g -> List.of(g.std(3, 5)));
        add("reshape_4_-1", unary(x -> Ops.reshape(x, 4, -1)), g -> List.of(g.std(2, 3, 4)));
        add("expand_dims_1", unary(x -> Ops.expandDims(x, 1)), g -> List.of(g.std(2, 3)));
        add("expand_dims_-1", unary(x -> Ops.expandDims(x, -1)), g -> List.of(g.std(2, 3)));
        add("concat_axis0_three", xs -> Ops.concat(xs, 0), g -> List.of(g.std(1, 4), g.std(2, 4), g.std(3, 4)));
        add("concat_axis1", xs -> Ops.concat(xs, 1), g -> List.of(g.std(2, 3), g.std(2, 5)));
        add("concat_axis-1_3d", xs -> Ops.concat(xs, -1), g -> List.of(g.std(2, 3, 1), g.std(2, 3, 2)));
        add("slice_0_1_1_size_2_2_-1", unary(x -> Ops.slice(x, new long[] {0, 1, 1}, new long[] {2, 2, -1})),
                g -> List.of(g.std(2, 3, 4)));
        add("slice_middle", unary(x -> Ops.slice(x, new long[] {1, 1}, new long[] {2, 2})),
                g -> List.of(g.std(4, 4)));
        add("stack_axis0", xs -> Ops.stack(xs, 0), g -> List.of(g.std(2, 3), g.std(2, 3)));
        add("stack_axis1", xs -> Ops.stack(xs, 1), g -> List.of(g.std(2, 3), g.std(2, 3), g.std(2, 3)));
        add("stack_axis-1", xs -> Ops.stack(xs, -1), g -> List.of(g.std(2, 3), g.std(2, 3)));
        add("broadcast_to_3x1_to_2x3x4", unary(x -> Ops.broadcastTo(x, new long[] {2, 3, 4})),
                g -> List.of(g.std(3, 1)));
        add("broadcast_to_4_to_3x4", unary(x -> Ops.broadcastTo(x, new long[] {3, 4})), g -> List.of(g.std(4)));
        add("sum_to_2x3x4_to_3x1", unary(x -> Ops.sumTo(x, new long[] {3, 1})), g -> List.of(g.std(2, 3, 4)));
        add("sum_to_2x3x4_to_4", unary(x -> Ops.sumTo(x, new long[] {4})), g -> List.of(g.std(2, 3, 4)));
        add("sum_to_2x3x4_to_2x1x4", unary(x -> Ops.sumTo(x, new long[] {2, 1, 4})), g -> List.of(g.std(2, 3, 4)));

        // dropout: a fresh stream of one seed per evaluation gives the same mask every time
        add("dropout_0.3", unary(x -> Ops.dropout(x, 0.3f, null, new RandomStream(42))), g -> List.of(g.std(4, 5)));
        add("dropout_0.5_noise_shape_1x5", unary(x -> Ops.dropout(x, 0.5f, new long[] {1, 5}, new RandomStream(7))),
                g -> List.of(g.std(4, 5)));

        // compositions: an input used twice (gradients accumulate), a small dense + softmax + loss
        add("x_times_x_plus_exp_x", unary(x -> Ops.add(Ops.mul(x, x), Ops.exp(x))), g -> List.of(g.std(3, 4)));
        add("dense_softmax", xs -> Ops.softmax(Ops.biasAdd(Ops.matmul(xs.get(0), xs.get(1)), xs.get(2)), -1),
                g -> List.of(g.std(3, 4), g.uniform(-1f, 1f, 4, 5), g.uniform(-1f, 1f, 5)));
        add("mean_square_error", binary((p, t) -> Ops.mean(Ops.square(Ops.sub(p, t)), new int[] {-1}, false)),
                g -> List.of(g.std(3, 4), g.std(3, 4)));
    }

    static Stream<Arguments> cases() {
        return CASES.stream().map(c -> Arguments.of(c.name, c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientMatchesFiniteDifferences(String name, Case c) {
        check(c);
    }

    // ----------------------------------------------------------------------------------- the check can fail

    /** y = x^2 with a deliberately wrong backward (x instead of 2x): the checker must reject it. */
    @Test
    void checkerCatchesAWrongGradient() {
        Function<List<Tensor>, Tensor> wrongSquare = xs -> {
            Tensor x = xs.get(0);
            Tensor y = Ops.square(Ops.stopGradient(x)); // not recorded: x's view is not watched
            GradientTape.record("wrong_square", new Tensor[] {x}, y, dy -> new Tensor[] {Ops.mul(dy, x)});
            return y;
        };
        Case wrong = new Case("wrong_square", List.of(new Gen("wrong_square").std(3, 4)), wrongSquare, EPS);
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> check(wrong));
        assertTrue(e.getMessage().contains("differ from central differences"), e.getMessage());

        // The same op with the right backward passes: the failure above is the gradient's, not the harness's.
        Function<List<Tensor>, Tensor> rightSquare = xs -> {
            Tensor x = xs.get(0);
            Tensor y = Ops.square(Ops.stopGradient(x));
            GradientTape.record("right_square", new Tensor[] {x}, y, dy -> new Tensor[] {Ops.mul(dy, Ops.mul(x, 2f))});
            return y;
        };
        check(new Case("right_square", List.of(new Gen("wrong_square").std(3, 4)), rightSquare, EPS));
    }

    /** A gradient off by only 5% is caught too. */
    @Test
    void checkerCatchesASmallScaleError() {
        Function<List<Tensor>, Tensor> scaled = xs -> {
            Tensor x = xs.get(0);
            Tensor y = Ops.tanh(Ops.stopGradient(x));
            GradientTape.record("tanh_times_1.05", new Tensor[] {x}, y,
                    dy -> new Tensor[] {Ops.mul(Ops.mul(dy, Ops.affine(Ops.square(y), -1f, 1f)), 1.05f)});
            return y;
        };
        Case c = new Case("tanh_times_1.05", List.of(new Gen("tanh").uniform(-1.5f, 1.5f, 3, 4)), scaled, EPS);
        assertThrows(AssertionFailedError.class, () -> check(c));
    }

    // ------------------------------------------------------------------------------- ops without gradient

    @Test
    void stopGradientAndCopyBlockTheGradient() {
        try (Scope s = Scope.open(); GradientTape tape = new GradientTape()) {
            Tensor x = Tensor.of(new float[] {1, 2, 3}, 3);
            tape.watch(x);
            Tensor y = Ops.add(Ops.mul(Ops.stopGradient(x), Ops.copy(x)), Ops.square(x));
            List<Tensor> g = tape.gradient(Ops.sum(y), List.of(x));
            assertArrayEquals(new float[] {2, 4, 6}, g.get(0).toFloatArray(), 1e-6f);

            Tensor z = Ops.exp(Ops.stopGradient(x));
            assertNull(tape.gradient(Ops.sum(z), List.of(x)).get(0), "stopGradient must cut the tape");
        }
    }

    @Test
    void everyCaseHasAnEvaluableOutput() {
        assertTrue(CASES.size() > 150, "expected the full case list, got " + CASES.size());
        List<String> names = CASES.stream().map(Case::name).toList();
        assertEquals(names.size(), names.stream().distinct().count(), "case names must be unique");
        if (names.isEmpty()) {
            fail("no cases");
        }
    }
}
