package io.jkeras.initializers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.saving.Json;
import io.jkeras.tensor.Scope;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Keras's class names, aliases and config keys; configs round-trip through JSON. */
class InitializerConfigTest {
    private static Map<String, Object> config(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void everyClassRoundTripsThroughJson() {
        List<Initializer> all = List.of(new Zeros(), new Ones(), new Constant(0.25), new RandomNormal(1, 2, 3L),
                new RandomUniform(-1, 2, null), new TruncatedNormal(0.5, 0.1, 7L),
                new VarianceScaling(2.0, "fan_out", "untruncated_normal", 11L), new Orthogonal(1.5, 4L),
                new Identity(3.0), new GlorotUniform(1L), new GlorotNormal(), new HeNormal(2L), new HeUniform(),
                new LecunNormal(3L), new LecunUniform());
        for (Initializer init : all) {
            String json = Json.write(Initializers.serialize(init));
            Initializer back = Initializers.get(Json.parseObject(json));
            assertEquals(init.getClass(), back.getClass(), json);
            assertEquals(init.className(), back.className(), json);
            assertEquals(init.getConfig(), back.getConfig(), json);
        }
    }

    @Test
    void kerasKeys() {
        assertEquals(config("value", 0.25), new Constant(0.25).getConfig());
        assertEquals(config("mean", 0.0, "stddev", 0.05, "seed", null), new RandomNormal().getConfig());
        assertEquals(config("minval", -0.05, "maxval", 0.05, "seed", null), new RandomUniform().getConfig());
        assertEquals(config("mean", 0.0, "stddev", 0.05, "seed", null), new TruncatedNormal().getConfig());
        assertEquals(config("scale", 1.0, "mode", "fan_in", "distribution", "normal", "seed", null),
                new VarianceScaling().getConfig());
        assertEquals(config("gain", 1.0, "seed", null), new Orthogonal().getConfig());
        assertEquals(config("gain", 1.0), new Identity().getConfig());
        assertEquals(config("seed", 5L), new GlorotUniform(5L).getConfig());
        assertEquals(config(), new Zeros().getConfig());
        assertEquals(config(), new Ones().getConfig());
    }

    @Test
    void aliases() {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("zeros", "Zeros");
        expected.put("zero", "Zeros");
        expected.put("ones", "Ones");
        expected.put("one", "Ones");
        expected.put("constant", "Constant");
        expected.put("random_normal", "RandomNormal");
        expected.put("normal", "RandomNormal");
        expected.put("random_uniform", "RandomUniform");
        expected.put("uniform", "RandomUniform");
        expected.put("truncated_normal", "TruncatedNormal");
        expected.put("variance_scaling", "VarianceScaling");
        expected.put("orthogonal", "Orthogonal");
        expected.put("identity", "Identity");
        expected.put("glorot_uniform", "GlorotUniform");
        expected.put("glorot_normal", "GlorotNormal");
        expected.put("he_normal", "HeNormal");
        expected.put("he_uniform", "HeUniform");
        expected.put("lecun_normal", "LecunNormal");
        expected.put("lecun_uniform", "LecunUniform");
        for (String cls : List.of("Zeros", "Ones", "Constant", "RandomNormal", "RandomUniform", "TruncatedNormal",
                "VarianceScaling", "Orthogonal", "Identity", "GlorotUniform", "GlorotNormal", "HeNormal", "HeUniform",
                "LecunNormal", "LecunUniform")) {
            expected.put(cls, cls);
        }
        expected.put("OrthogonalInitializer", "Orthogonal");
        expected.put("IdentityInitializer", "Identity");
        for (Map.Entry<String, String> e : expected.entrySet()) {
            assertEquals(e.getValue(), Initializers.get(e.getKey()).className(), e.getKey());
        }
    }

    /** Keras 2.2.4 writes glorot_uniform as VarianceScaling; TF.js writes 1.0 as 1. */
    @Test
    void keras224VarianceScaling() {
        Initializer init = Initializers.get(Json.parseObject("{\"class_name\": \"VarianceScaling\", \"config\": "
                + "{\"scale\": 1, \"mode\": \"fan_avg\", \"distribution\": \"uniform\", \"seed\": null}}"));
        assertInstanceOf(VarianceScaling.class, init);
        assertEquals(config("scale", 1.0, "mode", "fan_avg", "distribution", "uniform", "seed", null),
                init.getConfig());
        try (Scope scope = Scope.open()) {
            Stats s = Stats.of(init.apply(100, 200));
            double limit = Math.sqrt(3.0 / 150);
            assertTrue(s.maxAbs() < limit && s.maxAbs() > 0.99 * limit, s.toString());
        }
        Initializer seeded = Initializers.get(Json.parseObject("{\"class_name\": \"RandomNormal\", \"config\": "
                + "{\"mean\": 0, \"stddev\": 1, \"seed\": 42}}"));
        assertEquals(config("mean", 0.0, "stddev", 1.0, "seed", 42L), seeded.getConfig());
    }

    /** tf.keras 1.x writes the dtype (and Constant's verify_shape); Keras ignores them. */
    @Test
    void tfKerasExtraKeys() {
        assertEquals(config("seed", null), Initializers.get(Json.parseObject(
                "{\"class_name\": \"GlorotUniform\", \"config\": {\"seed\": null, \"dtype\": \"float32\"}}"))
                .getConfig());
        assertEquals(config("value", 3.0), Initializers.get(Json.parseObject("{\"class_name\": \"Constant\", "
                + "\"config\": {\"value\": 3, \"dtype\": \"float32\", \"verify_shape\": false}}")).getConfig());
    }

    private static void assertBad(String owner, String argument, Executable e) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        assertTrue(x.getMessage().contains(owner) && x.getMessage().contains(argument), x.getMessage());
    }

    @Test
    void badArguments() {
        assertBad("VarianceScaling", "scale", () -> new VarianceScaling(-1, "fan_in", "normal", null));
        assertBad("VarianceScaling", "scale", () -> new VarianceScaling(0, "fan_in", "normal", null));
        assertBad("VarianceScaling", "mode", () -> new VarianceScaling(1, "fan_sum", "normal", null));
        assertBad("VarianceScaling", "distribution", () -> new VarianceScaling(1, "fan_in", "poisson", null));
        assertBad("RandomNormal", "stddev", () -> new RandomNormal(0, -0.1, null));
        assertBad("TruncatedNormal", "stddev", () -> new TruncatedNormal(0, -0.1, null));
        assertBad("RandomUniform", "minval", () -> new RandomUniform(1, -1, null));
        assertBad("VarianceScaling", "mode", () -> Initializers.get(Map.of("class_name", "VarianceScaling",
                "config", Map.of("mode", 3))));
        assertBad("RandomNormal", "stdev", () -> Initializers.get(Map.of("class_name", "RandomNormal",
                "config", Map.of("stdev", 1))));
        assertBad("initializer", "glorot", () -> Initializers.get("glorot"));
    }
}
