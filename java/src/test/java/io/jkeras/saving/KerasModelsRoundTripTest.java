package io.jkeras.saving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jkeras.layers.KerasTensor;
import io.jkeras.layers.Layer;
import io.jkeras.layers.Layers;
import io.jkeras.layers.Weight;
import io.jkeras.layers.conv.Conv1D;
import io.jkeras.layers.core.Dense;
import io.jkeras.layers.core.Flatten;
import io.jkeras.layers.merge.Concatenate;
import io.jkeras.layers.normalization.BatchNormalization;
import io.jkeras.layers.pooling.MaxPooling1D;
import io.jkeras.layers.recurrent.LSTM;
import io.jkeras.layers.wrappers.Bidirectional;
import io.jkeras.models.Input;
import io.jkeras.models.Model;
import io.jkeras.models.Sequential;
import io.jkeras.tensor.Tensor;
import io.jkeras.testing.KerasGolden;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Saving and loading again reproduces the config and the predictions bit for bit, in every format. */
@Timeout(300)
class KerasModelsRoundTripTest {
    @TempDir
    Path dir;

    /** Random weights (positive where a variance must be). */
    static void randomize(Model model, long seed) {
        Random r = new Random(seed);
        for (Weight w : model.weightVariables()) {
            float[] v = new float[(int) w.value().size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = w.name().contains("variance") ? 0.5f + r.nextFloat() : (float) r.nextGaussian() * 0.5f;
            }
            w.assign(Tensor.of(v, w.value().shape()));
        }
    }

    static Tensor random(long seed, long... shape) {
        Random r = new Random(seed);
        int n = 1;
        for (long d : shape) {
            n *= (int) d;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return Tensor.of(v, shape);
    }

    static Sequential convNet() {
        Sequential m = new Sequential(new Conv1D(4, 3, "relu").setInputShape(10, 3), new MaxPooling1D(2),
                new BatchNormalization(), new Flatten(), new Dense(5, "softmax"));
        randomize(m, 1);
        return m;
    }

    /** Two inputs, a shared layer, a merge, a nested Sequential, two outputs. */
    static Model functional() {
        KerasTensor a = Input.create(8);
        KerasTensor b = Input.create(8);
        Dense shared = new Dense(6, "tanh");
        KerasTensor sa = shared.apply(a);
        KerasTensor sb = shared.apply(b);
        KerasTensor merged = new Concatenate().apply(sa, sb);
        Sequential head = new Sequential(new Dense(4, "relu").setInputShape(12), new Dense(2));
        KerasTensor out1 = head.apply(merged);
        KerasTensor out2 = new Dense(3, "sigmoid").apply(sb);
        Model m = new Model(List.of(a, b), List.of(out1, out2));
        randomize(m, 2);
        return m;
    }

    static Sequential recurrent() {
        Sequential m = new Sequential(new Bidirectional(new LSTM(5)).setInputShape(4, 3), new Dense(2));
        randomize(m, 3);
        return m;
    }

    static List<Tensor> inputsFor(Model m) {
        List<Tensor> xs = new ArrayList<>();
        for (KerasTensor t : m.inputs()) {
            long[] s = t.shape().dims().clone();
            s[0] = 7;
            xs.add(random(xs.size() + 10, s));
        }
        return xs;
    }

    static void assertSameModel(Model expected, Model actual, List<Tensor> xs) {
        assertEquals(Json.roundTrip(Layers.serialize(expected)), Json.roundTrip(Layers.serialize(actual)), "config");
        List<Weight> we = expected.weightVariables();
        List<Weight> wa = actual.weightVariables();
        assertEquals(we.size(), wa.size(), "weight count");
        for (int i = 0; i < we.size(); i++) {
            assertArrayEquals(we.get(i).value().toFloatArray(), wa.get(i).value().toFloatArray(), 0f, "weight " + i);
        }
        List<Tensor> ye = expected.predict(xs);
        List<Tensor> ya = actual.predict(xs);
        for (int i = 0; i < ye.size(); i++) {
            assertArrayEquals(ye.get(i).shape(), ya.get(i).shape());
            assertArrayEquals(ye.get(i).toFloatArray(), ya.get(i).toFloatArray(), 0f, "output " + i + " bit for bit");
        }
    }

    private Model model(String kind) {
        return switch (kind) {
            case "conv" -> convNet();
            case "functional" -> functional();
            default -> recurrent();
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"conv", "functional", "recurrent"})
    void h5(String kind) {
        Model m = model(kind);
        Path f = dir.resolve(kind + ".h5");
        KerasModels.save(m, f);
        assertSameModel(m, KerasModels.load(f), inputsFor(m));
    }

    @ParameterizedTest
    @ValueSource(strings = {"conv", "functional", "recurrent"})
    void keras3Archive(String kind) throws Exception {
        Model m = model(kind);
        Path f = dir.resolve(kind + ".keras");
        KerasModels.save(m, f);
        try (ZipFile z = new ZipFile(f.toFile())) {
            assertNotNull(z.getEntry("config.json"));
            assertNotNull(z.getEntry("metadata.json"));
            assertNotNull(z.getEntry("model.weights.h5"));
        }
        assertSameModel(m, KerasModels.load(f), inputsFor(m));
    }

    @ParameterizedTest
    @ValueSource(strings = {"conv", "functional", "recurrent"})
    void tfjs(String kind) {
        Model m = model(kind);
        Path f = dir.resolve(kind).resolve("model.json");
        KerasModels.save(m, f);
        assertTrue(Files.exists(f.resolveSibling(TfjsModels.SHARD)));
        assertSameModel(m, KerasModels.load(f), inputsFor(m));
        assertSameModel(m, KerasModels.load(f.getParent()), inputsFor(m));  // the folder works too
    }

    /** A real Keras file, saved again in each format, predicts the same bits. */
    @Test
    void goldenFileSavedAgain() {
        Path golden = KerasGolden.dir("conv1d").resolve("conv1d_k3_s2_d1_cl_same_model.h5");
        Model m = KerasModels.load(golden);
        List<Tensor> xs = new ArrayList<>(KerasGolden.arrays("conv1d", "conv1d_k3_s2_d1_cl_same", "inputs").values());
        for (String name : List.of("again.h5", "again.keras", "again.json")) {
            Path f = dir.resolve(name);
            KerasModels.save(m, f);
            assertSameModel(m, KerasModels.load(f), xs);
        }
    }

    /** The HDF5 file has Keras 2's layout, attribute by attribute. */
    @Test
    void h5Layout() {
        Model m = convNet();
        Path f = dir.resolve("layout.h5");
        KerasModels.save(m, f);
        try (HdfFile h5 = new HdfFile(f)) {
            assertEquals("2.3.1", H5Read.string(h5, "keras_version"));
            assertEquals("tensorflow", H5Read.string(h5, "backend"));
            Map<String, Object> config = Json.parseObject(H5Read.string(h5, "model_config"));
            assertEquals("Sequential", config.get("class_name"));
            Group mw = H5Read.group(h5, "model_weights");
            List<String> names = H5Read.strings(mw, "layer_names");
            List<String> expected = new ArrayList<>();
            for (Layer l : m.layers()) {
                expected.add(l.getName());
            }
            assertEquals(expected, names);
            Layer conv = m.layers().get(0);
            Group g = H5Read.group(mw, conv.getName());
            assertEquals(List.of(conv.getName() + "/kernel:0", conv.getName() + "/bias:0"),
                    H5Read.strings(g, "weight_names"));
            Dataset kernel = (Dataset) H5Read.node(g, conv.getName() + "/kernel:0");
            assertArrayEquals(new int[] {3, 3, 4}, kernel.getDimensions());
            Layer bn = m.layers().get(2);
            List<String> bnNames = H5Read.strings(H5Read.group(mw, bn.getName()), "weight_names");
            assertEquals(4, bnNames.size());
            assertTrue(bnNames.get(2).endsWith("moving_mean:0") && bnNames.get(3).endsWith("moving_variance:0"),
                    bnNames.toString());
            // a layer without weights has a group but no weight_names (jHDF cannot write an empty attribute)
            assertTrue(H5Read.strings(H5Read.group(mw, m.layers().get(1).getName()), "weight_names").isEmpty());
        }
    }

    /** Keras 3's layout: variables under layers/<class name>/vars, an RNN's under cell/vars. */
    @Test
    void kerasArchiveLayout() throws Exception {
        Model m = recurrent();
        Path f = dir.resolve("layout.keras");
        KerasModels.save(m, f);
        byte[] weights;
        Map<String, Object> config;
        try (ZipFile z = new ZipFile(f.toFile())) {
            weights = z.getInputStream(z.getEntry("model.weights.h5")).readAllBytes();
            config = Json.parseObject(new String(z.getInputStream(z.getEntry("config.json")).readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8));
        }
        assertEquals("keras", config.get("module"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> layers = (List<Map<String, Object>>) ((Map<String, Object>) config.get("config"))
                .get("layers");
        assertEquals("InputLayer", layers.get(0).get("class_name"));
        try (HdfFile h5 = H5Read.open(weights)) {
            assertNotNull(H5Read.node(h5, "layers/bidirectional/forward_layer/cell/vars/0"));
            assertNotNull(H5Read.node(h5, "layers/bidirectional/backward_layer/cell/vars/2"));
            assertNotNull(H5Read.node(h5, "layers/dense/vars/1"));
        }
    }

    @Test
    void saveWeightsLayoutLoadsIntoAModelBuiltInCode() {
        Model m = convNet();
        Path f = dir.resolve("w.h5");
        KerasModels.save(m, f);
        Sequential fresh = new Sequential(new Conv1D(4, 3, "relu").setInputShape(10, 3), new MaxPooling1D(2),
                new BatchNormalization(), new Flatten(), new Dense(5, "softmax"));
        KerasModels.loadWeights(fresh, f);  // other layer names: matched by position
        List<Tensor> xs = inputsFor(m);
        assertArrayEquals(m.predict(xs).get(0).toFloatArray(), fresh.predict(xs).get(0).toFloatArray(), 0f);
    }
}
