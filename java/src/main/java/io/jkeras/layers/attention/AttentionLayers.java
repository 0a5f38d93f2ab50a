package io.jkeras.layers.attention;

import io.jkeras.layers.Layer;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/** The attention layers' Keras class names, for {@code Layers.deserialize}. */
public final class AttentionLayers {
    private AttentionLayers() {
    }

    public static void registerAll(BiConsumer<String, Function<Map<String, Object>, Layer>> register) {
        register.accept("Attention", Attention::fromConfig);
        register.accept("AdditiveAttention", AdditiveAttention::fromConfig);
    }
}
