package io.jkeras.layers.conv;

/**
 * Slow, obviously-correct convolutions in double over plain channels_last arrays (N, spatial..., C) with 1 to 3
 * spatial axes, written from the definitions (TensorFlow's, which Keras calls) rather than from the layers' code.
 * Spatial arrays are padded to 3 axes of size 1.
 */
final class ConvReference {
    private ConvReference() {
    }

    /** TensorFlow's geometry of one axis of a forward convolution: {output length, padding before}. */
    static long[] forward(String padding, long in, long k, long s, long d) {
        long span = (k - 1) * d + 1;
        return switch (padding) {
            case "valid" -> new long[] {Math.floorDiv(in - span + s, s), 0};
            case "same" -> {
                long out = (in + s - 1) / s;
                yield new long[] {out, Math.max((out - 1) * s + span - in, 0) / 2};
            }
            case "causal" -> new long[] {(in + s - 1) / s, span - 1};
            default -> throw new IllegalArgumentException(padding);
        };
    }

    static long[] three(long[] v, long fill) {
        long[] t = {fill, fill, fill};
        System.arraycopy(v, 0, t, 0, v.length);
        return t;
    }

    private static long prod(long[] v) {
        long p = 1;
        for (long x : v) {
            p *= x;
        }
        return p;
    }

    /** y (N, out..., o) = x (N, in..., c) * w (k..., c / groups, o) + bias, zero-padded by pb before each axis. */
    static float[] conv(float[] x, long n, long[] inSize, long c, float[] w, long[] kernel, long groups, long o,
            float[] bias, long[] stride, long[] dil, long[] padBegin, long[] outSize) {
        long[] in = three(inSize, 1), k = three(kernel, 1), s = three(stride, 1), d = three(dil, 1);
        long[] pb = three(padBegin, 0), out = three(outSize, 1);
        long cg = c / groups, og = o / groups;
        float[] y = new float[(int) (n * prod(out) * o)];
        int at = 0;
        for (long b = 0; b < n; b++) {
            for (long o0 = 0; o0 < out[0]; o0++) {
                for (long o1 = 0; o1 < out[1]; o1++) {
                    for (long o2 = 0; o2 < out[2]; o2++) {
                        for (long oc = 0; oc < o; oc++) {
                            long g = oc / og;
                            double acc = bias == null ? 0 : bias[(int) oc];
                            for (long k0 = 0; k0 < k[0]; k0++) {
                                long p0 = o0 * s[0] + k0 * d[0] - pb[0];
                                for (long k1 = 0; k1 < k[1]; k1++) {
                                    long p1 = o1 * s[1] + k1 * d[1] - pb[1];
                                    for (long k2 = 0; k2 < k[2]; k2++) {
                                        long p2 = o2 * s[2] + k2 * d[2] - pb[2];
                                        if (p0 < 0 || p0 >= in[0] || p1 < 0 || p1 >= in[1] || p2 < 0 || p2 >= in[2]) {
                                            continue;
                                        }
                                        for (long ci = 0; ci < cg; ci++) {
                                            long ic = g * cg + ci;
                                            double xv = x[(int) ((((b * in[0] + p0) * in[1] + p1) * in[2] + p2) * c + ic)];
                                            double wv = w[(int) ((((k0 * k[1] + k1) * k[2] + k2) * cg + ci) * o + oc)];
                                            acc += xv * wv;
                                        }
                                    }
                                }
                            }
                            y[at++] = (float) acc;
                        }
                    }
                }
            }
        }
        return y;
    }

    /**
     * The adjoint of {@link #conv} (groups 1), as TensorFlow's conv_transpose defines it: x (N, I..., cin) with
     * kernel w (k..., f, cin) scatters x[i] * w[k] to output position i * s + k * d - pb, inside [0, O).
     */
    static float[] convTranspose(float[] x, long n, long[] inSize, long cin, float[] w, long[] kernel, long f,
            float[] bias, long[] stride, long[] dil, long[] padBegin, long[] outSize) {
        long[] in = three(inSize, 1), k = three(kernel, 1), s = three(stride, 1), d = three(dil, 1);
        long[] pb = three(padBegin, 0), out = three(outSize, 1);
        double[] y = new double[(int) (n * prod(out) * f)];
        for (long b = 0; b < n; b++) {
            for (long i0 = 0; i0 < in[0]; i0++) {
                for (long i1 = 0; i1 < in[1]; i1++) {
                    for (long i2 = 0; i2 < in[2]; i2++) {
                        for (long k0 = 0; k0 < k[0]; k0++) {
                            long q0 = i0 * s[0] + k0 * d[0] - pb[0];
                            for (long k1 = 0; k1 < k[1]; k1++) {
                                long q1 = i1 * s[1] + k1 * d[1] - pb[1];
                                for (long k2 = 0; k2 < k[2]; k2++) {
                                    long q2 = i2 * s[2] + k2 * d[2] - pb[2];
                                    if (q0 < 0 || q0 >= out[0] || q1 < 0 || q1 >= out[1] || q2 < 0 || q2 >= out[2]) {
                                        continue;
                                    }
                                    for (long ci = 0; ci < cin; ci++) {
                                        double xv = x[(int) ((((b * in[0] + i0) * in[1] + i1) * in[2] + i2) * cin + ci)];
                                        for (long fo = 0; fo < f; fo++) {
                                            double wv = w[(int) ((((k0 * k[1] + k1) * k[2] + k2) * f + fo) * cin + ci)];
                                            y[(int) ((((b * out[0] + q0) * out[1] + q1) * out[2] + q2) * f + fo)] += xv * wv;
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        float[] r = new float[y.length];
        for (int i = 0; i < y.length; i++) {
            r[i] = (float) (y[i] + (bias == null ? 0 : bias[(int) (i % f)]));
        }
        return r;
    }

    /** Depthwise: y[..., c * dm + m] = sum_k x[pos(k), c] * w[k, c, m] + bias; w (k..., c, dm). */
    static float[] depthwise(float[] x, long n, long[] inSize, long c, float[] w, long[] kernel, long dm,
            float[] bias, long[] stride, long[] dil, long[] padBegin, long[] outSize) {
        long[] in = three(inSize, 1), k = three(kernel, 1), s = three(stride, 1), d = three(dil, 1);
        long[] pb = three(padBegin, 0), out = three(outSize, 1);
        float[] y = new float[(int) (n * prod(out) * c * dm)];
        int at = 0;
        for (long b = 0; b < n; b++) {
            for (long o0 = 0; o0 < out[0]; o0++) {
                for (long o1 = 0; o1 < out[1]; o1++) {
                    for (long o2 = 0; o2 < out[2]; o2++) {
                        for (long ch = 0; ch < c; ch++) {
                            for (long m = 0; m < dm; m++) {
                                double acc = bias == null ? 0 : bias[(int) (ch * dm + m)];
                                for (long k0 = 0; k0 < k[0]; k0++) {
                                    long p0 = o0 * s[0] + k0 * d[0] - pb[0];
                                    for (long k1 = 0; k1 < k[1]; k1++) {
                                        long p1 = o1 * s[1] + k1 * d[1] - pb[1];
                                        for (long k2 = 0; k2 < k[2]; k2++) {
                                            long p2 = o2 * s[2] + k2 * d[2] - pb[2];
                                            if (p0 < 0 || p0 >= in[0] || p1 < 0 || p1 >= in[1] || p2 < 0
                                                    || p2 >= in[2]) {
                                                continue;
                                            }
                                            acc += (double) x[(int) ((((b * in[0] + p0) * in[1] + p1) * in[2] + p2) * c + ch)]
                                                    * w[(int) ((((k0 * k[1] + k1) * k[2] + k2) * c + ch) * dm + m)];
                                        }
                                    }
                                }
                                y[at++] = (float) acc;
                            }
                        }
                    }
                }
            }
        }
        return y;
    }

    /** y (rows, f) = x (rows, cin) @ w (cin, f) + bias: a 1x1 convolution over every position. */
    static float[] pointwise(float[] x, long rows, long cin, float[] w, long f, float[] bias) {
        float[] y = new float[(int) (rows * f)];
        for (long r = 0; r < rows; r++) {
            for (long fo = 0; fo < f; fo++) {
                double acc = bias == null ? 0 : bias[(int) fo];
                for (long ci = 0; ci < cin; ci++) {
                    acc += (double) x[(int) (r * cin + ci)] * w[(int) (ci * f + fo)];
                }
                y[(int) (r * f + fo)] = (float) acc;
            }
        }
        return y;
    }
}
