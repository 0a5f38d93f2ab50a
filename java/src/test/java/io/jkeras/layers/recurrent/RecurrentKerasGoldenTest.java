package io.jkeras.layers.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.jkeras.layers.Layer;
import io.jkeras.layers.Layers;
import io.jkeras.layers.core.Dense;
import io.jkeras.models.Sequential;
import io.jkeras.tensor.Scope;
import io.jkeras.tensor.Tensor;
import io.jkeras.testing.Golden;
import io.jkeras.testing.KerasGolden;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Real Keras files (shared/keras-golden, copied to the test resources): a tf.keras 2 SimpleRNN model reproduces
 * Keras's predictions and the SimpleRNN layer's activations; a Keras 2.0 LSTM model (implementation 0, hard_sigmoid)
 * loads with Keras's weight layout (its implementation 0 read as 1, as Keras 2.2 does) and predicts what a double-precision reference computes from those weights (its
 * outputs/ are training targets, not predictions).
 */
class RecurrentKerasGoldenTest {
    static Sequential load(String family, String name) {
        Sequential model = (Sequential) Layers.deserialize(KerasGolden.config(family, name));
        for (Map.Entry<String, List<Tensor>> e : KerasGolden.weights(family, name).entrySet()) {
            model.getLayer(e.getKey()).setWeights(e.getValue());
        }
        return model;
    }

    @Test
    void simpleRnnMatchesKerasPredictionsAndActivations() {
        String name = "simple_rnn_tf_keras_2";
        try (Scope s = Scope.open()) {
            Sequential model = load("simple_rnn", name);
            Layer rnn = model.getLayer("simple_rnn_1");
            assertInstanceOf(SimpleRNN.class, rnn);
            assertEquals(0.2, ((SimpleRNN) rnn).cell().dropout());
            Tensor x = KerasGolden.arrays("simple_rnn", name, "inputs").get("simple_rnn_1_input");
            Tensor expected = KerasGolden.arrays("simple_rnn", name, "predictions").get("dense_1");
            Tensor y = model.predict(x);
            assertArrayEquals(expected.shape(), y.shape());
            Golden.assertClose(name + " predictions", expected.toFloatArray(), y.toFloatArray(), 1e-5);
            Map<String, Tensor> activations = KerasGolden.arrays("simple_rnn", name, "activations");
            Tensor h = rnn.apply(x);
            Golden.assertClose(name + " simple_rnn_1 activations", activations.get("simple_rnn_1").toFloatArray(),
                    h.toFloatArray(), 1e-5);
            Golden.assertClose(name + " dense_1 activations", activations.get("dense_1").toFloatArray(),
                    model.getLayer("dense_1").apply(h).toFloatArray(), 1e-5);
        }
    }

    @Test
    void kerasTwoLstmLoadsWithKerasLayout() {
        String name = "simple_lstm_tf_keras_2";
        try (Scope s = Scope.open()) {
            Sequential model = load("simple_lstm", name);
            LSTM lstm = (LSTM) model.getLayer("lstm_1");
            // Keras 2.0's implementation 0 (deprecated) is read as 1 (Keras 2.2's from_config); hard_sigmoid gates
            assertEquals(1, lstm.cell().implementation());
            assertEquals("hard_sigmoid", lstm.cell().recurrentActivation().name());
            List<Tensor> w = lstm.getWeights();
            assertArrayEquals(new long[] {1, 200}, w.get(0).shape());
            assertArrayEquals(new long[] {50, 200}, w.get(1).shape());
            assertArrayEquals(new long[] {200}, w.get(2).shape());
            Tensor x = KerasGolden.arrays("simple_lstm", name, "inputs").get("lstm_1_input");
            assertArrayEquals(new long[] {100, 1, 1}, x.shape());
            // the model's batch size is fixed at 25
            Tensor y = model.predict(List.of(x), 25).get(0);
            assertArrayEquals(new long[] {100, 1}, y.shape());
            RnnReference.Cell ref = RnnReference.lstm(w.get(0).toFloatArray(), w.get(1).toFloatArray(),
                    w.get(2).toFloatArray(), null, 50, "tanh", "hard_sigmoid", 1, RnnReference.Masks.NONE);
            double[][] h = RnnReference.run(ref, RnnReference.cube(x.toFloatArray(), 100, 1, 1), null, null, false)
                    .last();
            Dense dense = (Dense) model.getLayer("dense_1");
            float[] k = dense.getWeights().get(0).toFloatArray();
            float b = dense.getWeights().get(1).toFloatArray()[0];
            float[] expected = new float[100];
            for (int n = 0; n < 100; n++) {
                double v = b;
                for (int j = 0; j < 50; j++) {
                    v += h[n][j] * k[j];
                }
                expected[n] = (float) v;
            }
            Golden.assertClose(name + " predictions vs reference", expected, y.toFloatArray(), 1e-5);
        }
    }
}
