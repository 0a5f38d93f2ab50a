package io.jkeras.regularizers;

import io.jkeras.saving.Registry;
import java.util.Map;
import java.util.function.Function;

/** Regularizers by Keras identifier (alias, serialized map or instance); see {@link Registry}. */
public final class Regularizers {
    private static final Registry<Regularizer> REGISTRY =
            new Registry<>("regularizer", Regularizer.class, Regularizer::className, Regularizer::getConfig);

    static {
        BuiltinRegularizers.registerAll(REGISTRY);
    }

    private Regularizers() {
    }

    public static void register(String name, Function<Map<String, Object>, Regularizer> factory) {
        REGISTRY.register(name, factory);
    }

    public static Regularizer get(Object identifier) {
        return REGISTRY.get(identifier);
    }

    public static Map<String, Object> serialize(Regularizer x) {
        return REGISTRY.serialize(x);
    }
}
