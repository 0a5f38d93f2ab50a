package io.jkeras.layers.reshaping;

import io.jkeras.layers.Layer;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/** The cropping, up-sampling and zero-padding layers' Keras class names, for {@code Layers.deserialize}. */
public final class ReshapingLayers {
    private ReshapingLayers() {
    }

    public static void registerAll(BiConsumer<String, Function<Map<String, Object>, Layer>> register) {
    }
}
