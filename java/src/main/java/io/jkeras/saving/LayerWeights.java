package io.jkeras.saving;

import io.jkeras.layers.Layer;
import io.jkeras.layers.Weight;
import io.jkeras.models.Model;
import io.jkeras.tensor.Scope;
import io.jkeras.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The order Keras files store a layer's weights in, and setting a layer's weights from a file's arrays. */
final class LayerWeights {
    private LayerWeights() {
    }

    /**
     * The order of Keras's {@code layer.weights} when it saves: the trainable weights, then the non-trainable ones;
     * for a model, its layers' trainable weights, then its layers' non-trainable ones (Keras 2's and tf.keras's
     * HDF5 layout). A frozen layer's weights all count as non-trainable, in the order trainable-declared first.
     */
    static List<Weight> savedOrder(Layer layer) {
        List<Weight> out = new ArrayList<>();
        out.addAll(trainablePart(layer));
        out.addAll(nonTrainablePart(layer));
        return dedupe(out);
    }

    private static List<Weight> trainablePart(Layer l) {
        List<Weight> out = new ArrayList<>();
        if (!l.isTrainable()) {
            return out;
        }
        if (l instanceof Model m) {
            for (Layer sub : m.layers()) {
                out.addAll(trainablePart(sub));
            }
        } else {
            for (Weight w : l.weightVariables()) {
                if (w.trainable()) {
                    out.add(w);
                }
            }
        }
        return out;
    }

    /**
     * Keras's non_trainable_weights: a frozen model lists its layers' trainable weights first (each by its own
     * flag), then their non-trainable ones; a frozen leaf layer its declared-trainable weights, then the rest.
     */
    private static List<Weight> nonTrainablePart(Layer l) {
        List<Weight> out = new ArrayList<>();
        if (l instanceof Model m) {
            if (!m.isTrainable()) {
                for (Layer sub : m.layers()) {
                    out.addAll(trainablePart(sub));
                }
            }
            for (Layer sub : m.layers()) {
                out.addAll(nonTrainablePart(sub));
            }
        } else {
            if (!l.isTrainable()) {
                out.addAll(declared(l, true));
            }
            out.addAll(declared(l, false));
        }
        return out;
    }

    /** savedOrder split in its two sections: [trainable part, non-trainable part]. */
    static List<List<Weight>> sections(Layer layer) {
        return List.of(trainablePart(layer), nonTrainablePart(layer));
    }

    /** A leaf layer's own weights declared trainable (or not), in declaration order. */
    static List<Weight> declared(Layer l, boolean trainable) {
        List<Weight> out = new ArrayList<>();
        for (Weight w : l.weightVariables()) {
            if (w.trainable() == trainable) {
                out.add(w);
            }
        }
        return out;
    }

    /** Keras 3's order of a leaf layer's own variables: trainable ones, then non-trainable ones. */
    static List<Weight> ownOrder(Layer l) {
        List<Weight> out = declared(l, true);
        out.addAll(declared(l, false));
        return out;
    }

    private static List<Weight> dedupe(List<Weight> ws) {
        Set<Weight> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Weight> out = new ArrayList<>();
        for (Weight w : ws) {
            if (seen.add(w)) {
                out.add(w);
            }
        }
        return out;
    }

    static String describe(List<Weight> ws) {
        List<String> s = new ArrayList<>();
        for (Weight w : ws) {
            s.add(w.name() + " " + w.value().getShape());
        }
        return s.toString();
    }

    static String describeArrays(List<WeightArray> ws) {
        List<String> s = new ArrayList<>();
        for (WeightArray w : ws) {
            s.add(w.name + " " + w.shapeString());
        }
        return s.toString();
    }

    /**
     * Sets a layer's weights from arrays in the given order (one array per weight of {@code order}), checking
     * the count and every shape first; the values go in through {@link Layer#setWeights}.
     */
    static void assign(Path file, Layer layer, List<Weight> order, List<WeightArray> values, String where) {
        if (order.size() != values.size()) {
            String hint = order.isEmpty() && !layer.isBuilt()
                    ? " (the layer is not built: the model's input shape is unknown)" : "";
            throw new KerasFileException(file, where + ": layer '" + layer.getName() + "' (" + layer.className()
                    + ") has " + order.size() + " weight(s) " + describe(order) + hint + ", but the file holds "
                    + values.size() + " for it " + describeArrays(values));
        }
        for (int i = 0; i < order.size(); i++) {
            long[] expected = order.get(i).value().shape();
            if (!Arrays.equals(expected, values.get(i).shape)) {
                throw new KerasFileException(file, where + ": weight " + i + " ('" + order.get(i).name()
                        + "') of layer '" + layer.getName() + "' (" + layer.className() + ") has shape "
                        + WeightArray.shapeString(expected) + " in the model, but the file's '" + values.get(i).name
                        + "' has shape " + values.get(i).shapeString());
            }
        }
        Map<Weight, WeightArray> byWeight = new IdentityHashMap<>();
        for (int i = 0; i < order.size(); i++) {
            byWeight.put(order.get(i), values.get(i));
        }
        try (Scope scope = Scope.open()) {
            List<Weight> all = layer.weightVariables();
            List<Tensor> list = new ArrayList<>();
            for (Weight w : all) {
                WeightArray a = byWeight.get(w);
                list.add(a != null ? a.toTensor() : w.value());
            }
            layer.setWeights(list);
        }
    }

    /**
     * The names Keras gives a leaf layer's weights in files, "layer/weight": a Bidirectional's are
     * "bidirectional/forward_lstm/kernel" and "bidirectional/backward_lstm/kernel"; duplicates get a suffix.
     */
    static List<String> fileNames(Layer layer, List<Weight> weights) {
        List<String> out = new ArrayList<>();
        String forward = null;
        String backward = null;
        if (layer.className().equals("Bidirectional") && weights.size() % 2 == 0
                && layer.getConfig().get("layer") instanceof Map<?, ?> inner
                && inner.get("config") instanceof Map<?, ?> ic && ic.get("name") != null) {
            forward = "forward_" + ic.get("name");
            backward = "backward_" + ic.get("name");
        }
        Set<String> used = new java.util.HashSet<>();
        for (int i = 0; i < weights.size(); i++) {
            String base = layer.getName() + "/"
                    + (forward == null ? "" : (i < weights.size() / 2 ? forward : backward) + "/")
                    + weights.get(i).name();
            String name = base;
            for (int k = 1; !used.add(name); k++) {
                name = base + "_" + k;
            }
            out.add(name);
        }
        return out;
    }

    /** Keras 3's naming.to_snake_case of a class name: "Conv1D" to "conv1d", "SimpleRNN" to "simple_rnn". */
    static String snake(String className) {
        String name = className.replaceAll("\\W+", "");
        name = name.replaceAll("(.)([A-Z][a-z]+)", "$1_$2");
        name = name.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
        return name;
    }
}
