package io.jkeras.layers.recurrent;

import io.jkeras.layers.Layer;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/** The recurrent layers and cells, RNN wrappers of cells' Keras class names, for {@code Layers.deserialize}. */
public final class RecurrentLayers {
    private RecurrentLayers() {
    }

    public static void registerAll(BiConsumer<String, Function<Map<String, Object>, Layer>> register) {
        register.accept("RNN", RNN::fromConfig);
        register.accept("SimpleRNN", SimpleRNN::fromConfig);
        register.accept("GRU", GRU::fromConfig);
        register.accept("LSTM", LSTM::fromConfig);
        register.accept("SimpleRNNCell", SimpleRNNCell::fromConfig);
        register.accept("GRUCell", GRUCell::fromConfig);
        register.accept("LSTMCell", LSTMCell::fromConfig);
        register.accept("StackedRNNCells", StackedRNNCells::fromConfig);
        register.accept("ConvLSTM2D", ConvLSTM2D::fromConfig);
        register.accept("ConvLSTM2DCell", ConvLSTM2DCell::fromConfig);
        register.accept("CuDNNGRU", CuDNNGRU::fromConfig);
        register.accept("CuDNNLSTM", CuDNNLSTM::fromConfig);
    }
}
