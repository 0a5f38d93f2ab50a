package io.jkeras.layers.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.constraints.MaxNorm;
import io.jkeras.constraints.NonNeg;
import io.jkeras.initializers.Constant;
import io.jkeras.initializers.RandomNormal;
import io.jkeras.layers.KerasTensor;
import io.jkeras.layers.Layer;
import io.jkeras.layers.Layers;
import io.jkeras.models.Input;
import io.jkeras.models.Model;
import io.jkeras.models.Sequential;
import io.jkeras.ops.Ops;
import io.jkeras.regularizers.L1L2;
import io.jkeras.saving.Json;
import io.jkeras.tensor.DType;
import io.jkeras.tensor.Shape;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Config round trips of every registered core layer and of both model kinds: getConfig, written as JSON, read
 * back, Layers.deserialize, getConfig again: the same JSON. And the exact key sets Keras 2's get_config()
 * writes (keras/layers/core.py, keras/engine/base_layer.py: name, trainable, batch_input_shape only when
 * given, dtype; then each class's own keys).
 */
class CoreLayersConfigTest {
    private static final List<String> BASE = List.of("name", "trainable", "dtype");
    private static final List<String> DENSE = List.of("units", "activation", "use_bias", "kernel_initializer",
            "bias_initializer", "kernel_regularizer", "bias_regularizer", "activity_regularizer",
            "kernel_constraint", "bias_constraint");
    private static final List<String> DROPOUT = List.of("rate", "noise_shape", "seed");
    /** Keras 2.2/2.3 Lambda.get_config (no 'module', which only tf.keras writes). */
    private static final List<String> LAMBDA = List.of("function", "function_type", "output_shape",
            "output_shape_type", "arguments");

    @BeforeAll
    static void registerLambdaFunctions() {
        Lambda.registerFunction("double_it", xs -> Ops.mul(xs.get(0), 2f));
        Lambda.registerFunction("concat_last", xs -> Ops.concat(xs, -1));
    }

    private static Set<String> keys(List<String> own, String... extra) {
        Set<String> s = new TreeSet<>(BASE);
        s.addAll(own);
        s.addAll(List.of(extra));
        return s;
    }

    /** getConfig → JSON text → parse → deserialize → getConfig; both sides compared after a JSON round trip. */
    static Layer roundTrip(Layer layer) {
        Map<String, Object> before = Json.roundTrip(layer.getConfig());
        String text = Json.write(Layers.serialize(layer));
        Layer back = Layers.deserialize(Json.parseObject(text));
        assertNotSame(layer, back);
        assertEquals(layer.className(), back.className(), "class name after the round trip");
        assertEquals(layer.getClass(), back.getClass(), "Java class after the round trip");
        Map<String, Object> after = Json.roundTrip(back.getConfig());
        assertEquals(before, after, () -> layer.className() + ": config changed in the round trip:\n  before "
                + Json.write(before) + "\n  after  " + Json.write(after));
        // Also the String entry point.
        Layer again = Layers.deserialize(text);
        assertEquals(before, Json.roundTrip(again.getConfig()), layer.className() + ": deserialize(String)");
        return back;
    }

    static Stream<Arguments> layers() {
        return Stream.of(
                arg("Dense (defaults)", () -> new Dense(3), keys(DENSE)),
                arg("Dense (everything set)", () -> Dense.builder(5).activation("tanh").useBias(true)
                        .kernelInitializer(new RandomNormal(0.1, 0.5, 42L))
                        .biasInitializer(new Constant(0.25))
                        .kernelRegularizer(L1L2.l2(0.01))
                        .biasRegularizer(L1L2.l1(0.02))
                        .activityRegularizer(new L1L2(0.1, 0.2))
                        .kernelConstraint(new MaxNorm(2.0))
                        .biasConstraint(new NonNeg())
                        .build().setInputShape(7).setName("fancy_dense"),
                        keys(DENSE, "batch_input_shape")),
                arg("Dense (no bias, from config names)", () -> Layers.deserialize(
                        "{\"class_name\":\"Dense\",\"config\":{\"name\":\"d\",\"units\":2,\"use_bias\":false,"
                                + "\"activation\":\"relu\",\"kernel_initializer\":\"he_normal\","
                                + "\"kernel_regularizer\":{\"class_name\":\"L1L2\",\"config\":{\"l1\":0.5,\"l2\":0}},"
                                + "\"kernel_constraint\":{\"class_name\":\"MaxNorm\",\"config\":{\"max_value\":3,"
                                + "\"axis\":0}},\"trainable\":false}}"),
                        keys(DENSE)),
                arg("Activation", () -> new Activation("softsign"), keys(List.of("activation"))),
                arg("Dropout (noise_shape and seed)", () -> new Dropout(0.3, new long[] {-1, 1, 4}, 7L),
                        keys(DROPOUT)),
                arg("Dropout (defaults)", () -> new Dropout(0.5), keys(DROPOUT)),
                arg("SpatialDropout1D", () -> new SpatialDropout1D(0.2), keys(DROPOUT)),
                // Keras 2's SpatialDropout2D/3D do not override get_config, so Keras writes no data_format (a
                // channels_first layer comes back channels_last there). jkeras adds the key; Keras 2 accepts it
                // when loading (it is an __init__ argument), so the extra key is the one accepted deviation.
                arg("SpatialDropout2D channels_first", () -> new SpatialDropout2D(0.4, "channels_first"),
                        keys(DROPOUT, "data_format")),
                arg("SpatialDropout2D channels_last", () -> new SpatialDropout2D(0.4), keys(DROPOUT, "data_format")),
                arg("SpatialDropout3D channels_first", () -> new SpatialDropout3D(0.1, "channels_first"),
                        keys(DROPOUT, "data_format")),
                arg("SpatialDropout3D channels_last", () -> new SpatialDropout3D(0.1, "channels_last"),
                        keys(DROPOUT, "data_format")),
                arg("Flatten channels_last", () -> new Flatten(), keys(List.of("data_format"))),
                arg("Flatten channels_first", () -> new Flatten("channels_first"), keys(List.of("data_format"))),
                arg("Reshape", () -> new Reshape(3, -1, 2), keys(List.of("target_shape"))),
                arg("Permute", () -> new Permute(3, 1, 2), keys(List.of("dims"))),
                arg("RepeatVector", () -> new RepeatVector(4), keys(List.of("n"))),
                arg("ActivityRegularization", () -> new ActivityRegularization(0.01, 0.02), keys(List.of("l1", "l2"))),
                arg("Masking", () -> new Masking(-1.5), keys(List.of("mask_value"))),
                arg("Masking with input shape", () -> new Masking(0).setBatchInputShape(8, 5, 3),
                        keys(List.of("mask_value"), "batch_input_shape")),
                arg("InputLayer", () -> new InputLayer(Shape.of(-1, 6, 2), DType.FLOAT32, "my_input"),
                        new TreeSet<>(List.of("batch_input_shape", "dtype", "sparse", "name"))),
                arg("Lambda (registered function, output_shape)",
                        () -> new Lambda(xs -> Ops.mul(xs.get(0), 2f), Shape.of(4), null, null, "double_it"),
                        keys(LAMBDA)),
                arg("Lambda (registered function, no output_shape)",
                        () -> new Lambda(xs -> Ops.mul(xs.get(0), 2f), null, null, null, "double_it"),
                        keys(LAMBDA)));
    }

    private static Arguments arg(String name, Supplier<Layer> make, Set<String> keys) {
        return Arguments.of(name, make, keys);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void roundTripsThroughJson(String name, Supplier<Layer> make, Set<String> keys) {
        roundTrip(make.get());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void hasKerasKeys(String name, Supplier<Layer> make, Set<String> keys) {
        Layer layer = make.get();
        assertEquals(keys, new TreeSet<>(layer.getConfig().keySet()), name + ": get_config() keys");
    }

    // ------------------------------------------------------------------------------------- values in detail

    @Test
    void denseWritesKerasValues() {
        Layer d = Dense.builder(5).activation("tanh")
                .kernelInitializer(new RandomNormal(0.1, 0.5, 42L))
                .kernelRegularizer(L1L2.l2(0.01))
                .kernelConstraint(new MaxNorm(2.0))
                .build().setInputShape(7).setName("fancy_dense");
        Map<String, Object> c = Json.roundTrip(d.getConfig());
        assertEquals("fancy_dense", c.get("name"));
        assertEquals(true, c.get("trainable"));
        assertEquals(Arrays.asList(null, 7), c.get("batch_input_shape"));
        assertEquals("float32", c.get("dtype"));
        assertEquals(5, c.get("units"));
        assertEquals("tanh", c.get("activation"));
        assertEquals(true, c.get("use_bias"));
        assertEquals(Map.of("class_name", "RandomNormal", "config", Map.of("mean", 0.1, "stddev", 0.5, "seed", 42)),
                c.get("kernel_initializer"));
        assertEquals(Map.of("class_name", "Zeros", "config", Map.of()), c.get("bias_initializer"));
        assertEquals(Map.of("class_name", "L1L2", "config", Map.of("l1", 0.0, "l2", 0.01)), c.get("kernel_regularizer"));
        assertEquals(null, c.get("bias_regularizer"));
        assertEquals(null, c.get("activity_regularizer"));
        @SuppressWarnings("unchecked")
        Map<String, Object> kc = (Map<String, Object>) c.get("kernel_constraint");
        assertEquals("MaxNorm", kc.get("class_name"));
        assertEquals(null, c.get("bias_constraint"));
        // Keras's order: the base keys, then the layer's own.
        assertEquals(List.of("name", "trainable", "batch_input_shape", "dtype", "units", "activation", "use_bias",
                "kernel_initializer", "bias_initializer", "kernel_regularizer", "bias_regularizer",
                "activity_regularizer", "kernel_constraint", "bias_constraint"), List.copyOf(c.keySet()));
    }

    @Test
    void denseWithoutInputShapeHasNoBatchInputShape() {
        assertTrue(!new Dense(2).getConfig().containsKey("batch_input_shape"));
    }

    @Test
    void dropoutNoiseShapeIsWrittenWithNullForTheInputsDimension() {
        Map<String, Object> c = Json.roundTrip(new Dropout(0.3, new long[] {-1, 1, 4}, 7L).getConfig());
        assertEquals(0.3, c.get("rate"));
        assertEquals(Arrays.asList(null, 1, 4), c.get("noise_shape"));
        assertEquals(7, c.get("seed"));
        Map<String, Object> d = Json.roundTrip(new Dropout(0.5).getConfig());
        assertTrue(d.containsKey("noise_shape") && d.get("noise_shape") == null);
        assertTrue(d.containsKey("seed") && d.get("seed") == null);
    }

    @Test
    void spatialDropoutKeepsItsDataFormat() {
        SpatialDropout2D back = (SpatialDropout2D) roundTrip(new SpatialDropout2D(0.4, "channels_first"));
        assertEquals("channels_first", back.getConfig().get("data_format"));
        // A Keras 2 config has no data_format: channels_last, as Keras's default.
        Layer k = Layers.deserialize("{\"class_name\":\"SpatialDropout2D\",\"config\":{\"name\":\"sd\","
                + "\"trainable\":true,\"rate\":0.5,\"noise_shape\":null,\"seed\":null}}");
        assertEquals("channels_last", k.getConfig().get("data_format"));
    }

    @Test
    void reshapePermuteRepeatValues() {
        assertEquals(List.of(3, -1, 2), Json.roundTrip(new Reshape(3, -1, 2).getConfig()).get("target_shape"));
        assertEquals(List.of(3, 1, 2), Json.roundTrip(new Permute(3, 1, 2).getConfig()).get("dims"));
        assertEquals(4, Json.roundTrip(new RepeatVector(4).getConfig()).get("n"));
        Map<String, Object> a = Json.roundTrip(new ActivityRegularization(0.01, 0.02).getConfig());
        assertEquals(0.01, a.get("l1"));
        assertEquals(0.02, a.get("l2"));
        assertEquals(-1.5, Json.roundTrip(new Masking(-1.5).getConfig()).get("mask_value"));
    }

    @Test
    void inputLayerValues() {
        Map<String, Object> c = Json.roundTrip(new InputLayer(Shape.of(-1, 6, 2), DType.FLOAT32, "my_input")
                .getConfig());
        assertEquals(Arrays.asList(null, 6, 2), c.get("batch_input_shape"));
        assertEquals("float32", c.get("dtype"));
        assertEquals(false, c.get("sparse"));
        assertEquals("my_input", c.get("name"));
        InputLayer back = (InputLayer) roundTrip(new InputLayer(Shape.of(-1, 6, 2), DType.FLOAT32, "my_input"));
        assertEquals(Shape.of(-1, 6, 2), back.output().shape());
    }

    @Test
    void lambdaValues() {
        Map<String, Object> c = Json.roundTrip(new Lambda(xs -> Ops.mul(xs.get(0), 2f), Shape.of(4), null, null,
                "double_it").getConfig());
        assertEquals("double_it", c.get("function"));
        assertEquals("function", c.get("function_type"));
        assertEquals(List.of(4), c.get("output_shape"));
        assertEquals("raw", c.get("output_shape_type"));
        assertEquals(Map.of(), c.get("arguments"));
    }

    /** A Lambda's base arguments (batch_input_shape, dtype, trainable) survive the round trip like any layer's. */
    @Test
    void lambdaKeepsItsBaseArguments() {
        Layer l = new Lambda(xs -> Ops.mul(xs.get(0), 2f), null, null, null, "double_it").setInputShape(3)
                .setTrainable(false);
        Layer back = roundTrip(l);
        assertEquals(Shape.of(-1, 3), back.batchInputShape());
        assertEquals(false, back.isTrainable());
    }

    @Test
    void lambdaWithUnregisteredFunctionFailsWithAHint() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Layers.deserialize(
                "{\"class_name\":\"Lambda\",\"config\":{\"name\":\"lam_unknown\",\"trainable\":true,"
                        + "\"function\":\"nobody_registered_this\",\"function_type\":\"function\","
                        + "\"output_shape\":null,\"output_shape_type\":\"raw\",\"arguments\":{}}}"));
        assertTrue(e.getMessage().contains("registerFunction"), e.getMessage());
    }

    // ------------------------------------------------------------------------------------------------- models

    @Test
    void sequentialRoundTrip() {
        Sequential m = new Sequential(new Masking(0).setInputShape(5, 3), new Dense(4, "relu"), new Dropout(0.2),
                new Flatten(), new Dense(2, "softmax"));
        m.setName("seq_cfg");
        Map<String, Object> c = Json.roundTrip(m.getConfig());
        assertEquals(new TreeSet<>(List.of("name", "layers")), new TreeSet<>(c.keySet()));
        assertEquals("seq_cfg", c.get("name"));
        List<?> ls = (List<?>) c.get("layers");
        assertEquals(5, ls.size());
        for (Object o : ls) {
            assertEquals(new TreeSet<>(List.of("class_name", "config")), new TreeSet<>(((Map<?, ?>) o).keySet()));
        }
        Map<?, ?> first = (Map<?, ?>) ((Map<?, ?>) ls.get(0)).get("config");
        assertEquals(Arrays.asList(null, 5, 3), first.get("batch_input_shape"));
        Sequential back = (Sequential) roundTrip(m);
        assertEquals(5, back.layers().size());
        assertEquals(m.countParams(), back.countParams());
    }

    @Test
    void sequentialWithoutInputShapeRoundTrip() {
        Sequential m = new Sequential(new Dense(4), new Dense(1));
        Map<String, Object> c = Json.roundTrip(m.getConfig());
        Map<?, ?> first = (Map<?, ?>) ((Map<?, ?>) ((List<?>) c.get("layers")).get(0)).get("config");
        assertTrue(!first.containsKey("batch_input_shape"));
        roundTrip(m);
    }

    @Test
    void functionalModelRoundTrip() {
        KerasTensor a = Input.create(Shape.of(-1, 4), DType.FLOAT32, "in_a");
        KerasTensor b = Input.create(Shape.of(-1, 3), DType.FLOAT32, "in_b");
        Dense shared = (Dense) new Dense(3, "tanh").setName("shared_dense");
        KerasTensor ha = shared.apply(new Dense(3).setName("proj_a").apply(a));
        KerasTensor hb = shared.apply(b);
        Layer cat = new Lambda(xs -> Ops.concat(xs, -1), null, null, null, "concat_last").setName("concat_last");
        KerasTensor merged = cat.applyMulti(List.of(ha, hb)).get(0);
        KerasTensor out1 = new Dense(2, "softmax").setName("head_1").apply(merged);
        KerasTensor out2 = new Dense(1).setName("head_2").apply(merged);
        Model m = new Model(List.of(a, b), List.of(out1, out2), "two_by_two");

        Map<String, Object> c = Json.roundTrip(m.getConfig());
        assertEquals(new TreeSet<>(List.of("name", "layers", "input_layers", "output_layers")),
                new TreeSet<>(c.keySet()));
        for (Object o : (List<?>) c.get("layers")) {
            assertEquals(new TreeSet<>(List.of("name", "class_name", "config", "inbound_nodes")),
                    new TreeSet<>(((Map<?, ?>) o).keySet()));
        }
        assertEquals(List.of(List.of("in_a", 0, 0), List.of("in_b", 0, 0)), stripKwargs(c.get("input_layers")));
        assertEquals(List.of(List.of("head_1", 0, 0), List.of("head_2", 0, 0)), stripKwargs(c.get("output_layers")));
        Map<?, ?> sharedEntry = ((List<?>) c.get("layers")).stream().map(o -> (Map<?, ?>) o)
                .filter(o -> o.get("name").equals("shared_dense")).findFirst().orElseThrow();
        assertEquals(2, ((List<?>) sharedEntry.get("inbound_nodes")).size(), "the shared layer has two nodes");

        Model back = (Model) roundTrip(m);
        assertInstanceOf(Model.class, back);
        assertEquals(2, back.inputs().size());
        assertEquals(2, back.outputs().size());
        assertEquals(m.countParams(), back.countParams());
    }

    @Test
    void nestedModelRoundTrip() {
        KerasTensor x = Input.create(Shape.of(-1, 4), DType.FLOAT32, "inner_in");
        Model inner = new Model(x, new Dense(3).setName("inner_dense").apply(x));
        inner.setName("inner_model");
        KerasTensor y = Input.create(Shape.of(-1, 4), DType.FLOAT32, "outer_in");
        Model outer = new Model(y, new Dense(1).setName("outer_dense").apply(inner.apply(y)));
        outer.setName("outer_model");
        Model back = (Model) roundTrip(outer);
        assertEquals(outer.countParams(), back.countParams());
    }

    private static List<Object> stripKwargs(Object refs) {
        return ((List<?>) refs).stream().map(r -> (Object) ((List<?>) r).subList(0, 3)).toList();
    }

    @Test
    void everyRegisteredCoreLayerIsCovered() {
        Set<String> covered = new LinkedHashSet<>();
        layers().forEach(a -> covered.add(((Supplier<?>) a.get()[1]).get().getClass().getSimpleName()));
        covered.add("Sequential");
        covered.add("Model");
        for (String cls : List.of("InputLayer", "Dense", "Activation", "Dropout", "SpatialDropout1D",
                "SpatialDropout2D", "SpatialDropout3D", "Flatten", "Reshape", "Permute", "RepeatVector", "Lambda",
                "ActivityRegularization", "Masking", "Sequential", "Model")) {
            assertTrue(covered.contains(cls), cls + " has no round-trip case");
        }
    }
}
