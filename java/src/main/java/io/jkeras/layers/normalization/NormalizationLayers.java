package io.jkeras.layers.normalization;

import io.jkeras.layers.Layer;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/** The normalization layers' Keras class names, for {@code Layers.deserialize}. */
public final class NormalizationLayers {
    private NormalizationLayers() {
    }

    public static void registerAll(BiConsumer<String, Function<Map<String, Object>, Layer>> register) {
    }
}
