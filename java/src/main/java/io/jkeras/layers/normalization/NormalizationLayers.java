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
        register.accept("BatchNormalization", BatchNormalization::fromConfig);
        // the names TF 1.x's tf.keras saved its two implementations under
        register.accept("BatchNormalizationV1", BatchNormalization::fromConfig);
        register.accept("BatchNormalizationV2", BatchNormalization::fromConfig);
        register.accept("LayerNormalization", LayerNormalization::fromConfig);
    }
}
