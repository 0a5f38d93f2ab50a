package io.jkeras.models;

import io.jkeras.layers.KerasTensor;
import io.jkeras.layers.Layer;
import io.jkeras.layers.Node;
import io.jkeras.layers.Weight;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/** Keras's print_summary: the table of layers, output shapes and parameter counts. */
final class Summary {
    private Summary() {
    }

    static void print(Model model, Consumer<String> out) {
        boolean sequentialLike = model instanceof Sequential || isSequentialLike(model);
        int lineLength = sequentialLike ? 65 : 98;
        double[] fractions = sequentialLike ? new double[] {.45, .85, 1.} : new double[] {.33, .55, .67, 1.};
        int[] positions = new int[fractions.length];
        for (int i = 0; i < fractions.length; i++) {
            positions[i] = (int) (lineLength * fractions[i]);
        }
        String[] header = sequentialLike ? new String[] {"Layer (type)", "Output Shape", "Param #"}
                : new String[] {"Layer (type)", "Output Shape", "Param #", "Connected to"};
        out.accept("Model: \"" + model.getName() + "\"");
        out.accept("_".repeat(lineLength));
        out.accept(row(header, positions));
        out.accept("=".repeat(lineLength));
        List<Layer> layers = new ArrayList<>();
        if (!(model instanceof Sequential)) {
            for (KerasTensor t : model.inputs()) {
                layers.add(t.layer());
            }
        }
        layers.addAll(model.layers());
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            String shape = outputShape(l);
            String name = l.getName() + " (" + l.className() + ")";
            String params = String.valueOf(l.countParams());
            if (sequentialLike) {
                out.accept(row(new String[] {name, shape, params}, positions));
            } else {
                List<String> connections = connections(l);
                out.accept(row(new String[] {name, shape, params, connections.isEmpty() ? "" : connections.get(0)},
                        positions));
                for (int k = 1; k < connections.size(); k++) {
                    out.accept(row(new String[] {"", "", "", connections.get(k)}, positions));
                }
            }
            out.accept(i == layers.size() - 1 ? "=".repeat(lineLength) : "_".repeat(lineLength));
        }
        long trainable = count(model.trainableWeightVariables());
        long total = count(model.weightVariables());
        out.accept(String.format("Total params: %,d", total));
        out.accept(String.format("Trainable params: %,d", trainable));
        out.accept(String.format("Non-trainable params: %,d", total - trainable));
        out.accept("_".repeat(lineLength));
    }

    private static boolean isSequentialLike(Model model) {
        for (Layer l : model.layers()) {
            if (l.inboundNodes().size() != 1 || l.inboundNodes().get(0).inputs().size() > 1) {
                return false;
            }
        }
        return model.inputs().size() == 1 && model.outputs().size() == 1;
    }

    private static String outputShape(Layer l) {
        if (l.inboundNodes().isEmpty()) {
            return "multiple";
        }
        try {
            return l.outputShape().toString();
        } catch (IllegalStateException differentPerCall) {
            return "multiple";
        }
    }

    private static List<String> connections(Layer l) {
        List<String> out = new ArrayList<>();
        for (Node n : l.inboundNodes()) {
            for (KerasTensor t : n.inputs()) {
                out.add(t.layer().getName() + "[" + t.nodeIndex() + "][" + t.tensorIndex() + "]");
            }
        }
        return out;
    }

    private static long count(List<Weight> ws) {
        Set<Weight> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        long n = 0;
        for (Weight w : ws) {
            if (seen.add(w)) {
                n += w.value().size();
            }
        }
        return n;
    }

    /** Keras's print_row: each field cut to its column and padded, the last character before a field a space. */
    private static String row(String[] fields, int[] positions) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                line.setCharAt(line.length() - 1, ' ');
            }
            line.append(fields[i]);
            if (line.length() > positions[i]) {
                line.setLength(positions[i]);
            }
            while (line.length() < positions[i]) {
                line.append(' ');
            }
        }
        return line.toString();
    }
}
