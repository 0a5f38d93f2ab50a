package io.jkeras.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The checks of a TF.js layer fixture of any family folder (golden/&lt;family&gt;/*.json, tools/golden/README.md):
 * the layer made from the fixture's config, with its weights, reproduces the outputs and the gradients of
 * sum(output * upstream) (a fixture whose "grad_inputs" is null skips only the gradient comparison), and its
 * getConfig gives the fixture's keys and values.
 */
public final class LayerGoldens {
    public static final double FORWARD_TOL = 1e-5;
    public static final double GRAD_TOL = 1e-4;

    private LayerGoldens() {
    }

    public static Map<String, Object> configOf(Golden g) {
        JsonNode c = g.config();
        if (c == null || c.isNull()) {
            fail(g.name() + ": a layer fixture without a config");
        }
        return Json.parseObject(c.toString());
    }

    /** The layer made from the fixture's config, built for its input (batch unknown), with its weights. */
    public static Layer makeLayer(Golden g) {
        Layer layer = Layers.deserialize(configOf(g));
        assertEquals(g.config().path("class_name").asText(), layer.className(), g.name() + ": class name");
        layer.build(Shape.of(g.inputs().get(0).shape()).withDim(0, Shape.UNKNOWN));
        List<Tensor> weights = g.tensors("weights");
        assertEquals(weights.size(), layer.weightVariables().size(), g.name() + ": number of weights");
        layer.setWeights(weights);
        return layer;
    }

    /** Outputs within FORWARD_TOL, and computeOutputShape agreeing with them (batch unknown). */
    public static void checkForward(Golden g) {
        try (Scope scope = Scope.open()) {
            Layer layer = makeLayer(g);
            List<Tensor> ys = layer.apply(List.of(g.input(0)));
            assertEquals(g.outputs().size(), ys.size(), g.name() + ": number of outputs");
            for (int i = 0; i < ys.size(); i++) {
                Golden.assertClose(g.name() + " output " + i, g.outputs().get(i), ys.get(i), FORWARD_TOL);
            }
            Shape symbolic = layer.computeOutputShape(Shape.of(g.inputs().get(0).shape()).withDim(0, Shape.UNKNOWN));
            assertArrayEquals(Shape.of(g.outputs().get(0).shape()).withDim(0, Shape.UNKNOWN).dims(), symbolic.dims(),
                    g.name() + ": computeOutputShape");
        }
    }

    /** Whether the fixture carries input gradients (false: "grad_inputs" is null, the oracle had none). */
    public static boolean hasGradients(Golden g) {
        JsonNode n = g.json().get("grad_inputs");
        return n != null && !n.isNull();
    }

    /** Gradients of sum(output * upstream) for the input and every weight, within GRAD_TOL. */
    public static void checkGradients(Golden g) {
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
                assertEquals(upstream.size(), ys.size(), g.name() + ": one upstream per output");
                Tensor loss = null;
                for (int i = 0; i < ys.size(); i++) {
                    Tensor term = Ops.sum(Ops.mul(ys.get(i), upstream.get(i)));
                    loss = loss == null ? term : Ops.add(loss, term);
                }
                grads = tape.gradient(loss, sources);
            }
            assertNotNull(grads.get(0), g.name() + ": no gradient reached the input");
            Golden.assertClose(g.name() + " grad input", g.gradInputs().get(0), grads.get(0), GRAD_TOL);
            for (int j = 0; j < g.gradWeights().size(); j++) {
                Golden.assertClose(g.name() + " grad weight " + j, g.gradWeights().get(j), grads.get(j + 1), GRAD_TOL);
            }
        }
    }

    /**
     * getConfig has the fixture's keys and values (numbers as doubles) plus dtype; extra keys only among
     * {@code newerKeys} (keys later Keras versions added, e.g. keepdims).
     */
    public static void checkConfig(Golden g, Set<String> newerKeys) {
        Map<String, Object> fixture = configOf(g);
        Layer layer = Layers.deserialize(fixture);
        @SuppressWarnings("unchecked")
        Map<String, Object> want = new LinkedHashMap<>((Map<String, Object>) fixture.get("config"));
        Map<String, Object> got = new LinkedHashMap<>(Json.roundTrip(layer.getConfig()));
        assertEquals("float32", got.remove("dtype"), g.name() + ": dtype");
        for (String k : newerKeys) {
            if (!want.containsKey(k)) {
                got.remove(k);
            }
        }
        assertEquals(new TreeSet<>(want.keySet()), new TreeSet<>(got.keySet()), g.name() + ": config keys");
        assertEquals(normalize(want), normalize(got), g.name() + ": config values");
        // and the config deserializes to a layer with the same config
        Map<String, Object> again = Layers.deserialize(Layers.serialize(layer)).getConfig();
        assertEquals(normalize(Json.roundTrip(layer.getConfig())), normalize(Json.roundTrip(again)),
                g.name() + ": round trip");
        assertTrue(layer.getConfig().containsKey("name"), g.name() + ": name");
    }

    /** Numbers as doubles, recursively, so 1 (JSON from JS) equals 1.0. */
    public static Object normalize(Object o) {
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
