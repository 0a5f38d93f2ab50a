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
    }
}
