package io.jkeras.saving;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Typed reads of a Keras config map with errors that name the owner and the key. Numbers are accepted in
 * any JSON form (JavaScript writes 1.0 as 1); unknown keys are reported by {@link #checkKnown}.
 */
public final class ConfigMap {
    private final String owner;
    private final Map<String, Object> map;

    public ConfigMap(String owner, Map<String, Object> map) {
        this.owner = owner;
        this.map = map == null ? Map.of() : map;
    }

    public Map<String, Object> raw() {
        return map;
    }

    public boolean has(String key) {
        return map.containsKey(key) && map.get(key) != null;
    }

    public Object get(String key) {
        return map.get(key);
    }

    private IllegalArgumentException bad(String key, String expected) {
        return new IllegalArgumentException(owner + ": argument '" + key + "' must be " + expected + ", got "
                + map.get(key));
    }

    public String getString(String key, String dflt) {
        Object v = map.get(key);
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof String s)) {
            throw bad(key, "a string");
        }
        return s;
    }

    public boolean getBoolean(String key, boolean dflt) {
        Object v = map.get(key);
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof Boolean b)) {
            throw bad(key, "a boolean");
        }
        return b;
    }

    public double getDouble(String key, double dflt) {
        Object v = map.get(key);
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof Number n)) {
            throw bad(key, "a number");
        }
        return n.doubleValue();
    }

    /** A number or null (absent or JSON null). */
    public Double getNullableDouble(String key) {
        Object v = map.get(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Number n)) {
            throw bad(key, "a number or null");
        }
        return n.doubleValue();
    }

    public long getLong(String key, long dflt) {
        Object v = map.get(key);
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
            throw bad(key, "an integer");
        }
        return n.longValue();
    }

    public int getInt(String key, int dflt) {
        return Math.toIntExact(getLong(key, dflt));
    }

    public Long getNullableLong(String key) {
        return has(key) ? getLong(key, 0) : null;
    }

    /** An integer list (or a single integer, repeated n times when n > 0); null stays null, unknown dims -1. */
    public long[] getLongs(String key, int n) {
        Object v = map.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof Number num) {
            if (num.doubleValue() != Math.rint(num.doubleValue())) {
                throw bad(key, "an integer or a list of integers");
            }
            if (n <= 0) {
                return new long[] {num.longValue()};
            }
            long[] out = new long[n];
            java.util.Arrays.fill(out, num.longValue());
            return out;
        }
        if (!(v instanceof List<?> list)) {
            throw bad(key, "a list of integers");
        }
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            Object e = list.get(i);
            if (e == null) {
                out[i] = -1;
            } else if (e instanceof Number num && num.doubleValue() == Math.rint(num.doubleValue())) {
                out[i] = num.longValue();
            } else {
                throw bad(key, "a list of integers");
            }
        }
        if (n > 0 && out.length != n) {
            throw bad(key, "an integer or a list of " + n + " integers");
        }
        return out;
    }

    /**
     * Sizes (kernel_size, strides, ...): {@link #getLongs} where every entry must be positive, dflt where the key is
     * absent (a null dflt makes the key required).
     */
    public long[] getPositiveLongs(String key, int n, long[] dflt) {
        long[] v = has(key) ? getLongs(key, n) : dflt;
        if (v == null) {
            throw new IllegalArgumentException(owner + ": argument '" + key + "' is required");
        }
        for (long x : v) {
            if (x <= 0) {
                throw new IllegalArgumentException(owner + ": argument '" + key + "' must hold positive integers, got "
                        + java.util.Arrays.toString(v));
            }
        }
        return v;
    }

    public int[] getInts(String key, int n) {
        long[] l = getLongs(key, n);
        if (l == null) {
            return null;
        }
        int[] out = new int[l.length];
        for (int i = 0; i < l.length; i++) {
            out[i] = Math.toIntExact(l[i]);
        }
        return out;
    }

    /** Fails on keys outside known: a config Keras would not accept. */
    public void checkKnown(Set<String> known) {
        List<String> unknown = new ArrayList<>();
        for (String k : map.keySet()) {
            if (!known.contains(k)) {
                unknown.add(k);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(owner + ": unknown argument(s) " + unknown + " (known: " + known + ")");
        }
    }

    /** An integer list as configs hold it (kernel_size, strides, ...). */
    public static List<Long> list(long[] v) {
        return java.util.Arrays.stream(v).boxed().toList();
    }

    /** {"class_name": name, "config": config}, Keras's serialized form of an object. */
    public static Map<String, Object> serialized(String className, Map<String, Object> config) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("class_name", className);
        m.put("config", config);
        return m;
    }
}
