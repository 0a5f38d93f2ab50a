package io.jkeras.initializers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.tensor.Scope;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Statistics of the random initializers on 200 x 300 draws: means within 5 standard errors, standard
 * deviations within about 5 standard errors of their own.
 */
class RandomInitializersTest {
    private static final long[] SHAPE = {200, 300};
    private static final double N = 200 * 300;
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
    void randomNormal() {
        Stats s = Stats.of(new RandomNormal(0.5, 2.0, 1L).apply(SHAPE));
        assertEquals(0.5, s.mean(), 5 * 2.0 / Math.sqrt(N));
        assertEquals(2.0, s.std(), 5 * 2.0 / Math.sqrt(2 * N));
        assertTrue(s.max() > 0.5 + 3 * 2.0, "a normal of 60000 draws passes 3 stddev: " + s);
    }

    @Test
    void randomNormalDefaults() {
        Stats s = Stats.of(new RandomNormal().apply(SHAPE));
        assertEquals(0.0, s.mean(), 5 * 0.05 / Math.sqrt(N));
        assertEquals(0.05, s.std(), 5 * 0.05 / Math.sqrt(2 * N));
    }

    @Test
    void randomUniform() {
        Stats s = Stats.of(new RandomUniform(-0.3, 0.7, 2L).apply(SHAPE));
        double std = 1.0 / Math.sqrt(12);
        assertTrue(s.min() >= -0.3 && s.max() < 0.7, s.toString());
        assertTrue(s.min() < -0.299 && s.max() > 0.699, "the draws fill the interval: " + s);
        assertEquals(0.2, s.mean(), 5 * std / Math.sqrt(N));
        assertEquals(std, s.std(), 5 * std * Math.sqrt(0.8 / (4 * N)));
    }

    @Test
    void randomUniformDefaults() {
        Stats s = Stats.of(new RandomUniform().apply(SHAPE));
        assertTrue(s.min() >= -0.05 && s.max() < 0.05 && s.maxAbs() > 0.0499, s.toString());
    }

    @Test
    void truncatedNormal() {
        Stats s = Stats.of(new TruncatedNormal(1.0, 0.5, 3L).apply(SHAPE));
        // A unit normal truncated at +-2 has stddev 0.8796.
        double std = 0.5 * 0.87962566103423978;
        assertTrue(s.min() >= 1.0 - 2 * 0.5 && s.max() <= 1.0 + 2 * 0.5, s.toString());
        assertTrue(s.min() < 1.0 - 1.9 * 0.5 && s.max() > 1.0 + 1.9 * 0.5, s.toString());
        assertEquals(1.0, s.mean(), 5 * std / Math.sqrt(N));
        assertEquals(std, s.std(), 5 * std / Math.sqrt(2 * N));
    }

    @Test
    void seededInitializersRepeatTheirValues() {
        List<Initializer> seeded = List.of(new RandomNormal(0, 1, 42L), new RandomUniform(-1, 1, 42L),
                new TruncatedNormal(0, 1, 42L), new VarianceScaling(1, "fan_avg", "untruncated_normal", 42L),
                new GlorotUniform(42L), new HeNormal(42L), new Orthogonal(1, 42L));
        for (Initializer init : seeded) {
            float[] a = init.apply(30, 20).toFloatArray();
            assertArrayEquals(a, init.apply(30, 20).toFloatArray(), init.className());
            assertArrayEquals(a, Initializers.get(Initializers.serialize(init)).apply(30, 20).toFloatArray(),
                    init.className() + " rebuilt from its config");
        }
    }

    @Test
    void seedsAndUnseededCallsDiffer() {
        assertFalse(Arrays.equals(new RandomNormal(0, 1, 1L).apply(10, 10).toFloatArray(),
                new RandomNormal(0, 1, 2L).apply(10, 10).toFloatArray()));
        List<Initializer> unseeded = List.of(new RandomNormal(), new RandomUniform(), new TruncatedNormal(),
                new GlorotNormal(), new LecunUniform(), new Orthogonal());
        for (Initializer init : unseeded) {
            assertFalse(Arrays.equals(init.apply(10, 10).toFloatArray(), init.apply(10, 10).toFloatArray()),
                    init.className());
        }
    }
}
