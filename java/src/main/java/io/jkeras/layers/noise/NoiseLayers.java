package io.jkeras.layers.noise;

import io.jkeras.layers.Layer;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/** The noise layers' Keras class names, for {@code Layers.deserialize}. */
public final class NoiseLayers {
    private NoiseLayers() {
    }

    public static void registerAll(BiConsumer<String, Function<Map<String, Object>, Layer>> register) {
        register.accept("GaussianNoise", GaussianNoise::fromConfig);
        register.accept("GaussianDropout", GaussianDropout::fromConfig);
        register.accept("AlphaDropout", AlphaDropout::fromConfig);
    }
}
