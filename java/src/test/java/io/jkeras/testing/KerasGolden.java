package io.jkeras.testing;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jkeras.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Array;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The real-Keras cases copied from shared/keras-golden into src/test/resources/keras-golden: each case's config,
 * its weights file (the layout of save_weights) and its inputs and expected outputs.
 */
public final class KerasGolden {
    private KerasGolden() {
    }

    /** The case names of a family folder (NAME of NAME_config.json). */
    public static Stream<String> cases(String family) {
        Path dir = dir(family);
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("_config.json"))
                    .map(n -> n.substring(0, n.length() - "_config.json".length())).sorted().toList();
            if (names.isEmpty()) {
                throw new IllegalStateException("no keras-golden cases in " + dir);
            }
            return names.stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path dir(String family) {
        URL url = KerasGolden.class.getResource("/keras-golden/" + family);
        if (url == null) {
            throw new IllegalStateException("missing test resource folder keras-golden/" + family);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String config(String family, String name) {
        try {
            return Files.readString(dir(family).resolve(name + "_config.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Each layer's weights in Keras's order (the group's weight_names), by layer name. */
    public static Map<String, List<Tensor>> weights(String family, String name) {
        Map<String, List<Tensor>> out = new LinkedHashMap<>();
        try (HdfFile h5 = new HdfFile(dir(family).resolve(name + "_weights.h5"))) {
            Group root = h5;
            if (h5.getChildren().containsKey("model_weights")) {
                root = (Group) h5.getChild("model_weights");
            }
            for (String layer : strings(root.getAttribute("layer_names"))) {
                Group g = (Group) root.getChild(layer);
                List<Tensor> ws = new ArrayList<>();
                for (String w : strings(g.getAttribute("weight_names"))) {
                    ws.add(tensor((Dataset) g.getByPath(w)));
                }
                out.put(layer, ws);
            }
        }
        return out;
    }

    /** The datasets of one group of NAME_inputs_and_outputs.h5 ("inputs", "predictions", "activations"). */
    public static Map<String, Tensor> arrays(String family, String name, String group) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        try (HdfFile h5 = new HdfFile(dir(family).resolve(name + "_inputs_and_outputs.h5"))) {
            Node g = h5.getChild(group);
            if (g == null) {
                return out;
            }
            for (Map.Entry<String, Node> e : ((Group) g).getChildren().entrySet()) {
                out.put(e.getKey(), tensor((Dataset) e.getValue()));
            }
        }
        return out;
    }

    /** An attribute's strings; jhdf reads an empty list (a layer without weights) as null. */
    private static List<String> strings(Attribute a) {
        Object data = a == null ? null : a.getData();
        List<String> out = new ArrayList<>();
        if (data == null) {
            return out;
        }
        for (int i = 0; i < Array.getLength(data); i++) {
            out.add(String.valueOf(Array.get(data, i)));
        }
        return out;
    }

    private static Tensor tensor(Dataset d) {
        int[] dims = d.getDimensions();
        long[] shape = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
            shape[i] = dims[i];
        }
        Object flat = d.getDataFlat();
        int n = Array.getLength(flat);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = ((Number) Array.get(flat, i)).floatValue();
        }
        return Tensor.of(v, shape);
    }
}
