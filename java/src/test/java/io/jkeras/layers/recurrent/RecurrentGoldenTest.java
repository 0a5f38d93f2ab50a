package io.jkeras.layers.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.jkeras.layers.Layer;
import io.jkeras.layers.Layers;
import io.jkeras.layers.Weight;
import io.jkeras.ops.GradientTape;
import io.jkeras.ops.Ops;
import io.jkeras.saving.Json;
import io.jkeras.tensor.DType;
import io.jkeras.tensor.Scope;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import io.jkeras.testing.Golden;
import io.jkeras.testing.LayerGoldens;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The TF.js fixtures of golden/recurrent (tools/golden/README.md): recurrent layers, Bidirectional,
 * TimeDistributed and Embedding made from their Keras configs and weights reproduce the outputs, the output
 * masks and the gradients of sum(outputs * upstream) for the inputs and every weight (with input masks, int32
 * ids, several outputs, and stateful layers over consecutive batches), and their configs round-trip.
 */
class RecurrentGoldenTest {
    static final double FORWARD_TOL = 1e-5;
    static final double GRAD_TOL = 1e-4;

    static Stream<String> cases() {
        return Golden.cases("recurrent");
    }

    /** A fixture tensor: float32, or int32 where it says so; null for JSON null. */
    static Tensor tensor(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        Golden.Array a = Golden.array(n, "tensor");
        if ("int32".equals(n.path("dtype").asText())) {
            int[] v = new int[a.data().length];
            for (int i = 0; i < v.length; i++) {
                v[i] = Math.round(a.data()[i]);
            }
            return Tensor.ofInts(v, a.shape());
        }
        return a.tensor();
    }

    static List<Tensor> tensors(JsonNode list) {
        List<Tensor> out = new ArrayList<>();
        if (list != null && !list.isNull()) {
            for (JsonNode n : list) {
                out.add(tensor(n));
            }
        }
        return out;
    }

    /** Nested booleans (batch, steps) as a float 0/1 tensor; null for JSON null. */
    static Tensor mask(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        int rows = n.size();
        int cols = n.get(0).size();
        float[] v = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                v[i * cols + j] = n.get(i).get(j).asBoolean() ? 1f : 0f;
            }
        }
        return Tensor.of(v, rows, cols);
    }

    static Layer makeLayer(Golden g, List<Tensor> inputs, boolean fixedBatch) {
        Layer layer = Layers.deserialize(LayerGoldens.configOf(g));
        assertEquals(g.config().path("class_name").asText(), layer.className(), g.name() + ": class name");
        List<Shape> shapes = new ArrayList<>();
        for (Tensor t : inputs) {
            shapes.add(fixedBatch ? t.getShape() : t.getShape().withDim(0, Shape.UNKNOWN));
        }
        layer.build(shapes);
        List<Tensor> weights = g.tensors("weights");
        assertEquals(weights.size(), layer.weightVariables().size(), g.name() + ": number of weights");
        layer.setWeights(weights);
        return layer;
    }

    /** One call: outputs, output mask and gradients against one (sub)case node. */
    static void check(String what, Layer layer, JsonNode c, List<Tensor> inputs, List<Tensor> masks) {
        List<Tensor> sources = new ArrayList<>();
        for (Tensor t : inputs) {
            if (t.dtype() == DType.FLOAT32) {
                sources.add(t);
            }
        }
        for (Weight w : layer.weightVariables()) {
            sources.add(w.value());
        }
        List<Tensor> expected = tensors(c.get("outputs"));
        List<Tensor> grads;
        Layer.Outputs outs;
        try (GradientTape tape = new GradientTape()) {
            tape.watch(sources);
            outs = layer.invoke(inputs, masks, c.path("training").asBoolean(false));
            List<Tensor> ys = outs.tensors();
            assertEquals(expected.size(), ys.size(), what + ": number of outputs");
            List<Tensor> upstream = tensors(c.get("upstream"));
            Tensor loss = null;
            for (int i = 0; i < ys.size(); i++) {
                Golden.assertClose(what + " output " + i, expected.get(i).toFloatArray(), ys.get(i).toFloatArray(),
                        FORWARD_TOL);
                assertArrayEquals(expected.get(i).shape(), ys.get(i).shape(), what + " output " + i + " shape");
                Tensor term = Ops.sum(Ops.mul(ys.get(i), upstream.get(i)));
                loss = loss == null ? term : Ops.add(loss, term);
            }
            grads = tape.gradient(loss, sources);
        }
        JsonNode outMask = c.get("output_mask");
        if (outMask != null && !outMask.isNull()) {
            Tensor m = outs.masks().get(0);
            assertNotNull(m, what + ": an output mask");
            assertArrayEquals(mask(outMask).toFloatArray(), m.toFloatArray(), what + ": output mask");
        }
        List<Tensor> gradInputs = tensors(c.get("grad_inputs"));
        int k = 0;
        for (int i = 0; i < inputs.size(); i++) {
            if (inputs.get(i).dtype() != DType.FLOAT32) {
                continue;
            }
            Tensor gi = grads.get(k++);
            if (i < gradInputs.size() && gradInputs.get(i) != null) {
                assertNotNull(gi, what + ": no gradient reached input " + i);
                Golden.assertClose(what + " grad input " + i, gradInputs.get(i).toFloatArray(), gi.toFloatArray(),
                        GRAD_TOL);
            }
        }
        List<Tensor> gradWeights = tensors(c.get("grad_weights"));
        for (int j = 0; j < gradWeights.size(); j++) {
            if (gradWeights.get(j) != null) {
                assertNotNull(grads.get(k + j), what + ": no gradient reached weight " + j);
                Golden.assertClose(what + " grad weight " + j, gradWeights.get(j).toFloatArray(),
                        grads.get(k + j).toFloatArray(), GRAD_TOL);
            }
        }
    }

    static List<Tensor> masksOf(JsonNode c, int inputs) {
        JsonNode m = c.get("input_masks");
        if (m == null || m.isNull()) {
            return null;
        }
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < inputs; i++) {
            out.add(i < m.size() ? mask(m.get(i)) : null);
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void forwardAndGradients(String name) {
        Golden g = Golden.load("recurrent", name);
        JsonNode batches = g.json().get("batches");
        try (Scope scope = Scope.open()) {
            if (batches != null) {
                List<Tensor> first = tensors(batches.get(0).get("inputs"));
                Layer layer = makeLayer(g, first, true);
                for (int b = 0; b < batches.size(); b++) {
                    JsonNode c = batches.get(b);
                    List<Tensor> inputs = tensors(c.get("inputs"));
                    check(name + " batch " + b, layer, c, inputs, masksOf(c, inputs.size()));
                    List<Tensor> states = tensors(c.get("states"));
                    List<Tensor> got = ((RNN) layer).states();
                    for (int s = 0; s < states.size(); s++) {
                        Golden.assertClose(name + " batch " + b + " state " + s, states.get(s).toFloatArray(),
                                got.get(s).toFloatArray(), FORWARD_TOL);
                    }
                }
                return;
            }
            List<Tensor> inputs = tensors(g.json().get("inputs"));
            Layer layer = makeLayer(g, inputs, false);
            check(name, layer, g.json(), inputs, masksOf(g.json(), inputs.size()));
            // the symbolic output shapes agree (batch unknown)
            List<Shape> in = new ArrayList<>();
            for (Tensor t : inputs) {
                in.add(t.getShape().withDim(0, Shape.UNKNOWN));
            }
            List<Shape> symbolic = layer.computeOutputShape(in);
            List<Tensor> expected = tensors(g.json().get("outputs"));
            for (int i = 0; i < expected.size(); i++) {
                assertArrayEquals(expected.get(i).getShape().withDim(0, Shape.UNKNOWN).dims(),
                        symbolic.get(i).dims(), name + ": computeOutputShape " + i);
            }
        }
    }

    /** The config as the fixture writes it: Keras 2.2.4's keys (jkeras adds only dtype / batch_input_shape). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void config(String name) {
        Golden g = Golden.load("recurrent", name);
        Map<String, Object> fixture = LayerGoldens.configOf(g);
        Layer layer = Layers.deserialize(fixture);
        @SuppressWarnings("unchecked")
        Map<String, Object> want = (Map<String, Object>) fixture.get("config");
        Object got = strip(Json.roundTrip(layer.getConfig()), want);
        assertEquals(new TreeSet<>(want.keySet()), new TreeSet<>(((Map<?, ?>) got).keySet()), name + ": config keys");
        assertEquals(LayerGoldens.normalize(want), LayerGoldens.normalize(got), name + ": config values");
        Map<String, Object> again = Layers.deserialize(Layers.serialize(layer)).getConfig();
        assertEquals(LayerGoldens.normalize(Json.roundTrip(layer.getConfig())),
                LayerGoldens.normalize(Json.roundTrip(again)), name + ": round trip");
    }

    /**
     * Keys the fixtures leave out (dtype, batch_input_shape) or that tf.keras added after Keras 2.2.4 (Conv2D's
     * groups).
     */
    static final java.util.Set<String> NOT_IN_FIXTURES = java.util.Set.of("dtype", "batch_input_shape", "groups");

    /** got without the keys of NOT_IN_FIXTURES the fixture does not have, recursively in nested layers. */
    @SuppressWarnings("unchecked")
    static Object strip(Object got, Object want) {
        if (got instanceof Map<?, ?> gm && want instanceof Map<?, ?> wm) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : gm.entrySet()) {
                String k = (String) e.getKey();
                if (NOT_IN_FIXTURES.contains(k) && !wm.containsKey(k)) {
                    continue;
                }
                out.put(k, strip(e.getValue(), wm.get(k)));
            }
            return out;
        }
        return got;
    }
}
