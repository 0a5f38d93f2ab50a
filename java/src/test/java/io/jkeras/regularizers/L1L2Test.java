package io.jkeras.regularizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.ops.GradientTape;
import io.jkeras.ops.Ops;
import io.jkeras.saving.Json;
import io.jkeras.tensor.Scope;
import io.jkeras.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Penalties on x = [[1, -2, 3], [-4, 0.5, -0.5]]: sum |x| = 11, sum x^2 = 30.5. */
class L1L2Test {
    private static final float[] X = {1, -2, 3, -4, 0.5f, -0.5f};
    private Scope scope;

    @BeforeEach
    void open() {
        scope = Scope.open();
    }

    @AfterEach
    void close() {
        scope.close();
    }

    private static Tensor x() {
        return Tensor.of(X, 2, 3);
    }

    private static Map<String, Object> config(double l1, double l2) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("l1", l1);
        m.put("l2", l2);
        return m;
    }

    @Test
    void penalties() {
        assertEquals(0.1 * 11 + 0.2 * 30.5, new L1L2(0.1, 0.2).apply(x()).item(), 1e-5);
        assertEquals(0.01 * 11, L1L2.l1(0.01).apply(x()).item(), 1e-6);
        assertEquals(0.01 * 30.5, L1L2.l2(0.01).apply(x()).item(), 1e-6);
        assertEquals(0.3 * 11 + 0.05 * 30.5, L1L2.l1l2(0.3, 0.05).apply(x()).item(), 1e-5);
        Tensor p = new L1L2(0.1, 0.2).apply(x());
        assertEquals(0, p.rank(), "the penalty is a scalar");
    }

    @Test
    void noPenaltyIsAScalarZeroWithoutGradient() {
        Tensor x = x();
        try (GradientTape tape = new GradientTape()) {
            tape.watch(x);
            Tensor p = new L1L2(0, 0).apply(x);
            assertArrayEquals(new long[0], p.shape());
            assertEquals(0f, p.item());
            assertNull(tape.gradient(p, List.of(x)).get(0));
        }
    }

    /** d/dx (l1 sum|x| + l2 sum x^2) = l1 sign(x) + 2 l2 x. */
    @Test
    void gradient() {
        double l1 = 0.1;
        double l2 = 0.2;
        Tensor x = x();
        try (GradientTape tape = new GradientTape()) {
            tape.watch(x);
            Tensor g = tape.gradient(new L1L2(l1, l2).apply(x), List.of(x)).get(0);
            float[] expected = new float[X.length];
            for (int i = 0; i < X.length; i++) {
                expected[i] = (float) (l1 * Math.signum(X[i]) + 2 * l2 * X[i]);
            }
            assertArrayEquals(expected, g.toFloatArray(), 1e-6f);
        }
    }

    @Test
    void namesAndConfigs() {
        assertEquals(config(0.01, 0.0), Regularizers.get("l1").getConfig());
        assertEquals(config(0.0, 0.01), Regularizers.get("l2").getConfig());
        assertEquals(config(0.01, 0.01), Regularizers.get("l1_l2").getConfig());
        assertEquals(config(0.0, 0.0), Regularizers.get("L1L2").getConfig());
        assertEquals(config(0.3, 0.0), Regularizers.get(Map.of("class_name", "L1", "config", Map.of("l1", 0.3)))
                .getConfig());
        assertEquals(config(0.0, 0.4), Regularizers.get(Map.of("class_name", "L2", "config", Map.of("l2", 0.4)))
                .getConfig());
        assertEquals(config(0.5, 0.0), Regularizers.get(Map.of("class_name", "l1", "config", Map.of("l", 0.5)))
                .getConfig());
        Regularizer fromKeras = Regularizers.get(Json.parseObject(
                "{\"class_name\": \"L1L2\", \"config\": {\"l1\": 0, \"l2\": 1}}"));
        assertEquals(config(0.0, 1.0), fromKeras.getConfig());
        assertEquals("L1L2", Regularizers.get("L1").className());
    }

    @Test
    void roundTrip() {
        L1L2 r = new L1L2(0.125, 3e-4);
        Regularizer back = Regularizers.get(Json.parseObject(Json.write(Regularizers.serialize(r))));
        assertEquals("L1L2", back.className());
        assertEquals(r.getConfig(), back.getConfig());
    }

    @Test
    void badArguments() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new L1L2(Double.NaN, 0));
        assertTrue(e.getMessage().contains("L1L2") && e.getMessage().contains("l1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new L1L2(0, Double.POSITIVE_INFINITY));
        assertTrue(e.getMessage().contains("L1L2") && e.getMessage().contains("l2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Regularizers.get(Map.of("class_name", "L1L2", "config", Map.of("l3", 1))));
        assertTrue(e.getMessage().contains("L1L2") && e.getMessage().contains("l3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Regularizers.get(Map.of("class_name", "L1L2", "config", Map.of("l1", "big"))));
        assertTrue(e.getMessage().contains("L1L2") && e.getMessage().contains("l1"), e.getMessage());
    }

    @Test
    void customRegularizer() {
        CustomRegularizer r = CustomRegularizer.register("sum_cubes", x -> Ops.sum(Ops.pow(x, 3f)));
        assertEquals(r, Regularizers.get(Regularizers.serialize(r)));
        Tensor x = Tensor.of(new float[] {1, 2}, 2);
        try (GradientTape tape = new GradientTape()) {
            tape.watch(x);
            Tensor p = Regularizers.get("sum_cubes").apply(x);
            assertEquals(9f, p.item(), 1e-6f);
            assertArrayEquals(new float[] {3, 12}, tape.gradient(p, List.of(x)).get(0).toFloatArray(), 1e-5f);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> CustomRegularizer.of("not_scalar", Ops::square).apply(Tensor.of(new float[] {1, 2}, 2)));
        assertTrue(e.getMessage().contains("not_scalar"), e.getMessage());
    }
}
