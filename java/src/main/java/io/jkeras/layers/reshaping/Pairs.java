package io.jkeras.layers.reshaping;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The (before, after) amounts per spatial axis of Keras's Cropping and ZeroPadding layers, in every form Keras
 * takes: an int (the same at both ends of every axis); for one axis a pair (before, after); for n axes n ints
 * (symmetric per axis) or n pairs. Negative amounts are rejected.
 */
final class Pairs {
    private Pairs() {
    }

    static long[][] parse(String layer, String arg, Object value, int rank) {
        long[][] out = new long[rank][2];
        if (value instanceof Number n) {
            long v = integer(layer, arg, n, value);
            for (long[] p : out) {
                p[0] = v;
                p[1] = v;
            }
        } else if (value instanceof List<?> list && list.size() == (rank == 1 ? 2 : rank)
                && list.stream().allMatch(e -> e instanceof Number)) {
            for (int i = 0; i < list.size(); i++) {
                long v = integer(layer, arg, (Number) list.get(i), value);
                if (rank == 1) {
                    out[0][i] = v;
                } else {
                    out[i][0] = v;
                    out[i][1] = v;
                }
            }
        } else if (value instanceof List<?> list && list.size() == rank
                && list.stream().allMatch(e -> e instanceof List<?> l && l.size() == 2)) {
            for (int i = 0; i < rank; i++) {
                List<?> pair = (List<?>) list.get(i);
                for (int j = 0; j < 2; j++) {
                    if (!(pair.get(j) instanceof Number n)) {
                        throw bad(layer, arg, rank, value);
                    }
                    out[i][j] = integer(layer, arg, n, value);
                }
            }
        } else {
            throw bad(layer, arg, rank, value);
        }
        for (long[] p : out) {
            if (p[0] < 0 || p[1] < 0) {
                throw new IllegalArgumentException(layer + ": argument '" + arg + "' must not be negative, got "
                        + toString(out));
            }
        }
        return out;
    }

    private static long integer(String layer, String arg, Number n, Object whole) {
        double d = n.doubleValue();
        if (d != Math.rint(d)) {
            throw new IllegalArgumentException(layer + ": argument '" + arg + "' must hold integers, got " + whole);
        }
        return n.longValue();
    }

    private static IllegalArgumentException bad(String layer, String arg, int rank, Object value) {
        String forms = rank == 1 ? "an int or a tuple of 2 ints (before, after)"
                : "an int, a tuple of " + rank + " ints (symmetric per axis), or a tuple of " + rank
                        + " tuples of 2 ints ((before, after) per axis)";
        return new IllegalArgumentException(layer + ": argument '" + arg + "' must be " + forms + ", got " + value);
    }

    /** The config value Keras writes: (a, b) for one axis, ((a, b), (c, d), ...) for several. */
    static Object config(long[][] pairs) {
        if (pairs.length == 1) {
            return List.of(pairs[0][0], pairs[0][1]);
        }
        List<Object> out = new ArrayList<>();
        for (long[] p : pairs) {
            out.add(List.of(p[0], p[1]));
        }
        return out;
    }

    static String toString(long[][] pairs) {
        List<String> s = new ArrayList<>();
        for (long[] p : pairs) {
            s.add(Arrays.toString(p));
        }
        return pairs.length == 1 ? s.get(0) : s.toString();
    }
}
