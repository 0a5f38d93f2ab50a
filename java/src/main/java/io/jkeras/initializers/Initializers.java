package io.jkeras.initializers;

import io.jkeras.saving.Registry;
import java.util.Map;
import java.util.function.Function;

/** Initializers by Keras identifier (alias, serialized map or instance); see {@link Registry}. */
public final class Initializers {
    private static final Registry<Initializer> REGISTRY =
            new Registry<>("initializer", Initializer.class, Initializer::className, Initializer::getConfig);

    static {
        BuiltinInitializers.registerAll(REGISTRY);
    }

    private Initializers() {
    }

    public static void register(String name, Function<Map<String, Object>, Initializer> factory) {
        REGISTRY.register(name, factory);
    }

    public static Initializer get(Object identifier) {
        return REGISTRY.get(identifier);
    }

    public static Map<String, Object> serialize(Initializer x) {
        return REGISTRY.serialize(x);
    }
}
