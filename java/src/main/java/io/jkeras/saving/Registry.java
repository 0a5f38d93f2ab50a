package io.jkeras.saving;

import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Objects by Keras identifier: a string alias, a serialized {"class_name", "config"} map, or an instance; users
 * register factories for their own class names.
 *
 * @param <T> what the registry makes (initializers, regularizers, constraints)
 */
public final class Registry<T> {
    private final String kind;
    private final Class<T> type;
    private final Function<T, String> className;
    private final Function<T, Map<String, Object>> config;
    private final Map<String, Function<Map<String, Object>, T>> factories = new ConcurrentHashMap<>();

    public Registry(String kind, Class<T> type, Function<T, String> className, Function<T, Map<String, Object>> config) {
        this.kind = kind;
        this.type = type;
        this.className = className;
        this.config = config;
    }

    /** Makes a name known: a class name ("GlorotUniform") or an alias ("glorot_uniform"). */
    public void register(String name, Function<Map<String, Object>, T> factory) {
        factories.put(name, factory);
    }

    /** The object for an identifier; null for null. */
    public T get(Object identifier) {
        if (identifier == null) {
            return null;
        }
        if (type.isInstance(identifier)) {
            return type.cast(identifier);
        }
        if (identifier instanceof String s) {
            return create(s, Map.of());
        }
        if (identifier instanceof Map<?, ?> m && m.get("class_name") instanceof String cls) {
            if (m.get("config") != null && !(m.get("config") instanceof Map)) {
                throw new IllegalArgumentException(kind + " '" + cls + "': \"config\" must be an object, got "
                        + m.get("config"));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> cfg = (Map<String, Object>) m.get("config");
            return create(cls, cfg == null ? Map.of() : cfg);
        }
        throw new IllegalArgumentException("cannot interpret " + identifier + " as " + kind);
    }

    private T create(String name, Map<String, Object> cfg) {
        Function<Map<String, Object>, T> f = factories.get(name);
        if (f == null) {
            throw new IllegalArgumentException("unknown " + kind + " '" + name + "' (known: "
                    + new TreeSet<>(factories.keySet()) + "; register your own class by name)");
        }
        return f.apply(cfg);
    }

    /** Keras's serialized form {"class_name", "config"}, or null for null. */
    public Map<String, Object> serialize(T x) {
        return x == null ? null : ConfigMap.serialized(className.apply(x), config.apply(x));
    }
}
