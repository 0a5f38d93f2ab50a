package io.jkeras.layers.merge;

import io.jkeras.layers.Layer;
import io.jkeras.layers.Weight;
import io.jkeras.ops.GradientTape;
import io.jkeras.ops.Ops;
import io.jkeras.tensor.Scope;
import io.jkeras.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.opentest4j.AssertionFailedError;

/**
 * Central finite differences against the tape for layers with several inputs, masks and a training flag (as
 * io.jkeras.testing.LayerGradientCheck does for one input in inference): L = sum_k sum(y_k * r_k) with fixed
 * random r_k, summed in double; float32 steps of 1e-2; tolerance 1e-3 absolute + 2e-2 relative. Every trainable
 * weight is checked; non-trainable ones (moving statistics) are not perturbed.
 */
public final class GradientChecks {
    public static final double ATOL = 1e-3;
    public static final double RTOL = 2e-2;
    public static final float EPS = 1e-2f;

    private GradientChecks() {
    }

    public static void check(String name, Layer layer, List<float[]> xs, List<long[]> shapes, List<Tensor> masks,
            boolean training, int maxPerSource) {
        List<Weight> weights = new ArrayList<>();
        for (Weight w : layer.weightVariables()) {
            if (w.trainable()) {
                weights.add(w);
            }
        }
        List<float[]> r = new ArrayList<>();
        try (Scope s = Scope.open()) {
            List<Tensor> ys = layer.invoke(tensors(xs, shapes), masks, training).tensors();
            Random rnd = new Random(name.hashCode() * 31L + 7);
            for (Tensor y : ys) {
                float[] v = new float[Math.toIntExact(y.size())];
                for (int i = 0; i < v.length; i++) {
                    v[i] = 2f * rnd.nextFloat() - 1f;
                }
                r.add(v);
            }
        }
        List<float[]> analytic = new ArrayList<>();
        List<float[]> values = new ArrayList<>();
        List<long[]> srcShapes = new ArrayList<>();
        List<String> names = new ArrayList<>();
        try (Scope s = Scope.open(); GradientTape tape = new GradientTape()) {
            List<Tensor> sources = new ArrayList<>(tensors(xs, shapes));
            for (int i = 0; i < xs.size(); i++) {
                names.add("input " + i);
            }
            for (Weight w : weights) {
                sources.add(w.value());
                names.add(w.name());
            }
            tape.watch(sources);
            List<Tensor> ys = layer.invoke(sources.subList(0, xs.size()), masks, training).tensors();
            Tensor loss = null;
            for (int k = 0; k < ys.size(); k++) {
                Tensor t = Ops.sum(Ops.mul(ys.get(k), Tensor.of(r.get(k), ys.get(k).shape())));
                loss = loss == null ? t : Ops.add(loss, t);
            }
            List<Tensor> grads = tape.gradient(loss, sources);
            for (int i = 0; i < sources.size(); i++) {
                if (grads.get(i) == null) {
                    throw new AssertionFailedError(name + ": no gradient reached " + names.get(i));
                }
                if (!Arrays.equals(grads.get(i).shape(), sources.get(i).shape())) {
                    throw new AssertionFailedError(name + ": gradient of " + names.get(i) + " has shape "
                            + grads.get(i).getShape() + ", expected " + sources.get(i).getShape());
                }
                analytic.add(grads.get(i).toFloatArray());
                values.add(sources.get(i).toFloatArray());
                srcShapes.add(sources.get(i).shape());
            }
        }
        StringBuilder errors = new StringBuilder();
        int bad = 0;
        for (int i = 0; i < values.size(); i++) {
            float[] base = values.get(i);
            int step = Math.max(1, base.length / Math.max(1, maxPerSource));
            for (int j = (i * 7) % step; j < base.length; j += step) {
                float[] plus = base.clone();
                float[] minus = base.clone();
                plus[j] = base[j] + EPS;
                minus[j] = base[j] - EPS;
                double lp = loss(layer, xs, shapes, masks, training, weights, i, plus, srcShapes.get(i), r);
                double lm = loss(layer, xs, shapes, masks, training, weights, i, minus, srcShapes.get(i), r);
                if (i >= xs.size()) {
                    try (Scope s = Scope.open()) {
                        weights.get(i - xs.size()).assign(Tensor.of(base, srcShapes.get(i)));
                    }
                }
                double numeric = (lp - lm) / ((double) plus[j] - (double) minus[j]);
                double a = analytic.get(i)[j];
                if (!(Math.abs(a - numeric) <= ATOL + RTOL * Math.abs(numeric))) {
                    if (bad++ < 8) {
                        errors.append(String.format("%n  %s index %d: numeric %.6g, analytic %.6g", names.get(i), j,
                                numeric, a));
                    }
                }
            }
        }
        if (bad > 0) {
            throw new AssertionFailedError(name + ": " + bad + " gradient elements differ from central differences"
                    + " (atol " + ATOL + ", rtol " + RTOL + ", eps " + EPS + "):" + errors);
        }
    }

    private static List<Tensor> tensors(List<float[]> xs, List<long[]> shapes) {
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < xs.size(); i++) {
            out.add(Tensor.of(xs.get(i), shapes.get(i)));
        }
        return out;
    }

    private static double loss(Layer layer, List<float[]> xs, List<long[]> shapes, List<Tensor> masks,
            boolean training, List<Weight> weights, int which, float[] data, long[] shape, List<float[]> r) {
        try (Scope s = Scope.open()) {
            List<float[]> in = new ArrayList<>(xs);
            if (which < xs.size()) {
                in.set(which, data);
            } else {
                weights.get(which - xs.size()).assign(Tensor.of(data, shape));
            }
            List<Tensor> ys = layer.invoke(tensors(in, shapes), masks, training).tensors();
            double l = 0;
            for (int k = 0; k < ys.size(); k++) {
                float[] y = ys.get(k).toFloatArray();
                for (int q = 0; q < y.length; q++) {
                    l += (double) y[q] * r.get(k)[q];
                }
            }
            return l;
        }
    }

    /** Uniform values in [lo, hi), seeded. */
    public static float[] uniform(long seed, int n, double lo, double hi) {
        Random rnd = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (lo + (hi - lo) * rnd.nextDouble());
        }
        return v;
    }

    public static int size(long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return Math.toIntExact(n);
    }
}
