package io.jkeras.layers.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.jkeras.layers.Layer;
import io.jkeras.layers.Layers;
import io.jkeras.ops.GradientTape;
import io.jkeras.ops.Ops;
import io.jkeras.saving.Json;
import io.jkeras.tensor.Scope;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import io.jkeras.testing.Golden;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every TF.js layer fixture (golden/layers/*.json): the layer made from the fixture's Keras config, given the
 * fixture's weights, must reproduce the forward outputs (1e-5 scaled), the gradients of
 * {@code sum(output * upstream)} with respect to the input and every weight (1e-4 scaled), and for Masking the
 * output mask. A fixture whose layer cannot be made fails; nothing is skipped.
 */
class CoreLayersGoldenTest {
    private static final double FORWARD_TOL = 1e-5;
    private static final double GRAD_TOL = 1e-4;

    static Stream<String> cases() {
        return Golden.cases("layers");
    }

    private static Map<String, Object> configOf(Golden g) {
        JsonNode c = g.config();
        if (c == null || c.isNull()) {
            fail(g.name() + ": a layer fixture without a config");
        }
        return Json.parseObject(c.toString());
    }

    private static String classNameOf(Golden g) {
        return g.config().path("class_name").asText();
    }

    /** The layer made from the fixture's config, built for the fixture's input (batch unknown), with its weights. */
    private static Layer makeLayer(Golden g) {
        Map<String, Object> json = configOf(g);
        Layer layer = Layers.deserialize(json);
        assertEquals(classNameOf(g), layer.className(), g.name() + ": class name of the deserialized layer");
        long[] in = g.inputs().get(0).shape();
        layer.build(Shape.of(in).withDim(0, Shape.UNKNOWN));
        List<Tensor> weights = g.tensors("weights");
        assertEquals(weights.size(), layer.weightVariables().size(), g.name() + ": number of weights");
        layer.setWeights(weights);
        for (Tensor w : weights) {
            w.close();
        }
        return layer;
    }

    @Test
    void everyFixtureIsALayerCase() {
        List<String> names = cases().toList();
        assertTrue(names.size() >= 25, "expected at least the 25 core-layer fixtures, found " + names);
        for (String n : names) {
            Golden g = Golden.load("layers", n);
            assertEquals("layer", g.kind(), n + ": kind");
            assertEquals(1, g.inputs().size(), n + ": one input");
            assertEquals(g.outputs().size(), g.upstream().size(), n + ": one upstream per output");
            assertEquals(g.weights().size(), g.gradWeights().size(), n + ": one weight gradient per weight");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void forwardMatches(String name) {
        Golden g = Golden.load("layers", name);
        try (Scope scope = Scope.open()) {
            Layer layer = makeLayer(g);
            Tensor x = g.input(0);
            List<Tensor> ys = layer.apply(List.of(x));
            assertEquals(g.outputs().size(), ys.size(), name + ": number of outputs");
            for (int i = 0; i < ys.size(); i++) {
                Golden.assertClose(name + " output " + i, g.outputs().get(i), ys.get(i), FORWARD_TOL);
            }
            // The symbolic shape agrees with the concrete one (batch unknown).
            Shape symbolic = layer.computeOutputShape(Shape.of(g.inputs().get(0).shape()).withDim(0, Shape.UNKNOWN));
            assertArrayEquals(Shape.of(g.outputs().get(0).shape()).withDim(0, Shape.UNKNOWN).dims(), symbolic.dims(),
                    name + ": computeOutputShape");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientsMatch(String name) {
        Golden g = Golden.load("layers", name);
        try (Scope scope = Scope.open()) {
            Layer layer = makeLayer(g);
            Tensor x = g.input(0);
            List<Tensor> sources = new ArrayList<>();
            sources.add(x);
            for (var w : layer.weightVariables()) {
                sources.add(w.value());
            }
            List<Tensor> grads;
            try (GradientTape tape = new GradientTape()) {
                tape.watch(sources);
                List<Tensor> ys = layer.invoke(List.of(x), null, false).tensors();
                List<Tensor> upstream = g.tensors("upstream");
                assertEquals(upstream.size(), ys.size(), name + ": number of outputs");
                Tensor loss = null;
                for (int i = 0; i < ys.size(); i++) {
                    Tensor term = Ops.sum(Ops.mul(ys.get(i), upstream.get(i)));
                    loss = loss == null ? term : Ops.add(loss, term);
                }
                grads = tape.gradient(loss, sources);
            }
            assertNotNull(grads.get(0), name + ": no gradient reached the input");
            Golden.assertClose(name + " grad input", g.gradInputs().get(0), grads.get(0), GRAD_TOL);
            for (int j = 0; j < g.gradWeights().size(); j++) {
                String wn = layer.weightVariables().get(j).name();
                assertNotNull(grads.get(j + 1), name + ": no gradient reached weight " + j + " (" + wn + ")");
                Golden.assertClose(name + " grad weight " + j + " (" + wn + ")", g.gradWeights().get(j),
                        grads.get(j + 1), GRAD_TOL);
            }
        }
    }

    /** Fixtures with an output_mask (Masking): computeMask gives Keras's mask, 1 where a step is kept. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void maskMatches(String name) {
        Golden g = Golden.load("layers", name);
        JsonNode expected = g.json().get("output_mask");
        if (!"Masking".equals(classNameOf(g))) {
            assertTrue(expected == null || expected.isNull(), name + ": output_mask on a non-Masking case is not handled");
            return;
        }
        assertNotNull(expected, name + ": a Masking fixture without output_mask");
        try (Scope scope = Scope.open()) {
            Layer layer = makeLayer(g);
            Tensor x = g.input(0);
            Tensor mask = layer.computeMask(x, null);
            assertNotNull(mask, name + ": Masking must produce a mask");
            long[] shape = {expected.size(), expected.get(0).size()};
            float[] want = new float[(int) (shape[0] * shape[1])];
            int k = 0;
            for (JsonNode row : expected) {
                for (JsonNode b : row) {
                    want[k++] = b.asBoolean() ? 1f : 0f;
                }
            }
            assertArrayEquals(shape, mask.shape(), name + ": mask shape");
            assertArrayEquals(want, mask.toFloatArray(), name + ": mask values");
            // The multi-input form agrees.
            List<Tensor> ms = layer.computeMask(List.of(x), null);
            assertArrayEquals(want, ms.get(0).toFloatArray(), name + ": mask values (list form)");
        }
    }

    /**
     * The fixture configs are Keras 2.2.4's get_config() less batch_input_shape and dtype: the layer's own
     * getConfig must have exactly those keys (plus dtype) and the same values (numbers compared as doubles).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void configMatchesKeras(String name) {
        Golden g = Golden.load("layers", name);
        Map<String, Object> fixture = configOf(g);
        Layer layer = Layers.deserialize(fixture);
        @SuppressWarnings("unchecked")
        Map<String, Object> want = new LinkedHashMap<>((Map<String, Object>) fixture.get("config"));
        Map<String, Object> got = new LinkedHashMap<>(Json.roundTrip(layer.getConfig()));
        assertEquals("float32", got.remove("dtype"), name + ": dtype");
        assertFalse(got.containsKey("batch_input_shape"), name + ": batch_input_shape was not given");
        assertEquals(new TreeSet<>(want.keySet()), new TreeSet<>(got.keySet()), name + ": config keys");
        assertEquals(normalize(want), normalize(got), name + ": config values");
    }

    /** Numbers as doubles, recursively, so 1 (JSON from JS) equals 1.0. */
    static Object normalize(Object o) {
        if (o instanceof Number n) {
            return n.doubleValue();
        }
        if (o instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.put(e.getKey(), normalize(e.getValue()));
            }
            return out;
        }
        if (o instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object e : l) {
                out.add(normalize(e));
            }
            return out;
        }
        return o;
    }
}
