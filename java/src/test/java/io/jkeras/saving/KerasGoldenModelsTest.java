package io.jkeras.saving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import io.jkeras.layers.KerasTensor;
import io.jkeras.layers.Layer;
import io.jkeras.layers.Weight;
import io.jkeras.models.Model;
import io.jkeras.tensor.Tensor;
import io.jkeras.testing.Golden;
import io.jkeras.testing.KerasGolden;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every real-Keras case under the test resources' keras-golden/ (each family folder, each NAME_model.h5): the
 * whole-model file loads through {@link KerasModels#load}, its weights are the ones of NAME_weights.h5, and the
 * model reproduces Keras's predictions/ and per-layer activations/ (1e-5 relative; 1e-4 with recurrent layers).
 * A case added to the folder is tested without new code.
 */
class KerasGoldenModelsTest {
    private static final Set<String> RECURRENT = Set.of("LSTM", "GRU", "SimpleRNN", "ConvLSTM2D", "Bidirectional",
            "CuDNNLSTM", "CuDNNGRU");

    static Path root() {
        try {
            return Path.of(KerasGoldenModelsTest.class.getResource("/keras-golden").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** "family/NAME" for every NAME_model.h5. */
    static Stream<String> cases() {
        List<String> out = new ArrayList<>();
        try (Stream<Path> families = Files.list(root())) {
            for (Path fam : families.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> files = Files.list(fam)) {
                    files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("_model.h5")).sorted()
                            .forEach(n -> out.add(fam.getFileName() + "/" + n.substring(0, n.length() - 9)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("no NAME_model.h5 under " + root());
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @Timeout(300)
    void matchesKeras(String id) {
        String family = id.substring(0, id.indexOf('/'));
        String name = id.substring(id.indexOf('/') + 1);
        Path file = KerasGolden.dir(family).resolve(name + "_model.h5");
        Model model;
        try {
            model = KerasModels.load(file);
        } catch (KerasFileException e) {
            fail(id + " does not load: " + e.getMessage(), e);
            return;
        }
        boolean recurrent = false;
        for (Layer l : model.layers()) {
            recurrent |= RECURRENT.contains(l.className());
        }
        double tol = recurrent ? 1e-4 : 1e-5;

        checkWeights(id, family, name, model);

        Map<String, Tensor> inputs = KerasGolden.arrays(family, name, "inputs");
        Map<String, Tensor> predictions = KerasGolden.arrays(family, name, "predictions");
        Map<String, Tensor> activations = KerasGolden.arrays(family, name, "activations");
        if (predictions.isEmpty()) {
            return;  // a loading-only case (simple_lstm_tf_keras_2): weights checked above
        }
        List<Tensor> xs = inOrder(model.inputs(), inputs, id + " inputs");
        List<Tensor> ys = model.predict(xs);
        List<Tensor> expected = inOrder(model.outputs(), predictions, id + " predictions");
        for (int i = 0; i < ys.size(); i++) {
            assertArrayEquals(expected.get(i).shape(), ys.get(i).shape(), id + ": shape of output " + i);
            Golden.assertClose(id + " prediction " + i, expected.get(i).toFloatArray(), ys.get(i).toFloatArray(), tol);
        }
        int checked = 0;
        for (Layer l : model.layers()) {
            Tensor want = activations.get(l.getName());
            if (want == null || l.inboundNodes().isEmpty()) {
                continue;
            }
            Model upTo = new Model(model.inputs(), List.of((KerasTensor) l.getOutputAt(0)));
            Tensor got = upTo.predict(xs).get(0);
            assertArrayEquals(want.shape(), got.shape(), id + ": shape of layer " + l.getName() + "'s output");
            Golden.assertClose(id + " activation of " + l.getName(), want.toFloatArray(), got.toFloatArray(), tol);
            checked++;
        }
        assertEquals(activations.isEmpty(), checked == 0, id + ": activations/ names no layer of the model "
                + activations.keySet());
    }

    /** The loaded weights are NAME_weights.h5's (Keras 2 files; Keras 1 files have another layout). */
    private static void checkWeights(String id, String family, String name, Model model) {
        Map<String, List<Tensor>> file = weightsFile(KerasGolden.dir(family).resolve(name + "_weights.h5"));
        boolean keras1 = false;
        for (Map.Entry<String, List<Tensor>> e : file.entrySet()) {
            Layer layer = model.getLayer(e.getKey());
            List<Weight> order = LayerWeights.savedOrder(layer);
            if (order.size() != e.getValue().size()) {
                keras1 = true;  // Keras 1's separate gate arrays
                continue;
            }
            for (int i = 0; i < order.size(); i++) {
                Tensor want = e.getValue().get(i);
                if (!java.util.Arrays.equals(want.shape(), order.get(i).value().shape())) {
                    keras1 = true;
                    continue;
                }
                assertArrayEquals(want.toFloatArray(), order.get(i).value().toFloatArray(), 0f,
                        id + ": weight " + i + " of layer " + e.getKey());
            }
        }
        if (keras1) {
            assertFalse(file.isEmpty());
        }
    }

    /** Each layer's arrays of a save_weights file, in weight_names order (read with the loader's helpers). */
    static Map<String, List<Tensor>> weightsFile(Path file) {
        Map<String, List<Tensor>> out = new java.util.LinkedHashMap<>();
        if (!Files.exists(file)) {
            return out;
        }
        try (io.jhdf.HdfFile h5 = new io.jhdf.HdfFile(file)) {
            io.jhdf.api.Group root = H5Read.group(h5, "model_weights");
            if (root == null) {
                root = h5;
            }
            for (String layer : H5Read.strings(root, "layer_names")) {
                io.jhdf.api.Group g = (io.jhdf.api.Group) H5Read.child(root, layer);
                List<Tensor> ws = new ArrayList<>();
                for (String w : H5Read.strings(g, "weight_names")) {
                    ws.add(H5Read.array((io.jhdf.api.Dataset) H5Read.node(g, w), w).toTensor());
                }
                if (!ws.isEmpty()) {
                    out.put(layer, ws);
                }
            }
        }
        return out;
    }

    /** The arrays for the model's input (or output) tensors: by layer name, else in the file's order. */
    private static List<Tensor> inOrder(List<KerasTensor> tensors, Map<String, Tensor> arrays, String what) {
        List<Tensor> out = new ArrayList<>();
        List<Tensor> byPosition = new ArrayList<>(arrays.values());
        if (byPosition.size() != tensors.size()) {
            fail(what + ": the file has " + arrays.keySet() + " for " + tensors.size() + " model tensor(s)");
        }
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = arrays.get(tensors.get(i).layer().getName());
            out.add(t != null ? t : byPosition.get(i));
        }
        return out;
    }
}
