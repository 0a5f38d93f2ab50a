package io.jkeras.optimizers;

import io.jkeras.saving.Registry;
import java.util.Map;
import java.util.function.Function;

/**
 * Optimizers by Keras identifier: "sgd" / "adam" (defaults), {"class_name": "Adam", "config": {...}} as Keras 2
 * (key "lr") or tf.keras ("learning_rate") writes it, or an Optimizer returned as is. Each name or config makes a
 * new optimizer with its own state.
 */
public final class Optimizers {
    private static final Registry<Optimizer> REGISTRY =
            new Registry<>("optimizer", Optimizer.class, Optimizer::className, Optimizer::getConfig);

    static {
        REGISTRY.register("SGD", SGD::fromConfig);
        REGISTRY.register("sgd", SGD::fromConfig);
        REGISTRY.register("Adam", Adam::fromConfig);
        REGISTRY.register("adam", Adam::fromConfig);
    }

    private Optimizers() {
    }

    public static void register(String name, Function<Map<String, Object>, Optimizer> factory) {
        REGISTRY.register(name, factory);
    }

    public static Optimizer get(Object identifier) {
        if (identifier == null) {
            throw new IllegalArgumentException("an optimizer is required (\"sgd\", \"adam\", a config or an Optimizer)");
        }
        return REGISTRY.get(identifier);
    }

    public static Map<String, Object> serialize(Optimizer o) {
        return REGISTRY.serialize(o);
    }
}
