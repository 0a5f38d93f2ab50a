package io.jkeras.saving;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Model configs between the forms Keras has written over the years. {@link #normalize} brings tf.keras's and
 * Keras 3's configs to the Keras 2 form {@code Layers.deserialize} reads (no "module" / "registered_name" /
 * "build_config", dtype policies as dtype names, functional inbound nodes as [layer, node, tensor, kwargs] lists,
 * Keras 3 arguments at their defaults dropped); {@link #toKeras3} goes the other way for writing .keras files.
 */
public final class KerasConfigs {
    private KerasConfigs() {
    }

    /** Keys of Keras 3's serialized objects that Keras 2 configs do not have. */
    private static final Set<String> KERAS3_WRAPPER_KEYS = Set.of("module", "registered_name", "build_config",
            "compile_config", "shared_object_id");

    /** Container keys of a layer config that hold serialized layers (wrappers, RNN cells). */
    private static final Set<String> NESTED_LAYER_KEYS = Set.of("layer", "backward_layer", "forward_layer", "cell");

    private static final Set<String> MODEL_CLASSES = Set.of("Sequential", "Model", "Functional");

    // ------------------------------------------------------------------------------------------- normalize

    /** A serialized model or layer in the Keras 2 form; the input is not modified. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> normalize(Map<String, Object> serialized) {
        Map<String, Object> out = new LinkedHashMap<>(serialized);
        for (String k : KERAS3_WRAPPER_KEYS) {
            out.remove(k);
        }
        Object cls = out.get("class_name");
        Object config = out.get("config");
        if (!(cls instanceof String className)) {
            return out;
        }
        if (className.equals("Sequential")) {
            out.put("config", normalizeSequential(config));
        } else if (MODEL_CLASSES.contains(className) && config instanceof Map<?, ?> m) {
            out.put("config", normalizeFunctional((Map<String, Object>) m));
        } else if (config instanceof Map<?, ?> m) {
            out.put("config", normalizeLayerConfig((Map<String, Object>) m));
        }
        if (out.get("inbound_nodes") instanceof List<?> nodes) {
            out.put("inbound_nodes", normalizeNodes(nodes));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Object normalizeSequential(Object config) {
        List<?> layers;
        Map<String, Object> c = null;
        if (config instanceof List<?> l) {
            layers = l;
        } else if (config instanceof Map<?, ?> m && m.get("layers") instanceof List<?> l) {
            c = new LinkedHashMap<>((Map<String, Object>) m);
            layers = l;
        } else {
            return config;
        }
        List<Object> out = new ArrayList<>();
        for (Object o : layers) {
            out.add(o instanceof Map<?, ?> lm ? normalize((Map<String, Object>) lm) : o);
        }
        if (c == null) {
            return out;
        }
        Object buildShape = c.remove("build_input_shape");
        // A Sequential built by calling it on data: the input shape is only in build_input_shape
        if (buildShape instanceof List<?> && !out.isEmpty() && out.get(0) instanceof Map<?, ?> first
                && !"InputLayer".equals(first.get("class_name")) && first.get("config") instanceof Map<?, ?> fc
                && fc.get("batch_input_shape") == null && fc.get("batch_shape") == null
                && fc.get("input_shape") == null) {
            Map<String, Object> f = new LinkedHashMap<>((Map<String, Object>) first);
            Map<String, Object> cfg = new LinkedHashMap<>((Map<String, Object>) fc);
            cfg.put("batch_input_shape", buildShape);
            f.put("config", cfg);
            out.set(0, f);
        }
        c.put("layers", out);
        c.remove("trainable");
        c.remove("dtype");
        return c;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> normalizeFunctional(Map<String, Object> config) {
        Map<String, Object> c = new LinkedHashMap<>(config);
        if (c.get("layers") instanceof List<?> ls) {
            List<Object> out = new ArrayList<>();
            for (Object o : ls) {
                out.add(o instanceof Map<?, ?> lm ? normalize((Map<String, Object>) lm) : o);
            }
            c.put("layers", out);
            unshiftNestedNodeIndices(c);
        }
        c.remove("trainable");
        c.remove("dtype");
        return c;
    }

    /**
     * Keras 2.2+, tf.keras and Keras 3 number a nested model's nodes from 1 in a functional config (its node 0 is
     * the one linking its own Input to its outputs, which the config leaves out); jkeras numbers the nodes a config
     * lists from 0. Where references to a nested model run one past its listed nodes, they are brought back by one.
     */
    @SuppressWarnings("unchecked")
    private static void unshiftNestedNodeIndices(Map<String, Object> c) {
        Map<String, Integer> listed = new java.util.HashMap<>();
        for (Object o : (List<?>) c.get("layers")) {
            if (o instanceof Map<?, ?> m && isModelClass(m.get("class_name")) && layerName(m) != null) {
                listed.put(layerName(m), m.get("inbound_nodes") instanceof List<?> n ? n.size() : 0);
            }
        }
        if (listed.isEmpty()) {
            return;
        }
        Map<String, Integer> maxRef = new java.util.HashMap<>();
        forEachRef(c, ref -> {
            String name = String.valueOf(ref.get(0));
            if (listed.containsKey(name) && ref.get(1) instanceof Number n) {
                maxRef.merge(name, n.intValue(), Math::max);
            }
        });
        Set<String> shifted = new java.util.HashSet<>();
        for (Map.Entry<String, Integer> e : maxRef.entrySet()) {
            if (e.getValue() == listed.get(e.getKey())) {
                shifted.add(e.getKey());
            }
        }
        shiftRefs(c, shifted, -1);
    }

    /**
     * Adds delta to the node index of every reference to the named layers in a functional config (its layers'
     * inbound nodes, input_layers, output_layers).
     */
    static void shiftRefs(Map<String, Object> functionalConfig, Set<String> names, int delta) {
        if (names.isEmpty()) {
            return;
        }
        forEachRef(functionalConfig, ref -> {
            if (names.contains(String.valueOf(ref.get(0))) && ref.get(1) instanceof Number n) {
                ref.set(1, n.intValue() + delta);
            }
        });
    }

    /** Calls f on every [layer, node, tensor, ...] reference of a functional config (as mutable lists). */
    @SuppressWarnings("unchecked")
    private static void forEachRef(Map<String, Object> c, java.util.function.Consumer<List<Object>> f) {
        if (c.get("layers") instanceof List<?> ls) {
            for (Object o : ls) {
                if (o instanceof Map<?, ?> m && m.get("inbound_nodes") instanceof List<?> nodes) {
                    List<Object> copy = new ArrayList<>();
                    for (Object node : nodes) {
                        copy.add(refsIn(node, f));
                    }
                    ((Map<String, Object>) m).put("inbound_nodes", copy);
                }
            }
        }
        for (String k : List.of("input_layers", "output_layers")) {
            if (c.get(k) instanceof List<?> l) {
                c.put(k, refsIn(l, f));
            }
        }
    }

    /** A copy of a node (or list of references) with f applied to each reference. */
    private static Object refsIn(Object o, java.util.function.Consumer<List<Object>> f) {
        if (!(o instanceof List<?> l)) {
            return o;
        }
        if (l.size() >= 3 && l.get(0) instanceof String && l.get(1) instanceof Number) {
            List<Object> ref = new ArrayList<>(l);
            f.accept(ref);
            return ref;
        }
        List<Object> out = new ArrayList<>();
        for (Object e : l) {
            out.add(refsIn(e, f));
        }
        return out;
    }

    /**
     * A functional config's references to nested models shifted the way Keras numbers their nodes: +1 for the
     * nested models (all of them for Keras 2 / tf.keras, {@code functionalOnly} for Keras 3, whose nested
     * Sequential starts at 0); nested configs are handled too. Returns a deep copy.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> shiftForKeras(Map<String, Object> serialized, boolean functionalOnly) {
        Map<String, Object> out = Json.roundTrip(serialized);
        shiftInPlace(out, functionalOnly);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void shiftInPlace(Map<String, Object> serialized, boolean functionalOnly) {
        Object cls = serialized.get("class_name");
        if (!(serialized.get("config") instanceof Map<?, ?> cm)) {
            if (serialized.get("config") instanceof List<?> l) {
                for (Object o : l) {
                    if (o instanceof Map<?, ?> m) {
                        shiftInPlace((Map<String, Object>) m, functionalOnly);
                    }
                }
            }
            return;
        }
        Map<String, Object> c = (Map<String, Object>) cm;
        if (!isModelClass(cls) || !(c.get("layers") instanceof List<?> ls)) {
            return;
        }
        Set<String> nested = new java.util.HashSet<>();
        for (Object o : ls) {
            if (o instanceof Map<?, ?> m) {
                Map<String, Object> layer = (Map<String, Object>) m;
                shiftInPlace(layer, functionalOnly);
                Object lc = layer.get("class_name");
                if (isModelClass(lc) && (!functionalOnly || !"Sequential".equals(lc))) {
                    nested.add(layerName(layer));
                }
            }
        }
        if (!"Sequential".equals(cls)) {
            shiftRefs(c, nested, 1);
        }
    }

    /**
     * Keras 3 arguments whose default value Keras 2 layers do not know: dropped when they hold that default
     * (a value other than the default stays, and the layer reports it as unknown).
     */
    private static boolean isKeras3Default(String key, Object value) {
        return switch (key) {
            case "lora_rank", "lora_alpha", "quantization_config", "seed" -> value == null;
            case "use_cudnn" -> "auto".equals(value);
            case "synchronized", "sparse", "ragged", "optional" -> Boolean.FALSE.equals(value);
            default -> false;
        };
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> normalizeLayerConfig(Map<String, Object> config) {
        Map<String, Object> c = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : config.entrySet()) {
            String k = e.getKey();
            Object v = e.getValue();
            if (isKeras3Default(k, v)) {
                continue;
            }
            if (k.equals("dtype") && v instanceof Map<?, ?> policy) {
                v = dtypeName((Map<String, Object>) policy);
            } else if (NESTED_LAYER_KEYS.contains(k) && v instanceof Map<?, ?> m && m.containsKey("class_name")) {
                v = normalize((Map<String, Object>) m);
            } else if (k.equals("cells") && v instanceof List<?> l) {
                List<Object> cells = new ArrayList<>();
                for (Object o : l) {
                    cells.add(o instanceof Map<?, ?> m ? normalize((Map<String, Object>) m) : o);
                }
                v = cells;
            } else {
                v = stripSerialized(v);
            }
            c.put(k, v);
        }
        return c;
    }

    /** A dtype policy {"class_name": "DTypePolicy", "config": {"name": "float32"}} as its name. */
    private static Object dtypeName(Map<String, Object> policy) {
        if (policy.get("config") instanceof Map<?, ?> pc && pc.get("name") instanceof String name) {
            return name;
        }
        return policy;
    }

    /** Nested serialized objects (initializers, regularizers, ...) without Keras 3's extra keys. */
    @SuppressWarnings("unchecked")
    private static Object stripSerialized(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            boolean serialized = m.containsKey("class_name") && m.containsKey("config");
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String k = String.valueOf(e.getKey());
                if (serialized && KERAS3_WRAPPER_KEYS.contains(k)) {
                    continue;
                }
                out.put(k, stripSerialized(e.getValue()));
            }
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object o : l) {
                out.add(stripSerialized(o));
            }
            return out;
        }
        return v;
    }

    /** Keras 3's {"args": [...], "kwargs": {...}} nodes as Keras 2's lists of [layer, node, tensor, {}]. */
    private static List<Object> normalizeNodes(List<?> nodes) {
        List<Object> out = new ArrayList<>();
        for (Object node : nodes) {
            if (node instanceof Map<?, ?> m && m.containsKey("args")) {
                List<Object> refs = new ArrayList<>();
                collectTensors(m.get("args"), refs);
                if (m.get("kwargs") instanceof Map<?, ?> kwargs) {
                    // tensors passed by keyword that Keras 2 records as extra inputs
                    for (String k : List.of("initial_state", "constants")) {
                        collectTensors(kwargs.get(k), refs);
                    }
                }
                out.add(refs);
            } else {
                out.add(node);
            }
        }
        return out;
    }

    private static void collectTensors(Object o, List<Object> refs) {
        if (o instanceof Map<?, ?> m) {
            if ("__keras_tensor__".equals(m.get("class_name")) && m.get("config") instanceof Map<?, ?> c
                    && c.get("keras_history") instanceof List<?> h && h.size() >= 3) {
                List<Object> ref = new ArrayList<>(h.subList(0, 3));
                ref.add(Map.of());
                refs.add(ref);
            }
        } else if (o instanceof List<?> l) {
            for (Object e : l) {
                collectTensors(e, refs);
            }
        }
    }

    // ------------------------------------------------------------------------------------------- Keras 3

    /**
     * A Keras 2 model config (as {@code Layers.serialize(model)} gives it) in the form Keras 3 writes to
     * config.json: "module" and "registered_name" on every layer, a Functional class name, Sequential models
     * starting with an InputLayer, InputLayer's batch_shape, no batch_input_shape on other layers.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> toKeras3(Map<String, Object> serialized) {
        String className = String.valueOf(serialized.get("class_name"));
        Map<String, Object> config = serialized.get("config") instanceof Map<?, ?> m
                ? new LinkedHashMap<>((Map<String, Object>) m) : new LinkedHashMap<>();
        Map<String, Object> out = new LinkedHashMap<>();
        if (className.equals("Sequential")) {
            out.put("module", "keras");
            out.put("class_name", "Sequential");
            List<Object> layers = new ArrayList<>();
            List<?> in = config.get("layers") instanceof List<?> l ? l : List.of();
            for (int i = 0; i < in.size(); i++) {
                Map<String, Object> layer = (Map<String, Object>) in.get(i);
                Map<String, Object> lc = layer.get("config") instanceof Map<?, ?> m
                        ? (Map<String, Object>) m : Map.of();
                if (i == 0 && !"InputLayer".equals(layer.get("class_name")) && lc.get("batch_input_shape") != null) {
                    Map<String, Object> ic = new LinkedHashMap<>();
                    ic.put("batch_shape", lc.get("batch_input_shape"));
                    ic.put("dtype", lc.getOrDefault("dtype", "float32"));
                    ic.put("sparse", false);
                    ic.put("name", lc.get("name") + "_input");
                    layers.add(wrap("keras.layers", "InputLayer", ic, null));
                }
                layers.add(toKeras3(layer));
            }
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("name", config.get("name"));
            c.put("trainable", true);
            c.put("layers", layers);
            out.put("config", c);
            out.put("registered_name", null);
            copyGraphKeys(serialized, out);
            return out;
        }
        if (MODEL_CLASSES.contains(className)) {
            List<Object> layers = new ArrayList<>();
            List<?> in = config.get("layers") instanceof List<?> l ? l : List.of();
            for (Object o : in) {
                layers.add(toKeras3((Map<String, Object>) o));
            }
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("name", config.get("name"));
            c.put("trainable", true);
            c.put("layers", layers);
            c.put("input_layers", config.get("input_layers"));
            c.put("output_layers", config.get("output_layers"));
            out.put("module", "keras");
            out.put("class_name", "Functional");
            out.put("config", c);
            out.put("registered_name", "Functional");
            copyGraphKeys(serialized, out);
            return out;
        }
        if (className.equals("InputLayer")) {
            Object shape = config.remove("batch_input_shape");
            if (shape != null) {
                config.put("batch_shape", shape);
            }
        } else {
            config.remove("batch_input_shape");
        }
        out.put("module", "keras.layers");
        out.put("class_name", className);
        out.put("config", config);
        out.put("registered_name", null);
        copyGraphKeys(serialized, out);
        return out;
    }

    private static Map<String, Object> wrap(String module, String className, Map<String, Object> config,
            String registeredName) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("module", module);
        out.put("class_name", className);
        out.put("config", config);
        out.put("registered_name", registeredName);
        return out;
    }

    /** A functional model's layer entries also carry their name and inbound nodes. */
    private static void copyGraphKeys(Map<String, Object> from, Map<String, Object> to) {
        if (from.containsKey("name")) {
            to.put("name", from.get("name"));
        }
        if (from.containsKey("inbound_nodes")) {
            to.put("inbound_nodes", from.get("inbound_nodes"));
        }
    }

    /** The name of a serialized layer: the entry's "name", else its config's. */
    static String layerName(Map<?, ?> serialized) {
        Object n = serialized.get("name");
        if (n == null && serialized.get("config") instanceof Map<?, ?> c) {
            n = c.get("name");
        }
        return n == null ? null : String.valueOf(n);
    }

    /** The serialized layers of a model config (Sequential list or map form, functional). */
    static List<Map<String, Object>> layerEntries(Map<String, Object> serializedModel) {
        Object config = serializedModel.get("config");
        Object layers = config instanceof List<?> ? config
                : config instanceof Map<?, ?> m ? m.get("layers") : null;
        List<Map<String, Object>> out = new ArrayList<>();
        if (layers instanceof List<?> l) {
            for (Object o : l) {
                if (o instanceof Map<?, ?> m) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> e = (Map<String, Object>) m;
                    out.add(e);
                }
            }
        }
        return out;
    }

    static boolean isModelClass(Object className) {
        return className != null && MODEL_CLASSES.contains(Objects.toString(className));
    }
}
