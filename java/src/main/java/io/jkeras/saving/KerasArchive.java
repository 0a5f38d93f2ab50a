package io.jkeras.saving;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jkeras.layers.Layer;
import io.jkeras.layers.Layers;
import io.jkeras.layers.Weight;
import io.jkeras.layers.core.InputLayer;
import io.jkeras.models.Model;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Keras 3's {@code .keras} archive: a zip of config.json (the model, serialized the Keras 3 way), metadata.json
 * and model.weights.h5, whose variables sit at {@code layers/<name>/vars/<i>} with names made from the layers'
 * class names in the model's layer order ("dense", "dense_1", ...), nested models' below their own
 * {@code layers/<name>/layers/...}, and sub-layers' under their attribute names (an RNN's {@code cell/vars}).
 */
final class KerasArchive {
    static final String CONFIG = "config.json";
    static final String METADATA = "metadata.json";
    static final String WEIGHTS = "model.weights.h5";
    /** Entries larger than this are refused (a zip bomb, or a file no Java array can hold). */
    private static final long ENTRY_LIMIT = Integer.MAX_VALUE - 16;

    private KerasArchive() {
    }

    static boolean isZip(byte[] bytes) {
        return bytes.length >= 4 && bytes[0] == 'P' && bytes[1] == 'K' && bytes[2] == 3 && bytes[3] == 4;
    }

    /** The archive's entries by name. */
    static Map<String, byte[]> unzip(Path file, byte[] bytes) {
        Map<String, byte[]> out = new HashMap<>();
        try (ZipInputStream zin = new ZipInputStream(new ByteArrayInputStream(bytes))) {
            ZipEntry e;
            while ((e = zin.getNextEntry()) != null) {
                if (e.isDirectory()) {
                    continue;
                }
                out.put(e.getName(), readLimited(file, zin, e.getName()));
            }
        } catch (ZipException e) {
            throw new KerasFileException(file, "a corrupted zip archive: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new KerasFileException(file, "cannot read the zip archive: " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new KerasFileException(file, "a zip archive with no entries (truncated?)");
        }
        return out;
    }

    private static byte[] readLimited(Path file, InputStream in, String name) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] chunk = new byte[1 << 16];
        long total = 0;
        int n;
        while ((n = in.read(chunk)) > 0) {
            total += n;
            if (total > ENTRY_LIMIT) {
                throw new KerasFileException(file, "archive entry " + name + " is larger than 2 GB");
            }
            buf.write(chunk, 0, n);
        }
        return buf.toByteArray();
    }

    static Model load(Path file, byte[] bytes, KerasModels.Options options) {
        Map<String, byte[]> entries = unzip(file, bytes);
        byte[] config = entries.get(CONFIG);
        if (config == null) {
            throw new KerasFileException(file, "a zip archive without " + CONFIG + ": not a Keras 3 .keras file "
                    + "(its entries: " + entries.keySet() + ")");
        }
        Map<String, Object> serialized = KerasH5.parseJson(file, new String(config, StandardCharsets.UTF_8), CONFIG);
        Model model = KerasModels.build(file, serialized, false);
        byte[] weights = entries.get(WEIGHTS);
        if (weights == null) {
            if (entries.containsKey("model.weights.npz")) {
                throw new KerasFileException(file, "the weights are in model.weights.npz (NumPy's pickled format), "
                        + "which cannot be read here: save the model with weights_format='h5' (the default)");
            }
            if (!LayerWeights.savedOrder(model).isEmpty()) {
                throw new KerasFileException(file, "a .keras archive without " + WEIGHTS);
            }
            return model;
        }
        if (!H5Read.isHdf5(weights)) {
            throw new KerasFileException(file, WEIGHTS + " in the archive is not an HDF5 file");
        }
        try (HdfFile h5 = H5Read.open(weights)) {
            loadContainer(file, h5, "", serialized, model);
        }
        return model;
    }

    /** The layers of a model config in Keras 3's model.layers order (a Sequential's InputLayer left out). */
    private static List<Map<String, Object>> containerEntries(Map<String, Object> serializedModel) {
        List<Map<String, Object>> out = new ArrayList<>();
        boolean sequential = "Sequential".equals(serializedModel.get("class_name"));
        for (Map<String, Object> e : KerasConfigs.layerEntries(serializedModel)) {
            if (sequential && "InputLayer".equals(e.get("class_name"))) {
                continue;
            }
            out.add(e);
        }
        return out;
    }

    /** The path of each layer of a container: layers/<snake class name>[_k]. */
    private static List<String> containerKeys(List<Map<String, Object>> entries) {
        Map<String, Integer> used = new HashMap<>();
        List<String> keys = new ArrayList<>();
        for (Map<String, Object> e : entries) {
            String cls = String.valueOf(e.get("class_name"));
            if (cls.equals("Model")) {
                cls = "Functional";
            }
            String name = LayerWeights.snake(cls);
            Integer k = used.get(name);
            if (k == null) {
                used.put(name, 0);
            } else {
                used.put(name, k + 1);
                name = name + "_" + (k + 1);
            }
            keys.add(name);
        }
        return keys;
    }

    @SuppressWarnings("unchecked")
    private static void loadContainer(Path file, Group root, String path, Map<String, Object> serializedModel,
            Model model) {
        List<Map<String, Object>> entries = containerEntries(serializedModel);
        List<String> keys = containerKeys(entries);
        for (int i = 0; i < entries.size(); i++) {
            Map<String, Object> entry = entries.get(i);
            String name = KerasConfigs.layerName(entry);
            Layer layer = layerOf(model, name);
            if (layer == null) {
                throw new KerasFileException(file, "config.json names layer '" + name + "', which the model built "
                        + "from it does not have");
            }
            String layerPath = join(path, "layers/" + keys.get(i));
            if (layer instanceof Model nested && KerasConfigs.isModelClass(entry.get("class_name"))) {
                loadContainer(file, root, layerPath, entry, nested);
                continue;
            }
            List<Weight> order = LayerWeights.ownOrder(layer);
            Group g = H5Read.group(root, layerPath);
            if (g == null) {
                g = H5Read.group(root, join(path, "layers/" + name));
            }
            if (g == null) {
                g = H5Read.group(root, join(path, "_layer_checkpoint_dependencies/" + keys.get(i)));
            }
            if (g == null) {
                if (order.isEmpty()) {
                    continue;
                }
                throw new KerasFileException(file, WEIGHTS + " has no group " + layerPath + " for layer '" + name
                        + "' (" + layer.className() + "), which has " + order.size() + " weight(s)");
            }
            List<Dataset> datasets = new ArrayList<>();
            collect(file, g, datasets);
            List<WeightArray> arrays = KerasH5.readChecked(file, layer, order, datasets, WEIGHTS + " group "
                    + layerPath);
            LayerWeights.assign(file, layer, order, arrays, WEIGHTS + " group " + layerPath);
        }
    }

    private static Layer layerOf(Model model, String name) {
        try {
            return model.getLayer(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String join(String a, String b) {
        return a.isEmpty() ? b : a + "/" + b;
    }

    /** Where Keras 3 visits a layer's sub-objects: forward before backward, query/key/value/output, else by name. */
    private static final Map<String, Integer> VISIT_ORDER = Map.of("forward_layer", 0, "backward_layer", 1,
            "_query_dense", 0, "_key_dense", 1, "_value_dense", 2, "_output_dense", 3);

    /** A layer group's variables: its own vars/0, vars/1, ..., then its sub-objects' (an RNN's cell). */
    static void collect(Path file, Group g, List<Dataset> out) {
        Node vars = H5Read.child(g, "vars");
        if (vars instanceof Group vg) {
            List<String> keys = new ArrayList<>(vg.getChildren().keySet());
            keys.sort(Comparator.comparingLong(KerasArchive::index));
            for (String k : keys) {
                Node n = H5Read.child(vg, k);
                if (!(n instanceof Dataset d)) {
                    throw new KerasFileException(file, vg.getPath() + "/" + k + " is not a dataset");
                }
                out.add(d);
            }
        }
        List<String> subs = new ArrayList<>();
        for (Map.Entry<String, Node> e : g.getChildren().entrySet()) {
            if (!e.getKey().equals("vars") && e.getValue() instanceof Group) {
                subs.add(e.getKey());
            }
        }
        subs.sort(Comparator.comparing((String s) -> VISIT_ORDER.getOrDefault(s, 99))
                .thenComparing(s -> s.startsWith("_") ? "~" + s : s));
        for (String s : subs) {
            collect(file, (Group) H5Read.child(g, s), out);
        }
    }

    private static long index(String key) {
        try {
            return Long.parseLong(key);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    // ------------------------------------------------------------------------------------------------ save

    static void save(Model model, Path file) {
        Map<String, Object> keras3 = KerasConfigs.toKeras3(KerasConfigs.shiftForKeras(Layers.serialize(model), true));
        Path weightsTmp = KerasH5.temporaryNextTo(file);
        Path zipTmp = KerasH5.temporaryNextTo(file);
        try {
            try (H5Write w = new H5Write(weightsTmp)) {
                w.group("vars");
                writeContainer(w, "", keras3, model);
            }
            Map<String, Object> metadata = new LinkedHashMap<>();
            metadata.put("keras_version", KerasModels.KERAS3_VERSION);
            metadata.put("date_saved", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd@HH:mm:ss")));
            try (OutputStream os = Files.newOutputStream(zipTmp); ZipOutputStream zip = new ZipOutputStream(os)) {
                put(zip, METADATA, Json.write(metadata).getBytes(StandardCharsets.UTF_8));
                put(zip, CONFIG, Json.write(keras3).getBytes(StandardCharsets.UTF_8));
                put(zip, WEIGHTS, Files.readAllBytes(weightsTmp));
            }
            Files.move(zipTmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new KerasFileException(file, "cannot write: " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(weightsTmp);
                Files.deleteIfExists(zipTmp);
            } catch (IOException ignored) {
                // nothing else to do
            }
        }
    }

    private static void put(ZipOutputStream zip, String name, byte[] data) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(data);
        zip.closeEntry();
    }

    private static final java.util.Set<String> RNN = java.util.Set.of("LSTM", "GRU", "SimpleRNN", "ConvLSTM1D",
            "ConvLSTM2D", "ConvLSTM3D");

    private static void writeContainer(H5Write w, String path, Map<String, Object> serializedModel, Model model) {
        List<Map<String, Object>> entries = containerEntries(serializedModel);
        List<String> keys = containerKeys(entries);
        for (int i = 0; i < entries.size(); i++) {
            Map<String, Object> entry = entries.get(i);
            String name = KerasConfigs.layerName(entry);
            Layer layer = model.getLayer(name);
            String layerPath = join(path, "layers/" + keys.get(i));
            w.group(layerPath + "/vars");
            if (layer instanceof Model nested && KerasConfigs.isModelClass(entry.get("class_name"))) {
                writeContainer(w, layerPath, entry, nested);
                continue;
            }
            if (layer instanceof InputLayer) {
                continue;
            }
            List<Weight> own = LayerWeights.ownOrder(layer);
            String cls = layer.className();
            if (RNN.contains(cls)) {
                writeVars(w, layerPath + "/cell/vars", own);
            } else if (cls.equals("Bidirectional") && own.size() % 2 == 0) {
                int half = own.size() / 2;
                w.group(layerPath + "/forward_layer/vars");
                w.group(layerPath + "/backward_layer/vars");
                writeVars(w, layerPath + "/forward_layer/cell/vars", own.subList(0, half));
                writeVars(w, layerPath + "/backward_layer/cell/vars", own.subList(half, own.size()));
            } else if (cls.equals("TimeDistributed")) {
                writeVars(w, layerPath + "/layer/vars", own);
            } else {
                writeVars(w, layerPath + "/vars", own);
            }
        }
    }

    private static void writeVars(H5Write w, String path, List<Weight> weights) {
        w.group(path);
        for (int i = 0; i < weights.size(); i++) {
            Weight weight = weights.get(i);
            w.putFloats(path, Integer.toString(i), weight.value().toFloatArray(), weight.value().shape());
        }
    }
}
