package io.jkeras.saving;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writing HDF5 with jHDF's writer: groups by path, string and string-list attributes, float32 datasets. jHDF
 * (0.9) keeps each attribute in its object header, so one attribute holds at most about 64 KB: string lists are
 * split into name0, name1, ... as Keras does, a longer single string is refused with a clear message; and it
 * cannot write an empty attribute, so empty lists are left out (Keras reads a missing weight_names as empty).
 */
final class H5Write implements AutoCloseable {
    /** Bytes one attribute may hold (jHDF's object header messages are limited to 64 KB with their headers). */
    static final int ATTRIBUTE_LIMIT = 60_000;

    /** The root's own marker dataset, written last (see {@link #close}). */
    static final String MARKER = "_jkeras";

    private final Path file;
    private final WritableHdfFile h5;
    private final Map<String, WritableGroup> groups = new HashMap<>();
    /** The root's children in the order they were made (jHDF writes them in its hash map's order). */
    private final List<String> rootChildren = new ArrayList<>();

    H5Write(Path file) {
        this.file = file;
        this.h5 = HdfFile.write(file);
        groups.put("", h5);
    }

    /** The group at a path (a/b/c), made with its parents when missing. */
    WritableGroup group(String path) {
        String p = trim(path);
        WritableGroup g = groups.get(p);
        if (g != null) {
            return g;
        }
        int slash = p.lastIndexOf('/');
        WritableGroup parent = group(slash < 0 ? "" : p.substring(0, slash));
        g = parent.putGroup(p.substring(slash + 1));
        if (slash < 0) {
            rootChildren.add(p);
        }
        groups.put(p, g);
        return g;
    }

    private static String trim(String path) {
        String p = path;
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    void putString(String groupPath, String name, String value) {
        int bytes = value.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > ATTRIBUTE_LIMIT) {
            throw new KerasFileException(file, "attribute '" + name + "' is " + bytes + " bytes; the HDF5 writer "
                    + "(jHDF) stores at most " + ATTRIBUTE_LIMIT + " bytes in one attribute. Save this model as "
                    + ".keras instead.");
        }
        group(groupPath).putAttribute(name, value);
    }

    /** A list of strings, split in chunks name0, name1, ... when too long for one attribute (as Keras does). */
    void putStrings(String groupPath, String name, List<String> values) {
        if (values.isEmpty()) {
            return;
        }
        int width = 1;
        for (String v : values) {
            width = Math.max(width, v.getBytes(StandardCharsets.UTF_8).length + 1);
        }
        if (width > ATTRIBUTE_LIMIT) {
            throw new KerasFileException(file, "attribute '" + name + "' has a name of " + width + " bytes");
        }
        int perChunk = Math.max(1, ATTRIBUTE_LIMIT / width);
        WritableGroup g = group(groupPath);
        if (values.size() <= perChunk) {
            g.putAttribute(name, values.toArray(new String[0]));
            return;
        }
        int chunks = (values.size() + perChunk - 1) / perChunk;
        int size = (values.size() + chunks - 1) / chunks;
        for (int c = 0; c * size < values.size(); c++) {
            List<String> part = new ArrayList<>(values.subList(c * size, Math.min(values.size(), (c + 1) * size)));
            g.putAttribute(name + c, part.toArray(new String[0]));
        }
    }

    /** A float32 dataset of the given shape at groupPath/name. */
    void putFloats(String groupPath, String name, float[] data, long[] shape) {
        for (long d : shape) {
            if (d == 0) {
                throw new KerasFileException(file, "dataset " + groupPath + "/" + name + " has an empty shape "
                        + WeightArray.shapeString(shape) + ", which the HDF5 writer (jHDF) cannot store");
            }
        }
        if (trim(groupPath).isEmpty()) {
            rootChildren.add(name);
        }
        group(groupPath).putDataset(name, nested(data, shape));
    }

    /** Row-major data as a Java multi-dimensional float array (a Float for a scalar). */
    static Object nested(float[] data, long[] shape) {
        if (shape.length == 0) {
            return data[0];
        }
        int[] dims = new int[shape.length];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = Math.toIntExact(shape[i]);
        }
        Object arr = Array.newInstance(float.class, dims);
        fill(arr, dims, 0, data, new int[] {0});
        return arr;
    }

    private static void fill(Object arr, int[] dims, int level, float[] data, int[] pos) {
        if (level == dims.length - 1) {
            float[] row = (float[]) arr;
            System.arraycopy(data, pos[0], row, 0, row.length);
            pos[0] += row.length;
            return;
        }
        for (int i = 0; i < dims[level]; i++) {
            fill(Array.get(arr, i), dims, level + 1, data, pos);
        }
    }

    /**
     * jHDF 0.9.4 writes its "_jHDF" note at the file channel's position after the last dataset's data, over any
     * group header written after that dataset (an empty group last in its traversal order is lost). So the last
     * object written must be a dataset: a one-value marker at the root, named so that it is the root's last child
     * in jHDF's traversal (a ConcurrentHashMap's iteration order, predicted with one of the same insertions).
     * Keras reads its files by name and ignores it.
     */
    @Override
    public void close() {
        String name = MARKER;
        for (int k = 1; !isLast(name); k++) {
            name = MARKER + k;
        }
        h5.putDataset(name, new int[] {1});
        h5.close();
    }

    private boolean isLast(String candidate) {
        if (rootChildren.contains(candidate)) {
            return false;
        }
        java.util.concurrent.ConcurrentHashMap<String, Boolean> sim = new java.util.concurrent.ConcurrentHashMap<>();
        for (String c : rootChildren) {
            sim.put(c, true);
        }
        sim.put(candidate, true);
        String last = null;
        for (String k : sim.keySet()) {
            last = k;
        }
        return candidate.equals(last);
    }
}
