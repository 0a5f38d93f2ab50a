package io.jkeras.testing;

import java.util.Random;

/** Plain-array helpers for layer tests: channels_last / channels_first conversions and random data. */
public final class Layouts {
    private Layouts() {
    }

    public static int size(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return Math.toIntExact(n);
    }

    /** (N, spatial..., C) to (N, C, spatial...). */
    public static float[] toChannelsFirst(float[] x, long[] lastShape) {
        int rank = lastShape.length;
        int n = (int) lastShape[0];
        int c = (int) lastShape[rank - 1];
        int inner = size(lastShape) / (n * c);
        float[] out = new float[x.length];
        for (int b = 0; b < n; b++) {
            for (int s = 0; s < inner; s++) {
                for (int k = 0; k < c; k++) {
                    out[(b * c + k) * inner + s] = x[(b * inner + s) * c + k];
                }
            }
        }
        return out;
    }

    /** (N, C, spatial...) to (N, spatial..., C). */
    public static float[] toChannelsLast(float[] x, long[] firstShape) {
        int n = (int) firstShape[0];
        int c = (int) firstShape[1];
        int inner = size(firstShape) / (n * c);
        float[] out = new float[x.length];
        for (int b = 0; b < n; b++) {
            for (int k = 0; k < c; k++) {
                for (int s = 0; s < inner; s++) {
                    out[(b * inner + s) * c + k] = x[(b * c + k) * inner + s];
                }
            }
        }
        return out;
    }

    /** (N, spatial..., C) to (N, C, spatial...) as a shape. */
    public static long[] firstShape(long[] lastShape) {
        int rank = lastShape.length;
        long[] s = new long[rank];
        s[0] = lastShape[0];
        s[1] = lastShape[rank - 1];
        System.arraycopy(lastShape, 1, s, 2, rank - 2);
        return s;
    }

    public static float[] uniform(Random rnd, long[] shape, float lo, float hi) {
        float[] d = new float[size(shape)];
        for (int i = 0; i < d.length; i++) {
            d[i] = lo + (hi - lo) * rnd.nextFloat();
        }
        return d;
    }
}
