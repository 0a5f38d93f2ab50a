package io.jkeras.saving;

import io.jhdf.HdfFile;
import io.jkeras.layers.Layer;
import io.jkeras.layers.Layers;
import io.jkeras.models.Model;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Keras model files, read and written.
 *
 * <pre>
 * Model m = KerasModels.load(Path.of("model.h5"));      // Keras 1 / Keras 2 / tf.keras HDF5 (model.save)
 * Model m = KerasModels.load(Path.of("model.keras"));   // Keras 3 zip archive
 * Model m = KerasModels.load(Path.of("model.json"));    // TensorFlow.js layers model (+ weight shards beside it)
 * KerasModels.save(m, Path.of("copy.h5"));               // Keras 2's HDF5 layout; ".keras" for Keras 3's archive
 * </pre>
 *
 * The kind of file is told by its content (HDF5 signature, zip, JSON), not its name. Every problem with a file
 * is a {@link KerasFileException} (an IllegalArgumentException) naming the file: unreadable or corrupted data, a
 * weights-only file, a layer class that is not registered (the message of {@link Layers#deserialize} says how to
 * register it), weights that do not fit the model.
 */
public final class KerasModels {
    /** The keras_version written into HDF5 files: the Keras 2 release whose layout and configs they follow. */
    public static final String KERAS_VERSION = "2.3.1";
    /** The backend written into HDF5 files (TensorFlow's kernel layout and cross-correlation, as ours). */
    public static final String BACKEND = "tensorflow";
    /** The keras_version written into a .keras archive's metadata.json. */
    public static final String KERAS3_VERSION = "3.0.0";

    /** Files larger than this are read through jHDF's memory mapping instead of into the heap. */
    private static final long IN_MEMORY_LIMIT = 1L << 30;

    private KerasModels() {
    }

    /**
     * How to read old files.
     *
     * @param theanoKernels whether convolution kernels were saved by Theano (which convolves, where TensorFlow
     *     and jkeras correlate) and must be flipped; null decides from the file: its backend attribute "theano",
     *     or for a Keras 1 file (which records no backend) a layer in "th" (channels_first) ordering
     */
    public record Options(Boolean theanoKernels) {
        public static Options defaults() {
            return new Options(null);
        }
    }

    public static Model load(Path file) {
        return load(file, Options.defaults());
    }

    public static Model load(Path file, Options options) {
        if (Files.isDirectory(file) && Files.isRegularFile(file.resolve("model.json"))) {
            return load(file.resolve("model.json"), options);
        }
        long size = size(file);
        if (size > IN_MEMORY_LIMIT && startsWithHdf5Signature(file)) {
            try (HdfFile h5 = new HdfFile(file)) {
                return KerasH5.load(file, h5, options);
            } catch (KerasFileException e) {
                throw e;
            } catch (RuntimeException e) {
                throw corrupted(file, e);
            }
        }
        byte[] bytes = read(file);
        try {
            if (H5Read.isHdf5(bytes)) {
                try (HdfFile h5 = H5Read.open(bytes)) {
                    return KerasH5.load(file, h5, options);
                }
            }
            if (KerasArchive.isZip(bytes)) {
                return KerasArchive.load(file, bytes, options);
            }
            if (looksLikeJson(bytes)) {
                Map<String, Object> json = KerasH5.parseJson(file, new String(bytes, StandardCharsets.UTF_8),
                        "the file");
                if (TfjsModels.isTfjs(json)) {
                    return TfjsModels.load(file, json, options);
                }
                if (json.containsKey("class_name")) {
                    // model.to_json(): the architecture alone; the weights keep their initial values
                    String version = json.get("keras_version") instanceof String s ? s : "2";
                    return build(file, json, version.startsWith("1"));
                }
                throw new KerasFileException(file, "JSON that is neither a Keras model config (no \"class_name\") "
                        + "nor a TF.js model.json (no \"modelTopology\")");
            }
            throw new KerasFileException(file, "not a Keras model file: neither HDF5 (.h5), a zip archive (.keras) "
                    + "nor JSON (model.json); it starts with " + head(bytes));
        } catch (KerasFileException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            throw corrupted(file, e);
        }
    }

    private static KerasFileException corrupted(Path file, Throwable e) {
        return new KerasFileException(file, "corrupted or truncated file, or a layout this reader does not know ("
                + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
    }

    /**
     * Loads weights into a model built in code: a Keras 2 / tf.keras HDF5 file of {@code model.save_weights} (or
     * a whole-model .h5, whose weights are used). Layers are matched by name, or by position among the layers
     * with weights when the names differ (as Keras's load_weights).
     */
    public static void loadWeights(Model model, Path file) {
        byte[] bytes = read(file);
        if (!H5Read.isHdf5(bytes)) {
            throw new KerasFileException(file, "not an HDF5 weights file");
        }
        try (HdfFile h5 = H5Read.open(bytes)) {
            io.jhdf.api.Group g = H5Read.group(h5, "model_weights");
            if (g == null) {
                g = h5;
            }
            String version = KerasH5.firstNonNull(H5Read.string(g, "keras_version"),
                    H5Read.string(h5, "keras_version"), "1");
            String backend = KerasH5.firstNonNull(H5Read.string(g, "backend"), H5Read.string(h5, "backend"));
            KerasH5.loadWeights(file, g, model, version.startsWith("1"), backend, Options.defaults());
        } catch (KerasFileException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            throw corrupted(file, e);
        }
    }

    /**
     * Saves by the file name's extension: ".keras" writes Keras 3's archive, ".json" a TF.js model.json with its
     * weight shard beside it, anything else (".h5", ".hdf5") Keras 2's HDF5 layout.
     */
    public static void save(Model model, Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".keras")) {
            saveKeras(model, file);
        } else if (name.endsWith(".json")) {
            saveTfjs(model, file);
        } else {
            saveH5(model, file);
        }
    }

    /**
     * Keras 2's HDF5 layout (model_config, keras_version, backend, model_weights/&lt;layer&gt;/&lt;layer&gt;/&lt;weight&gt;:0
     * with layer_names and weight_names), the file Keras 2.2+ and tf.keras read with load_model. A model config
     * over about 60 KB does not fit in one attribute of jHDF's writer: such models are refused with a message
     * pointing to .keras.
     */
    public static void saveH5(Model model, Path file) {
        KerasH5.save(model, file);
    }

    /** Keras 3's .keras archive (config.json, metadata.json, model.weights.h5). */
    public static void saveKeras(Model model, Path file) {
        KerasArchive.save(model, file);
    }

    /** A TF.js layers model: model.json (at {@code json}) and group1-shard1of1.bin beside it. */
    public static void saveTfjs(Model model, Path json) {
        TfjsModels.save(model, json);
    }

    /** A model from its serialized config, translated from Keras 1 or normalized from tf.keras / Keras 3. */
    static Model build(Path file, Map<String, Object> config, boolean keras1) {
        Layer layer;
        try {
            Map<String, Object> c = keras1 ? Keras1Converter.convertModelConfig(config) : config;
            c = KerasConfigs.normalize(c);
            layer = Layers.deserialize(c);
        } catch (KerasFileException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new KerasFileException(file, e.getMessage(), e);
        } catch (RuntimeException | StackOverflowError e) {
            throw new KerasFileException(file, "cannot build the model from its config: " + e, e);
        }
        if (!(layer instanceof Model m)) {
            throw new KerasFileException(file, "the config describes a single " + layer.className()
                    + " layer, not a model (Sequential, Model or Functional)");
        }
        return m;
    }

    private static boolean startsWithHdf5Signature(Path file) {
        try (java.io.InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(H5Read.SIGNATURE.length);
            return java.util.Arrays.equals(head, H5Read.SIGNATURE);
        } catch (IOException e) {
            throw new KerasFileException(file, "cannot read: " + e, e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (NoSuchFileException e) {
            throw new KerasFileException(file, "no such file");
        } catch (IOException e) {
            throw new KerasFileException(file, "cannot read: " + e, e);
        }
    }

    private static byte[] read(Path file) {
        try {
            byte[] b = Files.readAllBytes(file);
            if (b.length == 0) {
                throw new KerasFileException(file, "an empty file");
            }
            return b;
        } catch (NoSuchFileException e) {
            throw new KerasFileException(file, "no such file");
        } catch (IOException | OutOfMemoryError e) {
            throw new KerasFileException(file, "cannot read: " + e, e);
        }
    }

    private static boolean looksLikeJson(byte[] bytes) {
        int i = 0;
        if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb && (bytes[2] & 0xff) == 0xbf) {
            i = 3;  // UTF-8 byte order mark
        }
        while (i < bytes.length && Character.isWhitespace(bytes[i])) {
            i++;
        }
        return i < bytes.length && bytes[i] == '{';
    }

    private static String head(byte[] bytes) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(8, bytes.length); i++) {
            b.append(String.format("%02x ", bytes[i] & 0xff));
        }
        return b.toString().trim();
    }
}
