package io.jkeras.layers.wrappers;

import io.jkeras.layers.Layer;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/** The TimeDistributed and Bidirectional wrappers' Keras class names, for {@code Layers.deserialize}. */
public final class WrapperLayers {
    private WrapperLayers() {
    }

    public static void registerAll(BiConsumer<String, Function<Map<String, Object>, Layer>> register) {
        register.accept("TimeDistributed", TimeDistributed::fromConfig);
        register.accept("Bidirectional", Bidirectional::fromConfig);
    }
}
