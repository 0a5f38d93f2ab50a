package io.jkeras.layers.activation;

import static io.jkeras.layers.merge.GradientChecks.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.layers.Layer;
import io.jkeras.layers.Layers;
import io.jkeras.regularizers.L1L2;
import io.jkeras.saving.Json;
import io.jkeras.tensor.Scope;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import io.jkeras.testing.Golden;
import io.jkeras.testing.LayerGradientCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The advanced activation layers against their formulas, gradients, PReLU's weight, configs and errors. */
class AdvancedActivationsTest {
    private Scope scope;

    @BeforeEach
    void open() {
        scope = Scope.open();
    }

    @AfterEach
    void close() {
        scope.close();
    }

    /** Values in [-3, 3] kept at least 0.05 away from the kinks. */
    private static float[] input(long seed, int n, double... kinks) {
        float[] v = uniform(seed, n, -3, 3);
        for (int i = 0; i < n; i++) {
            for (double k : kinks) {
                if (Math.abs(v[i] - k) < 0.05) {
                    v[i] = (float) (k + (v[i] >= k ? 0.07 : -0.07));
                }
            }
        }
        return v;
    }

    private static void checkFormula(String name, Layer layer, DoubleUnaryOperator f, double... kinks) {
        long[] shape = {2, 3, 5};
        float[] x = input(name.hashCode(), 30, kinks);
        float[] y = layer.apply(Tensor.of(x, shape)).toFloatArray();
        float[] want = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            want[i] = (float) f.applyAsDouble(x[i]);
        }
        Golden.assertClose(name, want, y, 1e-6);
        LayerGradientCheck.check(name, layer, x, shape, 30);
    }

    /** Keras 2's K.relu. */
    private static double kerasRelu(double x, double alpha, Double max, double threshold) {
        double pos = x > threshold ? x : 0;
        if (max != null) {
            pos = Math.min(Math.max(pos, 0), max);
        }
        return pos - alpha * Math.max(threshold - x, 0);
    }

    @Test
    void formulasAndGradients() {
        checkFormula("LeakyReLU default", new LeakyReLU(), v -> v > 0 ? v : 0.3 * v, 0);
        checkFormula("LeakyReLU 0.1", new LeakyReLU(0.1), v -> v > 0 ? v : 0.1 * v, 0);
        checkFormula("ELU default", new ELU(), v -> v > 0 ? v : Math.expm1(v), 0);
        checkFormula("ELU 0.5", new ELU(0.5), v -> v > 0 ? v : 0.5 * Math.expm1(v), 0);
        checkFormula("ThresholdedReLU default", new ThresholdedReLU(), v -> v > 1 ? v : 0, 1);
        checkFormula("ThresholdedReLU 0.5", new ThresholdedReLU(0.5), v -> v > 0.5 ? v : 0, 0.5);
        checkFormula("ThresholdedReLU -1", new ThresholdedReLU(-1), v -> v > -1 ? v : 0, -1);
        checkFormula("ReLU default", new ReLU(), v -> Math.max(v, 0), 0);
        checkFormula("ReLU 6", new ReLU(6.0, 0, 0), v -> kerasRelu(v, 0, 6.0, 0), 0);
        checkFormula("ReLU max 2 slope 0.1 threshold 0.5", new ReLU(2.0, 0.1, 0.5),
                v -> kerasRelu(v, 0.1, 2.0, 0.5), 0.5, 2);
        checkFormula("ReLU slope 0.2 threshold -1", new ReLU(null, 0.2, -1),
                v -> kerasRelu(v, 0.2, null, -1), -1);
        checkFormula("ReLU max 1 threshold -0.5", new ReLU(1.0, 0, -0.5), v -> kerasRelu(v, 0, 1.0, -0.5), -0.5, 0, 1);
    }

    @Test
    void softmaxOnAnyAxis() {
        long[] shape = {2, 3, 4};
        float[] x = uniform(3, 24, -3, 3);
        for (int axis : new int[] {-1, 1, 2, -2}) {
            Softmax layer = new Softmax(axis);
            float[] y = layer.apply(Tensor.of(x, shape)).toFloatArray();
            int a = axis < 0 ? axis + 3 : axis;
            long[] st = {12, 4, 1};
            float[] want = new float[24];
            for (int f = 0; f < 24; f++) {
                int base = (int) (f - ((f / st[a]) % shape[a]) * st[a]);
                double max = Double.NEGATIVE_INFINITY, sum = 0;
                for (int k = 0; k < shape[a]; k++) {
                    max = Math.max(max, x[(int) (base + k * st[a])]);
                }
                for (int k = 0; k < shape[a]; k++) {
                    sum += Math.exp(x[(int) (base + k * st[a])] - max);
                }
                want[f] = (float) (Math.exp(x[f] - max) / sum);
            }
            Golden.assertClose("softmax axis " + axis, want, y, 1e-6);
            LayerGradientCheck.check("softmax axis " + axis, layer, x, shape, 24);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Softmax(3).apply(Tensor.ones(2, 3, 4)));
        assertTrue(e.getMessage().contains("axis 3"), e.getMessage());
    }

    @Test
    void preluWeightHasTheInputShapeWithOneOnSharedAxes() {
        PReLU p = new PReLU();
        p.build(Shape.of(-1, 3, 4, 2));
        assertEquals(1, p.weightVariables().size());
        assertEquals("alpha", p.weightVariables().get(0).name());
        assertArrayEquals(new long[] {3, 4, 2}, p.weightVariables().get(0).value().shape());
        assertArrayEquals(new float[24], p.getWeights().get(0).toFloatArray(), "zeros initializer");

        PReLU shared = PReLU.builder().sharedAxes(1, 2).alphaInitializer(Map.of("class_name", "Constant", "config",
                Map.of("value", 0.25))).build();
        shared.build(Shape.of(-1, -1, -1, 2));  // shared axes may be unknown
        assertArrayEquals(new long[] {1, 1, 2}, shared.weightVariables().get(0).value().shape());
        assertArrayEquals(new float[] {0.25f, 0.25f}, shared.getWeights().get(0).toFloatArray());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PReLU().build(Shape.of(-1, -1, 2)));
        assertTrue(e.getMessage().contains("must be defined"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PReLU.builder().sharedAxes(0).build());
        assertTrue(e.getMessage().contains("shared_axes"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PReLU.builder().sharedAxes(3).build()
                .build(Shape.of(-1, 2, 2)));
        assertTrue(e.getMessage().contains("shared axis 3"), e.getMessage());
        PReLU built = new PReLU();
        built.build(Shape.of(-1, 3));
        e = assertThrows(IllegalArgumentException.class, () -> built.apply(Tensor.ones(2, 4)));
        assertTrue(e.getMessage().contains("expected axis 1"), e.getMessage());
    }

    @Test
    void preluForwardAndGradientsWithSharedAxes() {
        long[] shape = {2, 3, 4, 2};
        for (int[] sharedAxes : new int[][] {null, {1}, {1, 2}, {3}}) {
            PReLU p = sharedAxes == null ? new PReLU() : PReLU.builder().sharedAxes(sharedAxes).build();
            p.build(Shape.of(-1, 3, 4, 2));
            long[] as = p.weightVariables().get(0).value().shape();
            int an = (int) (as[0] * as[1] * as[2]);
            float[] alpha = uniform(5, an, -1, 1);
            p.setWeights(List.of(Tensor.of(alpha, as)));
            float[] x = input(7, 48, 0);
            float[] y = p.apply(Tensor.of(x, shape)).toFloatArray();
            float[] want = new float[48];
            for (int f = 0; f < 48; f++) {
                int i = (f / 8) % 3, j = (f / 2) % 4, c = f % 2;
                int ai = (int) ((as[0] == 1 ? 0 : i) * as[1] * as[2] + (as[1] == 1 ? 0 : j) * as[2]
                        + (as[2] == 1 ? 0 : c));
                want[f] = x[f] > 0 ? x[f] : alpha[ai] * x[f];
            }
            String name = "PReLU shared " + java.util.Arrays.toString(sharedAxes);
            Golden.assertClose(name, want, y, 1e-6);
            LayerGradientCheck.check(name, p, x, shape, 24);
        }
    }

    @Test
    void preluRegularizerAndConfig() {
        PReLU p = PReLU.builder().alphaRegularizer(new L1L2(0.0, 0.5)).alphaConstraint("non_neg").sharedAxes(1)
                .build();
        p.build(Shape.of(-1, 3, 2));
        p.setWeights(List.of(Tensor.of(new float[] {1, -2}, 1, 2)));
        assertEquals(1, p.losses().size());
        assertEquals(0.5 * 5, p.losses().get(0).item(), 1e-6);
        Map<String, Object> c = Json.roundTrip(p.getConfig());
        assertEquals(List.of(1), c.get("shared_axes"));
        assertEquals(List.of("name", "trainable", "dtype", "alpha_initializer", "alpha_regularizer",
                "alpha_constraint", "shared_axes"), new ArrayList<>(c.keySet()));
        Layer again = Layers.deserialize(Layers.serialize(p));
        assertEquals(c, Json.roundTrip(again.getConfig()));
        // Keras 1's names
        PReLU k1 = (PReLU) Layers.deserialize(Map.of("class_name", "PReLU", "config", Map.of("init", "one",
                "shared_axes", 1)));
        k1.build(Shape.of(-1, 2, 3));
        assertArrayEquals(new float[] {1, 1, 1}, k1.getWeights().get(0).toFloatArray());
    }

    @Test
    void configsRoundTripWithKerasKeys() {
        Map<Layer, List<String>> layers = Map.of(
                new LeakyReLU(0.2), List.of("alpha"),
                new ELU(0.7), List.of("alpha"),
                new ThresholdedReLU(0.4), List.of("theta"),
                new Softmax(1), List.of("axis"),
                new ReLU(6.0, 0.1, 0.2), List.of("max_value", "negative_slope", "threshold"));
        for (Map.Entry<Layer, List<String>> e : layers.entrySet()) {
            Layer l = e.getKey();
            List<String> keys = new ArrayList<>(List.of("name", "trainable", "dtype"));
            keys.addAll(e.getValue());
            assertEquals(keys, new ArrayList<>(l.getConfig().keySet()), l.className());
            Layer again = Layers.deserialize(Layers.serialize(l));
            assertEquals(Json.roundTrip(l.getConfig()), Json.roundTrip(again.getConfig()), l.className());
        }
        assertNull(new ReLU().getConfig().get("max_value"));
        assertEquals(0.3, new LeakyReLU().getConfig().get("alpha"));
        assertEquals(0.3, ((LeakyReLU) Layers.deserialize(Map.of("class_name", "LeakyReLU", "config", Map.of())))
                .alpha());
        assertEquals(1.0, ((ELU) Layers.deserialize(Map.of("class_name", "ELU", "config", Map.of()))).alpha());
        assertEquals(-1, Layers.deserialize(Map.of("class_name", "Softmax", "config", Map.of())).getConfig()
                .get("axis"));
        assertEquals(List.of("leaky_re_lu", "p_re_lu", "elu", "thresholded_re_lu", "re_lu", "softmax"),
                List.of(new LeakyReLU(), new PReLU(), new ELU(), new ThresholdedReLU(), new ReLU(), new Softmax())
                        .stream().map(l -> l.getName().replaceAll("_\\d+$", "")).toList());
    }

    @Test
    void errors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ReLU(-1.0, 0, 0));
        assertTrue(e.getMessage().contains("max_value"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ReLU(null, -0.1, 0));
        assertTrue(e.getMessage().contains("negative_slope"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Layers.deserialize(Map.of("class_name", "ReLU",
                "config", Map.of("max_value", "six"))));
        assertTrue(e.getMessage().contains("max_value"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Layers.deserialize(Map.of("class_name", "LeakyReLU",
                "config", Map.of("slope", 0.1))));
        assertTrue(e.getMessage().contains("unknown argument"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ELU(Double.NaN));
        assertTrue(e.getMessage().contains("alpha"), e.getMessage());
    }

    @Test
    void masksPassThrough() {
        Tensor x = Tensor.ones(2, 3, 4);
        Tensor m = Tensor.of(new float[] {1, 0, 1, 1, 1, 0}, 2, 3);
        for (Layer l : List.of(new LeakyReLU(), new PReLU(), new ELU(), new ThresholdedReLU(), new Softmax(),
                new ReLU())) {
            assertSame(m, l.invoke(List.of(x), java.util.Collections.singletonList(m), false).masks().get(0),
                    l.className());
        }
    }
}
