package io.jkeras.layers.merge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jkeras.layers.Layer;
import io.jkeras.layers.Layers;
import io.jkeras.layers.attention.BaseDenseAttention;
import io.jkeras.ops.GradientTape;
import io.jkeras.ops.Ops;
import io.jkeras.saving.Json;
import io.jkeras.tensor.Scope;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import io.jkeras.testing.Golden;
import io.jkeras.testing.LayerGoldens;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The checks of the fixtures of the merge, activation, normalization, noise and attention families
 * (tools/golden/README.md, the general "kcase" schema): several inputs, input_masks, call_kwargs
 * (return_attention_scores), training mode, non-trainable weights (null gradients) and updated_weights (the
 * weights after one training call: BatchNormalization's moving statistics).
 */
public final class FamilyGoldens {
    private FamilyGoldens() {
    }

    /** The family's case names; skips the calling test when the folder is not there yet. */
    public static Stream<String> cases(String family) {
        Assumptions.assumeTrue(Golden.class.getResource("/golden/" + family) != null,
                "no golden/" + family + " fixtures on the class path");
        return Golden.cases(family);
    }

    /** The layer of a fixture, built for its inputs (batch unknown), with its weights and call arguments. */
    public static Layer makeLayer(Golden g) {
        Layer layer = Layers.deserialize(LayerGoldens.configOf(g));
        assertEquals(g.config().path("class_name").asText(), layer.className(), g.name() + ": class name");
        JsonNode kw = g.json().get("call_kwargs");
        if (kw != null && kw.path("return_attention_scores").asBoolean(false)) {
            ((BaseDenseAttention) layer).setReturnAttentionScores(true);
        }
        layer.build(batchUnknown(g));
        List<Tensor> weights = g.tensors("weights");
        assertEquals(weights.size(), layer.weightVariables().size(), g.name() + ": number of weights");
        layer.setWeights(weights);
        return layer;
    }

    private static List<Shape> batchUnknown(Golden g) {
        List<Shape> shapes = new ArrayList<>();
        for (Golden.Array a : g.inputs()) {
            shapes.add(Shape.of(a.shape()).withDim(0, Shape.UNKNOWN));
        }
        return shapes;
    }

    public static boolean training(Golden g) {
        return g.json().path("training").asBoolean(false);
    }

    /** The input masks as 0/1 float tensors (null where an input has none); null when the fixture has none. */
    public static List<Tensor> masks(Golden g) {
        JsonNode m = g.json().get("input_masks");
        if (m == null || m.isNull()) {
            return null;
        }
        List<Tensor> out = new ArrayList<>();
        for (JsonNode mask : m) {
            out.add(mask.isNull() ? null : boolTensor(mask));
        }
        return out;
    }

    /** Nested JSON booleans to a 0/1 float tensor. */
    public static Tensor boolTensor(JsonNode nested) {
        List<Long> shape = new ArrayList<>();
        JsonNode n = nested;
        while (n.isArray()) {
            shape.add((long) n.size());
            n = n.get(0);
        }
        List<Float> vals = new ArrayList<>();
        flatten(nested, vals);
        float[] v = new float[vals.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = vals.get(i);
        }
        return Tensor.of(v, shape.stream().mapToLong(Long::longValue).toArray());
    }

    private static void flatten(JsonNode n, List<Float> out) {
        if (n.isArray()) {
            n.forEach(c -> flatten(c, out));
        } else {
            out.add(n.asBoolean() ? 1f : 0f);
        }
    }

    /** Outputs, output shapes, output mask and (training) updated weights. */
    public static void checkForward(Golden g) {
        try (Scope scope = Scope.open()) {
            Layer layer = makeLayer(g);
            List<Tensor> xs = g.tensors("inputs");
            Layer.Outputs outs = layer.invoke(xs, masks(g), training(g));
            List<Tensor> ys = outs.tensors();
            assertEquals(g.outputs().size(), ys.size(), g.name() + ": number of outputs");
            for (int i = 0; i < ys.size(); i++) {
                Golden.assertClose(g.name() + " output " + i, g.outputs().get(i), ys.get(i), LayerGoldens.FORWARD_TOL);
            }
            List<Shape> symbolic = layer.computeOutputShape(batchUnknown(g));
            assertEquals(ys.size(), symbolic.size(), g.name() + ": computeOutputShape count");
            for (int i = 0; i < ys.size(); i++) {
                assertArrayEquals(Shape.of(g.outputs().get(i).shape()).withDim(0, Shape.UNKNOWN).dims(),
                        symbolic.get(i).dims(), g.name() + ": computeOutputShape " + i);
            }
            JsonNode om = g.json().get("output_mask");
            if (om != null && !om.isNull()) {
                Tensor want = boolTensor(om);
                Tensor got = outs.masks().get(0);
                assertNotNull(got, g.name() + ": no output mask");
                assertArrayEquals(want.shape(), got.shape(), g.name() + ": output mask shape");
                assertArrayEquals(want.toFloatArray(), got.toFloatArray(), g.name() + ": output mask");
            }
            List<Golden.Array> updated = g.arrays("updated_weights");
            if (!updated.isEmpty()) {
                List<Tensor> now = layer.getWeights();
                for (int i = 0; i < updated.size(); i++) {
                    Golden.assertClose(g.name() + " updated weight " + layer.weightVariables().get(i).name(),
                            updated.get(i), now.get(i), LayerGoldens.FORWARD_TOL);
                }
            }
        }
    }

    /** Gradients of sum(output_k * upstream_k) for every float input and trainable weight. */
    public static void checkGradients(Golden g) {
        try (Scope scope = Scope.open()) {
            Layer layer = makeLayer(g);
            List<Tensor> xs = g.tensors("inputs");
            List<Tensor> sources = new ArrayList<>(xs);
            layer.weightVariables().forEach(w -> sources.add(w.value()));
            List<Tensor> grads;
            try (GradientTape tape = new GradientTape()) {
                tape.watch(sources);
                List<Tensor> ys = layer.invoke(xs, masks(g), training(g)).tensors();
                List<Tensor> up = g.tensors("upstream");
                Tensor loss = null;
                for (int i = 0; i < ys.size(); i++) {
                    Tensor t = Ops.sum(Ops.mul(ys.get(i), up.get(i)));
                    loss = loss == null ? t : Ops.add(loss, t);
                }
                grads = tape.gradient(loss, sources);
            }
            JsonNode gi = g.json().get("grad_inputs");
            for (int i = 0; i < xs.size(); i++) {
                if (gi.get(i).isNull()) {
                    continue;
                }
                assertNotNull(grads.get(i), g.name() + ": no gradient reached input " + i);
                Golden.assertClose(g.name() + " grad input " + i, Golden.array(gi.get(i), "grad_inputs"), grads.get(i),
                        LayerGoldens.GRAD_TOL);
            }
            JsonNode gw = g.json().get("grad_weights");
            for (int j = 0; j < gw.size(); j++) {
                String wn = layer.weightVariables().get(j).name();
                Tensor got = grads.get(xs.size() + j);
                if (gw.get(j).isNull()) {
                    // a non-trainable weight (moving statistics): no gradient in training mode
                    if (training(g)) {
                        assertNull(got, g.name() + ": a gradient reached the non-trainable weight " + wn);
                    }
                    continue;
                }
                assertNotNull(got, g.name() + ": no gradient reached weight " + wn);
                Golden.assertClose(g.name() + " grad " + wn, Golden.array(gw.get(j), "grad_weights"), got,
                        LayerGoldens.GRAD_TOL);
            }
        }
    }

    /** getConfig: the fixture's keys and values (plus dtype), and a round trip through Layers.deserialize. */
    public static void checkConfig(Golden g) {
        Map<String, Object> fixture = LayerGoldens.configOf(g);
        Layer layer = Layers.deserialize(fixture);
        @SuppressWarnings("unchecked")
        Map<String, Object> want = new LinkedHashMap<>((Map<String, Object>) fixture.get("config"));
        Map<String, Object> got = new LinkedHashMap<>(Json.roundTrip(layer.getConfig()));
        assertEquals("float32", got.remove("dtype"), g.name() + ": dtype");
        assertEquals(new TreeSet<>(want.keySet()), new TreeSet<>(got.keySet()), g.name() + ": config keys");
        assertEquals(LayerGoldens.normalize(want), LayerGoldens.normalize(got), g.name() + ": config values");
        Map<String, Object> again = Layers.deserialize(Layers.serialize(layer)).getConfig();
        assertEquals(LayerGoldens.normalize(Json.roundTrip(layer.getConfig())),
                LayerGoldens.normalize(Json.roundTrip(again)), g.name() + ": round trip");
        assertTrue(Arrays.asList("merge", "activation", "normalization", "noise", "attention").contains(g.family()));
    }
}
