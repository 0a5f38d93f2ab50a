package io.jkeras.saving;

import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jkeras.layers.Layer;
import io.jkeras.layers.Layers;
import io.jkeras.layers.Weight;
import io.jkeras.models.Model;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keras 2's and tf.keras's HDF5 layout ({@code model.save("m.h5")}): the root attributes model_config,
 * keras_version and backend; the group model_weights with attribute layer_names, and per layer a group with
 * attribute weight_names listing its datasets in Keras's weight order. Keras 1 files (keras_version 1.x) are
 * translated by {@link Keras1Converter}.
 */
final class KerasH5 {
    private KerasH5() {
    }

    /** A whole-model file: the model from model_config, its weights from model_weights. */
    static Model load(Path file, Group root, KerasModels.Options options) {
        String configJson = H5Read.string(root, "model_config");
        if (configJson == null) {
            if (!H5Read.strings(root, "layer_names").isEmpty()) {
                throw new KerasFileException(file, "this file holds weights only (the layout model.save_weights "
                        + "writes): it has no model_config attribute, so there is no model to build. Build the model "
                        + "in code and load the weights with KerasModels.loadWeights(model, file).");
            }
            throw new KerasFileException(file, "an HDF5 file without the model_config attribute: not a model saved "
                    + "by Keras's model.save");
        }
        Map<String, Object> config = parseJson(file, configJson, "model_config");
        Group weights = H5Read.group(root, "model_weights");
        String version = firstNonNull(H5Read.string(root, "keras_version"),
                weights == null ? null : H5Read.string(weights, "keras_version"),
                config.get("keras_version") instanceof String s ? s : null, "1");
        String backend = firstNonNull(H5Read.string(root, "backend"),
                weights == null ? null : H5Read.string(weights, "backend"));
        boolean keras1 = version.startsWith("1");
        Model model = KerasModels.build(file, config, keras1);
        if (weights == null) {
            if (!LayerWeights.savedOrder(model).isEmpty()) {
                throw new KerasFileException(file, "the model has weights but the file has no model_weights group");
            }
            return model;
        }
        loadWeights(file, weights, model, keras1, backend, options);
        return model;
    }

    static String firstNonNull(String... values) {
        for (String v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    static Map<String, Object> parseJson(Path file, String json, String what) {
        try {
            return Json.parseObject(json);
        } catch (IllegalArgumentException e) {
            throw new KerasFileException(file, what + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Weights in Keras 2's layout into a model: each listed layer's group, matched to the model's layer of that
     * name (or, for a weights-only file whose names do not match, by position among the layers with weights,
     * as Keras's load_weights does).
     */
    static void loadWeights(Path file, Group g, Model model, boolean keras1, String backend,
            KerasModels.Options options) {
        List<String> names = H5Read.strings(g, "layer_names");
        List<String> withWeights = new ArrayList<>();
        for (String name : names) {
            Node n = H5Read.child(g, name);
            if (!(n instanceof Group lg)) {
                throw new KerasFileException(file, "layer_names lists '" + name + "' but the file has no group "
                        + "of that name under " + g.getPath());
            }
            if (!H5Read.strings(lg, "weight_names").isEmpty()) {
                withWeights.add(name);
            }
        }
        List<Layer> modelLayers = modelLayersWithWeights(model);
        boolean byName = true;
        for (String name : withWeights) {
            byName &= find(model, name) != null;
        }
        if (!byName && withWeights.size() != modelLayers.size()) {
            throw new KerasFileException(file, "You are trying to load a weight file containing "
                    + withWeights.size() + " layers with weights " + withWeights + " into a model with "
                    + modelLayers.size() + " layers with weights " + names(modelLayers));
        }
        Set<Layer> loaded = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = 0; i < withWeights.size(); i++) {
            String name = withWeights.get(i);
            Group lg = (Group) H5Read.child(g, name);
            Layer layer = byName ? find(model, name) : modelLayers.get(i);
            List<Dataset> datasets = new ArrayList<>();
            for (String wn : H5Read.strings(lg, "weight_names")) {
                Node d = H5Read.node(lg, wn);
                if (!(d instanceof Dataset ds)) {
                    throw new KerasFileException(file, "layer '" + name + "': weight_names lists '" + wn
                            + "' but there is no dataset " + lg.getPath() + wn);
                }
                datasets.add(ds);
            }
            List<Weight> order = LayerWeights.savedOrder(layer);
            List<WeightArray> arrays = readChecked(file, layer, order, datasets, "layer group '" + name + "'");
            arrays = convert(file, layer, arrays, keras1, backend, options);
            arrays = transposeMismatchedKernel(layer, order, arrays);
            LayerWeights.assign(file, layer, order, arrays, "layer group '" + name + "'");
            loaded.add(layer);
        }
        for (Layer l : modelLayers) {
            if (!loaded.contains(l)) {
                throw new KerasFileException(file, "layer '" + l.getName() + "' (" + l.className() + ") has "
                        + LayerWeights.savedOrder(l).size() + " weight(s) but the file stores none for it");
            }
        }
    }

    /**
     * The datasets' values, after checking from their dataspaces alone that they hold as many values as the
     * layer's weights (every layout conversion keeps the count): a corrupted dimension is reported, not allocated.
     */
    static List<WeightArray> readChecked(Path file, Layer layer, List<Weight> order, List<Dataset> datasets,
            String where) {
        long expected = 0;
        for (Weight w : order) {
            expected += w.value().size();
        }
        long stored = 0;
        List<String> shapes = new ArrayList<>();
        try {
            for (Dataset d : datasets) {
                stored += H5Read.elements(d);
                shapes.add(d.getName() + " " + H5Read.shape(d));
            }
        } catch (ArithmeticException | IllegalArgumentException e) {
            throw new KerasFileException(file, where + ": corrupted dataset dimensions " + shapes, e);
        }
        if (stored != expected) {
            throw new KerasFileException(file, where + ": layer '" + layer.getName() + "' (" + layer.className()
                    + ") has " + order.size() + " weight(s) " + LayerWeights.describe(order) + " with " + expected
                    + " values, but the file holds " + datasets.size() + " array(s) " + shapes + " with " + stored);
        }
        List<WeightArray> arrays = new ArrayList<>();
        for (Dataset d : datasets) {
            try {
                arrays.add(H5Read.array(d, d.getPath()));
            } catch (IllegalArgumentException e) {
                throw new KerasFileException(file, e.getMessage(), e);
            }
        }
        return arrays;
    }

    private static List<String> names(List<Layer> layers) {
        List<String> out = new ArrayList<>();
        for (Layer l : layers) {
            out.add(l.getName());
        }
        return out;
    }

    /** The model's own layers (not those inside nested models) that have weights, in order. */
    static List<Layer> modelLayersWithWeights(Model model) {
        List<Layer> out = new ArrayList<>();
        for (Layer l : model.layers()) {
            if (!LayerWeights.savedOrder(l).isEmpty()) {
                out.add(l);
            }
        }
        return out;
    }

    static Layer find(Model model, String name) {
        for (Layer l : model.layers()) {
            if (l.getName().equals(name)) {
                return l;
            }
        }
        return null;
    }

    /** Whether a layer's convolution kernels need Theano's flip undone. */
    private static boolean flip(Layer layer, boolean keras1, String backend, KerasModels.Options options) {
        if (options.theanoKernels() != null) {
            return options.theanoKernels();
        }
        if ("theano".equals(backend)) {
            return true;
        }
        // Keras 1 files do not record their backend: channels_first ("th") ordering was Theano's default
        return keras1 && backend == null && "channels_first".equals(layer.getConfig().get("data_format"));
    }

    /** A file's arrays for one layer in the layer's layout (Keras 1 translation, Theano kernels). */
    static List<WeightArray> convert(Path file, Layer layer, List<WeightArray> arrays, boolean keras1,
            String backend, KerasModels.Options options) {
        if (layer instanceof Model m) {
            if (!keras1 && !"theano".equals(backend) && options.theanoKernels() == null) {
                return arrays;
            }
            return convertNested(file, m, arrays, keras1, backend, options);
        }
        try {
            return Keras1Converter.convertWeights(layer.className(), layer.getConfig(), arrays, keras1,
                    flip(layer, keras1, backend, options));
        } catch (RuntimeException e) {
            throw new KerasFileException(file, "layer '" + layer.getName() + "': cannot convert its weights "
                    + LayerWeights.describeArrays(arrays) + ": " + e.getMessage(), e);
        }
    }

    /**
     * A nested model's arrays are its layers' trainable ones, then their non-trainable ones (Keras's
     * convert_nested_model): each layer's share is converted on its own.
     */
    private static List<WeightArray> convertNested(Path file, Model m, List<WeightArray> arrays, boolean keras1,
            String backend, KerasModels.Options options) {
        List<Layer> subs = m.layers();
        int[] t = new int[subs.size()];
        int[] n = new int[subs.size()];
        for (int i = 0; i < subs.size(); i++) {
            t[i] = fileCount(subs.get(i), true, keras1);
            n[i] = fileCount(subs.get(i), false, keras1);
        }
        int total = Arrays.stream(t).sum() + Arrays.stream(n).sum();
        if (total != arrays.size()) {
            throw new KerasFileException(file, "nested model '" + m.getName() + "' needs " + total
                    + " arrays from the file but it holds " + arrays.size() + " " + LayerWeights.describeArrays(arrays));
        }
        List<List<WeightArray>> per = new ArrayList<>();
        int at = 0;
        for (int i = 0; i < subs.size(); i++) {
            per.add(new ArrayList<>(arrays.subList(at, at + t[i])));
            at += t[i];
        }
        for (int i = 0; i < subs.size(); i++) {
            per.get(i).addAll(arrays.subList(at, at + n[i]));
            at += n[i];
        }
        List<WeightArray> trainable = new ArrayList<>();
        List<WeightArray> nonTrainable = new ArrayList<>();
        for (int i = 0; i < subs.size(); i++) {
            Layer sub = subs.get(i);
            List<WeightArray> converted = convert(file, sub, per.get(i), keras1, backend, options);
            List<List<Weight>> sections = LayerWeights.sections(sub);
            int k = Math.min(sections.get(0).size(), converted.size());
            trainable.addAll(converted.subList(0, k));
            nonTrainable.addAll(converted.subList(k, converted.size()));
        }
        trainable.addAll(nonTrainable);
        return trainable;
    }

    /** How many arrays the file holds for a layer in its trainable (or non-trainable) section. */
    private static int fileCount(Layer l, boolean trainableSection, boolean keras1) {
        if (l instanceof Model m) {
            int count = 0;
            if (trainableSection) {
                if (!m.isTrainable()) {
                    return 0;
                }
                for (Layer sub : m.layers()) {
                    count += fileCount(sub, true, keras1);
                }
                return count;
            }
            if (!m.isTrainable()) {
                for (Layer sub : m.layers()) {
                    count += fileCount(sub, true, keras1);
                }
            }
            for (Layer sub : m.layers()) {
                count += fileCount(sub, false, keras1);
            }
            return count;
        }
        int declaredTrainable = keras1 ? Keras1Converter.keras1Count(l, true) : LayerWeights.declared(l, true).size();
        int declaredOther = LayerWeights.declared(l, false).size();
        if (trainableSection) {
            return l.isTrainable() ? declaredTrainable : 0;
        }
        return (l.isTrainable() ? 0 : declaredTrainable) + declaredOther;
    }

    /** Keras's last resort for convolution kernels of another layout: transpose (3, 2, 0, 1) when that fits. */
    private static List<WeightArray> transposeMismatchedKernel(Layer layer, List<Weight> order,
            List<WeightArray> arrays) {
        if (!Keras1Converter.isConv(layer.className()) || arrays.isEmpty() || order.isEmpty()) {
            return arrays;
        }
        long[] expected = order.get(0).value().shape();
        WeightArray k = arrays.get(0);
        if (k.rank() == 4 && expected.length == 4 && !Arrays.equals(expected, k.shape)) {
            WeightArray t = k.transpose(3, 2, 0, 1);
            if (Arrays.equals(expected, t.shape)) {
                List<WeightArray> out = new ArrayList<>(arrays);
                out.set(0, t);
                return out;
            }
        }
        return arrays;
    }

    // ------------------------------------------------------------------------------------------------ save

    /** Keras 2's layout, as keras 2.3's model.save writes it (without the optimizer's state). */
    static void save(Model model, Path file) {
        Map<String, Object> serialized = Layers.serialize(model);
        String configJson = Json.write(KerasConfigs.shiftForKeras(serialized, false));
        Path tmp = temporaryNextTo(file);
        try {
            try (H5Write w = new H5Write(tmp)) {
                w.putString("", "keras_version", KerasModels.KERAS_VERSION);
                w.putString("", "backend", KerasModels.BACKEND);
                w.putString("", "model_config", configJson);
                writeWeights(w, "model_weights", model, serialized);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new KerasFileException(file, "cannot write: " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the temporary file is gone or cannot be removed; nothing else to do
            }
        }
    }

    static Path temporaryNextTo(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        try {
            if (dir != null) {
                Files.createDirectories(dir);
            }
            return Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
        } catch (IOException e) {
            throw new KerasFileException(file, "cannot write: " + e.getMessage(), e);
        }
    }

    /** The model_weights group (or the root of a save_weights file): layer_names, then a group per layer. */
    static void writeWeights(H5Write w, String groupPath, Model model, Map<String, Object> serialized) {
        List<String> layerNames = new ArrayList<>();
        for (Map<String, Object> entry : KerasConfigs.layerEntries(serialized)) {
            layerNames.add(KerasConfigs.layerName(entry));
        }
        w.group(groupPath);
        w.putString(groupPath, "keras_version", KerasModels.KERAS_VERSION);
        w.putString(groupPath, "backend", KerasModels.BACKEND);
        w.putStrings(groupPath, "layer_names", layerNames);
        Map<Weight, Layer> owners = owners(model);
        for (String name : layerNames) {
            Layer layer = model.getLayer(name);
            String lg = groupPath + "/" + name;
            w.group(lg);
            List<Weight> order = LayerWeights.savedOrder(layer);
            Map<Weight, String> names = fileNames(layer, owners);
            List<String> weightNames = new ArrayList<>();
            Set<String> used = new HashSet<>();
            for (Weight weight : order) {
                String base = names.get(weight);
                String wn = base + ":0";
                for (int k = 1; !used.add(wn); k++) {
                    wn = base + "_" + k + ":0";
                }
                weightNames.add(wn);
                int slash = wn.lastIndexOf('/');
                w.putFloats(lg + "/" + wn.substring(0, slash), wn.substring(slash + 1),
                        weight.value().toFloatArray(), weight.value().shape());
            }
            w.putStrings(lg, "weight_names", weightNames);
        }
    }

    /** Each weight's name in the file ("dense_1/kernel"), by its leaf layer (through nested models). */
    static Map<Weight, String> fileNames(Layer layer, Map<Weight, Layer> owners) {
        Map<Weight, String> out = new IdentityHashMap<>();
        List<Layer> leaves = new ArrayList<>();
        if (layer instanceof Model) {
            for (Weight w : LayerWeights.savedOrder(layer)) {
                Layer owner = owners.get(w);
                if (owner != null && !leaves.contains(owner)) {
                    leaves.add(owner);
                }
            }
        } else {
            leaves.add(layer);
        }
        for (Layer leaf : leaves) {
            List<Weight> ws = leaf.weightVariables();
            List<String> names = LayerWeights.fileNames(leaf, ws);
            for (int i = 0; i < ws.size(); i++) {
                out.putIfAbsent(ws.get(i), names.get(i));
            }
        }
        for (Weight w : LayerWeights.savedOrder(layer)) {
            out.putIfAbsent(w, layer.getName() + "/" + w.name());
        }
        return out;
    }

    /** Each weight's leaf layer, through nested models. */
    static Map<Weight, Layer> owners(Model model) {
        Map<Weight, Layer> out = new IdentityHashMap<>();
        for (Layer l : model.layers()) {
            if (l instanceof Model m) {
                out.putAll(owners(m));
            } else {
                for (Weight w : l.weightVariables()) {
                    out.putIfAbsent(w, l);
                }
            }
        }
        return out;
    }
}
