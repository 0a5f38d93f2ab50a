package io.jkeras.initializers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.tensor.Scope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Keras 2.2.4's fans and scales, checked on a conv kernel (3, 3, 16, 32): fan_in 144, fan_out 288. */
class VarianceScalingTest {
    private static final long[] KERNEL = {3, 3, 16, 32};
    private static final double FAN_IN = 144;
    private static final double FAN_OUT = 288;
    private static final double FAN_AVG = 216;
    private static final double N = 3 * 3 * 16 * 32;
    private Scope scope;

    @BeforeEach
    void open() {
        scope = Scope.open();
    }

    @AfterEach
    void close() {
        scope.close();
    }

    @Test
    void fans() {
        assertArrayEquals(new double[] {144, 288}, VarianceScaling.fans(KERNEL));
        assertArrayEquals(new double[] {3 * 5, 3 * 7}, VarianceScaling.fans(new long[] {3, 5, 7}));
        assertArrayEquals(new double[] {2 * 3 * 4 * 5, 2 * 3 * 4 * 6}, VarianceScaling.fans(new long[] {2, 3, 4, 5, 6}));
        assertArrayEquals(new double[] {10, 20}, VarianceScaling.fans(new long[] {10, 20}));
        assertArrayEquals(new double[] {4, 4}, VarianceScaling.fans(new long[] {16}));
        assertArrayEquals(new double[] {1, 1}, VarianceScaling.fans(new long[] {}));
    }

    private static void checkUniform(Initializer init, double scale, double n) {
        double limit = Math.sqrt(3 * scale / n);
        Stats s = Stats.of(init.apply(KERNEL));
        String what = init.className() + " " + init.getConfig();
        assertTrue(s.min() >= -limit && s.max() < limit, what + ": " + s + " outside +-" + limit);
        assertTrue(s.maxAbs() > 0.99 * limit, what + ": " + s + " does not reach " + limit);
        assertEquals(0, s.mean(), 5 * limit / Math.sqrt(3 * N), what);
        assertEquals(limit / Math.sqrt(3), s.std(), 5 * limit / Math.sqrt(3) * Math.sqrt(0.8 / (4 * N)), what);
    }

    /** Truncated at 2 of its stddev, which is sqrt(scale / n) / 0.8796 so that the draws have sqrt(scale / n). */
    private static void checkTruncated(Initializer init, double scale, double n) {
        double std = Math.sqrt(scale / n);
        double bound = 2 * std / 0.87962566103423978;
        Stats s = Stats.of(init.apply(KERNEL));
        String what = init.className() + " " + init.getConfig();
        assertTrue(s.maxAbs() <= bound * (1 + 1e-6), what + ": " + s + " outside +-" + bound);
        assertTrue(s.maxAbs() > 0.95 * bound, what + ": " + s + " does not reach " + bound);
        assertEquals(0, s.mean(), 5 * std / Math.sqrt(N), what);
        assertEquals(std, s.std(), 5 * std / Math.sqrt(2 * N), what);
    }

    @Test
    void uniformForEachMode() {
        checkUniform(new VarianceScaling(1.0, "fan_in", "uniform", 1L), 1.0, FAN_IN);
        checkUniform(new VarianceScaling(2.0, "fan_out", "uniform", 2L), 2.0, FAN_OUT);
        checkUniform(new VarianceScaling(0.5, "fan_avg", "uniform", 3L), 0.5, FAN_AVG);
    }

    @Test
    void normalAndTruncatedNormalAreTheSameTruncatedDraws() {
        checkTruncated(new VarianceScaling(1.0, "fan_in", "normal", 4L), 1.0, FAN_IN);
        checkTruncated(new VarianceScaling(3.0, "fan_out", "truncated_normal", 5L), 3.0, FAN_OUT);
        checkTruncated(new VarianceScaling(), 1.0, FAN_IN);
        assertArrayEquals(new VarianceScaling(2, "fan_avg", "normal", 6L).apply(KERNEL).toFloatArray(),
                new VarianceScaling(2, "fan_avg", "truncated_normal", 6L).apply(KERNEL).toFloatArray());
    }

    @Test
    void untruncatedNormal() {
        double std = Math.sqrt(2.0 / FAN_AVG);
        Stats s = Stats.of(new VarianceScaling(2.0, "fan_avg", "untruncated_normal", 7L).apply(KERNEL));
        assertEquals(0, s.mean(), 5 * std / Math.sqrt(N));
        assertEquals(std, s.std(), 5 * std / Math.sqrt(2 * N));
        assertTrue(s.maxAbs() > 3 * std, "untruncated draws pass 3 stddev: " + s);
    }

    @Test
    void emptyAndScalarShapes() {
        // A fan of 0 counts as 1, as Keras's max(1, fan): the limit stays finite.
        Initializer init = new VarianceScaling(1.0, "fan_in", "uniform", 8L);
        assertEquals(0, init.apply(0, 5).size());
        float v = init.apply().item();
        assertTrue(Math.abs(v) < Math.sqrt(3), "a scalar has fans sqrt(1) = 1: " + v);
    }

    @Test
    void shortcutsAreVarianceScaling() {
        long seed = 11;
        assertSame(new GlorotUniform(seed), new VarianceScaling(1, "fan_avg", "uniform", seed));
        assertSame(new GlorotNormal(seed), new VarianceScaling(1, "fan_avg", "normal", seed));
        assertSame(new HeUniform(seed), new VarianceScaling(2, "fan_in", "uniform", seed));
        assertSame(new HeNormal(seed), new VarianceScaling(2, "fan_in", "normal", seed));
        assertSame(new LecunUniform(seed), new VarianceScaling(1, "fan_in", "uniform", seed));
        assertSame(new LecunNormal(seed), new VarianceScaling(1, "fan_in", "normal", seed));
        checkUniform(new GlorotUniform(), 1.0, FAN_AVG);
        checkTruncated(new HeNormal(), 2.0, FAN_IN);
    }

    private static void assertSame(Initializer a, Initializer b) {
        assertArrayEquals(b.apply(KERNEL).toFloatArray(), a.apply(KERNEL).toFloatArray(), a.className());
    }
}
