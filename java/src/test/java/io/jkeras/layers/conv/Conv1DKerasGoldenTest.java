package io.jkeras.layers.conv;

import static org.junit.jupiter.api.Assertions.*;

import io.jkeras.layers.Layer;
import io.jkeras.layers.Layers;
import io.jkeras.models.Sequential;
import io.jkeras.tensor.Tensor;
import io.jkeras.testing.Golden;
import io.jkeras.testing.KerasGolden;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The real-Keras Conv1D cases: model from its config, weights from its .h5, outputs compared with Keras's. */
class Conv1DKerasGoldenTest {
    static Stream<String> cases() {
        return KerasGolden.cases("conv1d");
    }

    @ParameterizedTest
    @MethodSource("cases")
    void matchesKeras(String name) {
        Sequential model = (Sequential) Layers.deserialize(KerasGolden.config("conv1d", name));
        for (Map.Entry<String, List<Tensor>> e : KerasGolden.weights("conv1d", name).entrySet()) {
            Layer layer = model.getLayer(e.getKey());
            layer.setWeights(e.getValue());
        }
        Tensor x = KerasGolden.arrays("conv1d", name, "inputs").values().iterator().next();
        Tensor expected = KerasGolden.arrays("conv1d", name, "predictions").values().iterator().next();
        Tensor y = model.predict(x);
        assertArrayEquals(expected.shape(), y.shape(), name + ": output shape");
        Golden.assertClose(name, expected.toFloatArray(), y.toFloatArray(), 1e-5);
    }
}
