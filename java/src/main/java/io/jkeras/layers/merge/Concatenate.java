package io.jkeras.layers.merge;

import io.jkeras.ops.Ops;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Keras's Concatenate(axis=-1): joins its inputs along {@code axis} (counted with the batch axis, negative from
 * the end); every other dimension must agree (unknown dimensions are not checked). Masks: an input without a
 * mask counts as all ones, a mask of lower rank than its input gets a trailing axis, the masks are joined along
 * the axis and reduced with AND over the last axis.
 */
public final class Concatenate extends MergeLayer {
    private static final java.util.Set<String> KEYS = keys("axis");

    private final int axis;

    public Concatenate() {
        this(-1);
    }

    public Concatenate(int axis) {
        this.axis = axis;
    }

    private Concatenate(ConfigMap c) {
        super(c, KEYS);
        this.axis = c.getInt("axis", -1);
    }

    public static Concatenate fromConfig(Map<String, Object> config) {
        return new Concatenate(new ConfigMap("Concatenate", config));
    }

    public int axis() {
        return axis;
    }

    /** tf.keras accepts a single input (the identity); Keras 2.2.4 wanted two. */
    @Override
    protected int minInputs() {
        return 1;
    }

    @Override
    protected void checkCount(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("A `Concatenate` layer should be called on a list of at least 1 "
                    + "input (layer " + getName() + ").");
        }
    }

    private int resolve(int rank, List<Shape> shapes) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new IllegalArgumentException("Concatenate " + getName() + ": axis " + axis + " is out of range for "
                    + "inputs of rank " + rank + " (shapes " + shapes + ")");
        }
        return a;
    }

    @Override
    public List<Shape> computeOutputShape(List<Shape> shapes) {
        checkCount(shapes.size());
        int rank = shapes.get(0).rank();
        String err = "A `Concatenate` layer requires inputs with matching shapes except for the concat axis. Got "
                + "inputs shapes: " + shapes + " (layer " + getName() + ", axis " + axis + ")";
        for (Shape s : shapes) {
            if (s.rank() != rank) {
                throw new IllegalArgumentException(err);
            }
        }
        int a = resolve(rank, shapes);
        long[] out = shapes.get(0).dims();
        for (int d = 0; d < rank; d++) {
            if (d == a) {
                continue;
            }
            long known = Shape.UNKNOWN;
            for (Shape s : shapes) {
                long v = s.dim(d);
                if (v != Shape.UNKNOWN) {
                    if (known != Shape.UNKNOWN && known != v) {
                        throw new IllegalArgumentException(err);
                    }
                    known = v;
                }
            }
            out[d] = known;
        }
        long sum = 0;
        for (Shape s : shapes) {
            if (s.dim(a) == Shape.UNKNOWN) {
                sum = Shape.UNKNOWN;
                break;
            }
            sum += s.dim(a);
        }
        out[a] = sum;
        return List.of(Shape.of(out));
    }

    @Override
    protected List<Tensor> call(List<Tensor> inputs, List<Tensor> masks, boolean training) {
        List<Shape> shapes = new ArrayList<>();
        for (Tensor t : inputs) {
            shapes.add(t.getShape());
        }
        computeOutputShape(shapes);
        if (inputs.size() == 1) {
            return List.of(inputs.get(0));
        }
        return List.of(Ops.concat(inputs, resolve(inputs.get(0).rank(), shapes)));
    }

    @Override
    protected Tensor merge(List<Tensor> inputs) {
        return Ops.concat(inputs, axis);
    }

    @Override
    public List<Tensor> computeMask(List<Tensor> inputs, List<Tensor> masks) {
        if (masks == null || masks.stream().allMatch(m -> m == null)) {
            return Collections.singletonList(null);
        }
        if (masks.size() != inputs.size()) {
            throw new IllegalArgumentException("The lists `inputs` and `mask` should have the same length (layer "
                    + getName() + ": " + inputs.size() + " inputs, " + masks.size() + " masks).");
        }
        int rank = inputs.get(0).rank();
        int a = axis < 0 ? axis + rank : axis;
        List<Tensor> expanded = new ArrayList<>();
        long lastOfMasks = -1;
        for (int i = 0; i < masks.size(); i++) {
            Tensor m = masks.get(i);
            if (m != null) {
                Tensor e = m.rank() < inputs.get(i).rank() ? Ops.expandDims(m, -1) : m;
                lastOfMasks = e.dim(-1);
                expanded.add(e);
            } else {
                expanded.add(null);
            }
        }
        List<Tensor> parts = new ArrayList<>();
        for (int i = 0; i < masks.size(); i++) {
            Tensor e = expanded.get(i);
            if (e == null) {
                // Keras: ones_like(input); joining along an axis other than the last needs the masks' last size
                long[] d = inputs.get(i).shape();
                if (a != rank - 1) {
                    d[rank - 1] = lastOfMasks;
                }
                e = Ops.onesLike(Tensor.emptyLike(inputs.get(i), d));
            }
            parts.add(e);
        }
        Tensor joined = Ops.concat(parts, a);
        return Collections.singletonList(Ops.min(joined, new int[] {-1}, false));
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("axis", axis);
        return c;
    }
}
