package io.jkeras.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.initializers.Constant;
import io.jkeras.initializers.RandomNormal;
import io.jkeras.layers.core.Dense;
import io.jkeras.models.History;
import io.jkeras.models.Input;
import io.jkeras.models.Model;
import io.jkeras.models.Sequential;
import io.jkeras.ops.GradientTape;
import io.jkeras.ops.Ops;
import io.jkeras.optimizers.SGD;
import io.jkeras.saving.ConfigMap;
import io.jkeras.saving.Json;
import io.jkeras.tensor.Scope;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import io.jkeras.testing.Golden;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A user's own layer, written the Keras way: a subclass of {@link Layer} that creates its weights in build with
 * addWeight, composes ops in call (so the tape differentiates it), reports its output shape and adds its
 * arguments to the config; registered with {@link Layers#register} it deserializes like a built-in layer.
 */
class CustomLayerTest {
    /** y = scale * tanh(x @ kernel) + offset * (x @ kernel)^2, over the last axis. */
    static final class ScaledTanh extends Layer {
        private static final java.util.Set<String> KEYS = keys("units", "scale", "seed");
        private final int units;
        private final double scale;
        private final long seed;
        private Tensor kernel;
        private Tensor offset;

        ScaledTanh(int units, double scale, long seed) {
            this.units = units;
            this.scale = scale;
            this.seed = seed;
            supportsMasking = true;
        }

        private ScaledTanh(ConfigMap c) {
            super(c);
            c.checkKnown(KEYS);
            this.units = c.getInt("units", -1);
            this.scale = c.getDouble("scale", 1.0);
            this.seed = c.getLong("seed", 0);
            supportsMasking = true;
        }

        static ScaledTanh fromConfig(Map<String, Object> config) {
            return new ScaledTanh(new ConfigMap("ScaledTanh", config));
        }

        @Override
        protected void doBuild(Shape inputShape) {
            kernel = addWeight("kernel", new long[] {inputShape.dim(-1), units}, new RandomNormal(0, 0.5, seed),
                    null, null, true);
            offset = addWeight("offset", new long[] {units}, new Constant(0.1), null, null, true);
        }

        @Override
        protected Tensor call(Tensor input, Tensor mask, boolean training) {
            Tensor z = Ops.matmul(input, kernel);
            return Ops.add(Ops.mul(Ops.tanh(z), (float) scale), Ops.mul(Ops.square(z), offset));
        }

        @Override
        public Shape computeOutputShape(Shape inputShape) {
            return inputShape.withDim(-1, units);
        }

        @Override
        public Map<String, Object> getConfig() {
            Map<String, Object> c = super.getConfig();
            c.put("units", units);
            c.put("scale", scale);
            c.put("seed", seed);
            return c;
        }
    }

    private Scope scope;

    @BeforeAll
    static void register() {
        Layers.register("ScaledTanh", ScaledTanh::fromConfig);
    }

    @BeforeEach
    void openScope() {
        scope = Scope.open();
    }

    @AfterEach
    void closeScope() {
        scope.close();
    }

    private static Tensor random(long seed, long... shape) {
        Random r = new Random(seed);
        float[] v = new float[(int) Shape.of(shape).size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return Tensor.of(v, shape);
    }

    /** The layer's formula in double precision, from the inputs and weights as floats. */
    private static double[] reference(float[] x, int rows, int in, float[] k, int units, float[] off, double scale) {
        double[] y = new double[rows * units];
        for (int r = 0; r < rows; r++) {
            for (int u = 0; u < units; u++) {
                double z = 0;
                for (int i = 0; i < in; i++) {
                    z += (double) x[r * in + i] * k[i * units + u];
                }
                y[r * units + u] = scale * Math.tanh(z) + off[u] * z * z;
            }
        }
        return y;
    }

    private static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    // ---------------------------------------------------------------------------------------------- build

    @Test
    void buildCreatesSeededWeightsInOrder() {
        ScaledTanh a = new ScaledTanh(50, 1.5, 42);
        ScaledTanh b = new ScaledTanh(50, 1.5, 42);
        ScaledTanh c = new ScaledTanh(50, 1.5, 43);
        assertFalse(a.isBuilt());
        assertEquals(0, a.getWeights().size());
        for (ScaledTanh l : List.of(a, b, c)) {
            l.build(Shape.of(-1, 100));
        }
        assertTrue(a.isBuilt());
        assertEquals(List.of("kernel", "offset"), a.weightVariables().stream().map(Weight::name).toList());
        assertEquals(100 * 50 + 50, a.countParams());
        float[] ka = a.getWeights().get(0).toFloatArray();
        assertArrayEquals(new long[] {100, 50}, a.getWeights().get(0).shape());
        assertArrayEquals(ka, b.getWeights().get(0).toFloatArray(), "the same seed gives the same kernel");
        assertFalse(java.util.Arrays.equals(ka, c.getWeights().get(0).toFloatArray()), "another seed, another kernel");
        double mean = 0, sq = 0;
        for (float v : ka) {
            mean += v;
            sq += v * v;
        }
        mean /= ka.length;
        double std = Math.sqrt(sq / ka.length - mean * mean);
        assertEquals(0.0, mean, 0.03, "RandomNormal(0, 0.5) mean");
        assertEquals(0.5, std, 0.03, "RandomNormal(0, 0.5) stddev");
        float[] off = a.getWeights().get(1).toFloatArray();
        for (float v : off) {
            assertEquals(0.1f, v, 0f);
        }
        assertEquals(2, a.trainableWeightVariables().size());
    }

    @Test
    void callMatchesTheFormula() {
        ScaledTanh l = new ScaledTanh(3, 1.5, 7);
        Tensor x = random(1, 4, 5);
        Tensor y = l.apply(x);
        assertArrayEquals(new long[] {4, 3}, y.shape());
        List<Tensor> w = l.getWeights();
        double[] want = reference(x.toFloatArray(), 4, 5, w.get(0).toFloatArray(), 3, w.get(1).toFloatArray(), 1.5);
        Golden.assertClose("custom layer forward", toFloats(want), y.toFloatArray(), 1e-5);
        // Rank 3: the last axis, as Dense.
        Tensor y3 = l.apply(Ops.reshape(x, 2, 2, 5));
        assertArrayEquals(new long[] {2, 2, 3}, y3.shape());
        Golden.assertClose("custom layer rank 3", toFloats(want), y3.toFloatArray(), 1e-5);
    }

    @Test
    void outputShapeInAGraph() {
        ScaledTanh l = new ScaledTanh(6, 1.0, 1);
        assertEquals(Shape.of(-1, 7, 6), l.computeOutputShape(Shape.of(-1, 7, 4)));
        KerasTensor in = Input.create(4);
        KerasTensor out = l.apply(in);
        assertEquals(Shape.of(-1, 6), out.shape());
        Model m = new Model(in, new Dense(2).apply(out));
        assertEquals(List.of(Shape.of(-1, 2)), m.computeOutputShape(List.of(Shape.of(-1, 4))));
        assertArrayEquals(new long[] {3, 2}, m.predict(random(2, 3, 4)).shape());
        assertEquals("scaled_tanh", new ScaledTanh(1, 1, 1).getName().replaceAll("_\\d+$", ""),
                "the default name is the class name in snake case");
    }

    // --------------------------------------------------------------------------------------------- config

    @Test
    void configRoundTripThroughTheRegistry() {
        ScaledTanh l = new ScaledTanh(3, 2.5, 11);
        l.setName("my_custom").setInputShape(5);
        Map<String, Object> c = Json.roundTrip(l.getConfig());
        assertEquals(new TreeSet<>(List.of("name", "trainable", "batch_input_shape", "dtype", "units", "scale", "seed")),
                new TreeSet<>(c.keySet()));
        assertEquals(3, c.get("units"));
        assertEquals(2.5, c.get("scale"));
        assertEquals(11, c.get("seed"));

        String json = Json.write(Layers.serialize(l));
        assertTrue(json.contains("\"class_name\":\"ScaledTanh\""), json);
        Layer back = Layers.deserialize(json);
        assertInstanceOf(ScaledTanh.class, back);
        assertEquals(c, Json.roundTrip(back.getConfig()));
        assertEquals(Shape.of(-1, 5), back.batchInputShape());

        Tensor x = random(3, 2, 5);
        Tensor y = l.apply(x);
        back.build(Shape.of(-1, 5));
        back.setWeights(l.getWeights());
        Golden.assertClose("deserialized custom layer", y.toFloatArray(), back.apply(x).toFloatArray(), 0);
    }

    @Test
    void unregisteredCustomClassFailsWithAHint() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Layers.deserialize(
                "{\"class_name\":\"NobodyRegisteredMe\",\"config\":{\"name\":\"x\"}}"));
        assertTrue(e.getMessage().contains("NobodyRegisteredMe") && e.getMessage().contains("Layers.register"),
                e.getMessage());
    }

    @Test
    void customLayerInsideASequentialConfig() {
        Sequential s = new Sequential(new ScaledTanh(4, 1.0, 5).setInputShape(3), new Dense(1));
        Sequential back = Sequential.fromConfig((Object) Json.parseObject(Json.write(s.getConfig())));
        assertInstanceOf(ScaledTanh.class, back.layers().get(0));
        back.setWeights(s.getWeights());
        Tensor x = random(4, 6, 3);
        Golden.assertClose("sequential with a custom layer", s.predict(x).toFloatArray(),
                back.predict(x).toFloatArray(), 0);
    }

    // ------------------------------------------------------------------------------------------ gradients

    private static double loss(Layer l, Tensor x, Tensor up) {
        try (Scope s = Scope.open()) {
            float[] y = l.invoke(List.of(x), null, false).tensors().get(0).toFloatArray();
            float[] u = up.toFloatArray();
            double sum = 0;
            for (int i = 0; i < y.length; i++) {
                sum += (double) y[i] * u[i];
            }
            return sum;
        }
    }

    /** Central differences of sum(layer(x) * up) with respect to every element of the input and the weights. */
    @Test
    void tapeGradientMatchesFiniteDifferences() {
        ScaledTanh l = new ScaledTanh(3, 1.5, 21);
        Tensor x = random(5, 4, 5);
        Tensor up = random(6, 4, 3);
        l.build(Shape.of(-1, 5));

        List<Tensor> sources = new ArrayList<>();
        sources.add(x);
        for (Weight w : l.weightVariables()) {
            sources.add(w.value());
        }
        List<Tensor> grads;
        try (GradientTape tape = new GradientTape()) {
            tape.watch(sources);
            Tensor y = l.invoke(List.of(x), null, false).tensors().get(0);
            grads = tape.gradient(Ops.sum(Ops.mul(y, up)), sources);
        }

        double eps = 1e-2;
        // The input.
        float[] xv = x.toFloatArray();
        float[] numeric = new float[xv.length];
        for (int i = 0; i < xv.length; i++) {
            float[] p = xv.clone();
            float[] m = xv.clone();
            p[i] += (float) eps;
            m[i] -= (float) eps;
            numeric[i] = (float) ((loss(l, Tensor.of(p, x.shape()), up) - loss(l, Tensor.of(m, x.shape()), up))
                    / (2 * eps));
        }
        assertNotNull(grads.get(0));
        Golden.assertClose("d loss / d input", numeric, grads.get(0).toFloatArray(), 2e-3);

        // Each weight, perturbed in place through setWeights.
        List<Tensor> base = l.getWeights();
        for (int wi = 0; wi < base.size(); wi++) {
            float[] wv = base.get(wi).toFloatArray();
            float[] num = new float[wv.length];
            for (int i = 0; i < wv.length; i++) {
                double[] side = new double[2];
                for (int s = 0; s < 2; s++) {
                    float[] pert = wv.clone();
                    pert[i] += (float) (s == 0 ? eps : -eps);
                    List<Tensor> ws = new ArrayList<>(base);
                    ws.set(wi, Tensor.of(pert, base.get(wi).shape()));
                    l.setWeights(ws);
                    side[s] = loss(l, x, up);
                }
                num[i] = (float) ((side[0] - side[1]) / (2 * eps));
            }
            l.setWeights(base);
            assertNotNull(grads.get(wi + 1), "no gradient for " + l.weightVariables().get(wi).name());
            Golden.assertClose("d loss / d " + l.weightVariables().get(wi).name(), num,
                    grads.get(wi + 1).toFloatArray(), 2e-3);
        }
    }

    // ------------------------------------------------------------------------------------------- training

    @Test
    void trainsInsideASequential() {
        Sequential s = new Sequential(new ScaledTanh(8, 1.0, 3).setInputShape(4), new Dense(1));
        ScaledTanh custom = (ScaledTanh) s.layers().get(0);
        float[] kernelBefore = custom.getWeights().get(0).toFloatArray();
        // Target: a smooth function of the inputs.
        int n = 64;
        Tensor x = random(7, n, 4);
        float[] xv = x.toFloatArray();
        float[] yv = new float[n];
        for (int i = 0; i < n; i++) {
            yv[i] = (float) Math.sin(xv[4 * i] + 0.5 * xv[4 * i + 1]) - 0.3f * xv[4 * i + 3];
        }
        Tensor y = Tensor.of(yv, n, 1);
        s.compile(new SGD(0.1), "mse", List.of());
        History h = s.fit(x, y, 16, 40, 0, 0.0, false);
        List<Double> losses = h.get("loss");
        assertEquals(40, losses.size());
        assertTrue(losses.get(39) < 0.5 * losses.get(0), "the loss should at least halve: " + losses);
        assertFalse(java.util.Arrays.equals(kernelBefore, custom.getWeights().get(0).toFloatArray()),
                "the custom layer's kernel was trained");
        double mse = s.evaluate(x, y, 32, 0).get("loss");
        assertEquals(losses.get(39), mse, 0.05 + 0.5 * mse, "evaluate agrees roughly with the last epoch's loss");
    }
}
