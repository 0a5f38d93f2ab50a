package io.jkeras.ops;

import java.util.Arrays;

/** NumPy broadcasting of shapes, and the strides that read a tensor as if broadcast. */
final class Broadcast {
    private Broadcast() {
    }

    static long[] shape(String op, long[] a, long[] b) {
        int rank = Math.max(a.length, b.length);
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            long da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            long db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": shapes " + Arrays.toString(a) + " and "
                        + Arrays.toString(b) + " cannot be broadcast together (dimension " + i + ": " + da + " vs "
                        + db + ")");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** Row-major strides of shape. */
    static long[] strides(long[] shape) {
        long[] s = new long[shape.length];
        long acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    /** Strides reading a tensor of shape {@code in} as one of shape {@code out}: 0 on broadcast dimensions. */
    static long[] stridesFor(long[] in, long[] out) {
        long[] own = strides(in);
        long[] s = new long[out.length];
        int lead = out.length - in.length;
        for (int i = 0; i < out.length; i++) {
            if (i < lead || in[i - lead] == 1 && out[i] != 1) {
                s[i] = 0;
            } else {
                s[i] = own[i - lead];
            }
        }
        return s;
    }
}
