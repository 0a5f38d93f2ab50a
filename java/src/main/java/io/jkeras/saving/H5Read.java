package io.jkeras.saving;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reading Keras's HDF5 files with jHDF: attributes as strings, datasets as float32 arrays, absent as null. */
final class H5Read {
    /** The HDF5 signature, at offset 0 (or 512, 1024, ... after a user block). */
    static final byte[] SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

    private H5Read() {
    }

    static boolean isHdf5(byte[] bytes) {
        for (long at = 0; at + SIGNATURE.length <= bytes.length; at = at == 0 ? 512 : at * 2) {
            boolean match = true;
            for (int i = 0; i < SIGNATURE.length && match; i++) {
                match = bytes[(int) at + i] == SIGNATURE[i];
            }
            if (match) {
                return true;
            }
        }
        return false;
    }

    /** An in-memory HDF5 file (no memory mapping, so a file truncated under us cannot fault). */
    static HdfFile open(byte[] bytes) {
        return HdfFile.fromByteBuffer(ByteBuffer.wrap(bytes));
    }

    /** The child of a group, or null if it has none of that name. */
    static Node child(Group g, String name) {
        if (g == null) {
            return null;
        }
        if (!g.getChildren().containsKey(name)) {
            return null;
        }
        return g.getChild(name);
    }

    /** A group at a relative path (a/b/c), or null. */
    static Group group(Group g, String path) {
        Node n = node(g, path);
        return n instanceof Group grp ? grp : null;
    }

    /** The node at a relative path, or null. */
    static Node node(Group g, String path) {
        Node n = g;
        for (String part : path.split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            if (!(n instanceof Group grp)) {
                return null;
            }
            n = child(grp, part);
            if (n == null) {
                return null;
            }
        }
        return n;
    }

    static boolean hasAttribute(Node n, String name) {
        return n != null && n.getAttributes().containsKey(name);
    }

    /** A string attribute (variable or fixed length, scalar or one-element array), or null if absent. */
    static String string(Node n, String name) {
        if (!hasAttribute(n, name)) {
            return null;
        }
        Attribute a = n.getAttribute(name);
        Object data = a.getData();
        if (data instanceof String s) {
            return s;
        }
        if (data instanceof byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        }
        if (data != null && data.getClass().isArray() && Array.getLength(data) == 1) {
            return String.valueOf(Array.get(data, 0));
        }
        throw new IllegalArgumentException("attribute '" + name + "' of " + n.getPath() + " is not a string");
    }

    /**
     * A list-of-strings attribute (layer_names, weight_names); Keras splits long lists into name0, name1, ...
     * An absent attribute or an empty array is an empty list.
     */
    static List<String> strings(Node n, String name) {
        List<String> out = new ArrayList<>();
        if (hasAttribute(n, name)) {
            addStrings(n, name, out);
            return out;
        }
        for (int chunk = 0; hasAttribute(n, name + chunk); chunk++) {
            addStrings(n, name + chunk, out);
        }
        return out;
    }

    private static void addStrings(Node n, String name, List<String> out) {
        Attribute a = n.getAttribute(name);
        if (a.isEmpty() || a.getSize() == 0) {
            return;  // h5py writes an empty list as an empty float64 array
        }
        Object data = a.getData();
        if (data instanceof String s) {
            out.add(s);
            return;
        }
        if (data == null || !data.getClass().isArray()) {
            throw new IllegalArgumentException("attribute '" + name + "' of " + n.getPath()
                    + " is not a list of strings");
        }
        int len = Array.getLength(data);
        for (int i = 0; i < len; i++) {
            Object v = Array.get(data, i);
            if (v instanceof String s) {
                out.add(s);
            } else if (v instanceof byte[] b) {
                out.add(new String(b, StandardCharsets.UTF_8));
            } else {
                throw new IllegalArgumentException("attribute '" + name + "' of " + n.getPath()
                        + " holds " + v + ", not a string");
            }
        }
    }

    /** A dataset's number of elements, from its dataspace alone (no data is read). */
    static long elements(Dataset d) {
        long n = 1;
        for (int dim : d.getDimensions()) {
            if (dim < 0) {
                throw new IllegalArgumentException("dataset " + d.getPath() + " has a negative dimension");
            }
            n = Math.multiplyExact(n, (long) dim);
        }
        return n;
    }

    static String shape(Dataset d) {
        int[] dims = d.getDimensions();
        long[] s = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
            s[i] = dims[i];
        }
        return WeightArray.shapeString(s);
    }

    /** A numeric dataset as float32 values. */
    static WeightArray array(Dataset d, String name) {
        int[] dims = d.getDimensions();
        long[] shape = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
            shape[i] = dims[i];
        }
        long n = WeightArray.size(shape);
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("dataset " + name + " of shape " + WeightArray.shapeString(shape)
                    + " is too large");
        }
        if (n == 0) {
            return new WeightArray(name, new float[0], shape);
        }
        Object flat = dims.length == 0 ? d.getData() : d.getDataFlat();
        float[] v = new float[(int) n];
        if (flat instanceof float[] f) {
            if (f.length != n) {
                throw new IllegalArgumentException("dataset " + name + " holds " + f.length + " values for shape "
                        + WeightArray.shapeString(shape));
            }
            return new WeightArray(name, f, shape);
        } else if (flat instanceof double[] dd) {
            check(dd.length, n, name);
            for (int i = 0; i < n; i++) {
                v[i] = (float) dd[i];
            }
        } else if (flat instanceof Number num) {
            v[0] = num.floatValue();
        } else if (flat != null && flat.getClass().isArray() && flat.getClass().getComponentType().isPrimitive()
                && flat.getClass().getComponentType() != boolean.class
                && flat.getClass().getComponentType() != char.class) {
            check(Array.getLength(flat), n, name);
            for (int i = 0; i < n; i++) {
                v[i] = ((Number) Array.get(flat, i)).floatValue();
            }
        } else {
            throw new IllegalArgumentException("dataset " + name + " is not numeric (its type is "
                    + d.getJavaType().getSimpleName() + ")");
        }
        return new WeightArray(name, v, shape);
    }

    private static void check(int got, long n, String name) {
        if (got != n) {
            throw new IllegalArgumentException("dataset " + name + " holds " + got + " values, its shape needs " + n);
        }
    }
}
