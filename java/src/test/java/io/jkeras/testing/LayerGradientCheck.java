package io.jkeras.testing;

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
 * Central finite differences against the tape's gradients of a built layer, for its input and every weight. The
 * scalar is L = sum(layer(x) * r) with r fixed and random, summed in double; the backend is float32, so the step
 * is eps ~ 1e-2 (divided by the step actually taken after rounding) and the tolerance 1e-3 absolute + 2e-2
 * relative (the ops' gradient checks use the same). Layers that are linear in each source (convolutions with a
 * linear activation) make the central difference exact up to rounding. At most {@code maxPerSource} elements of
 * each source are perturbed (spread over the whole tensor).
 */
public final class LayerGradientCheck {
    public static final double ATOL = 1e-3;
    public static final double RTOL = 2e-2;
    public static final float EPS = 1e-2f;

    private LayerGradientCheck() {
    }

    /** Throws AssertionFailedError naming the source and elements whose gradient differs. */
    public static void check(String name, Layer layer, float[] x, long[] xShape, int maxPerSource) {
        List<Weight> weights = layer.weightVariables();
        float[] r;
        try (Scope s = Scope.open()) {
            Tensor y = layer.apply(Tensor.of(x, xShape));
            Random rnd = new Random(name.hashCode() * 31L + 7);
            r = new float[Math.toIntExact(y.size())];
            for (int i = 0; i < r.length; i++) {
                r[i] = 2f * rnd.nextFloat() - 1f;
            }
        }
        List<float[]> analytic = new ArrayList<>();
        List<float[]> values = new ArrayList<>();
        List<long[]> shapes = new ArrayList<>();
        List<String> names = new ArrayList<>();
        try (Scope s = Scope.open(); GradientTape tape = new GradientTape()) {
            List<Tensor> sources = new ArrayList<>();
            sources.add(Tensor.of(x, xShape));
            names.add("input");
            for (Weight w : weights) {
                sources.add(w.value());
                names.add(w.name());
            }
            tape.watch(sources);
            Tensor y = layer.invoke(List.of(sources.get(0)), null, false).tensors().get(0);
            Tensor loss = Ops.sum(Ops.mul(y, Tensor.of(r, y.shape())));
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
                shapes.add(sources.get(i).shape());
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
                double lp = loss(layer, x, xShape, i, plus, shapes.get(i), r);
                double lm = loss(layer, x, xShape, i, minus, shapes.get(i), r);
                if (i > 0) {
                    restore(weights.get(i - 1), base, shapes.get(i));
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

    private static void restore(Weight w, float[] data, long[] shape) {
        try (Scope s = Scope.open()) {
            w.assign(Tensor.of(data, shape));
        }
    }

    /** L with source i (0: the input, else weight i - 1) set to data. */
    private static double loss(Layer layer, float[] x, long[] xShape, int which, float[] data, long[] shape,
            float[] r) {
        try (Scope s = Scope.open()) {
            Tensor in = which == 0 ? Tensor.of(data, shape) : Tensor.of(x, xShape);
            if (which > 0) {
                layer.weightVariables().get(which - 1).assign(Tensor.of(data, shape));
            }
            float[] y = layer.apply(in).toFloatArray();
            double l = 0;
            for (int k = 0; k < y.length; k++) {
                l += (double) y[k] * r[k];
            }
            return l;
        }
    }
}
