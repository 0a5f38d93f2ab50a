package io.jkeras.constraints;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.ops.Ops;
import io.jkeras.saving.Json;
import io.jkeras.tensor.Scope;
import io.jkeras.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Keras 2's formulas on w = [[3, 0, 1], [4, 0.5, -1]]: column norms (axis 0) 5, 0.5, sqrt(2); row norms (axis 1)
 * sqrt(10), sqrt(17.25); whole norm sqrt(27.25).
 */
class ConstraintsTest {
    private static final double[][] W = {{3, 0, 1}, {4, 0.5, -1}};
    private static final double EPS = 1e-7;
    private Scope scope;

    @BeforeEach
    void open() {
        scope = Scope.open();
    }

    @AfterEach
    void close() {
        scope.close();
    }

    private static Tensor w() {
        return Tensor.of(new float[] {3, 0, 1, 4, 0.5f, -1}, 2, 3);
    }

    /** w * f(norm) / (eps + norm), with the norms of the columns (axis 0), rows (axis 1) or all (null). */
    private static float[] rescaled(Integer axis, DoubleUnaryOperator desired) {
        float[] out = new float[6];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                double n = 0;
                for (int a = 0; a < 2; a++) {
                    for (int b = 0; b < 3; b++) {
                        boolean same = axis == null || (axis == 0 ? b == j : a == i);
                        n += same ? W[a][b] * W[a][b] : 0;
                    }
                }
                n = Math.sqrt(n);
                out[i * 3 + j] = (float) (W[i][j] * desired.applyAsDouble(n) / (EPS + n));
            }
        }
        return out;
    }

    private static void assertClose(float[] expected, Tensor actual) {
        float[] a = actual.toFloatArray();
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], a[i], 1e-6 * Math.max(1, Math.abs(expected[i])),
                    Arrays.toString(expected) + " vs " + Arrays.toString(a));
        }
    }

    @Test
    void maxNorm() {
        assertClose(rescaled(0, n -> Math.min(n, 2)), new MaxNorm().apply(w()));
        assertClose(new float[] {2 * 3 / 5f, 0, 1, 2 * 4 / 5f, 0.5f, -1}, new MaxNorm(2.0, 0).apply(w()));
        assertClose(rescaled(1, n -> Math.min(n, 3.5)), new MaxNorm(3.5, 1).apply(w()));
        assertClose(rescaled(null, n -> Math.min(n, 1)), new MaxNorm(1, 0, 1).apply(w()));
        assertClose(rescaled(null, n -> Math.min(n, 1)), new MaxNorm(1, (int[]) null).apply(w()));
    }

    @Test
    void unitNorm() {
        assertClose(rescaled(0, n -> 1), new UnitNorm().apply(w()));
        assertClose(rescaled(1, n -> 1), new UnitNorm(-1).apply(w()));
        float[] zero = new UnitNorm().apply(Tensor.zeros(2, 3)).toFloatArray();
        assertArrayEquals(new float[6], zero, "epsilon keeps an all-zero weight finite");
    }

    @Test
    void minMaxNorm() {
        assertClose(rescaled(0, n -> Math.max(0, Math.min(n, 1))), new MinMaxNorm().apply(w()));
        assertClose(rescaled(0, n -> 0.5 * Math.max(1, Math.min(n, 2)) + 0.5 * n), new MinMaxNorm(1, 2, 0.5, 0)
                .apply(w()));
        assertClose(rescaled(1, n -> 0.25 * Math.max(3.5, Math.min(n, 4)) + 0.75 * n), new MinMaxNorm(3.5, 4, 0.25, 1)
                .apply(w()));
    }

    @Test
    void nonNeg() {
        // As Keras's w * (w >= 0), a negative element becomes -0.0, which the delta counts as 0.
        assertArrayEquals(new float[] {0, 0, 2, 0, 0.5f}, new NonNeg().apply(Tensor.of(new float[] {-1, 0, 2, -0.1f,
            0.5f}, 5)).toFloatArray(), 0f);
    }

    private static Map<String, Object> config(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void configsAndNames() {
        assertEquals(config("max_value", 2.0, "axis", 0), new MaxNorm().getConfig());
        assertEquals(config("axis", 0), new UnitNorm().getConfig());
        assertEquals(config("min_value", 0.0, "max_value", 1.0, "rate", 1.0, "axis", 0), new MinMaxNorm().getConfig());
        assertEquals(config(), new NonNeg().getConfig());
        assertEquals(config("max_value", 3.0, "axis", List.of(0, 1, 2)),
                Constraints.get(Json.parseObject("{\"class_name\": \"MaxNorm\", \"config\": {\"max_value\": 3, "
                        + "\"axis\": [0, 1, 2]}}")).getConfig());
        assertEquals(config("axis", null), Constraints.get(Json.parseObject(
                "{\"class_name\": \"UnitNorm\", \"config\": {\"axis\": null}}")).getConfig());
        Map<String, String> names = Map.of("max_norm", "MaxNorm", "non_neg", "NonNeg", "unit_norm", "UnitNorm",
                "min_max_norm", "MinMaxNorm", "MaxNorm", "MaxNorm", "NonNeg", "NonNeg", "UnitNorm", "UnitNorm",
                "MinMaxNorm", "MinMaxNorm");
        names.forEach((alias, cls) -> assertEquals(cls, Constraints.get(alias).className(), alias));
    }

    @Test
    void roundTrip() {
        List<Constraint> all = List.of(new MaxNorm(3, 1), new MaxNorm(1.5, 0, 1, 2), new MaxNorm(1, (int[]) null),
                new NonNeg(), new UnitNorm(-1), new UnitNorm(0, 1), new MinMaxNorm(0.5, 2, 0.3, 2));
        for (Constraint c : all) {
            String json = Json.write(Constraints.serialize(c));
            Constraint back = Constraints.get(Json.parseObject(json));
            assertEquals(c.className(), back.className(), json);
            assertEquals(c.getConfig(), back.getConfig(), json);
        }
    }

    private static void assertBad(String owner, String argument, Executable e) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        assertTrue(x.getMessage().contains(owner) && x.getMessage().contains(argument), x.getMessage());
    }

    @Test
    void badArguments() {
        assertBad("MaxNorm", "max_value", () -> new MaxNorm(-1));
        assertBad("MinMaxNorm", "min_value", () -> new MinMaxNorm(2, 1, 1, 0));
        assertBad("MinMaxNorm", "rate", () -> new MinMaxNorm(0, 1, Double.NaN, 0));
        assertBad("MaxNorm", "axes", () -> Constraints.get(Map.of("class_name", "MaxNorm",
                "config", Map.of("axes", 1))));
        assertBad("UnitNorm", "axis", () -> Constraints.get(Map.of("class_name", "UnitNorm",
                "config", Map.of("axis", "rows"))));
    }

    @Test
    void customConstraint() {
        CustomConstraint c = CustomConstraint.register("clip_unit", w -> Ops.clip(w, -1f, 1f));
        assertEquals(c, Constraints.get(Constraints.serialize(c)));
        assertArrayEquals(new float[] {1, 0, 1, 1, 0.5f, -1}, Constraints.get("clip_unit").apply(w()).toFloatArray());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> CustomConstraint.of("flatten", w -> w.reshapeView(6)).apply(w()));
        assertTrue(e.getMessage().contains("flatten"), e.getMessage());
    }
}
