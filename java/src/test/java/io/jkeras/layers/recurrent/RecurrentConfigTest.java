package io.jkeras.layers.recurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.layers.Layer;
import io.jkeras.layers.Layers;
import io.jkeras.saving.Json;
import io.jkeras.tensor.Scope;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Keras's get_config keys (and order) for every recurrent layer and cell, round trips, defaults and errors. */
class RecurrentConfigTest {
    static final List<String> RNN_BASE = List.of("name", "trainable", "dtype", "return_sequences", "return_state",
            "go_backwards", "stateful", "unroll");

    static List<String> concat(List<String> a, String... b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(List.of(b));
        return out;
    }

    static Stream<Object[]> layers() {
        return Stream.of(
                new Object[] {new SimpleRNN(3), concat(RNN_BASE, "units", "activation", "use_bias",
                    "kernel_initializer", "recurrent_initializer", "bias_initializer", "kernel_regularizer",
                    "recurrent_regularizer", "bias_regularizer", "activity_regularizer", "kernel_constraint",
                    "recurrent_constraint", "bias_constraint", "dropout", "recurrent_dropout")},
                new Object[] {new GRU(3), concat(RNN_BASE, "units", "activation", "recurrent_activation", "use_bias",
                    "kernel_initializer", "recurrent_initializer", "bias_initializer", "kernel_regularizer",
                    "recurrent_regularizer", "bias_regularizer", "activity_regularizer", "kernel_constraint",
                    "recurrent_constraint", "bias_constraint", "dropout", "recurrent_dropout", "implementation",
                    "reset_after")},
                new Object[] {new LSTM(3), concat(RNN_BASE, "units", "activation", "recurrent_activation", "use_bias",
                    "kernel_initializer", "recurrent_initializer", "bias_initializer", "unit_forget_bias",
                    "kernel_regularizer", "recurrent_regularizer", "bias_regularizer", "activity_regularizer",
                    "kernel_constraint", "recurrent_constraint", "bias_constraint", "dropout", "recurrent_dropout",
                    "implementation")},
                new Object[] {new ConvLSTM2D(2, 3, 3), concat(RNN_BASE, "filters", "kernel_size", "strides", "padding",
                    "data_format", "dilation_rate", "activation", "recurrent_activation", "use_bias",
                    "kernel_initializer", "recurrent_initializer", "bias_initializer", "unit_forget_bias",
                    "kernel_regularizer", "recurrent_regularizer", "bias_regularizer", "activity_regularizer",
                    "kernel_constraint", "recurrent_constraint", "bias_constraint", "dropout", "recurrent_dropout")},
                new Object[] {new CuDNNGRU(3), List.of("name", "trainable", "dtype", "return_sequences", "return_state",
                    "go_backwards", "stateful", "units", "kernel_initializer", "recurrent_initializer",
                    "bias_initializer", "kernel_regularizer", "recurrent_regularizer", "bias_regularizer",
                    "activity_regularizer", "kernel_constraint", "recurrent_constraint", "bias_constraint")},
                new Object[] {new CuDNNLSTM(3), List.of("name", "trainable", "dtype", "return_sequences",
                    "return_state", "go_backwards", "stateful", "units", "kernel_initializer", "recurrent_initializer",
                    "bias_initializer", "unit_forget_bias", "kernel_regularizer", "recurrent_regularizer",
                    "bias_regularizer", "activity_regularizer", "kernel_constraint", "recurrent_constraint",
                    "bias_constraint")},
                new Object[] {new RNN(new LSTMCell(3)), concat(RNN_BASE, "cell")},
                new Object[] {new SimpleRNNCell(3), List.of("name", "trainable", "dtype", "units", "activation",
                    "use_bias", "kernel_initializer", "recurrent_initializer", "bias_initializer", "kernel_regularizer",
                    "recurrent_regularizer", "bias_regularizer", "kernel_constraint", "recurrent_constraint",
                    "bias_constraint", "dropout", "recurrent_dropout")},
                new Object[] {new GRUCell(3), List.of("name", "trainable", "dtype", "units", "activation",
                    "recurrent_activation", "use_bias", "kernel_initializer", "recurrent_initializer",
                    "bias_initializer", "kernel_regularizer", "recurrent_regularizer", "bias_regularizer",
                    "kernel_constraint", "recurrent_constraint", "bias_constraint", "dropout", "recurrent_dropout",
                    "implementation", "reset_after")},
                new Object[] {new LSTMCell(3), List.of("name", "trainable", "dtype", "units", "activation",
                    "recurrent_activation", "use_bias", "kernel_initializer", "recurrent_initializer",
                    "bias_initializer", "unit_forget_bias", "kernel_regularizer", "recurrent_regularizer",
                    "bias_regularizer", "kernel_constraint", "recurrent_constraint", "bias_constraint", "dropout",
                    "recurrent_dropout", "implementation")},
                new Object[] {new ConvLSTM2DCell(2, 3, 3), List.of("name", "trainable", "dtype", "filters",
                    "kernel_size", "strides", "padding", "data_format", "dilation_rate", "activation",
                    "recurrent_activation", "use_bias", "kernel_initializer", "recurrent_initializer",
                    "bias_initializer", "unit_forget_bias", "kernel_regularizer", "recurrent_regularizer",
                    "bias_regularizer", "kernel_constraint", "recurrent_constraint", "bias_constraint", "dropout",
                    "recurrent_dropout")},
                new Object[] {new StackedRNNCells(new LSTMCell(3), new GRUCell(2)), List.of("name", "trainable",
                    "dtype", "cells")});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void kerasKeysAndRoundTrip(Layer layer, List<String> keys) {
        Map<String, Object> c = layer.getConfig();
        assertEquals(keys, new ArrayList<>(c.keySet()), layer.className());
        Layer again = Layers.deserialize(Layers.serialize(layer));
        assertEquals(layer.className(), again.className());
        assertEquals(Json.roundTrip(c), Json.roundTrip(again.getConfig()), layer.className() + " round trip");
    }

    @Test
    void kerasTwoDefaults() {
        Map<String, Object> lstm = new LSTM(3).getConfig();
        assertEquals("hard_sigmoid", lstm.get("recurrent_activation"));
        assertEquals(true, lstm.get("unit_forget_bias"));
        assertEquals(1, lstm.get("implementation"));
        assertEquals("Orthogonal", ((Map<?, ?>) lstm.get("recurrent_initializer")).get("class_name"));
        Map<String, Object> gru = new GRU(3).getConfig();
        assertEquals("hard_sigmoid", gru.get("recurrent_activation"));
        assertEquals(false, gru.get("reset_after"));
        assertEquals("tanh", new SimpleRNN(3).getConfig().get("activation"));
        assertEquals("linear", SimpleRNN.builder(3).activation(null).build().getConfig().get("activation"));
        assertEquals("sigmoid", ((GatedCell) new CuDNNLSTM(3).cell()).recurrentActivation().name());
        assertEquals(0.0, LSTM.builder(3).dropout(-1).build().getConfig().get("dropout"));
        assertEquals(1.0, LSTM.builder(3).dropout(3).build().getConfig().get("dropout"));
    }

    @Test
    void userCellsAndStacksRoundTrip() {
        RNN rnn = (RNN) Layers.deserialize("{\"class_name\":\"RNN\",\"config\":{\"cell\":[{\"class_name\":\"LSTMCell\","
                + "\"config\":{\"units\":4}},{\"class_name\":\"GRUCell\",\"config\":{\"units\":2,\"reset_after\":true}}],"
                + "\"return_sequences\":true}}");
        assertInstanceOf(StackedRNNCells.class, rnn.cell());
        Map<?, ?> cell = (Map<?, ?>) rnn.getConfig().get("cell");
        assertEquals("StackedRNNCells", cell.get("class_name"));
        RNN again = (RNN) Layers.deserialize(Layers.serialize(rnn));
        again.build(Shape.of(-1, 3, 5));
        assertEquals(6, again.getWeights().size());
        // a Keras 2.0 SimpleRNN config with the deprecated implementation argument
        Layers.deserialize("{\"class_name\":\"SimpleRNN\",\"config\":{\"units\":2,\"implementation\":0}}");
        // input_dim / input_length
        RNN l = (RNN) Layers.deserialize("{\"class_name\":\"LSTM\",\"config\":{\"units\":2,\"input_dim\":7,"
                + "\"input_length\":5}}");
        assertEquals(Shape.of(-1, 5, 7), l.batchInputShape());
        // an unregistered user cell
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Layers.deserialize(
                "{\"class_name\":\"RNN\",\"config\":{\"cell\":{\"class_name\":\"MyCell\",\"config\":{}}}}"));
        assertTrue(e.getMessage().contains("MyCell"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Layers.deserialize(
                "{\"class_name\":\"RNN\",\"config\":{\"cell\":{\"class_name\":\"Dense\",\"config\":{\"units\":2}}}}"));
        assertTrue(e.getMessage().contains("must be an RNN cell"), e.getMessage());
    }

    @Test
    void argumentErrors() {
        assertMessage("LSTM", "{\"units\":0}", "'units' must be a positive integer");
        assertMessage("GRU", "{\"units\":2,\"implementation\":3}", "'implementation' must be 1 or 2");
        assertMessage("LSTM", "{\"units\":2,\"reset_after\":true}", "unknown argument(s) [reset_after]");
        assertMessage("SimpleRNN", "{\"units\":2,\"recurrent_activation\":\"sigmoid\"}", "recurrent_activation");
        assertMessage("CuDNNGRU", "{\"units\":2,\"unroll\":true}", "unroll");
        assertMessage("LSTM", "{\"units\":2,\"activation\":\"nope\"}", "unknown activation function 'nope'");
        assertMessage("ConvLSTM2D", "{\"filters\":2}", "'kernel_size' is required");
        assertMessage("ConvLSTM2D", "{\"filters\":2,\"kernel_size\":3,\"data_format\":\"nchw\"}", "data_format");
    }

    static void assertMessage(String cls, String config, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Layers.deserialize(
                "{\"class_name\":\"" + cls + "\",\"config\":" + config + "}"));
        assertTrue(e.getMessage().contains(part), cls + " " + config + ": " + e.getMessage());
    }

    @Test
    void trainedWeightsSurviveTheConfigPlusSetWeights() {
        try (Scope s = Scope.open()) {
            RNN a = GRU.builder(3).resetAfter(true).returnSequences(true).build();
            Tensor x = Tensor.of(RnnReference.random(new java.util.Random(1), 2 * 4 * 2, 1), 2, 4, 2);
            float[] y = a.apply(x).toFloatArray();
            RNN b = (RNN) Layers.deserialize(Layers.serialize(a));
            b.build(x.getShape());
            b.setWeights(a.getWeights());
            assertEquals(0.0, RnnReference.relErr(b.apply(x).toFloatArray(), y));
        }
    }
}
