package io.jkeras.testing;

/**
 * Slow, obviously-correct loops for pooling, bilinear resizing, zero padding, cropping and nearest up-sampling,
 * over flat row-major arrays in either data format: the references of the pooling and reshaping tests. Every
 * index goes through {@link Image#at}; nothing here is shared with the code under test.
 */
public final class PoolingReference {
    private PoolingReference() {
    }

    /** A (batch, channels, spatial...) image in channels_first or channels_last layout. */
    public record Image(long batch, long channels, long[] size, boolean channelsFirst) {
        public long[] shape() {
            int r = size.length;
            long[] s = new long[r + 2];
            s[0] = batch;
            if (channelsFirst) {
                s[1] = channels;
                System.arraycopy(size, 0, s, 2, r);
            } else {
                System.arraycopy(size, 0, s, 1, r);
                s[r + 1] = channels;
            }
            return s;
        }

        public int elements() {
            long n = batch * channels;
            for (long v : size) {
                n *= v;
            }
            return Math.toIntExact(n);
        }

        /** Flat index of (n, c, pos). */
        public int at(long n, long c, long[] pos) {
            long[] s = shape();
            long[] idx = new long[s.length];
            idx[0] = n;
            if (channelsFirst) {
                idx[1] = c;
                System.arraycopy(pos, 0, idx, 2, pos.length);
            } else {
                System.arraycopy(pos, 0, idx, 1, pos.length);
                idx[s.length - 1] = c;
            }
            long flat = 0;
            for (int i = 0; i < s.length; i++) {
                flat = flat * s[i] + idx[i];
            }
            return Math.toIntExact(flat);
        }

        public Image withSize(long[] newSize) {
            return new Image(batch, channels, newSize, channelsFirst);
        }
    }

    /** Every position of a box of the given sizes, in row-major order. */
    public static long[][] positions(long[] size) {
        int total = 1;
        for (long v : size) {
            total *= (int) v;
        }
        long[][] out = new long[total][size.length];
        for (int t = 0; t < total; t++) {
            int rem = t;
            for (int i = size.length - 1; i >= 0; i--) {
                out[t][i] = rem % size[i];
                rem /= (int) size[i];
            }
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------ pooling

    /** Keras's pooled length: valid ceil((in - k + 1) / s), same ceil(in / s). */
    public static long outLength(long in, long k, long s, boolean same) {
        long n = same ? in : in - k + 1;
        return (n + s - 1) / s;
    }

    /** Padding before the first element: TensorFlow puts the smaller half of the total in front. */
    public static long padBefore(long in, long k, long s, boolean same) {
        if (!same) {
            return 0;
        }
        long out = outLength(in, k, s, true);
        return Math.max((out - 1) * s + k - in, 0) / 2;
    }

    /** A pooling geometry over an input image. */
    public record Pool(Image in, long[] k, long[] s, boolean same, boolean max) {
        public Image out() {
            long[] o = new long[k.length];
            for (int i = 0; i < k.length; i++) {
                o[i] = outLength(in.size()[i], k[i], s[i], same);
            }
            return in.withSize(o);
        }

        /** Flat input indices of the window of output position opos, in (d, h, w) order, padding left out. */
        int[] window(long n, long c, long[] opos) {
            long[][] ks = positions(k);
            int[] tmp = new int[ks.length];
            int m = 0;
            for (long[] kp : ks) {
                long[] ip = new long[k.length];
                boolean inside = true;
                for (int i = 0; i < k.length; i++) {
                    ip[i] = opos[i] * s[i] - padBefore(in.size()[i], k[i], s[i], same) + kp[i];
                    inside &= ip[i] >= 0 && ip[i] < in.size()[i];
                }
                if (inside) {
                    tmp[m++] = in.at(n, c, ip);
                }
            }
            return java.util.Arrays.copyOf(tmp, m);
        }
    }

    public static float[] poolForward(Pool p, float[] x) {
        Image out = p.out();
        float[] y = new float[out.elements()];
        for (long n = 0; n < out.batch(); n++) {
            for (long c = 0; c < out.channels(); c++) {
                for (long[] op : positions(out.size())) {
                    int[] w = p.window(n, c, op);
                    double acc = p.max() ? Double.NEGATIVE_INFINITY : 0;
                    for (int i : w) {
                        acc = p.max() ? Math.max(acc, x[i]) : acc + x[i];
                    }
                    y[out.at(n, c, op)] = (float) (p.max() ? acc : acc / w.length);
                }
            }
        }
        return y;
    }

    /** Max: each output's gradient to the first maximal element of its window; average: shared by the window. */
    public static float[] poolBackward(Pool p, float[] x, float[] dy) {
        Image out = p.out();
        double[] dx = new double[p.in().elements()];
        for (long n = 0; n < out.batch(); n++) {
            for (long c = 0; c < out.channels(); c++) {
                for (long[] op : positions(out.size())) {
                    int[] w = p.window(n, c, op);
                    double g = dy[out.at(n, c, op)];
                    if (p.max()) {
                        int best = w[0];
                        for (int i : w) {
                            if (x[i] > x[best]) {
                                best = i;
                            }
                        }
                        dx[best] += g;
                    } else {
                        for (int i : w) {
                            dx[i] += g / w.length;
                        }
                    }
                }
            }
        }
        return toFloat(dx);
    }

    // ----------------------------------------------------------------------------------------------- resizing

    /** Where output index o samples an input axis: TF 2's half-pixel centres or TF 1's o * in / out. */
    static double source(long o, long in, long out, boolean halfPixel) {
        double scale = (double) in / out;
        return halfPixel ? (o + 0.5) * scale - 0.5 : o * scale;
    }

    /** The two taps and weights of output index o along an axis: {lower, upper} and {weight lower, weight upper}. */
    static long[] taps(long o, long in, long out, boolean halfPixel, double[] weights) {
        double at = source(o, in, out, halfPixel);
        double f = Math.floor(at);
        long lower = Math.max((long) f, 0);
        long upper = Math.min((long) Math.ceil(at), in - 1);
        weights[0] = 1 - (at - f);
        weights[1] = at - f;
        return new long[] {lower, upper};
    }

    public static float[] resizeBilinear(Image in, long outH, long outW, boolean halfPixel, float[] x) {
        Image out = in.withSize(new long[] {outH, outW});
        float[] y = new float[out.elements()];
        double[] wy = new double[2];
        double[] wx = new double[2];
        for (long n = 0; n < in.batch(); n++) {
            for (long c = 0; c < in.channels(); c++) {
                for (long[] op : positions(out.size())) {
                    long[] ty = taps(op[0], in.size()[0], outH, halfPixel, wy);
                    long[] tx = taps(op[1], in.size()[1], outW, halfPixel, wx);
                    double v = 0;
                    for (int a = 0; a < 2; a++) {
                        for (int b = 0; b < 2; b++) {
                            v += wy[a] * wx[b] * x[in.at(n, c, new long[] {ty[a], tx[b]})];
                        }
                    }
                    y[out.at(n, c, op)] = (float) v;
                }
            }
        }
        return y;
    }

    /** The adjoint of {@link #resizeBilinear}: each output gradient spread over its four taps. */
    public static float[] resizeBilinearBackward(Image in, long outH, long outW, boolean halfPixel, float[] dy) {
        Image out = in.withSize(new long[] {outH, outW});
        double[] dx = new double[in.elements()];
        double[] wy = new double[2];
        double[] wx = new double[2];
        for (long n = 0; n < in.batch(); n++) {
            for (long c = 0; c < in.channels(); c++) {
                for (long[] op : positions(out.size())) {
                    long[] ty = taps(op[0], in.size()[0], outH, halfPixel, wy);
                    long[] tx = taps(op[1], in.size()[1], outW, halfPixel, wx);
                    double g = dy[out.at(n, c, op)];
                    for (int a = 0; a < 2; a++) {
                        for (int b = 0; b < 2; b++) {
                            dx[in.at(n, c, new long[] {ty[a], tx[b]})] += wy[a] * wx[b] * g;
                        }
                    }
                }
            }
        }
        return toFloat(dx);
    }

    // ------------------------------------------------------------------------------ padding, cropping, repeats

    /** Zero padding of the spatial axes: pads[i] = {before, after}. */
    public static float[] pad(Image in, long[][] pads, float[] x) {
        long[] size = new long[pads.length];
        for (int i = 0; i < size.length; i++) {
            size[i] = in.size()[i] + pads[i][0] + pads[i][1];
        }
        Image out = in.withSize(size);
        float[] y = new float[out.elements()];
        for (long n = 0; n < in.batch(); n++) {
            for (long c = 0; c < in.channels(); c++) {
                for (long[] ip : positions(in.size())) {
                    long[] op = ip.clone();
                    for (int i = 0; i < op.length; i++) {
                        op[i] += pads[i][0];
                    }
                    y[out.at(n, c, op)] = x[in.at(n, c, ip)];
                }
            }
        }
        return y;
    }

    /** Cropping of the spatial axes: crops[i] = {before, after}. */
    public static float[] crop(Image in, long[][] crops, float[] x) {
        long[] size = new long[crops.length];
        for (int i = 0; i < size.length; i++) {
            size[i] = in.size()[i] - crops[i][0] - crops[i][1];
        }
        Image out = in.withSize(size);
        float[] y = new float[out.elements()];
        for (long n = 0; n < in.batch(); n++) {
            for (long c = 0; c < in.channels(); c++) {
                for (long[] op : positions(size)) {
                    long[] ip = op.clone();
                    for (int i = 0; i < ip.length; i++) {
                        ip[i] += crops[i][0];
                    }
                    y[out.at(n, c, op)] = x[in.at(n, c, ip)];
                }
            }
        }
        return y;
    }

    /** Nearest up-sampling: output position p reads input position p / factor on every spatial axis. */
    public static float[] upsampleNearest(Image in, long[] factors, float[] x) {
        long[] size = new long[factors.length];
        for (int i = 0; i < size.length; i++) {
            size[i] = in.size()[i] * factors[i];
        }
        Image out = in.withSize(size);
        float[] y = new float[out.elements()];
        for (long n = 0; n < in.batch(); n++) {
            for (long c = 0; c < in.channels(); c++) {
                for (long[] op : positions(size)) {
                    long[] ip = op.clone();
                    for (int i = 0; i < ip.length; i++) {
                        ip[i] /= factors[i];
                    }
                    y[out.at(n, c, op)] = x[in.at(n, c, ip)];
                }
            }
        }
        return y;
    }

    /** The gradient of nearest up-sampling: each input sums the gradients of its copies. */
    public static float[] upsampleNearestBackward(Image in, long[] factors, float[] dy) {
        long[] size = new long[factors.length];
        for (int i = 0; i < size.length; i++) {
            size[i] = in.size()[i] * factors[i];
        }
        Image out = in.withSize(size);
        double[] dx = new double[in.elements()];
        for (long n = 0; n < in.batch(); n++) {
            for (long c = 0; c < in.channels(); c++) {
                for (long[] op : positions(size)) {
                    long[] ip = op.clone();
                    for (int i = 0; i < ip.length; i++) {
                        ip[i] /= factors[i];
                    }
                    dx[in.at(n, c, ip)] += dy[out.at(n, c, op)];
                }
            }
        }
        return toFloat(dx);
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
