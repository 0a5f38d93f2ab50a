package io.jkeras.layers.local;

import io.jkeras.layers.Layer;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/** The locally-connected layers' Keras class names, for {@code Layers.deserialize}. */
public final class LocalLayers {
    private LocalLayers() {
    }

    public static void registerAll(BiConsumer<String, Function<Map<String, Object>, Layer>> register) {
    }
}
