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
        register.accept("LocallyConnected1D", LocallyConnected1D::fromConfig);
        register.accept("LocallyConnected2D", LocallyConnected2D::fromConfig);
    }
}
