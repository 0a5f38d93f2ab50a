package io.jkeras.layers.noise;

import static io.jkeras.layers.merge.GradientChecks.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.layers.Layer;
import io.jkeras.layers.Layers;
import io.jkeras.ops.GradientTape;
import io.jkeras.ops.NoiseOps;
import io.jkeras.ops.Ops;
import io.jkeras.saving.Json;
import io.jkeras.tensor.Scope;
import io.jkeras.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The noise layers: identity in inference, their distributions in training, seeding, gradients, configs. */
class NoiseLayersTest {
    private Scope scope;

    @BeforeEach
    void open() {
        scope = Scope.open();
    }

    @AfterEach
    void close() {
        scope.close();
    }

    private static Tensor train(Layer l, Tensor x) {
        return l.invoke(List.of(x), null, true).tensors().get(0);
    }

    private static double[] meanVar(float[] v) {
        double m = 0, s = 0;
        for (float f : v) {
            m += f;
        }
        m /= v.length;
        for (float f : v) {
            s += (f - m) * (f - m);
        }
        return new double[] {m, s / v.length};
    }

    @Test
    void inferenceIsTheIdentity() {
        Tensor x = Tensor.of(uniform(1, 24, -2, 2), 2, 3, 4);
        for (Layer l : List.of(new GaussianNoise(0.5), new GaussianDropout(0.3), new AlphaDropout(0.2))) {
            assertSame(x, l.apply(x), l.className());
        }
        // and in training for the rates Keras leaves alone
        assertSame(x, train(new GaussianDropout(0), x));
        assertSame(x, train(new GaussianDropout(1), x));
        assertSame(x, train(new AlphaDropout(0), x));
        assertSame(x, train(new AlphaDropout(1), x));
    }

    @Test
    void gaussianNoiseAddsZeroMeanNoiseOfTheStddev() {
        Tensor x = Tensor.full(3f, 200, 250);
        float[] y = train(new GaussianNoise(0.5, 7L), x).toFloatArray();
        double[] mv = meanVar(y);
        assertEquals(3.0, mv[0], 0.01);
        assertEquals(0.25, mv[1], 0.01);
        // a second call draws again
        assertFalse(java.util.Arrays.equals(y, train(new GaussianNoise(0.5, 8L), x).toFloatArray()));
    }

    @Test
    void gaussianDropoutMultipliesByOneCentredNoise() {
        double rate = 0.3;
        Tensor x = Tensor.full(2f, 200, 250);
        float[] y = train(new GaussianDropout(rate, 3L), x).toFloatArray();
        double[] mv = meanVar(y);
        assertEquals(2.0, mv[0], 0.02);
        assertEquals(4 * rate / (1 - rate), mv[1], 0.03);
    }

    @Test
    void alphaDropoutKeepsMeanAndVarianceOfStandardInputs() {
        double rate = 0.2;
        double[] k = NoiseOps.alphaDropoutConstants(rate);
        double alphaP = k[0], a = k[1], b = k[2];
        assertEquals(-1.7580993408473766, alphaP, 1e-12);
        // Keras's formulas
        assertEquals(Math.pow((1 - rate) * (1 + rate * alphaP * alphaP), -0.5), a, 1e-15);
        assertEquals(-a * alphaP * rate, b, 1e-15);
        float[] x = new float[50000];
        java.util.Random r = new java.util.Random(5);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        Tensor xt = Tensor.of(x, 200, 250);
        float[] y = train(new AlphaDropout(rate, null, 11L), xt).toFloatArray();
        int dropped = 0;
        for (int i = 0; i < y.length; i++) {
            float keptValue = (float) (a * x[i] + b), droppedValue = (float) (a * alphaP + b);
            boolean kept = Math.abs(y[i] - keptValue) < 1e-5;
            boolean drop = Math.abs(y[i] - droppedValue) < 1e-5;
            assertTrue(kept || drop, "element " + i + " is neither a x + b nor a alpha_p + b: " + y[i]);
            if (!kept) {
                dropped++;
            }
        }
        assertEquals(rate, dropped / (double) y.length, 0.01);
        double[] mv = meanVar(y);
        assertEquals(0, mv[0], 0.02);
        assertEquals(1, mv[1], 0.03);
    }

    @Test
    void alphaDropoutNoiseShapeSharesTheMask() {
        double[] k = NoiseOps.alphaDropoutConstants(0.5);
        Tensor x = Tensor.of(uniform(9, 2 * 50 * 3, -1, 1), 2, 50, 3);
        AlphaDropout l = new AlphaDropout(0.5, new long[] {-1, 1, 3}, 5L);
        float[] y = train(l, x).toFloatArray();
        float[] xv = x.toFloatArray();
        for (int b = 0; b < 2; b++) {
            for (int c = 0; c < 3; c++) {
                boolean first = Math.abs(y[b * 150 + c] - (float) (k[1] * xv[b * 150 + c] + k[2])) < 1e-5;
                for (int t = 0; t < 50; t++) {
                    int f = b * 150 + t * 3 + c;
                    boolean kept = Math.abs(y[f] - (float) (k[1] * xv[f] + k[2])) < 1e-5;
                    assertEquals(first, kept, "the mask is shared along the time axis");
                }
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> train(new AlphaDropout(0.5, new long[] {2, 3}, null), x));
        assertTrue(e.getMessage().contains("noise_shape"), e.getMessage());
    }

    @Test
    void seededLayersRepeatTheirDraws() {
        Tensor x = Tensor.of(uniform(1, 60, -1, 1), 3, 20);
        for (int i = 0; i < 3; i++) {
            Layer[] pair = switch (i) {
                case 0 -> new Layer[] {new GaussianNoise(0.3, 42L), new GaussianNoise(0.3, 42L)};
                case 1 -> new Layer[] {new GaussianDropout(0.3, 42L), new GaussianDropout(0.3, 42L)};
                default -> new Layer[] {new AlphaDropout(0.3, null, 42L), new AlphaDropout(0.3, null, 42L)};
            };
            float[] first = train(pair[0], x).toFloatArray();
            assertArrayEquals(first, train(pair[1], x).toFloatArray(), pair[0].className());
            assertFalse(java.util.Arrays.equals(first, train(pair[0], x).toFloatArray()),
                    pair[0].className() + ": the next call draws new noise");
        }
    }

    @Test
    void gradientsInTraining() {
        Tensor x = Tensor.of(uniform(3, 40, -1, 1), 4, 10);
        // GaussianNoise: identity; GaussianDropout: the noise; AlphaDropout: a on kept elements, 0 on dropped
        for (Layer l : List.of(new GaussianNoise(0.5, 1L), new GaussianDropout(0.4, 1L), new AlphaDropout(0.4, null,
                1L))) {
            float[] g;
            float[] y;
            try (GradientTape tape = new GradientTape()) {
                tape.watch(x);
                Tensor out = train(l, x);
                y = out.toFloatArray();
                g = tape.gradient(Ops.sum(out), List.of(x)).get(0).toFloatArray();
            }
            float[] xv = x.toFloatArray();
            for (int i = 0; i < g.length; i++) {
                double want = switch (l.className()) {
                    case "GaussianNoise" -> 1;
                    case "GaussianDropout" -> y[i] / xv[i];
                    default -> {
                        double[] k = NoiseOps.alphaDropoutConstants(0.4);
                        yield Math.abs(y[i] - (k[1] * xv[i] + k[2])) < 1e-5 ? k[1] : 0;
                    }
                };
                assertEquals(want, g[i], 1e-4, l.className() + " gradient " + i);
            }
        }
    }

    @Test
    void configs() {
        assertEquals(List.of("name", "trainable", "dtype", "stddev"), new ArrayList<>(new GaussianNoise(0.1)
                .getConfig().keySet()));
        assertEquals(List.of("name", "trainable", "dtype", "rate"), new ArrayList<>(new GaussianDropout(0.1)
                .getConfig().keySet()));
        assertEquals(List.of("name", "trainable", "dtype", "rate"), new ArrayList<>(new AlphaDropout(0.1)
                .getConfig().keySet()));
        for (Layer l : List.of(new GaussianNoise(0.1, 3L), new GaussianDropout(0.2, 4L),
                new AlphaDropout(0.3, new long[] {-1, 1, 4}, 9L), new AlphaDropout(0.4))) {
            Map<String, Object> c = Json.roundTrip(l.getConfig());
            assertEquals(c, Json.roundTrip(Layers.deserialize(Layers.serialize(l)).getConfig()), l.className());
        }
        // noise_shape as Keras writes it: None for the input's own size
        assertEquals(java.util.Arrays.asList(null, 1L, 4L), new AlphaDropout(0.3, new long[] {-1, 1, 4}, 9L)
                .getConfig().get("noise_shape"));
        // Keras 1 names
        assertEquals(0.2, Layers.deserialize(Map.of("class_name", "GaussianNoise", "config", Map.of("sigma", 0.2)))
                .getConfig().get("stddev"));
        assertEquals(0.4, Layers.deserialize(Map.of("class_name", "GaussianDropout", "config", Map.of("p", 0.4)))
                .getConfig().get("rate"));
    }

    @Test
    void errors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new GaussianNoise(-1));
        assertTrue(e.getMessage().contains("stddev"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new GaussianDropout(1.5));
        assertTrue(e.getMessage().contains("rate"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new AlphaDropout(-0.1));
        assertTrue(e.getMessage().contains("rate"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Layers.deserialize(Map.of("class_name",
                "GaussianNoise", "config", Map.of())));
        assertTrue(e.getMessage().contains("stddev"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Layers.deserialize(Map.of("class_name",
                "AlphaDropout", "config", Map.of("rate", 0.1, "scale", 2))));
        assertTrue(e.getMessage().contains("unknown argument"), e.getMessage());
    }

    @Test
    void masksPassThrough() {
        Tensor m = Tensor.of(new float[] {1, 0}, 1, 2);
        for (Layer l : List.of(new GaussianNoise(0.5), new GaussianDropout(0.3), new AlphaDropout(0.2))) {
            assertSame(m, l.invoke(List.of(Tensor.ones(1, 2, 3)), Collections.singletonList(m), true).masks().get(0));
        }
    }
}
