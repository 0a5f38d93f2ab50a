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
        register.accept("Add", Add::fromConfig);
        register.accept("Subtract", Subtract::fromConfig);
        register.accept("Multiply", Multiply::fromConfig);
        register.accept("Average", Average::fromConfig);
        register.accept("Maximum", Maximum::fromConfig);
        register.accept("Minimum", Minimum::fromConfig);
        register.accept("Concatenate", Concatenate::fromConfig);
        register.accept("Dot", Dot::fromConfig);
    }
}
