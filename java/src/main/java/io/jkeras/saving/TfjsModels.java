package io.jkeras.saving;

import io.jkeras.layers.Layer;
import io.jkeras.layers.Layers;
import io.jkeras.layers.Weight;
import io.jkeras.models.Model;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * TensorFlow.js's layers-model format: model.json with "modelTopology" (a Keras model config, possibly under
 * "model_config") and "weightsManifest" (groups of binary shard files next to the JSON, holding the weights listed
 * in "weights" one after the other, little-endian; float32 and int32, or uint8 / uint16 / float16 quantized).
 * Weights go to the layer whose name is a component of the weight's name ("dense_1/kernel").
 */
final class TfjsModels {
    static final String SHARD = "group1-shard1of1.bin";

    private TfjsModels() {
    }

    static boolean isTfjs(Map<String, Object> json) {
        return json.containsKey("modelTopology") || json.containsKey("weightsManifest");
    }

    @SuppressWarnings("unchecked")
    static Model load(Path file, Map<String, Object> json, KerasModels.Options options) {
        if (!(json.get("modelTopology") instanceof Map<?, ?> topology)) {
            throw new KerasFileException(file, "a TF.js model.json without a \"modelTopology\" object (a graph "
                    + "model, or weights only?): only layers models can be loaded");
        }
        Map<String, Object> config = (Map<String, Object>) topology;
        String version = config.get("keras_version") instanceof String s ? s : null;
        if (config.get("model_config") instanceof Map<?, ?> inner) {
            config = (Map<String, Object>) inner;
            if (version == null && config.get("keras_version") instanceof String s) {
                version = s;
            }
        }
        boolean keras1 = version != null && version.startsWith("1.");
        Model model = KerasModels.build(file, config, keras1);
        Object manifest = json.get("weightsManifest");
        List<Named> weights = manifest == null ? List.of() : readManifest(file, manifest);
        assign(file, model, weights);
        return model;
    }

    record Named(String name, WeightArray array) {
    }

    @SuppressWarnings("unchecked")
    private static List<Named> readManifest(Path file, Object manifest) {
        if (!(manifest instanceof List<?> groups)) {
            throw new KerasFileException(file, "\"weightsManifest\" must be a list of {paths, weights} groups");
        }
        Path dir = file.toAbsolutePath().getParent();
        List<Named> out = new ArrayList<>();
        for (Object go : groups) {
            if (!(go instanceof Map<?, ?> group) || !(group.get("paths") instanceof List<?> paths)
                    || !(group.get("weights") instanceof List<?> specs)) {
                throw new KerasFileException(file, "a weightsManifest group must have \"paths\" and \"weights\" "
                        + "lists, got " + go);
            }
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            for (Object p : paths) {
                Path shard = dir.resolve(String.valueOf(p)).normalize();
                if (!shard.startsWith(dir.normalize())) {
                    throw new KerasFileException(file, "weight shard path '" + p + "' leaves the model's folder");
                }
                try {
                    buf.write(Files.readAllBytes(shard));
                } catch (IOException e) {
                    throw new KerasFileException(file, "cannot read weight shard " + shard + ": " + e, e);
                }
            }
            ByteBuffer data = ByteBuffer.wrap(buf.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
            for (Object so : specs) {
                if (!(so instanceof Map<?, ?> spec)) {
                    throw new KerasFileException(file, "a weightsManifest weight entry must be an object, got " + so);
                }
                out.add(readWeight(file, (Map<String, Object>) spec, data, paths));
            }
            if (data.hasRemaining()) {
                throw new KerasFileException(file, "weight shards " + paths + " hold " + data.remaining()
                        + " bytes more than their manifest lists");
            }
        }
        return out;
    }

    private static Named readWeight(Path file, Map<String, Object> spec, ByteBuffer data, List<?> paths) {
        ConfigMap c = new ConfigMap("weightsManifest entry", spec);
        String name;
        long[] shape;
        try {
            name = c.getString("name", null);
            shape = c.getLongs("shape", 0);
        } catch (IllegalArgumentException e) {
            throw new KerasFileException(file, e.getMessage(), e);
        }
        if (name == null || shape == null) {
            throw new KerasFileException(file, "a weightsManifest entry needs \"name\" and \"shape\", got " + spec);
        }
        long n;
        try {
            n = WeightArray.size(shape);
        } catch (RuntimeException e) {
            throw new KerasFileException(file, "weight " + name + ": bad shape " + spec.get("shape"), e);
        }
        String dtype = c.getString("dtype", "float32");
        Map<?, ?> quant = spec.get("quantization") instanceof Map<?, ?> q ? q : null;
        String stored = quant != null && quant.get("dtype") instanceof String qd ? qd : dtype;
        int width = switch (stored) {
            case "float32", "int32" -> 4;
            case "uint16", "float16" -> 2;
            case "uint8", "bool" -> 1;
            default -> throw new KerasFileException(file, "weight " + name + ": dtype '" + stored
                    + "' is not supported (float32, int32, bool, and uint8 / uint16 / float16 quantization are)");
        };
        long bytes;
        try {
            bytes = Math.multiplyExact(n, (long) width);
        } catch (ArithmeticException e) {
            throw new KerasFileException(file, "weight " + name + ": shape " + spec.get("shape") + " is too large");
        }
        if (bytes > data.remaining()) {
            throw new KerasFileException(file, "weight shards " + paths + " end before weight " + name + " "
                     + WeightArray.shapeString(shape) + " (it needs " + bytes + " bytes, " + data.remaining()
                    + " are left): truncated?");
        }
        float[] v = new float[(int) n];
        double scale = quant != null && quant.get("scale") instanceof Number s ? s.doubleValue() : 1;
        double min = quant != null && quant.get("min") instanceof Number m ? m.doubleValue() : 0;
        for (int i = 0; i < n; i++) {
            v[i] = switch (stored) {
                case "float32" -> data.getFloat();
                case "int32" -> data.getInt();
                case "uint8" -> quant != null ? (float) ((data.get() & 0xff) * scale + min) : data.get() & 0xff;
                case "bool" -> data.get() != 0 ? 1f : 0f;
                case "uint16" -> (float) ((data.getShort() & 0xffff) * scale + min);
                default -> halfToFloat(data.getShort());
            };
        }
        return new Named(name, new WeightArray(name, v, shape));
    }

    /** IEEE 754 binary16 to float32. */
    static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /** Each leaf layer of the model (through nested models) by name. */
    private static Map<String, Layer> leaves(Model model, Map<String, Layer> out) {
        for (Layer l : model.layers()) {
            if (l instanceof Model m) {
                leaves(m, out);
            } else {
                out.putIfAbsent(l.getName(), l);
            }
        }
        return out;
    }

    private static void assign(Path file, Model model, List<Named> weights) {
        Map<String, Layer> leaves = leaves(model, new LinkedHashMap<>());
        Map<Layer, List<Named>> perLayer = new LinkedHashMap<>();
        for (Named w : weights) {
            String[] parts = w.name().split("/");
            Layer owner = null;
            int at = -1;
            for (int i = 0; i < parts.length - 1 && owner == null; i++) {
                owner = leaves.get(parts[i]);
                at = i;
            }
            if (owner == null) {
                throw new KerasFileException(file, "weight '" + w.name() + "' of the manifest belongs to no layer of "
                        + "the model (its layers: " + leaves.keySet() + ")");
            }
            String suffix = String.join("/", java.util.Arrays.copyOfRange(parts, at + 1, parts.length));
            perLayer.computeIfAbsent(owner, k -> new ArrayList<>()).add(new Named(suffix,
                    new WeightArray(w.name(), w.array().data, w.array().shape)));
        }
        for (Layer l : leaves.values()) {
            List<Weight> order = LayerWeights.ownOrder(l);
            List<Named> given = perLayer.getOrDefault(l, List.of());
            if (order.isEmpty() && given.isEmpty()) {
                continue;
            }
            List<WeightArray> arrays = matchByName(order, given);
            LayerWeights.assign(file, l, order, arrays, "weightsManifest");
        }
    }

    /** The given arrays in the layer's order: by weight name where every name matches once, else as listed. */
    private static List<WeightArray> matchByName(List<Weight> order, List<Named> given) {
        List<WeightArray> positional = new ArrayList<>();
        for (Named n : given) {
            positional.add(n.array());
        }
        if (order.size() != given.size()) {
            return positional;
        }
        java.util.Set<String> own = new java.util.HashSet<>();
        java.util.Set<String> listed = new java.util.HashSet<>();
        for (Weight w : order) {
            own.add(w.name());
        }
        for (Named n : given) {
            listed.add(n.name());
        }
        if (own.size() != order.size() || listed.size() != given.size()) {
            return positional;  // names that do not tell weights apart (a Bidirectional's two "kernel"s)
        }
        List<WeightArray> byName = new ArrayList<>();
        for (Weight w : order) {
            WeightArray found = null;
            int hits = 0;
            for (Named n : given) {
                if (n.name().equals(w.name()) || lastPart(n.name()).equals(lastPart(w.name()))) {
                    if (n.name().equals(w.name())) {
                        found = n.array();
                        hits = 1;
                        break;
                    }
                    found = n.array();
                    hits++;
                }
            }
            if (hits != 1) {
                return positional;
            }
            byName.add(found);
        }
        return byName;
    }

    private static String lastPart(String name) {
        int slash = name.lastIndexOf('/');
        return slash < 0 ? name : name.substring(slash + 1);
    }

    // ------------------------------------------------------------------------------------------------ save

    /** model.json and one weight shard (group1-shard1of1.bin) in json's folder. */
    static void save(Model model, Path json) {
        Map<String, Object> topology = new LinkedHashMap<>(KerasConfigs.shiftForKeras(Layers.serialize(model),
                false));
        topology.put("keras_version", KerasModels.KERAS_VERSION);
        topology.put("backend", KerasModels.BACKEND);
        List<Map<String, Object>> specs = new ArrayList<>();
        ByteArrayOutputStream bin = new ByteArrayOutputStream();
        writeLeaves(model, specs, bin);
        Map<String, Object> group = new LinkedHashMap<>();
        group.put("paths", List.of(SHARD));
        group.put("weights", specs);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("format", "layers-model");
        out.put("generatedBy", "jkeras");
        out.put("convertedBy", null);
        out.put("modelTopology", topology);
        out.put("weightsManifest", List.of(group));
        Path dir = json.toAbsolutePath().getParent();
        Path shard = dir.resolve(SHARD);
        try {
            Files.createDirectories(dir);
            Path tmp = KerasH5.temporaryNextTo(shard);
            Files.write(tmp, bin.toByteArray());
            Files.move(tmp, shard, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            tmp = KerasH5.temporaryNextTo(json);
            Files.writeString(tmp, Json.write(out), StandardCharsets.UTF_8);
            Files.move(tmp, json, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new KerasFileException(json, "cannot write: " + e.getMessage(), e);
        }
    }

    private static void writeLeaves(Model model, List<Map<String, Object>> specs, ByteArrayOutputStream bin) {
        for (Layer l : model.layers()) {
            if (l instanceof Model m) {
                writeLeaves(m, specs, bin);
                continue;
            }
            List<Weight> own = LayerWeights.ownOrder(l);
            List<String> names = LayerWeights.fileNames(l, own);
            for (int i = 0; i < own.size(); i++) {
                Weight w = own.get(i);
                Map<String, Object> spec = new LinkedHashMap<>();
                spec.put("name", names.get(i));
                spec.put("shape", java.util.Arrays.stream(w.value().shape()).boxed().toList());
                spec.put("dtype", "float32");
                specs.add(spec);
                float[] v = w.value().toFloatArray();
                ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(v);
                bin.write(b.array(), 0, b.capacity());
            }
        }
    }
}
