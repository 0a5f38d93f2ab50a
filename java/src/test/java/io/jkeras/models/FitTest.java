package io.jkeras.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.layers.KerasTensor;
import io.jkeras.layers.core.Dense;
import io.jkeras.layers.core.Dropout;
import io.jkeras.optimizers.SGD;
import io.jkeras.regularizers.L1L2;
import io.jkeras.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** compile / fit / evaluate: learning real problems, Keras's logs and splits, determinism, argument errors. */
class FitTest {
    static Map<String, Object> glorot(long seed) {
        return Map.of("class_name", "GlorotUniform", "config", Map.of("seed", seed));
    }

    static Dense dense(int units, String activation, long seed) {
        return Dense.builder(units).activation(activation).kernelInitializer(glorot(seed)).build();
    }

    /** y = 2 x0 - 3 x1 + 1 on 64 random points. */
    static Tensor[] linearData(int n) {
        Random r = new Random(3);
        float[] x = new float[n * 2], y = new float[n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = r.nextFloat() * 2 - 1;
            x[2 * i + 1] = r.nextFloat() * 2 - 1;
            y[i] = 2 * x[2 * i] - 3 * x[2 * i + 1] + 1;
        }
        return new Tensor[] {Tensor.of(x, n, 2), Tensor.of(y, n, 1)};
    }

    static Tensor[] xorData() {
        return new Tensor[] {Tensor.of(new float[] {0, 0, 0, 1, 1, 0, 1, 1}, 4, 2), Tensor.of(new float[] {0, 1, 1, 0}, 4, 1)};
    }

    @Test
    void linearRegressionConverges() {
        Tensor[] d = linearData(64);
        Sequential m = new Sequential(dense(1, null, 1).setInputShape(2));
        m.compile(new SGD(0.1), "mse", List.of());
        History h = m.fit(d[0], d[1], 16, 100, 0, 0.0, true);
        List<Double> loss = h.get("loss");
        assertEquals(100, loss.size());
        assertTrue(loss.get(0) > 1.0, "first epoch loss " + loss.get(0));
        assertTrue(loss.get(99) < 1e-6, "last epoch loss " + loss.get(99));
        float[] kernel = m.getWeights().get(0).toFloatArray();
        float[] bias = m.getWeights().get(1).toFloatArray();
        assertArrayEquals(new float[] {2, -3}, kernel, 1e-3f);
        assertEquals(1f, bias[0], 1e-3f);
        assertTrue(m.evaluate(d[0], d[1], 32, 0).get("loss") < 1e-6);
    }

    @Test
    void xorIsLearnedToFullAccuracy() {
        Tensor[] d = xorData();
        Sequential m = new Sequential(dense(8, "tanh", 11).setInputShape(2), dense(1, "sigmoid", 12));
        m.compile(Map.of("class_name", "Adam", "config", Map.of("lr", 0.05)), "binary_crossentropy",
                List.of("accuracy"));
        History h = m.fit(d[0], d[1], 4, 300, 0, 0.0, false);
        assertEquals(List.of("loss", "accuracy"), List.copyOf(h.history().keySet()));
        assertEquals(1.0, h.get("accuracy").get(299));
        assertTrue(h.get("loss").get(299) < 0.1, "final loss " + h.get("loss").get(299));
        Map<String, Double> ev = m.evaluate(d[0], d[1], 2, 0);
        assertEquals(List.of("loss", "accuracy"), List.copyOf(ev.keySet()));
        assertEquals(1.0, ev.get("accuracy"));
        float[] p = m.predict(d[0]).toFloatArray();
        assertTrue(p[0] < 0.5 && p[1] > 0.5 && p[2] > 0.5 && p[3] < 0.5, java.util.Arrays.toString(p));
    }

    @Test
    void sparseTargetsWithIntLabels() {
        // three separable clusters, labels as int32 of shape (n,)
        Random r = new Random(5);
        int n = 60;
        float[] x = new float[n * 2];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            x[2 * i] = (y[i] == 1 ? 3 : 0) + (float) r.nextGaussian() * 0.2f;
            x[2 * i + 1] = (y[i] == 2 ? 3 : 0) + (float) r.nextGaussian() * 0.2f;
        }
        Sequential m = new Sequential(dense(3, "softmax", 2).setInputShape(2));
        m.compile("adam", "sparse_categorical_crossentropy", List.of("acc"));
        Tensor xs = Tensor.of(x, n, 2), ys = Tensor.ofInts(y, n);
        History h = m.fit(xs, ys, 10, 1, 0, 0.0, true);
        assertEquals(List.of("loss", "acc"), List.copyOf(h.history().keySet()));
        m.compile(new io.jkeras.optimizers.Adam(0.1), "sparse_categorical_crossentropy", List.of("acc"));
        m.fit(xs, ys, 10, 50, 0, 0.0, true);
        assertEquals(1.0, m.evaluate(xs, ys, 16, 0).get("acc"));
    }

    @Test
    void evaluateMatchesAHandComputation() {
        // Dense(1) with kernel (1, 1), bias 0.5: predictions x + 0.5; mse on two samples and binary accuracy
        Sequential m = new Sequential(new Dense(1).setInputShape(2));
        m.setWeights(List.of(Tensor.of(new float[] {1, 1}, 2, 1), Tensor.of(new float[] {0.5f}, 1)));
        m.compile("sgd", "mse", List.of("accuracy"));
        Tensor x = Tensor.of(new float[] {0, 0, 1, -1, 0.25f, 0}, 3, 2); // predictions 0.5, 0.5, 0.75
        Tensor y = Tensor.of(new float[] {0, 1, 1}, 3); // rank 1: Keras adds the unit axis
        Map<String, Double> ev = m.evaluate(x, y, 2, 0);
        assertEquals((0.25 + 0.25 + 0.0625) / 3, ev.get("loss"), 1e-6);
        // 0.5 -> 0 (right for y = 0, wrong for y = 1), 0.75 -> 1 (right)
        assertEquals(2.0 / 3, ev.get("accuracy"), 1e-6);
    }

    @Test
    void validationSplitHoldsOutTheLastSamplesBeforeShuffling() {
        Tensor[] d = linearData(10);
        Sequential m = new Sequential(dense(1, null, 4).setInputShape(2));
        // lr = 0: the weights stay, so the epoch logs are plain evaluations of fixed weights
        m.compile(new SGD(0.0), "mse", List.of());
        History h = m.fit(d[0], d[1], 3, 2, 0, 0.25, true);
        // Keras: split_at = int(10 * 0.75) = 7
        assertEquals(7L, h.params().get("samples"));
        assertEquals(true, h.params().get("do_validation"));
        assertEquals(List.of("loss", "val_loss"), List.copyOf(h.history().keySet()));
        double train = m.evaluate(Batches.rows(d[0], 0, 7), Batches.rows(d[1], 0, 7), 32, 0).get("loss");
        double val = m.evaluate(Batches.rows(d[0], 7, 10), Batches.rows(d[1], 7, 10), 32, 0).get("loss");
        assertNotEquals(train, val, 1e-3);
        for (int e = 0; e < 2; e++) {
            assertEquals(train, h.get("loss").get(e), 1e-5 * Math.max(1, train));
            assertEquals(val, h.get("val_loss").get(e), 1e-5 * Math.max(1, val));
        }
    }

    @Test
    void historyContents() {
        Tensor[] d = linearData(20);
        Sequential m = new Sequential(dense(1, null, 4).setInputShape(2));
        m.compile("sgd", "mse", List.of("mae"));
        History h = m.fit(d[0], d[1], 8, 3, 0, 0.2, false);
        assertEquals(List.of("loss", "mae", "val_loss", "val_mae"), List.copyOf(h.history().keySet()));
        for (List<Double> v : h.history().values()) {
            assertEquals(3, v.size());
        }
        assertEquals(List.of(0, 1, 2), h.epoch());
        assertEquals(3, h.epochSeconds().size());
        assertEquals(8, h.params().get("batch_size"));
        assertEquals(3, h.params().get("epochs"));
        assertEquals(16L, h.params().get("samples"));
        assertEquals(List.of("loss", "mae", "val_loss", "val_mae"), h.params().get("metrics"));
        assertThrows(IllegalArgumentException.class, () -> h.get("accuracy"));
        assertTrue(m.fit(d[0], d[1], 8, 0, 0, 0.0, false).history().isEmpty());
    }

    @Test
    void regularizationLossesAreAddedAndConstraintsApplied() {
        Tensor[] d = linearData(8);
        Sequential plain = new Sequential(dense(1, null, 4).setInputShape(2));
        Sequential reg = new Sequential(Dense.builder(1).kernelInitializer(glorot(4)).kernelRegularizer(L1L2.l2(0.5))
                .build().setInputShape(2));
        plain.compile(new SGD(0.0), "mse", List.of());
        reg.compile(new SGD(0.0), "mse", List.of());
        float[] k = plain.getWeights().get(0).toFloatArray();
        double penalty = 0.5 * (k[0] * k[0] + k[1] * k[1]);
        double lossPlain = plain.fit(d[0], d[1], 8, 1, 0, 0.0, false).get("loss").get(0);
        double lossReg = reg.fit(d[0], d[1], 8, 1, 0, 0.0, false).get("loss").get(0);
        assertEquals(lossPlain + penalty, lossReg, 1e-5);

        // non_neg keeps every kernel entry >= 0 although the target wants -3
        Sequential nonNeg = new Sequential(Dense.builder(1).kernelInitializer(glorot(4)).kernelConstraint("non_neg")
                .build().setInputShape(2));
        nonNeg.compile(new SGD(0.1), "mse", List.of());
        nonNeg.fit(d[0], d[1], 4, 5, 0, 0.0, true);
        for (float v : nonNeg.getWeights().get(0).toFloatArray()) {
            assertTrue(v >= 0f, "kernel entry " + v);
        }
    }

    @Test
    void fitIsDeterministicGivenSeeds() {
        Tensor[] d = linearData(40);
        Supplier<Sequential> make = () -> {
            Sequential m = new Sequential(dense(8, "relu", 21).setInputShape(2), new Dropout(0.3, null, 22L),
                    dense(1, null, 23));
            m.compile("adam", "mse", List.of());
            return m;
        };
        Sequential a = make.get(), b = make.get();
        // without shuffling, seeded initializers and dropout make two runs identical
        List<Double> la = a.fit(d[0], d[1], 8, 4, 0, 0.0, false).get("loss");
        List<Double> lb = b.fit(d[0], d[1], 8, 4, 0, 0.0, false).get("loss");
        assertEquals(la, lb);
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(a.getWeights().get(i).toFloatArray(), b.getWeights().get(i).toFloatArray());
        }
        // with shuffling, the jkeras.seed property seeds the order
        String old = System.getProperty("jkeras.seed");
        System.setProperty("jkeras.seed", "7");
        try {
            Sequential c = make.get(), e = make.get();
            List<Double> lc = c.fit(d[0], d[1], 8, 4, 0, 0.0, true).get("loss");
            List<Double> le = e.fit(d[0], d[1], 8, 4, 0, 0.0, true).get("loss");
            assertEquals(lc, le);
            assertNotEquals(la, lc, "shuffling must change the batches");
        } finally {
            if (old == null) {
                System.clearProperty("jkeras.seed");
            } else {
                System.setProperty("jkeras.seed", old);
            }
        }
    }

    @Test
    void multipleOutputsLogEachLossAndMetric() {
        KerasTensor in = Input.create(2);
        Dense a = dense(1, null, 31);
        a.setName("out_a");
        Dense b = dense(2, "softmax", 32);
        b.setName("out_b");
        Model m = new Model(List.of(in), List.of(a.apply(in), b.apply(in)));
        m.compile("sgd", List.of("mse", "categorical_crossentropy"), List.of("accuracy"));
        Tensor x = Tensor.of(new float[] {0, 1, 1, 0, 1, 1, 0, 0}, 4, 2);
        Tensor ya = Tensor.of(new float[] {1, 1, 2, 0}, 4, 1);
        Tensor yb = Tensor.of(new float[] {1, 0, 0, 1, 1, 0, 0, 1}, 4, 2);
        History h = m.fit(List.of(x), List.of(ya, yb), 2, 2, 0, 0.0, false);
        assertEquals(List.of("loss", "out_a_loss", "out_b_loss", "out_a_accuracy", "out_b_accuracy"),
                List.copyOf(h.history().keySet()));
        for (int e = 0; e < 2; e++) {
            assertEquals(h.get("out_a_loss").get(e) + h.get("out_b_loss").get(e), h.get("loss").get(e), 1e-5);
        }
        Map<String, Double> ev = m.evaluate(List.of(x), List.of(ya, yb), 4, 0);
        assertEquals(ev.get("out_a_loss") + ev.get("out_b_loss"), ev.get("loss"), 1e-5);
        // a loss map by output name
        m.compile("sgd", Map.of("out_b", "categorical_crossentropy", "out_a", "mae"), List.of());
        assertEquals(List.of("loss", "out_a_loss", "out_b_loss"),
                List.copyOf(m.evaluate(List.of(x), List.of(ya, yb), 4, 0).keySet()));
        m.compile("sgd", Map.of("out_a", "mae"), List.of());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> m.evaluate(List.of(x), List.of(ya, yb), 4, 0));
        assertTrue(missing.getMessage().contains("out_b"), missing.getMessage());
        m.compile("sgd", List.of("mse"), List.of());
        assertThrows(IllegalArgumentException.class, () -> m.evaluate(List.of(x), List.of(ya, yb), 4, 0));
    }

    @Test
    void verboseOutput() {
        Tensor[] d = linearData(20);
        Sequential m = new Sequential(dense(1, null, 4).setInputShape(2));
        m.compile("sgd", "mse", List.of("mae"));
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            m.fit(d[0], d[1], 8, 2, 2, 0.2, false);
            m.fit(d[0], d[1], 8, 1, 1, 0.0, false);
            m.fit(d[0], d[1], 8, 1, 0, 0.0, false);
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("Train on 16 samples, validate on 4 samples"), out);
        assertTrue(out.matches("(?s).*Epoch 2/2 - \\d+s - loss: [0-9.e-]+ - mae: [0-9.e-]+ - val_loss: [0-9.e-]+ "
                + "- val_mae: [0-9.e-]+\n.*"), out);
        // verbose 1: the bar, then the Keras line with samples and time per sample
        assertTrue(out.matches("(?s).*Epoch 1/1 - 20/20 - \\d+s \\d+[mu]s/sample - loss: [0-9.e-]+ - mae: [0-9.e-]+\n"
                + ".*"), out);
        assertTrue(out.contains("20/20"), out);
        // "Train on", two verbose-2 epochs, one verbose-1 epoch line; verbose 0 adds nothing
        assertEquals(4, out.split("\n").length - countBarLines(out), out);
    }

    /** Lines the progress bar printed (it redraws with carriage returns and ends with a newline). */
    private static int countBarLines(String out) {
        int n = 0;
        for (String line : out.split("\n")) {
            if (line.contains("[") && line.contains("]")) {
                n++;
            }
        }
        return n;
    }

    @Test
    void sequentialWithoutInputShapeLearnsItFromTheData() {
        Tensor[] d = linearData(8);
        Sequential m = new Sequential(dense(1, null, 4));
        m.compile("sgd", "mse", List.of());
        assertEquals(1, m.fit(d[0], d[1], 4, 1, 0, 0.0, true).get("loss").size());
    }

    @Test
    void argumentErrors() {
        Tensor[] d = linearData(10);
        Sequential m = new Sequential(dense(1, null, 4).setInputShape(2));
        assertThrows(IllegalStateException.class, () -> m.fit(d[0], d[1], 4, 1, 0, 0.0, false));
        m.compile("sgd", "mse", List.of());
        Tensor x = d[0], y = d[1];

        IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                () -> m.fit(x, Tensor.zeros(9, 1), 4, 1, 0, 0.0, false));
        assertTrue(count.getMessage().contains("10 input samples and 9 target samples"), count.getMessage());
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> m.fit(x, Tensor.zeros(10, 3), 4, 1, 0, 0.0, false));
        assertTrue(shape.getMessage().contains("'y'") && shape.getMessage().contains("(1,)")
                && shape.getMessage().contains("(3,)"), shape.getMessage());
        IllegalArgumentException rank = assertThrows(IllegalArgumentException.class,
                () -> m.evaluate(x, Tensor.zeros(10, 1, 1), 4, 0));
        assertTrue(rank.getMessage().contains("2 dimensions"), rank.getMessage());

        IllegalArgumentException bs = assertThrows(IllegalArgumentException.class, () -> m.fit(x, y, 0, 1, 0, 0, false));
        assertTrue(bs.getMessage().contains("batch_size"), bs.getMessage());
        IllegalArgumentException ep = assertThrows(IllegalArgumentException.class, () -> m.fit(x, y, 4, -1, 0, 0, false));
        assertTrue(ep.getMessage().contains("epochs"), ep.getMessage());
        for (double vs : new double[] {1.0, -0.1, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> m.fit(x, y, 4, 1, 0, vs, false));
            assertTrue(e.getMessage().contains("validation_split"), e.getMessage());
        }
        IllegalArgumentException tiny = assertThrows(IllegalArgumentException.class,
                () -> m.fit(Batches.rows(x, 0, 1), Batches.rows(y, 0, 1), 4, 1, 0, 0.5, false));
        assertTrue(tiny.getMessage().contains("validation_split"), tiny.getMessage());
        assertThrows(IllegalArgumentException.class, () -> m.fit(x, y, 4, 1, 3, 0, false));
        assertThrows(IllegalArgumentException.class, () -> m.evaluate(x, y, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> m.fit(List.of(x, x), List.of(y), 4, 1, 0, 0, false));
        assertThrows(IllegalArgumentException.class, () -> m.fit(List.of(x), List.of(y, y), 4, 1, 0, 0, false));

        // categorical_crossentropy with integer labels: Keras's hint
        Sequential c = new Sequential(dense(3, "softmax", 4).setInputShape(2));
        c.compile("adam", "categorical_crossentropy", List.of("accuracy"));
        IllegalArgumentException hint = assertThrows(IllegalArgumentException.class,
                () -> c.fit(x, Tensor.zeros(10, 1), 4, 1, 0, 0.0, false));
        assertTrue(hint.getMessage().contains("sparse_categorical_crossentropy"), hint.getMessage());

        assertThrows(IllegalArgumentException.class, () -> m.compile("sgd", "msee", List.of()));
        assertThrows(IllegalArgumentException.class, () -> m.compile("sgdd", "mse", List.of()));
        assertThrows(IllegalArgumentException.class, () -> m.compile("sgd", "mse", List.of("acuracy")));
        assertThrows(IllegalArgumentException.class, () -> m.compile("sgd", null, List.of()));
        assertFalse(m.getWeights().isEmpty());
    }
}
