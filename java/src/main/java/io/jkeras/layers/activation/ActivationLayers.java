package io.jkeras.layers.activation;

import io.jkeras.layers.Layer;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/** The advanced activation layers' Keras class names, for {@code Layers.deserialize}. */
public final class ActivationLayers {
    private ActivationLayers() {
    }

    public static void registerAll(BiConsumer<String, Function<Map<String, Object>, Layer>> register) {
        register.accept("LeakyReLU", LeakyReLU::fromConfig);
        register.accept("PReLU", PReLU::fromConfig);
        register.accept("ELU", ELU::fromConfig);
        register.accept("ThresholdedReLU", ThresholdedReLU::fromConfig);
        register.accept("Softmax", Softmax::fromConfig);
        register.accept("ReLU", ReLU::fromConfig);
    }
}
