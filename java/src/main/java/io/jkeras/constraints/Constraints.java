package io.jkeras.constraints;

import io.jkeras.saving.Registry;
import java.util.Map;
import java.util.function.Function;

/** Constraints by Keras identifier (alias, serialized map or instance); see {@link Registry}. */
public final class Constraints {
    private static final Registry<Constraint> REGISTRY =
            new Registry<>("constraint", Constraint.class, Constraint::className, Constraint::getConfig);

    static {
        BuiltinConstraints.registerAll(REGISTRY);
    }

    private Constraints() {
    }

    public static void register(String name, Function<Map<String, Object>, Constraint> factory) {
        REGISTRY.register(name, factory);
    }

    public static Constraint get(Object identifier) {
        return REGISTRY.get(identifier);
    }

    public static Map<String, Object> serialize(Constraint x) {
        return REGISTRY.serialize(x);
    }
}
