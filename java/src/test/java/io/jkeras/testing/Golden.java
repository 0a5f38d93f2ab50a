package io.jkeras.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jkeras.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

/**
 * A golden fixture written by tools/golden/generate.js (TensorFlow.js), loaded from the class path
 * ({@code /golden/<family>/<case>.json}), with its tensors as {@link Tensor}s, and the project's tolerance rule.
 *
 * <pre>{@code
 * @ParameterizedTest @MethodSource("cases")
 * void matches(String name) {
 *     Golden g = Golden.load("layers", name);
 *     try (Scope s = Scope.open()) {
 *         Tensor y = layer.apply(g.input(0));
 *         Golden.assertClose(g.name() + " output", g.outputs().get(0), y, 1e-5);
 *     }
 * }
 * static Stream<String> cases() { return Golden.cases("layers"); }
 * }</pre>
 */
public final class Golden {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A fixture tensor as written in the file: shape and flat row-major float32 data. */
    public record Array(long[] shape, float[] data) {
        /** A new float32 tensor with these values (owned by the caller or the open scope). */
        public Tensor tensor() {
            return Tensor.of(data, shape);
        }

        public long size() {
            return data.length;
        }

        @Override
        public String toString() {
            return "Array(shape=" + Arrays.toString(shape) + ", " + data.length + " values)";
        }
    }

    private final String family;
    private final String name;
    private final JsonNode root;

    private Golden(String family, String name, JsonNode root) {
        this.family = family;
        this.name = name;
        this.root = root;
    }

    // ------------------------------------------------------------------------------------------------ loading

    /** Loads {@code /golden/<family>/<name>.json} ({@code name} with or without ".json"). */
    public static Golden load(String family, String name) {
        String base = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
        String resource = "/golden/" + family + "/" + base + ".json";
        try (InputStream in = Golden.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("golden fixture " + resource + " is not on the class path");
            }
            return new Golden(family, base, JSON.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read golden fixture " + resource, e);
        }
    }

    /**
     * The case names (file names without ".json", sorted) of a family folder on the class path, for
     * {@code @MethodSource}. Works whether the resources are a folder or inside a jar. Fails when the folder is
     * missing or empty, so a parameterized test cannot pass by running nothing.
     */
    public static Stream<String> cases(String family) {
        String folder = "/golden/" + family;
        URL url = Golden.class.getResource(folder);
        if (url == null) {
            throw new IllegalStateException("golden folder " + folder + " is not on the class path");
        }
        List<String> names = new ArrayList<>();
        try {
            URI uri = url.toURI();
            if ("jar".equals(uri.getScheme())) {
                FileSystem fs;
                boolean opened = false;
                try {
                    fs = FileSystems.getFileSystem(uri);
                } catch (FileSystemNotFoundException e) {
                    fs = FileSystems.newFileSystem(uri, Collections.emptyMap());
                    opened = true;
                }
                try {
                    list(fs.getPath(folder), names);
                } finally {
                    if (opened) {
                        fs.close();
                    }
                }
            } else {
                list(Path.of(uri), names);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list golden folder " + folder, e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot list golden folder " + folder, e);
        }
        if (names.isEmpty()) {
            throw new IllegalStateException("golden folder " + folder + " holds no *.json fixture");
        }
        Collections.sort(names);
        return names.stream();
    }

    private static void list(Path dir, List<String> names) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            files.map(p -> p.getFileName().toString())
                    .filter(f -> f.endsWith(".json"))
                    .map(f -> f.substring(0, f.length() - 5))
                    .forEach(names::add);
        }
    }

    // ---------------------------------------------------------------------------------------------- accessors

    public String family() {
        return family;
    }

    /** The case name (the file name without ".json"). */
    public String name() {
        return name;
    }

    /** "op" or "layer". */
    public String kind() {
        return root.path("kind").asText();
    }

    /** The op name of an op case ("relu", "matmul"...); null for a layer case. */
    public String op() {
        JsonNode n = root.get("op");
        return n == null || n.isNull() ? null : n.asText();
    }

    /** The op's arguments (an empty object when none). */
    public JsonNode args() {
        JsonNode n = root.get("args");
        return n == null || n.isNull() ? JSON.createObjectNode() : n;
    }

    /** A layer case's {"class_name":..., "config":...}; null for an op case. */
    public JsonNode config() {
        return root.get("config");
    }

    /** The whole parsed file. */
    public JsonNode json() {
        return root;
    }

    public List<Array> inputs() {
        return arrays("inputs");
    }

    public List<Array> outputs() {
        return arrays("outputs");
    }

    public List<Array> upstream() {
        return arrays("upstream");
    }

    public List<Array> gradInputs() {
        return arrays("grad_inputs");
    }

    /** Layer weights in Keras's get_weights() order (empty when none or for an op case). */
    public List<Array> weights() {
        return arrays("weights");
    }

    public List<Array> gradWeights() {
        return arrays("grad_weights");
    }

    /** The tensors of a list field ("inputs", "outputs", ...), empty when the field is absent. */
    public List<Array> arrays(String field) {
        JsonNode n = root.get(field);
        List<Array> out = new ArrayList<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (!n.isArray()) {
            throw new IllegalStateException(name + ": field '" + field + "' is not a list of tensors");
        }
        for (int i = 0; i < n.size(); i++) {
            out.add(array(n.get(i), field + "[" + i + "]"));
        }
        return out;
    }

    /** New tensors for a list field, e.g. {@code tensors("inputs")}. */
    public List<Tensor> tensors(String field) {
        List<Tensor> out = new ArrayList<>();
        for (Array a : arrays(field)) {
            out.add(a.tensor());
        }
        return out;
    }

    /** A new tensor holding inputs[i]. */
    public Tensor input(int i) {
        return inputs().get(i).tensor();
    }

    /** Parses one {"shape": [...], "data": [...]} object. */
    public static Array array(JsonNode n, String what) {
        JsonNode shapeNode = n.get("shape");
        JsonNode dataNode = n.get("data");
        if (shapeNode == null || dataNode == null || !shapeNode.isArray() || !dataNode.isArray()) {
            throw new IllegalStateException(what + ": not a {shape, data} tensor: " + n);
        }
        long[] shape = new long[shapeNode.size()];
        long size = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asLong();
            size *= shape[i];
        }
        float[] data = new float[dataNode.size()];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) dataNode.get(i).asDouble();
        }
        if (size != data.length) {
            throw new IllegalStateException(what + ": " + data.length + " values for shape " + Arrays.toString(shape));
        }
        return new Array(shape, data);
    }

    // -------------------------------------------------------------------------------------- argument helpers

    /** An int list argument ("axis": [0, 2]), null when absent or null; a single int becomes a list of one. */
    public static int[] intsOrNull(JsonNode args, String key) {
        JsonNode n = args.get(key);
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isNumber()) {
            return new int[] {n.asInt()};
        }
        int[] out = new int[n.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = n.get(i).asInt();
        }
        return out;
    }

    /** A long list argument ("shape": [4, -1]), null when absent or null. */
    public static long[] longsOrNull(JsonNode args, String key) {
        int[] ints = intsOrNull(args, key);
        if (ints == null) {
            return null;
        }
        long[] out = new long[ints.length];
        for (int i = 0; i < ints.length; i++) {
            out[i] = ints[i];
        }
        return out;
    }

    /** A number argument as float (JSON writes 1.0 as 1), or dflt when absent or null. */
    public static float floatArg(JsonNode args, String key, float dflt) {
        JsonNode n = args.get(key);
        return n == null || n.isNull() ? dflt : (float) n.asDouble();
    }

    /** A number argument as Float, null when absent or null (e.g. relu's max_value). */
    public static Float floatOrNull(JsonNode args, String key) {
        JsonNode n = args.get(key);
        return n == null || n.isNull() ? null : (float) n.asDouble();
    }

    public static int intArg(JsonNode args, String key, int dflt) {
        JsonNode n = args.get(key);
        return n == null || n.isNull() ? dflt : n.asInt();
    }

    public static boolean boolArg(JsonNode args, String key, boolean dflt) {
        JsonNode n = args.get(key);
        return n == null || n.isNull() ? dflt : n.asBoolean();
    }

    // ------------------------------------------------------------------------------------------------ asserts

    /**
     * The project's tolerance rule (ARCHITECTURE.md section 5): for every element,
     * {@code |actual - expected| <= tol * max(1, |expected|)}; NaN matches only NaN. The message names the case,
     * the first failing index, the expected and actual values, and the largest error seen.
     */
    public static void assertClose(String what, float[] expected, float[] actual, double tol) {
        if (expected.length != actual.length) {
            fail(what + ": expected " + expected.length + " values, got " + actual.length);
        }
        int firstBad = -1;
        int bad = 0;
        double worst = 0;
        int worstAt = -1;
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double a = actual[i];
            boolean ok;
            double err;
            if (Double.isNaN(e) || Double.isNaN(a)) {
                ok = Double.isNaN(e) && Double.isNaN(a);
                err = ok ? 0 : Double.POSITIVE_INFINITY;
            } else if (Double.isInfinite(e) || Double.isInfinite(a)) {
                ok = e == a;
                err = ok ? 0 : Double.POSITIVE_INFINITY;
            } else {
                err = Math.abs(a - e) / Math.max(1.0, Math.abs(e));
                ok = err <= tol;
            }
            if (!ok) {
                bad++;
                if (firstBad < 0) {
                    firstBad = i;
                }
            }
            if (err > worst || worstAt < 0) {
                worst = err;
                worstAt = i;
            }
        }
        if (firstBad >= 0) {
            fail(what + ": " + bad + " of " + expected.length + " values differ by more than " + tol
                    + " * max(1, |expected|); first at index " + firstBad + ": expected " + expected[firstBad]
                    + " but was " + actual[firstBad] + "; largest scaled error " + worst + " at index " + worstAt
                    + " (expected " + expected[worstAt] + ", actual " + actual[worstAt] + ")");
        }
    }

    /** Shape equality, then {@link #assertClose(String, float[], float[], double)} on the values. */
    public static void assertClose(String what, Array expected, Tensor actual, double tol) {
        if (actual == null) {
            fail(what + ": expected a tensor of shape " + Arrays.toString(expected.shape()) + ", got null");
        }
        assertArrayEquals(expected.shape(), actual.shape(), () -> what + ": shape " + Arrays.toString(actual.shape())
                + " differs from the expected " + Arrays.toString(expected.shape()));
        assertClose(what, expected.data(), actual.toFloatArray(), tol);
    }
}
