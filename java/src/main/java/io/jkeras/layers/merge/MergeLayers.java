package io.jkeras.layers.merge;

import io.jkeras.layers.Layer;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/** The merge layers' Keras class names, for {@code Layers.deserialize}. */
public final class MergeLayers {
    private MergeLayers() {
    }

    public static void registerAll(BiConsumer<String, Function<Map<String, Object>, Layer>> register) {
    }
}
