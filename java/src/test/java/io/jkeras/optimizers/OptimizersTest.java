package io.jkeras.optimizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.layers.Weight;
import io.jkeras.layers.core.Dense;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Three updates of each optimizer against Keras 2.2.4's update rules written out in double precision, one
 * element at a time, plus a few values worked by hand.
 */
class OptimizersTest {
    static final float[] W0 = {0.5f, -1.0f, 2.0f};
    static final float[][] GRADS = {{0.1f, -0.2f, 0.3f}, {-0.4f, 0.5f, 0.05f}, {0.2f, 0.2f, -0.6f}};

    /** The bias of a Dense(3) on 2 features: a real Weight of shape (3,) set to W0. */
    static Weight weight() {
        Dense d = new Dense(3);
        d.build(Shape.of(-1, 2));
        d.setWeights(List.of(Tensor.zeros(2, 3), Tensor.of(W0.clone(), 3)));
        return d.weightVariables().get(1);
    }

    static float[] run(Optimizer opt, int steps) {
        Weight w = weight();
        for (int s = 0; s < steps; s++) {
            opt.apply(List.of(w), List.of(Tensor.of(GRADS[s].clone(), 3)));
        }
        return w.value().toFloatArray();
    }

    static void assertClose(double[] expected, float[] actual, double tol) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tol * Math.max(1, Math.abs(expected[i])),
                    "element " + i + ": expected " + Arrays.toString(expected) + ", got " + Arrays.toString(actual));
        }
    }

    /** Keras 2.2.4 SGD.get_updates, element-wise. */
    static double[] sgdReference(double lr, double momentum, double decay, boolean nesterov, int steps) {
        double[] p = new double[3], v = new double[3];
        for (int i = 0; i < 3; i++) {
            p[i] = W0[i];
        }
        for (int t = 0; t < steps; t++) {
            double lrT = lr * (1.0 / (1.0 + decay * t));
            for (int i = 0; i < 3; i++) {
                double g = GRADS[t][i];
                v[i] = momentum * v[i] - lrT * g;
                p[i] = nesterov ? p[i] + momentum * v[i] - lrT * g : p[i] + v[i];
            }
        }
        return p;
    }

    /** Keras 2.2.4 Adam.get_updates, element-wise. */
    static double[] adamReference(double lr, double b1, double b2, double eps, double decay, boolean amsgrad,
            int steps) {
        double[] p = new double[3], m = new double[3], v = new double[3], vhat = new double[3];
        for (int i = 0; i < 3; i++) {
            p[i] = W0[i];
        }
        for (int it = 0; it < steps; it++) {
            double lrD = lr * (1.0 / (1.0 + decay * it));
            double t = it + 1;
            double lrT = lrD * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t));
            for (int i = 0; i < 3; i++) {
                double g = GRADS[it][i];
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                vhat[i] = Math.max(vhat[i], v[i]);
                p[i] -= lrT * m[i] / (Math.sqrt(amsgrad ? vhat[i] : v[i]) + eps);
            }
        }
        return p;
    }

    @Test
    void sgdPlainByHand() {
        // 0.5 - 0.1 * 0.1 = 0.49; -1 + 0.1 * 0.2 = -0.98; 2 - 0.1 * 0.3 = 1.97
        assertClose(new double[] {0.49, -0.98, 1.97}, run(new SGD(0.1), 1), 1e-6);
        // three steps: w - lr * (g1 + g2 + g3)
        assertClose(new double[] {0.5 - 0.1 * (-0.1), -1 - 0.1 * 0.5, 2 - 0.1 * (-0.25)}, run(new SGD(0.1), 3), 1e-6);
    }

    @Test
    void sgdMomentumThreeSteps() {
        // step 1: v = -0.01, p = 0.49; step 2: v = 0.9 * -0.01 + 0.04 = 0.031, p = 0.521;
        // step 3: v = 0.0279 - 0.02 = 0.0079, p = 0.5289
        float[] got = run(new SGD(0.1, 0.9, 0.0, false), 3);
        assertEquals(0.5289, got[0], 1e-6);
        assertClose(sgdReference(0.1, 0.9, 0.0, false, 3), got, 1e-6);
    }

    @Test
    void sgdNesterovThreeSteps() {
        // step 1: v = -0.01, p = 0.5 + 0.9 * -0.01 - 0.01 = 0.481
        assertEquals(0.481, run(new SGD(0.1, 0.9, 0.0, true), 1)[0], 1e-6);
        assertClose(sgdReference(0.1, 0.9, 0.0, true, 3), run(new SGD(0.1, 0.9, 0.0, true), 3), 1e-6);
    }

    @Test
    void sgdDecayUsesTheIterationsBeforeTheStep() {
        SGD opt = new SGD(0.1, 0.5, 0.5, false);
        assertClose(sgdReference(0.1, 0.5, 0.5, false, 3), run(opt, 3), 1e-6);
        assertEquals(3, opt.iterations());
    }

    @Test
    void adamThreeSteps() {
        // step 1 by hand: m = 0.1 g, v = 0.001 g^2, lr_t = 0.001 * sqrt(0.001) / 0.1, so
        // p -= lr_t * 0.1 g / (sqrt(0.001) |g| + 1e-7) ~= 0.001 * sign(g)
        float[] one = run(new Adam(), 1);
        assertEquals(0.499, one[0], 1e-6);
        assertEquals(-0.999, one[1], 1e-6);
        assertEquals(1.999, one[2], 1e-6);
        assertClose(adamReference(0.001, 0.9, 0.999, 1e-7, 0.0, false, 3), run(new Adam(), 3), 1e-6);
        assertClose(adamReference(0.05, 0.8, 0.99, 1e-3, 0.0, false, 3),
                run(new Adam(0.05, 0.8, 0.99, 1e-3, 0.0, false), 3), 1e-6);
    }

    @Test
    void adamWithDecay() {
        assertClose(adamReference(0.05, 0.9, 0.999, 1e-7, 0.3, false, 3),
                run(new Adam(0.05, 0.9, 0.999, 1e-7, 0.3, false), 3), 1e-6);
    }

    @Test
    void adamAmsgrad() {
        // beta_2 = 0.5 lets v fall at step 2 (element 2: g = 0.3 then 0.05), where vhat keeps the maximum
        double[] ams = adamReference(0.05, 0.9, 0.5, 1e-7, 0.0, true, 3);
        double[] plain = adamReference(0.05, 0.9, 0.5, 1e-7, 0.0, false, 3);
        assertTrue(Math.abs(ams[2] - plain[2]) > 1e-3, "the case must tell amsgrad from plain Adam");
        assertClose(ams, run(new Adam(0.05, 0.9, 0.5, 1e-7, 0.0, true), 3), 1e-6);
    }

    @Test
    void clipnormScalesByTheGlobalNorm() {
        // |g1| = sqrt(0.01 + 0.04 + 0.09) = 0.374; clipnorm 0.1 scales it by 0.1 / 0.374
        SGD opt = new SGD(1.0, 0.0, 0.0, false, 0.1, null);
        float[] got = run(opt, 1);
        double scale = 0.1 / Math.sqrt(0.14);
        assertClose(new double[] {0.5 - 0.1 * scale, -1 + 0.2 * scale, 2 - 0.3 * scale}, got, 1e-6);
        // a norm below clipnorm is left alone
        assertClose(new double[] {0.4, -0.8, 1.7}, run(new SGD(1.0, 0.0, 0.0, false, 10.0, null), 1), 1e-6);
    }

    @Test
    void clipvalueClipsEachElement() {
        float[] got = run(new SGD(1.0, 0.0, 0.0, false, null, 0.15), 1);
        assertClose(new double[] {0.4, -0.85, 1.85}, got, 1e-6);
    }

    @Test
    void nullGradientLeavesTheWeight() {
        Weight w = weight();
        Adam adam = new Adam();
        adam.apply(List.of(w), java.util.Collections.singletonList(null));
        assertArrayEquals(W0, w.value().toFloatArray());
        assertEquals(1, adam.iterations());
    }

    @Test
    void gradientShapeAndCountAreChecked() {
        Weight w = weight();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SGD().apply(List.of(w), List.of(Tensor.zeros(4))));
        assertTrue(e.getMessage().contains("(4,)") && e.getMessage().contains("(3,)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SGD().apply(List.of(w), List.of()));
    }

    @Test
    void argumentsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new SGD(-0.1));
        assertThrows(IllegalArgumentException.class, () -> new SGD(0.1, -1, 0, false));
        assertThrows(IllegalArgumentException.class, () -> new Adam(0.1, 1.0, 0.999, 1e-7, 0, false));
        assertThrows(IllegalArgumentException.class, () -> new Adam(0.1, 0.9, 0.999, 1e-7, -1, false));
    }

    @Test
    void getByNameAndConfig() {
        assertInstanceOf(SGD.class, Optimizers.get("sgd"));
        assertInstanceOf(SGD.class, Optimizers.get("SGD"));
        Optimizer adam = Optimizers.get("adam");
        assertInstanceOf(Adam.class, adam);
        assertEquals(0.001f, adam.learningRate());
        assertSame(adam, Optimizers.get(adam));
        assertNotSame(Optimizers.get("adam"), Optimizers.get("adam"));

        // Keras 2.2.4 writes "lr"
        Optimizer k2 = Optimizers.get(Map.of("class_name", "Adam", "config", Map.of("lr", 0.01, "beta_1", 0.8,
                "beta_2", 0.99, "decay", 0.0, "epsilon", 1e-7, "amsgrad", false)));
        assertEquals(0.01f, k2.learningRate());
        assertEquals(0.8f, ((Adam) k2).beta1());
        // tf.keras writes "learning_rate" and a name
        Optimizer tf = Optimizers.get(Map.of("class_name", "SGD", "config", Map.of("name", "SGD", "learning_rate", 0.2,
                "momentum", 0.9, "nesterov", true, "decay", 0.0)));
        assertEquals(0.2f, tf.learningRate());
        assertTrue(((SGD) tf).nesterov());

        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> Optimizers.get("adagrad_typo"));
        assertTrue(unknown.getMessage().contains("adagrad_typo"), unknown.getMessage());
        IllegalArgumentException badKey = assertThrows(IllegalArgumentException.class,
                () -> Optimizers.get(Map.of("class_name", "SGD", "config", Map.of("momentom", 0.9))));
        assertTrue(badKey.getMessage().contains("momentom"), badKey.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Optimizers.get(Map.of("class_name", "SGD", "config", Map.of("lr", 0.1, "learning_rate", 0.1))));
    }

    @Test
    void configsHaveKeras224Keys() {
        assertEquals(List.of("lr", "momentum", "decay", "nesterov"), List.copyOf(new SGD().getConfig().keySet()));
        assertEquals(List.of("lr", "beta_1", "beta_2", "decay", "epsilon", "amsgrad"),
                List.copyOf(new Adam().getConfig().keySet()));
        Map<String, Object> s = Optimizers.serialize(new SGD(0.5, 0.9, 0.0, true));
        assertEquals("SGD", s.get("class_name"));
        SGD back = (SGD) Optimizers.get(s);
        assertEquals(0.5f, back.learningRate());
        assertEquals(0.9f, back.momentum());
        assertTrue(back.nesterov());
        assertTrue(new SGD(0.1, 0, 0, false, 1.0, null).getConfig().containsKey("clipnorm"));
    }
}
