package io.jkeras.layers.pooling;

import io.jkeras.layers.Layer;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/** The pooling layers' Keras class names, for {@code Layers.deserialize}. */
public final class PoolingLayers {
    private PoolingLayers() {
    }

    public static void registerAll(BiConsumer<String, Function<Map<String, Object>, Layer>> register) {
    }
}
