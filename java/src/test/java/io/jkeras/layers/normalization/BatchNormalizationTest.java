package io.jkeras.layers.normalization;

import static io.jkeras.layers.merge.GradientChecks.size;
import static io.jkeras.layers.merge.GradientChecks.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.layers.Layer;
import io.jkeras.layers.Layers;
import io.jkeras.layers.Weight;
import io.jkeras.layers.core.Dense;
import io.jkeras.layers.merge.GradientChecks;
import io.jkeras.models.Sequential;
import io.jkeras.ops.GradientTape;
import io.jkeras.ops.Ops;
import io.jkeras.optimizers.SGD;
import io.jkeras.saving.Json;
import io.jkeras.tensor.Scope;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import io.jkeras.testing.Golden;
import io.jkeras.testing.LayerGradientCheck;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * BatchNormalization against float64 loops: inference with the moving statistics, training with the batch's
 * (and Keras 2.2.4's moving-average update), both data formats, gradients through the batch statistics, the
 * update kept off the tape, fit(), weights, configs and errors.
 */
class BatchNormalizationTest {
    private Scope scope;

    @BeforeEach
    void open() {
        scope = Scope.open();
    }

    @AfterEach
    void close() {
        scope.close();
    }

    /** Per-channel {mean, biased variance, count} of x over every axis but `axis`. */
    static double[][] stats(float[] x, long[] shape, int axis) {
        int c = (int) shape[axis];
        long inner = 1;
        for (int d = axis + 1; d < shape.length; d++) {
            inner *= shape[d];
        }
        double n = x.length / (double) c;
        double[] mean = new double[c], var = new double[c];
        for (int f = 0; f < x.length; f++) {
            mean[(int) ((f / inner) % c)] += x[f] / n;
        }
        for (int f = 0; f < x.length; f++) {
            int ch = (int) ((f / inner) % c);
            var[ch] += (x[f] - mean[ch]) * (x[f] - mean[ch]) / n;
        }
        return new double[][] {mean, var, {n}};
    }

    static float[] normalize(float[] x, long[] shape, int axis, double[] mean, double[] var, float[] gamma,
            float[] beta, double eps) {
        int c = (int) shape[axis];
        long inner = 1;
        for (int d = axis + 1; d < shape.length; d++) {
            inner *= shape[d];
        }
        float[] y = new float[x.length];
        for (int f = 0; f < x.length; f++) {
            int ch = (int) ((f / inner) % c);
            double v = (x[f] - mean[ch]) / Math.sqrt(var[ch] + eps);
            y[f] = (float) (v * (gamma == null ? 1 : gamma[ch]) + (beta == null ? 0 : beta[ch]));
        }
        return y;
    }

    private static double[] d(float[] v) {
        double[] o = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            o[i] = v[i];
        }
        return o;
    }

    /** A built layer with random gamma, beta, moving mean and variance; returns [gamma, beta, mm, mv]. */
    private static float[][] randomize(BatchNormalization bn, int c, long seed) {
        float[][] w = {uniform(seed, c, 0.5, 1.5), uniform(seed + 1, c, -1, 1), uniform(seed + 2, c, -1, 1),
            uniform(seed + 3, c, 0.5, 1.5)};
        List<Tensor> values = new ArrayList<>();
        List<Weight> ws = bn.weightVariables();
        for (Weight wt : ws) {
            float[] v = switch (wt.name()) {
                case "gamma" -> w[0];
                case "beta" -> w[1];
                case "moving_mean" -> w[2];
                default -> w[3];
            };
            values.add(Tensor.of(v, c));
        }
        bn.setWeights(values);
        return w;
    }

    private record Case(String name, BatchNormalization layer, long[] shape, int axis, boolean center,
            boolean scale) {
    }

    private static List<Case> cases() {
        return List.of(
                new Case("2d", new BatchNormalization(), new long[] {6, 5}, 1, true, true),
                new Case("4d channels_last", new BatchNormalization(-1), new long[] {2, 3, 4, 3}, 3, true, true),
                new Case("4d channels_first", new BatchNormalization(1), new long[] {2, 3, 4, 5}, 1, true, true),
                new Case("3d axis 1", BatchNormalization.builder().axis(-2).build(), new long[] {3, 4, 2}, 1, true,
                        true),
                new Case("no center", BatchNormalization.builder().center(false).epsilon(0.01).build(),
                        new long[] {3, 2, 4}, 2, false, true),
                new Case("no scale", BatchNormalization.builder().scale(false).build(), new long[] {3, 2, 4}, 2,
                        true, false),
                new Case("5d channels_first", new BatchNormalization(1), new long[] {2, 2, 3, 2, 2}, 1, true, true));
    }

    @Test
    void weightsInKerasOrder() {
        BatchNormalization bn = new BatchNormalization();
        bn.build(Shape.of(-1, 4, 3));
        assertEquals(List.of("gamma", "beta", "moving_mean", "moving_variance"),
                bn.weightVariables().stream().map(Weight::name).toList());
        assertEquals(List.of(true, true, false, false), bn.weightVariables().stream().map(Weight::trainable).toList());
        assertEquals(2, bn.trainableWeightVariables().size());
        assertArrayEquals(new float[] {1, 1, 1}, bn.getWeights().get(0).toFloatArray());
        assertArrayEquals(new float[] {0, 0, 0}, bn.getWeights().get(1).toFloatArray());
        assertArrayEquals(new float[] {0, 0, 0}, bn.getWeights().get(2).toFloatArray());
        assertArrayEquals(new float[] {1, 1, 1}, bn.getWeights().get(3).toFloatArray());
        BatchNormalization cf = BatchNormalization.builder().axis(1).center(false).build();
        cf.build(Shape.of(-1, 4, 3));
        assertEquals(List.of("gamma", "moving_mean", "moving_variance"),
                cf.weightVariables().stream().map(Weight::name).toList());
        assertArrayEquals(new long[] {4}, cf.weightVariables().get(0).value().shape());
        BatchNormalization multi = BatchNormalization.builder().axes(1, 2).build();
        multi.build(Shape.of(-1, 4, 3, 2));
        assertArrayEquals(new long[] {1, 4, 3, 1}, multi.weightVariables().get(0).value().shape());
    }

    @Test
    void inferenceUsesTheMovingStatistics() {
        for (Case c : cases()) {
            c.layer().build(Shape.of(c.shape()).withDim(0, -1));
            int ch = (int) c.shape()[c.axis()];
            float[][] w = randomize(c.layer(), ch, 11);
            float[] x = uniform(21, size(c.shape()), -2, 2);
            float[] y = c.layer().apply(Tensor.of(x, c.shape())).toFloatArray();
            float[] want = normalize(x, c.shape(), c.axis(), d(w[2]), d(w[3]), c.scale() ? w[0] : null,
                    c.center() ? w[1] : null, c.layer().epsilon());
            Golden.assertClose(c.name() + " inference", want, y, 1e-5);
            LayerGradientCheck.check(c.name() + " inference", c.layer(), x, c.shape(), 20);
        }
    }

    @Test
    void trainingUsesBatchStatisticsAndUpdatesTheMovingOnes() {
        for (Case c : cases()) {
            BatchNormalization bn = c.layer();
            bn.build(Shape.of(c.shape()).withDim(0, -1));
            int ch = (int) c.shape()[c.axis()];
            float[][] w = randomize(bn, ch, 31);
            double[] mm = d(w[2]), mv = d(w[3]);
            for (int step = 0; step < 3; step++) {
                float[] x = uniform(41 + step, size(c.shape()), -2, 3);
                Tensor y = bn.invoke(List.of(Tensor.of(x, c.shape())), null, true).tensors().get(0);
                double[][] s = stats(x, c.shape(), c.axis());
                float[] want = normalize(x, c.shape(), c.axis(), s[0], s[1], c.scale() ? w[0] : null,
                        c.center() ? w[1] : null, bn.epsilon());
                Golden.assertClose(c.name() + " training output " + step, want, y.toFloatArray(), 1e-5);
                double n = s[2][0];
                for (int k = 0; k < ch; k++) {
                    mm[k] = mm[k] * 0.99 + s[0][k] * 0.01;
                    mv[k] = mv[k] * 0.99 + s[1][k] * n / (n - (1 + bn.epsilon())) * 0.01;
                }
                List<Tensor> now = bn.getWeights();
                int i = (c.scale() ? 1 : 0) + (c.center() ? 1 : 0);
                Golden.assertClose(c.name() + " moving_mean " + step, toF(mm), now.get(i).toFloatArray(), 1e-6);
                Golden.assertClose(c.name() + " moving_variance " + step, toF(mv), now.get(i + 1).toFloatArray(), 1e-6);
                if (c.scale()) {
                    assertArrayEquals(w[0], now.get(0).toFloatArray(), "gamma untouched");
                }
            }
        }
    }

    private static float[] toF(double[] v) {
        float[] o = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            o[i] = (float) v[i];
        }
        return o;
    }

    @Test
    void trainingGradientsFlowThroughTheBatchStatistics() {
        for (Case c : cases()) {
            c.layer().build(Shape.of(c.shape()).withDim(0, -1));
            randomize(c.layer(), (int) c.shape()[c.axis()], 51);
            GradientChecks.check(c.name() + " training", c.layer(), List.of(uniform(61, size(c.shape()), -2, 2)),
                    List.of(c.shape()), null, true, 24);
        }
    }

    @Test
    void theMovingAverageUpdateStaysOffTheTape() {
        BatchNormalization bn = new BatchNormalization();
        bn.build(Shape.of(-1, 3));
        randomize(bn, 3, 71);
        Tensor x = Tensor.of(uniform(72, 12, -1, 1), 4, 3);
        List<Tensor> sources = new ArrayList<>();
        sources.add(x);
        bn.weightVariables().forEach(w -> sources.add(w.value()));
        List<Tensor> grads;
        float[] before = bn.getWeights().get(2).toFloatArray();
        try (GradientTape tape = new GradientTape()) {
            tape.watch(sources);
            Tensor y = bn.invoke(List.of(x), null, true).tensors().get(0);
            grads = tape.gradient(Ops.sum(Ops.square(y)), sources);
        }
        assertNotNull(grads.get(0));
        assertNotNull(grads.get(1));
        assertNotNull(grads.get(2));
        assertNull(grads.get(3), "no gradient reaches moving_mean");
        assertNull(grads.get(4), "no gradient reaches moving_variance");
        assertFalse(java.util.Arrays.equals(before, bn.getWeights().get(2).toFloatArray()), "moving_mean updated");
    }

    @Test
    void aFrozenLayerDoesNotUpdateItsMovingStatistics() {
        BatchNormalization bn = new BatchNormalization();
        bn.build(Shape.of(-1, 3));
        bn.setTrainable(false);
        float[] mm = bn.getWeights().get(2).toFloatArray();
        bn.invoke(List.of(Tensor.of(uniform(3, 12, -1, 1), 4, 3)), null, true);
        assertArrayEquals(mm, bn.getWeights().get(2).toFloatArray());
        BatchNormalization fromConfig = (BatchNormalization) Layers.deserialize(Map.of("class_name",
                "BatchNormalization", "config", Map.of("trainable", false)));
        fromConfig.invoke(List.of(Tensor.of(uniform(3, 12, -1, 1), 4, 3)), null, true);
        assertArrayEquals(new float[] {0, 0, 0}, fromConfig.getWeights().get(2).toFloatArray());
    }

    @Test
    void fitUpdatesTheMovingStatisticsOncePerBatch() {
        BatchNormalization bn = new BatchNormalization();
        Dense dense = new Dense(2);
        Sequential model = new Sequential(bn, dense);
        bn.setInputShape(3);
        model.compile(new SGD(0.1), "mse", null);
        float[] x = uniform(81, 24, -1, 3);
        float[] t = uniform(82, 16, -1, 1);
        model.fit(Tensor.of(x, 8, 3), Tensor.of(t, 8, 2), 4, 1, 0, 0.0, false);
        double[] mm = new double[3], mv = {1, 1, 1};
        for (int b = 0; b < 2; b++) {
            float[] xb = java.util.Arrays.copyOfRange(x, b * 12, b * 12 + 12);
            double[][] s = stats(xb, new long[] {4, 3}, 1);
            for (int k = 0; k < 3; k++) {
                mm[k] = mm[k] * 0.99 + s[0][k] * 0.01;
                mv[k] = mv[k] * 0.99 + s[1][k] * 4 / (4 - 1.001) * 0.01;
            }
        }
        Golden.assertClose("moving_mean after fit", toF(mm), bn.getWeights().get(2).toFloatArray(), 1e-6);
        Golden.assertClose("moving_variance after fit", toF(mv), bn.getWeights().get(3).toFloatArray(), 1e-6);
        // predict runs in inference mode: the moving statistics are used and left alone
        Tensor y = bn.apply(Tensor.of(x, 8, 3));
        float[] gamma = bn.getWeights().get(0).toFloatArray(), beta = bn.getWeights().get(1).toFloatArray();
        Golden.assertClose("inference after fit", normalize(x, new long[] {8, 3}, 1, mm, mv, gamma, beta, 1e-3),
                y.toFloatArray(), 1e-5);
        model.predict(Tensor.of(x, 8, 3));
        Golden.assertClose("moving_mean after predict", toF(mm), bn.getWeights().get(2).toFloatArray(), 1e-6);
    }

    @Test
    void configRoundTripAndOtherKerasVersions() {
        BatchNormalization bn = BatchNormalization.builder().axis(1).momentum(0.9).epsilon(1e-5).center(false)
                .gammaRegularizer("l2").betaConstraint("non_neg").movingVarianceInitializer("zeros").build();
        Map<String, Object> c = Json.roundTrip(bn.getConfig());
        assertEquals(List.of("name", "trainable", "dtype", "axis", "momentum", "epsilon", "center", "scale",
                "beta_initializer", "gamma_initializer", "moving_mean_initializer", "moving_variance_initializer",
                "beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint"),
                new ArrayList<>(c.keySet()));
        assertEquals(1, c.get("axis"));
        assertEquals(c, Json.roundTrip(Layers.deserialize(Layers.serialize(bn)).getConfig()));
        // tf.keras writes the axis as a list and its own options at their defaults
        Map<String, Object> tfk = new HashMap<>(Map.of("axis", List.of(3), "renorm", false, "renorm_clipping",
                Map.of(), "renorm_momentum", 0.99, "fused", true, "momentum", 0.99, "epsilon", 0.001));
        tfk.put("virtual_batch_size", null);
        tfk.put("adjustment", null);
        Layer t = Layers.deserialize(Map.of("class_name", "BatchNormalization", "config", tfk));
        t.build(Shape.of(-1, 2, 2, 5));
        assertArrayEquals(new long[] {5}, t.weightVariables().get(0).value().shape());
        assertEquals(List.of(3), t.getConfig().get("axis"));
        assertEquals("BatchNormalization", Layers.deserialize(Map.of("class_name", "BatchNormalizationV1",
                "config", Map.of())).className());
        // Keras 1: mode 0, beta_init / gamma_init
        Layer k1 = Layers.deserialize(Map.of("class_name", "BatchNormalization", "config", Map.of("mode", 0,
                "gamma_init", "zero", "axis", -1)));
        k1.build(Shape.of(-1, 2));
        assertArrayEquals(new float[] {0, 0}, k1.getWeights().get(0).toFloatArray());
    }

    @Test
    void errors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Layers.deserialize(
                Map.of("class_name", "BatchNormalization", "config", Map.of("renorm", true))));
        assertTrue(e.getMessage().contains("renorm"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Layers.deserialize(
                Map.of("class_name", "BatchNormalization", "config", Map.of("mode", 2))));
        assertTrue(e.getMessage().contains("mode=2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new BatchNormalization().build(Shape.of(-1, 3, -1)));
        assertTrue(e.getMessage().contains("should have a defined dimension"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new BatchNormalization(3).build(Shape.of(-1, 3, 2)));
        assertTrue(e.getMessage().contains("invalid axis 3"), e.getMessage());
        BatchNormalization built = new BatchNormalization();
        built.build(Shape.of(-1, 3));
        e = assertThrows(IllegalArgumentException.class, () -> built.apply(Tensor.ones(2, 4)));
        assertTrue(e.getMessage().contains("expected axis"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> built.apply(Tensor.ones(2, 2, 3)));
        assertTrue(e.getMessage().contains("expected ndim=2"), e.getMessage());
    }

    @Test
    void maskPassesThrough() {
        BatchNormalization bn = new BatchNormalization();
        Tensor m = Tensor.of(new float[] {1, 0, 1, 1}, 2, 2);
        assertSame(m, bn.invoke(List.of(Tensor.ones(2, 2, 3)), Collections.singletonList(m), true).masks().get(0));
    }
}
