package io.jkeras.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.layers.KerasTensor;
import io.jkeras.layers.Layer;
import io.jkeras.layers.Layers;
import io.jkeras.layers.core.Dense;
import io.jkeras.layers.core.Dropout;
import io.jkeras.layers.core.Flatten;
import io.jkeras.layers.core.Lambda;
import io.jkeras.layers.core.Reshape;
import io.jkeras.ops.Ops;
import io.jkeras.saving.Json;
import io.jkeras.tensor.DType;
import io.jkeras.tensor.Scope;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import io.jkeras.testing.Golden;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The functional API and Sequential: graphs, shared layers, nesting, predict, summary, weights and configs. */
class FunctionalModelTest {
    private Scope scope;

    @BeforeAll
    static void registerFunctions() {
        Lambda.registerFunction("fm_concat", xs -> Ops.concat(xs, -1));
    }

    @BeforeEach
    void openScope() {
        scope = Scope.open();
    }

    @AfterEach
    void closeScope() {
        scope.close();
    }

    private static Tensor random(long seed, long... shape) {
        Random r = new Random(seed);
        float[] v = new float[(int) Shape.of(shape).size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextDouble() * 4 - 2);
        }
        return Tensor.of(v, shape);
    }

    private static void assertTensorEquals(String what, Tensor expected, Tensor actual) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        Golden.assertClose(what, expected.toFloatArray(), actual.toFloatArray(), 1e-6);
    }

    private static KerasTensor input(String name, long... shape) {
        return Input.create(Shape.of(shape).prepend(Shape.UNKNOWN), DType.FLOAT32, name);
    }

    // ---------------------------------------------------------------------------------------- graph shapes

    @Test
    void oneInputTwoHeads() {
        KerasTensor in = input("fm_in", 6);
        Layer trunk = new Dense(5, "relu").setName("trunk");
        Layer head1 = new Dense(3, "softmax").setName("head_1");
        Layer head2 = new Dense(1).setName("head_2");
        KerasTensor t = trunk.apply(in);
        Model m = new Model(List.of(in), List.of(head1.apply(t), head2.apply(t)), "two_heads");
        assertEquals(List.of(Shape.of(-1, 3), Shape.of(-1, 1)), m.computeOutputShape(List.of(Shape.of(-1, 6))));
        assertEquals(List.of(trunk, head1, head2), m.layers());

        Tensor x = random(1, 4, 6);
        List<Tensor> ys = m.predict(List.of(x));
        assertEquals(2, ys.size());
        Tensor hidden = trunk.apply(x);
        assertTensorEquals("head 1", head1.apply(hidden), ys.get(0));
        assertTensorEquals("head 2", head2.apply(hidden), ys.get(1));
        float[] p = ys.get(0).toFloatArray();
        for (int i = 0; i < 4; i++) {
            assertEquals(1.0, p[3 * i] + p[3 * i + 1] + p[3 * i + 2], 1e-5, "softmax row " + i);
        }
    }

    @Test
    void twoInputsMergedByALambda() {
        KerasTensor a = input("fm_a", 3);
        KerasTensor b = input("fm_b", 2);
        Layer cat = new Lambda(xs -> Ops.concat(xs, -1), null, null, null, "fm_concat").setName("fm_cat");
        KerasTensor merged = cat.applyMulti(List.of(a, b)).get(0);
        assertEquals(Shape.of(-1, 5), merged.shape(), "the Lambda's output shape is inferred");
        Layer out = new Dense(2).setName("fm_out");
        Model m = new Model(List.of(a, b), List.of(out.apply(merged)), "merge_model");
        Tensor xa = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor xb = Tensor.of(new float[] {7, 8, 9, 10}, 2, 2);
        Tensor y = m.predict(List.of(xa, xb)).get(0);
        Tensor joined = Tensor.of(new float[] {1, 2, 3, 7, 8, 4, 5, 6, 9, 10}, 2, 5);
        assertTensorEquals("merged output", out.apply(joined), y);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.predict(List.of(xa)));
        assertTrue(e.getMessage().contains("2 input"), e.getMessage());
    }

    @Test
    void sharedLayerNodes() {
        KerasTensor a = input("sh_a", 4);
        KerasTensor b = input("sh_b", 4);
        Dense shared = new Dense(3);
        KerasTensor oa = shared.apply(a);
        KerasTensor ob = shared.apply(b);
        assertEquals(2, shared.inboundNodes().size());
        assertSame(a, shared.getInputAt(0));
        assertSame(b, shared.getInputAt(1));
        assertSame(oa, shared.getOutputAt(0));
        assertSame(ob, shared.getOutputAt(1));
        assertEquals(Shape.of(-1, 4), shared.getInputShapeAt(1));
        assertEquals(Shape.of(-1, 3), shared.getOutputShapeAt(0));
        assertEquals(0, oa.nodeIndex());
        assertEquals(1, ob.nodeIndex());
        assertThrows(IllegalArgumentException.class, () -> shared.getInputAt(2));

        // The model applies the same weights on both branches; they are counted once.
        Model m = new Model(List.of(a, b), List.of(oa, ob), "shared_model");
        assertEquals(15, m.countParams());
        assertEquals(2, m.getWeights().size());
        Tensor xa = random(2, 5, 4);
        Tensor xb = random(3, 5, 4);
        List<Tensor> ys = m.predict(List.of(xa, xb));
        assertTensorEquals("branch a", shared.apply(xa), ys.get(0));
        assertTensorEquals("branch b", shared.apply(xb), ys.get(1));
    }

    @Test
    void sharedLayerInputAndOutputAreIllDefined() {
        Dense shared = new Dense(3);
        shared.apply(input("ill_a", 4));
        shared.apply(input("ill_b", 4));
        // Keras: "Layer dense_1 has multiple inbound nodes, hence the notion of "layer input" is ill-defined.
        // Use `get_input_at(node_index)` instead." Here the suggestion names the Java method.
        IllegalStateException in = assertThrows(IllegalStateException.class, shared::input);
        assertTrue(in.getMessage().contains("has multiple inbound nodes"), in.getMessage());
        assertTrue(in.getMessage().contains("`getInputAt(nodeIndex)`"), in.getMessage());
        IllegalStateException out = assertThrows(IllegalStateException.class, shared::output);
        assertTrue(out.getMessage().contains("has multiple inbound nodes"), out.getMessage());
        assertTrue(out.getMessage().contains("`getOutputAt(nodeIndex)`"), out.getMessage());
    }

    /**
     * Keras 2 (base_layer.input_shape / output_shape): with several inbound nodes of one shape the shape is
     * well defined and returned; only different shapes raise.
     */
    @Test
    void sharedLayerShapeWhenAllNodesAgree() {
        Dense same = new Dense(3);
        same.apply(input("same_a", 4));
        same.apply(input("same_b", 4));
        assertEquals(Shape.of(-1, 4), same.inputShape());
        assertEquals(Shape.of(-1, 3), same.outputShape());

        Dense differ = new Dense(3);
        differ.apply(input("differ_a", 4));
        differ.apply(input("differ_b", 5, 4));
        IllegalStateException e = assertThrows(IllegalStateException.class, differ::inputShape);
        assertTrue(e.getMessage().contains("multiple inbound nodes"), e.getMessage());
        assertThrows(IllegalStateException.class, differ::outputShape);
        assertEquals(Shape.of(-1, 5, 3), differ.getOutputShapeAt(1));
    }

    @Test
    void singleNodeAccessors() {
        KerasTensor in = input("single_in", 4);
        Dense d = new Dense(2);
        KerasTensor o = d.apply(in);
        assertSame(in, d.input());
        assertSame(o, d.output());
        assertEquals(Shape.of(-1, 4), d.inputShape());
        assertEquals(Shape.of(-1, 2), d.outputShape());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new Dense(2).input());
        assertTrue(e.getMessage().contains("has never been called"), e.getMessage());
    }

    @Test
    void nestedModel() {
        KerasTensor x = input("inner_in", 4);
        Layer innerDense = new Dense(3, "tanh");
        Model inner = new Model(x, innerDense.apply(x));
        KerasTensor y = input("outer_in", 4);
        Layer outerDense = new Dense(2);
        KerasTensor z = inner.apply(y);
        assertEquals(Shape.of(-1, 3), z.shape());
        Model outer = new Model(y, outerDense.apply(z));
        assertEquals(List.of(inner, outerDense), outer.layers());
        assertEquals(inner.countParams() + outerDense.countParams(), outer.countParams());
        assertEquals(4, outer.getWeights().size());

        Tensor data = random(4, 6, 4);
        Tensor want = outerDense.apply(inner.predict(data));
        assertTensorEquals("nested", want, outer.predict(data));
        // The inner model used twice in another graph (a shared nested model).
        KerasTensor p = input("twice_a", 4);
        KerasTensor q = input("twice_b", 4);
        Model twice = new Model(List.of(p, q), List.of(inner.apply(p), inner.apply(q)));
        List<Tensor> ys = twice.predict(List.of(data, Ops.neg(data)));
        assertTensorEquals("first call", inner.predict(data), ys.get(0));
        assertTensorEquals("second call", inner.predict(Ops.neg(data)), ys.get(1));
    }

    @Test
    void graphDisconnected() {
        KerasTensor a = input("disc_a", 4);
        KerasTensor b = input("disc_b", 4);
        KerasTensor out = new Dense(2).apply(b);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Model(a, out));
        assertTrue(e.getMessage().contains("Graph disconnected"), e.getMessage());
        assertTrue(e.getMessage().contains("disc_b"), e.getMessage());
    }

    // ------------------------------------------------------------------------------------------- predict

    @Test
    void predictInBatchesEqualsOneShot() {
        KerasTensor in = input("batch_in", 5);
        KerasTensor h = new Dense(8, "relu").apply(in);
        Model m = new Model(List.of(in), List.of(new Dense(3, "softmax").apply(h), new Dense(1).apply(h)));
        Tensor x = random(5, 70, 5);
        List<Tensor> oneShot = m.invoke(List.of(x), null, false).tensors();
        List<Tensor> batched = m.predict(List.of(x));
        List<Tensor> small = m.predict(List.of(x), 7);
        for (int o = 0; o < 2; o++) {
            assertArrayEquals(new long[] {70, o == 0 ? 3 : 1}, batched.get(o).shape());
            assertTensorEquals("output " + o + " (batches of 32)", oneShot.get(o), batched.get(o));
            assertTensorEquals("output " + o + " (batches of 7)", oneShot.get(o), small.get(o));
        }
        assertThrows(IllegalArgumentException.class, () -> m.predict(List.of(x), 0));
    }

    @Test
    void predictChecksTheInputShape() {
        KerasTensor in = input("check_in", 5);
        Model m = new Model(in, new Dense(2).apply(in));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.predict(Tensor.ones(3, 4)));
        assertTrue(e.getMessage().contains("(None, 5)") && e.getMessage().contains("(3, 4)"), e.getMessage());
    }

    @Test
    void predictIsInferenceMode() {
        Sequential s = new Sequential(new Dropout(0.5).setInputShape(10));
        Tensor x = random(6, 40, 10);
        assertTensorEquals("dropout in predict", x, s.predict(x));
    }

    // ------------------------------------------------------------------------------------------ Sequential

    @Test
    void lazySequentialMatchesEagerSequential() {
        Sequential eager = new Sequential(new Dense(6, "relu").setInputShape(4), new Dense(2, "sigmoid"));
        Sequential lazy = new Sequential(new Dense(6, "relu"), new Dense(2, "sigmoid"));
        assertTrue(eager.isBuilt());
        assertEquals(0, lazy.getWeights().size(), "no weights before the input shape is known");
        Tensor x = random(7, 9, 4);
        Tensor first = lazy.predict(x);
        assertArrayEquals(new long[] {9, 2}, first.shape());
        assertEquals(eager.countParams(), lazy.countParams());
        lazy.setWeights(eager.getWeights());
        assertTensorEquals("lazy vs eager", eager.predict(x), lazy.predict(x));
    }

    @Test
    void sequentialPop() {
        Dense d1 = new Dense(5, "relu");
        d1.setInputShape(3);
        Dense d2 = new Dense(4);
        Dense d3 = new Dense(2);
        Sequential s = new Sequential(d1, d2, d3);
        assertEquals(List.of(d1, d2, d3), s.layers());
        s.pop();
        assertEquals(List.of(d1, d2), s.layers());
        assertEquals(List.of(Shape.of(-1, 4)), s.computeOutputShape(List.of(Shape.of(-1, 3))));
        Tensor x = random(8, 2, 3);
        assertTensorEquals("after pop", d2.apply(d1.apply(x)), s.predict(x));
        assertEquals(d1.countParams() + d2.countParams(), s.countParams());
        s.add(new Dense(7));
        assertArrayEquals(new long[] {2, 7}, s.predict(x).shape());
        s.pop();
        s.pop();
        s.pop();
        IllegalStateException e = assertThrows(IllegalStateException.class, s::pop);
        assertTrue(e.getMessage().contains("There are no layers in the model"), e.getMessage());
    }

    @Test
    void sequentialRefusesDuplicateNames() {
        Sequential s = new Sequential(new Dense(2).setName("dup").setInputShape(3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> s.add(new Dense(2).setName("dup")));
        assertTrue(e.getMessage().contains("unique names"), e.getMessage());
    }

    // --------------------------------------------------------------------------------------------- summary

    private static List<String> summary(Model m) {
        List<String> lines = new ArrayList<>();
        m.summary(lines::add);
        return lines;
    }

    private static List<String> stripped(List<String> lines) {
        return lines.stream().map(String::stripTrailing).toList();
    }

    /** Keras 2.3's print_summary for this Sequential, character for character (trailing spaces included). */
    private static final List<String> SEQUENTIAL_SUMMARY = List.of(
            "Model: \"summary_seq\"",
            "_________________________________________________________________",
            "Layer (type)                 Output Shape              Param #   ",
            "=================================================================",
            "wide (Dense)                 (None, 1000)              4000      ",
            "_________________________________________________________________",
            "drop (Dropout)               (None, 1000)              0         ",
            "_________________________________________________________________",
            "frozen (Dense)               (None, 2)                 2002      ",
            "=================================================================",
            "Total params: 6,002",
            "Trainable params: 4,000",
            "Non-trainable params: 2,002",
            "_________________________________________________________________");

    private static Sequential summarySequential() {
        Sequential s = new Sequential(new Dense(1000).setName("wide").setInputShape(3), new Dropout(0.1).setName("drop"),
                new Dense(2).setName("frozen").setTrainable(false));
        s.setName("summary_seq");
        return s;
    }

    @Test
    void sequentialSummaryLayout() {
        assertEquals(stripped(SEQUENTIAL_SUMMARY), stripped(summary(summarySequential())));
    }

    /** Keras's print_row pads every field to its column end, so each table row is exactly 65 characters. */
    @Test
    void sequentialSummaryKeepsKerasPadding() {
        assertEquals(SEQUENTIAL_SUMMARY, summary(summarySequential()));
    }

    /** Keras's print_row, ported, for expected rows. */
    private static String kerasRow(int[] positions, String... fields) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                line.setLength(line.length() - 1);
                line.append(' ');
            }
            line.append(fields[i]);
            if (line.length() > positions[i]) {
                line.setLength(positions[i]);
            }
            while (line.length() < positions[i]) {
                line.append(' ');
            }
        }
        return line.toString();
    }

    @Test
    void functionalSummaryHasConnections() {
        KerasTensor a = input("in_a", 4);
        KerasTensor b = input("in_b", 3);
        KerasTensor ha = new Dense(5).setName("dense_a").apply(a);
        KerasTensor hb = new Dense(5).setName("dense_b").apply(b);
        KerasTensor cat = new Lambda(xs -> Ops.concat(xs, -1), null, null, null, "fm_concat").setName("concat")
                .applyMulti(List.of(ha, hb)).get(0);
        KerasTensor out = new Dense(2).setName("out").apply(cat);
        Model m = new Model(List.of(a, b), List.of(out), "two_inputs");

        int[] pos = {32, 53, 65, 98};
        String under = "_".repeat(98);
        String eq = "=".repeat(98);
        List<String> want = List.of(
                "Model: \"two_inputs\"",
                under,
                kerasRow(pos, "Layer (type)", "Output Shape", "Param #", "Connected to"),
                eq,
                kerasRow(pos, "in_a (InputLayer)", "(None, 4)", "0", ""),
                under,
                kerasRow(pos, "in_b (InputLayer)", "(None, 3)", "0", ""),
                under,
                kerasRow(pos, "dense_a (Dense)", "(None, 5)", "25", "in_a[0][0]"),
                under,
                kerasRow(pos, "dense_b (Dense)", "(None, 5)", "20", "in_b[0][0]"),
                under,
                kerasRow(pos, "concat (Lambda)", "(None, 10)", "0", "dense_a[0][0]"),
                kerasRow(pos, "", "", "", "dense_b[0][0]"),
                under,
                kerasRow(pos, "out (Dense)", "(None, 2)", "22", "concat[0][0]"),
                eq,
                "Total params: 67",
                "Trainable params: 67",
                "Non-trainable params: 0",
                under);
        List<String> got = summary(m);
        assertTrue(got.get(2).contains("Connected to"), got.get(2));
        assertEquals(stripped(want), stripped(got));
    }

    // --------------------------------------------------------------------------------------------- weights

    @Test
    void weightsInLayerOrderAcrossTheModel() {
        KerasTensor a = input("w_a", 4);
        KerasTensor b = input("w_b", 3);
        Dense da = new Dense(5);
        Dense db = Dense.builder(2).useBias(false).build();
        Dense head = new Dense(1);
        KerasTensor cat = new Lambda(xs -> Ops.concat(xs, -1), null, null, null, "fm_concat")
                .applyMulti(List.of(da.apply(a), db.apply(b))).get(0);
        Model m = new Model(List.of(a, b), List.of(head.apply(cat)));
        List<Tensor> w = m.getWeights();
        List<long[]> shapes = w.stream().map(Tensor::shape).toList();
        assertEquals(5, shapes.size());
        assertArrayEquals(new long[] {4, 5}, shapes.get(0));
        assertArrayEquals(new long[] {5}, shapes.get(1));
        assertArrayEquals(new long[] {3, 2}, shapes.get(2));
        assertArrayEquals(new long[] {7, 1}, shapes.get(3));
        assertArrayEquals(new long[] {1}, shapes.get(4));

        List<Tensor> fresh = new ArrayList<>();
        for (int i = 0; i < w.size(); i++) {
            fresh.add(random(100 + i, w.get(i).shape()));
        }
        m.setWeights(fresh);
        assertTensorEquals("da kernel", fresh.get(0), da.getWeights().get(0));
        assertTensorEquals("da bias", fresh.get(1), da.getWeights().get(1));
        assertTensorEquals("db kernel", fresh.get(2), db.getWeights().get(0));
        assertTensorEquals("head kernel", fresh.get(3), head.getWeights().get(0));
        assertTensorEquals("head bias", fresh.get(4), head.getWeights().get(1));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.setWeights(fresh.subList(0, 4)));
        assertTrue(e.getMessage().contains("4") && e.getMessage().contains("5"), e.getMessage());
        assertTensorEquals("unchanged after a refused setWeights", fresh.get(4), head.getWeights().get(0 + 1));
    }

    // ---------------------------------------------------------------------------------------------- config

    @Test
    void functionalConfigRoundTripPredictsTheSame() {
        KerasTensor a = input("cfg_a", 4);
        KerasTensor b = input("cfg_b", 3);
        Dense shared = (Dense) new Dense(3, "tanh").setName("cfg_shared");
        KerasTensor ha = shared.apply(new Dense(3).setName("cfg_proj").apply(a));
        KerasTensor hb = shared.apply(b);
        KerasTensor cat = new Lambda(xs -> Ops.concat(xs, -1), null, null, null, "fm_concat").setName("cfg_concat")
                .applyMulti(List.of(ha, hb)).get(0);
        Model m = new Model(List.of(a, b), List.of(new Dense(2, "softmax").setName("cfg_head1").apply(cat),
                new Dense(1).setName("cfg_head2").apply(cat)), "cfg_model");

        String json = Json.write(Layers.serialize(m));
        Layer loaded = Layers.deserialize(json);
        assertInstanceOf(Model.class, loaded);
        Model back = (Model) loaded;
        assertEquals("cfg_model", back.getName());
        assertEquals(m.layers().stream().map(Layer::getName).toList(), back.layers().stream().map(Layer::getName)
                .toList());
        back.setWeights(m.getWeights());
        Tensor xa = random(20, 6, 4);
        Tensor xb = random(21, 6, 3);
        List<Tensor> want = m.predict(List.of(xa, xb));
        List<Tensor> got = back.predict(List.of(xa, xb));
        assertTensorEquals("head 1 after round trip", want.get(0), got.get(0));
        assertTensorEquals("head 2 after round trip", want.get(1), got.get(1));

        Model direct = Model.fromConfig(Json.parseObject(Json.write(m.getConfig())));
        direct.setWeights(m.getWeights());
        assertTensorEquals("Model.fromConfig", want.get(0), direct.predict(List.of(xa, xb)).get(0));
    }

    private static final String DENSE_CFG = "\"trainable\": true, \"dtype\": \"float32\", \"use_bias\": true, "
            + "\"kernel_initializer\": {\"class_name\": \"VarianceScaling\", \"config\": {\"scale\": 1.0, "
            + "\"mode\": \"fan_avg\", \"distribution\": \"uniform\", \"seed\": null}}, "
            + "\"bias_initializer\": {\"class_name\": \"Zeros\", \"config\": {}}, \"kernel_regularizer\": null, "
            + "\"bias_regularizer\": null, \"activity_regularizer\": null, \"kernel_constraint\": null, "
            + "\"bias_constraint\": null";
    private static final String LAYERS_JSON = "[{\"class_name\": \"Dense\", \"config\": {\"name\": \"dense_1\", "
            + "\"batch_input_shape\": [null, 3], \"units\": 4, \"activation\": \"relu\", " + DENSE_CFG + "}}, "
            + "{\"class_name\": \"Dropout\", \"config\": {\"name\": \"dropout_1\", \"trainable\": true, "
            + "\"rate\": 0.5, \"noise_shape\": null, \"seed\": null}}, "
            + "{\"class_name\": \"Dense\", \"config\": {\"name\": \"dense_2\", \"units\": 2, "
            + "\"activation\": \"softmax\", " + DENSE_CFG + "}}]";
    /** As Keras 2.2+ writes model.to_json() for a Sequential. */
    private static final String KERAS_22 = "{\"class_name\": \"Sequential\", \"config\": {\"name\": \"sequential_1\", "
            + "\"layers\": " + LAYERS_JSON + "}, \"keras_version\": \"2.2.4\", \"backend\": \"tensorflow\"}";
    /** As Keras 2.0/2.1 wrote it: the config is the bare list of layers. */
    private static final String KERAS_20 = "{\"class_name\": \"Sequential\", \"config\": " + LAYERS_JSON
            + ", \"keras_version\": \"2.0.8\", \"backend\": \"tensorflow\"}";

    private static void checkLoadedSequential(Layer l, String name) {
        assertInstanceOf(Sequential.class, l);
        Sequential s = (Sequential) l;
        if (name != null) {
            assertEquals(name, s.getName());
        }
        assertEquals(List.of("dense_1", "dropout_1", "dense_2"), s.layers().stream().map(Layer::getName).toList());
        assertEquals(3 * 4 + 4 + 4 * 2 + 2, s.countParams());
        Tensor y = s.predict(random(30, 5, 3));
        assertArrayEquals(new long[] {5, 2}, y.shape());
    }

    @Test
    void sequentialFromKeras22ConfigThroughLayersDeserialize() {
        checkLoadedSequential(Layers.deserialize(KERAS_22), "sequential_1");
    }

    @Test
    void sequentialFromKeras20ConfigThroughLayersDeserialize() {
        checkLoadedSequential(Layers.deserialize(KERAS_20), null);
    }

    @Test
    void sequentialFromConfigBothForms() {
        Map<String, Object> k22 = Json.parseObject(KERAS_22);
        checkLoadedSequential(Sequential.fromConfig((Object) k22.get("config")), "sequential_1");
        Map<String, Object> k20 = Json.parseObject(KERAS_20);
        checkLoadedSequential(Sequential.fromConfig((Object) k20.get("config")), null);
    }

    @Test
    void sequentialConfigRoundTripPredictsTheSame() {
        Sequential s = new Sequential(new Dense(4, "relu").setInputShape(3), new Reshape(2, 2), new Flatten(), new Dense(2));
        Map<String, Object> cfg = Json.parseObject(Json.write(s.getConfig()));
        Sequential back = Sequential.fromConfig((Object) cfg);
        back.setWeights(s.getWeights());
        Tensor x = random(31, 4, 3);
        assertTensorEquals("sequential round trip", s.predict(x), back.predict(x));
    }
}
