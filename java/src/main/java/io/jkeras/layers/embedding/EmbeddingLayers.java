package io.jkeras.layers.embedding;

import io.jkeras.layers.Layer;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/** The embedding layers' Keras class names, for {@code Layers.deserialize}. */
public final class EmbeddingLayers {
    private EmbeddingLayers() {
    }

    public static void registerAll(BiConsumer<String, Function<Map<String, Object>, Layer>> register) {
        register.accept("Embedding", Embedding::fromConfig);
    }
}
