package io.jkeras.layers.normalization;

import static io.jkeras.layers.merge.GradientChecks.size;
import static io.jkeras.layers.merge.GradientChecks.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.layers.Layer;
import io.jkeras.layers.Layers;
import io.jkeras.layers.Weight;
import io.jkeras.saving.Json;
import io.jkeras.tensor.Scope;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import io.jkeras.testing.Golden;
import io.jkeras.testing.LayerGradientCheck;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** LayerNormalization against a float64 loop over each sample's normalised axes, gradients and configs. */
class LayerNormalizationTest {
    private Scope scope;

    @BeforeEach
    void open() {
        scope = Scope.open();
    }

    @AfterEach
    void close() {
        scope.close();
    }

    /** Normalises over `axes` (sorted) with gamma / beta of the shape of those axes (null: none). */
    static float[] reference(float[] x, long[] shape, int[] axes, float[] gamma, float[] beta, double eps,
            boolean rms) {
        int r = shape.length;
        long[] st = new long[r];
        long acc = 1;
        for (int i = r - 1; i >= 0; i--) {
            st[i] = acc;
            acc *= shape[i];
        }
        Map<String, List<Integer>> groups = new java.util.LinkedHashMap<>();
        for (int f = 0; f < x.length; f++) {
            StringBuilder key = new StringBuilder();
            for (int dd = 0; dd < r; dd++) {
                final int dim = dd;
                if (Arrays.stream(axes).noneMatch(a -> a == dim)) {
                    key.append((f / st[dd]) % shape[dd]).append(',');
                }
            }
            groups.computeIfAbsent(key.toString(), k -> new ArrayList<>()).add(f);
        }
        float[] y = new float[x.length];
        for (List<Integer> g : groups.values()) {
            double mean = 0, var = 0, ms = 0;
            for (int f : g) {
                mean += x[f] / (double) g.size();
                ms += (double) x[f] * x[f] / g.size();
            }
            for (int f : g) {
                var += (x[f] - mean) * (x[f] - mean) / g.size();
            }
            for (int f : g) {
                int p = 0;
                for (int a : axes) {
                    p = (int) (p * shape[a] + (f / st[a]) % shape[a]);
                }
                double v = rms ? x[f] / Math.sqrt(ms + eps) : (x[f] - mean) / Math.sqrt(var + eps);
                y[f] = (float) (v * (gamma == null ? 1 : gamma[p]) + (beta == null ? 0 : beta[p]));
            }
        }
        return y;
    }

    @Test
    void normalisesEachSampleOverItsAxes() {
        record Case(String name, LayerNormalization layer, long[] shape, int[] axes, boolean center, boolean scale,
                boolean rms) {
        }
        List<Case> cases = List.of(
                new Case("last axis", new LayerNormalization(), new long[] {2, 3, 4}, new int[] {2}, true, true, false),
                new Case("2d", new LayerNormalization(-1), new long[] {3, 5}, new int[] {1}, true, true, false),
                new Case("axes 1 2", LayerNormalization.builder().axes(1, 2).build(), new long[] {2, 3, 4},
                        new int[] {1, 2}, true, true, false),
                new Case("axis 1 of 4d", LayerNormalization.builder().axis(1).epsilon(1e-5).build(),
                        new long[] {2, 3, 2, 2}, new int[] {1}, true, true, false),
                new Case("no center no scale", LayerNormalization.builder().center(false).scale(false).build(),
                        new long[] {2, 3, 4}, new int[] {2}, false, false, false),
                new Case("rms scaling", LayerNormalization.builder().rmsScaling(true).center(false).build(),
                        new long[] {2, 3, 4}, new int[] {2}, false, true, true));
        int seed = 1;
        for (Case c : cases) {
            LayerNormalization ln = c.layer();
            ln.build(Shape.of(c.shape()).withDim(0, -1));
            int pn = 1;
            for (int a : c.axes()) {
                pn *= (int) c.shape()[a];
            }
            float[] gamma = c.scale() ? uniform(seed++, pn, 0.5, 1.5) : null;
            float[] beta = c.center() ? uniform(seed++, pn, -1, 1) : null;
            List<Tensor> ws = new ArrayList<>();
            for (Weight w : ln.weightVariables()) {
                ws.add(Tensor.of(w.name().equals("gamma") ? gamma : beta, w.value().shape()));
            }
            ln.setWeights(ws);
            float[] x = uniform(seed++, size(c.shape()), -2, 3);
            float[] want = reference(x, c.shape(), c.axes(), gamma, beta, c.name().contains("4d") ? 1e-5 : 1e-3,
                    c.rms());
            Golden.assertClose(c.name(), want, ln.apply(Tensor.of(x, c.shape())).toFloatArray(), 1e-5);
            // the same in training
            Golden.assertClose(c.name() + " training", want, ln.invoke(List.of(Tensor.of(x, c.shape())), null, true)
                    .tensors().get(0).toFloatArray(), 1e-5);
            LayerGradientCheck.check(c.name(), ln, x, c.shape(), 24);
        }
    }

    @Test
    void weightsAndConfig() {
        LayerNormalization ln = LayerNormalization.builder().axes(-2, -1).build();
        ln.build(Shape.of(-1, 3, 4));
        assertEquals(List.of("gamma", "beta"), ln.weightVariables().stream().map(Weight::name).toList());
        assertArrayEquals(new long[] {3, 4}, ln.weightVariables().get(0).value().shape());
        Map<String, Object> c = Json.roundTrip(ln.getConfig());
        assertEquals(List.of(-2, -1), c.get("axis"));
        assertEquals(List.of("name", "trainable", "dtype", "axis", "epsilon", "center", "scale", "beta_initializer",
                "gamma_initializer", "beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint"),
                new ArrayList<>(c.keySet()));
        assertEquals(c, Json.roundTrip(Layers.deserialize(Layers.serialize(ln)).getConfig()));
        assertEquals(-1, new LayerNormalization().getConfig().get("axis"));
        Layer rms = Layers.deserialize(Map.of("class_name", "LayerNormalization", "config", Map.of("rms_scaling", true,
                "axis", List.of(2))));
        assertEquals(true, rms.getConfig().get("rms_scaling"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LayerNormalization.builder().axes(1, -2).build().build(Shape.of(-1, 3, 4)));
        assertTrue(e.getMessage().contains("duplicate axis"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new LayerNormalization().build(Shape.of(-1, 3, -1)));
        assertTrue(e.getMessage().contains("must be defined"), e.getMessage());
    }
}
