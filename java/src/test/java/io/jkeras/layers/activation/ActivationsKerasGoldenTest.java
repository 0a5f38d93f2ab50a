package io.jkeras.layers.activation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jkeras.layers.Layer;
import io.jkeras.layers.Layers;
import io.jkeras.models.Sequential;
import io.jkeras.tensor.Scope;
import io.jkeras.tensor.Tensor;
import io.jkeras.testing.Golden;
import io.jkeras.testing.KerasGolden;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real-Keras (2.3.1) cases of keras-golden/activations: Dense followed by ELU, LeakyReLU, ReLU (max_value,
 * negative_slope, threshold), Softmax or ThresholdedReLU; the model from its config, weights from its .h5,
 * predictions and each layer's activations compared with Keras's.
 */
class ActivationsKerasGoldenTest {
    private static final String FAMILY = "activations";

    static Stream<String> cases() {
        return KerasGolden.cases(FAMILY);
    }

    /**
     * Each layer's weights in the order of its group's weight_names. (KerasGolden.weights fails on these files:
     * jhdf reads the empty weight_names of a layer without weights as null.)
     */
    static Map<String, List<Tensor>> weights(String name) {
        Map<String, List<Tensor>> out = new LinkedHashMap<>();
        try (HdfFile h5 = new HdfFile(KerasGolden.dir(FAMILY).resolve(name + "_weights.h5"))) {
            for (String layer : strings(h5.getAttribute("layer_names"))) {
                Group g = (Group) h5.getChild(layer);
                List<Tensor> ws = new ArrayList<>();
                for (String w : strings(g.getAttribute("weight_names"))) {
                    Dataset d = (Dataset) g.getByPath(w);
                    long[] shape = Arrays.stream(d.getDimensions()).asLongStream().toArray();
                    Object flat = d.getDataFlat();
                    float[] v = new float[java.lang.reflect.Array.getLength(flat)];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = ((Number) java.lang.reflect.Array.get(flat, i)).floatValue();
                    }
                    ws.add(Tensor.of(v, shape));
                }
                out.put(layer, ws);
            }
        }
        return out;
    }

    private static List<String> strings(Attribute a) {
        List<String> out = new ArrayList<>();
        Object data = a == null ? null : a.getData();
        if (data == null || !data.getClass().isArray()) {
            return out;
        }
        for (int i = 0; i < java.lang.reflect.Array.getLength(data); i++) {
            out.add(String.valueOf(java.lang.reflect.Array.get(data, i)));
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesKeras(String name) {
        try (Scope scope = Scope.open()) {
            Sequential model = (Sequential) Layers.deserialize(KerasGolden.config(FAMILY, name));
            for (Map.Entry<String, List<Tensor>> e : weights(name).entrySet()) {
                model.getLayer(e.getKey()).setWeights(e.getValue());
            }
            Tensor x = KerasGolden.arrays(FAMILY, name, "inputs").values().iterator().next();
            Tensor expected = KerasGolden.arrays(FAMILY, name, "predictions").values().iterator().next();
            Tensor y = model.predict(x);
            assertArrayEquals(expected.shape(), y.shape(), name + ": output shape");
            Golden.assertClose(name, expected.toFloatArray(), y.toFloatArray(), 1e-5);

            // every layer's own output, where the file has it
            Map<String, Tensor> acts = KerasGolden.arrays(FAMILY, name, "activations");
            assertFalse(acts.isEmpty(), name + ": no per-layer activations");
            Tensor h = x;
            for (Layer layer : model.layers()) {
                h = layer.apply(h);
                Tensor want = acts.get(layer.getName());
                if (want != null) {
                    Golden.assertClose(name + " layer " + layer.getName(), want.toFloatArray(), h.toFloatArray(), 1e-5);
                }
            }
        }
    }
}
