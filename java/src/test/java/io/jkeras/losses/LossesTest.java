package io.jkeras.losses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.ops.GradientTape;
import io.jkeras.ops.Ops;
import io.jkeras.tensor.Scope;
import io.jkeras.tensor.Tensor;
import java.util.List;
import java.util.function.BinaryOperator;
import org.junit.jupiter.api.Test;

/** Loss values against numbers worked by hand, gradients against central differences. */
class LossesTest {
    static final double LN_HALF = Math.log(0.5);

    static void assertValues(double[] expected, Tensor t, double tol) {
        float[] got = t.toFloatArray();
        assertEquals(expected.length, got.length, "size of " + t);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], got[i], tol, "element " + i);
        }
    }

    @Test
    void meanSquaredError() {
        Tensor yt = Tensor.of(new float[] {0, 1, 2, 3}, 2, 2);
        Tensor yp = Tensor.of(new float[] {1, 1, 0, 5}, 2, 2);
        // ((1 - 0)^2 + 0) / 2 = 0.5; ((0 - 2)^2 + (5 - 3)^2) / 2 = 4
        Tensor l = Losses.get("mse").call(yt, yp);
        assertArrayEquals(new long[] {2}, l.shape());
        assertValues(new double[] {0.5, 4.0}, l, 1e-6);
        assertSame(Losses.MEAN_SQUARED_ERROR, Losses.get("mean_squared_error"));
    }

    @Test
    void meanSquaredErrorReducesTheLastAxisOnly() {
        Tensor yt = Tensor.zeros(2, 3, 2);
        Tensor yp = Tensor.of(new float[] {1, 1, 2, 2, 0, 2, 1, 3, 0, 0, 4, 0}, 2, 3, 2);
        Tensor l = Losses.MEAN_SQUARED_ERROR.call(yt, yp);
        assertArrayEquals(new long[] {2, 3}, l.shape());
        assertValues(new double[] {1, 4, 2, 5, 0, 8}, l, 1e-6);
    }

    @Test
    void meanAbsoluteError() {
        Tensor l = Losses.get("mae").call(Tensor.of(new float[] {0, 1}, 1, 2), Tensor.of(new float[] {-2, 2}, 1, 2));
        assertValues(new double[] {1.5}, l, 1e-6);
    }

    @Test
    void binaryCrossentropy() {
        Tensor yt = Tensor.of(new float[] {1, 0, 0, 1}, 2, 2);
        Tensor yp = Tensor.of(new float[] {0.8f, 0.3f, 0.1f, 0.6f}, 2, 2);
        // -(ln 0.8 + ln 0.7) / 2 = 0.289909; -(ln 0.9 + ln 0.6) / 2 = 0.308093
        assertValues(new double[] {0.2899092, 0.3080930}, Losses.get("binary_crossentropy").call(yt, yp), 1e-6);
    }

    @Test
    void binaryCrossentropyClipsPredictions() {
        // p = 0 for a positive target: clipped to 1e-7, -ln(1e-7) = 16.118
        Tensor l = Losses.BINARY_CROSSENTROPY.call(Tensor.of(new float[] {1, 0}, 2, 1),
                Tensor.of(new float[] {0, 0}, 2, 1));
        assertValues(new double[] {16.118096, 1e-7}, l, 1e-4);
    }

    @Test
    void categoricalCrossentropy() {
        Tensor yt = Tensor.of(new float[] {0, 1, 0, 1, 0, 0}, 2, 3);
        Tensor yp = Tensor.of(new float[] {0.2f, 0.5f, 0.3f, 0.25f, 0.25f, 0.5f}, 2, 3);
        // -ln 0.5 = 0.693147; -ln 0.25 = 1.386294
        assertValues(new double[] {-LN_HALF, -Math.log(0.25)}, Losses.get("categorical_crossentropy").call(yt, yp),
                1e-6);
    }

    @Test
    void categoricalCrossentropyRenormalisesAndClips() {
        // (1, 2, 1) renormalised is (0.25, 0.5, 0.25): -ln 0.5; a zero probability is clipped to 1e-7
        Tensor yt = Tensor.of(new float[] {0, 1, 0, 1, 0, 0}, 2, 3);
        Tensor yp = Tensor.of(new float[] {1, 2, 1, 0, 0.5f, 0.5f}, 2, 3);
        assertValues(new double[] {-LN_HALF, 16.118096}, Losses.CATEGORICAL_CROSSENTROPY.call(yt, yp), 1e-4);
    }

    @Test
    void sparseCategoricalCrossentropyTakesIdsInEveryForm() {
        Tensor yp = Tensor.of(new float[] {0.2f, 0.5f, 0.3f, 0.25f, 0.25f, 0.5f}, 2, 3);
        double[] expected = {-LN_HALF, -LN_HALF};
        Loss sparse = Losses.get("sparse_categorical_crossentropy");
        assertValues(expected, sparse.call(Tensor.ofInts(new int[] {1, 2}, 2), yp), 1e-6);
        assertValues(expected, sparse.call(Tensor.ofInts(new int[] {1, 2}, 2, 1), yp), 1e-6);
        assertValues(expected, sparse.call(Tensor.of(new float[] {1, 2}, 2), yp), 1e-6);
        assertValues(expected, sparse.call(Tensor.of(new float[] {1, 2}, 2, 1), yp), 1e-6);
    }

    @Test
    void sparseCategoricalCrossentropyRejectsBadIds() {
        Tensor yp = Tensor.of(new float[] {0.2f, 0.5f, 0.3f, 0.25f, 0.25f, 0.5f}, 2, 3);
        Loss sparse = Losses.SPARSE_CATEGORICAL_CROSSENTROPY;
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> sparse.call(Tensor.ofInts(new int[] {1, 3}, 2), yp));
        assertTrue(range.getMessage().contains("class id 3"), range.getMessage());
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> sparse.call(Tensor.ofInts(new int[] {1, 2, 0}, 3), yp));
        assertTrue(shape.getMessage().contains("(3,)") && shape.getMessage().contains("(2, 3)"), shape.getMessage());
        assertThrows(IllegalArgumentException.class, () -> sparse.call(Tensor.of(new float[] {1.5f, 0}, 2), yp));
    }

    @Test
    void getRegisterAndErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Losses.get("categorical"));
        assertTrue(e.getMessage().contains("categorical"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Losses.get(3));
        Loss custom = Losses.register("sum_abs", (t, p) -> Ops.sum(Ops.abs(Ops.sub(p, t)), new int[] {-1}, false));
        assertSame(custom, Losses.get("sum_abs"));
        assertSame(custom, Losses.get(custom));
        assertEquals("sum_abs", Losses.serialize(custom));
    }

    @Test
    void tfKerasLossClasses() {
        assertSame(Losses.CATEGORICAL_CROSSENTROPY, Losses.get(java.util.Map.of("class_name", "CategoricalCrossentropy",
                "config", java.util.Map.of("reduction", "auto", "name", "categorical_crossentropy", "from_logits", false,
                        "label_smoothing", 0))));
        assertSame(Losses.MEAN_SQUARED_ERROR, Losses.get(java.util.Map.of("class_name", "MeanSquaredError")));
        assertThrows(UnsupportedOperationException.class, () -> Losses.get(java.util.Map.of("class_name",
                "BinaryCrossentropy", "config", java.util.Map.of("from_logits", true))));
        assertThrows(IllegalArgumentException.class, () -> Losses.get(java.util.Map.of("class_name", "Huber")));
    }

    // ------------------------------------------------------------------------------------------ gradients

    /** d sum(loss) / d yPred from the tape against central differences of the float32 loss. */
    static void checkGradient(BinaryOperator<Tensor> loss, Tensor yTrue, float[] yPred, long... shape) {
        float[] analytic;
        try (Scope s = Scope.open(); GradientTape tape = new GradientTape()) {
            Tensor p = Tensor.of(yPred.clone(), shape);
            tape.watch(p);
            Tensor l = Ops.sum(loss.apply(yTrue, p));
            analytic = tape.gradient(l, List.of(p)).get(0).toFloatArray();
        }
        float eps = 1e-3f;
        for (int i = 0; i < yPred.length; i++) {
            float[] plus = yPred.clone(), minus = yPred.clone();
            plus[i] += eps;
            minus[i] -= eps;
            double numeric;
            try (Scope s = Scope.open()) {
                double fp = Ops.sum(loss.apply(yTrue, Tensor.of(plus, shape))).item();
                double fm = Ops.sum(loss.apply(yTrue, Tensor.of(minus, shape))).item();
                numeric = (fp - fm) / ((double) plus[i] - (double) minus[i]);
            }
            assertEquals(numeric, analytic[i], 2e-3 + 2e-2 * Math.abs(numeric),
                    "d loss / d yPred[" + i + "]: numeric " + numeric + ", tape " + analytic[i]);
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        float[] probs = {0.2f, 0.5f, 0.3f, 0.6f, 0.15f, 0.25f};
        Tensor oneHot = Tensor.of(new float[] {0, 1, 0, 1, 0, 0}, 2, 3);
        checkGradient(Losses.MEAN_SQUARED_ERROR::call, Tensor.of(new float[] {0, 1, 0.5f, 1, 0, 2}, 2, 3), probs, 2, 3);
        checkGradient(Losses.MEAN_ABSOLUTE_ERROR::call, Tensor.of(new float[] {0, 1, 0.5f, 1, 0, 2}, 2, 3), probs, 2, 3);
        checkGradient(Losses.BINARY_CROSSENTROPY::call, Tensor.of(new float[] {0, 1, 1, 1, 0, 0}, 2, 3), probs, 2, 3);
        checkGradient(Losses.CATEGORICAL_CROSSENTROPY::call, oneHot, probs, 2, 3);
        checkGradient(Losses.SPARSE_CATEGORICAL_CROSSENTROPY::call, Tensor.ofInts(new int[] {1, 0}, 2), probs, 2, 3);
    }

    @Test
    void categoricalCrossentropyGradientByHand() {
        // sum(p) = 1: d(-ln(p_k / sum p)) / d p_j = 1 - 1/p_k for j = k and 1 elsewhere (sum p = 1)
        try (GradientTape tape = new GradientTape()) {
            Tensor p = Tensor.of(new float[] {0.2f, 0.5f, 0.3f}, 1, 3);
            tape.watch(p);
            Tensor l = Ops.sum(Losses.CATEGORICAL_CROSSENTROPY.call(Tensor.of(new float[] {0, 1, 0}, 1, 3), p));
            assertValues(new double[] {1, -1, 1}, tape.gradient(l, List.of(p)).get(0), 1e-5);
        }
    }
}
