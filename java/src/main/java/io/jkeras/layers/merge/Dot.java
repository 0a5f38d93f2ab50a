package io.jkeras.layers.merge;

import io.jkeras.ops.MergeOps;
import io.jkeras.ops.NormOps;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keras's Dot(axes, normalize=False): the per-sample dot product of two inputs over the given axes (one int for
 * both, or one per input; negative counts from the end; the batch axis cannot be one), as Keras's batch_dot:
 * shape x without axes[0] followed by y without its batch axis and axes[1]; a (batch,) result becomes (batch, 1).
 * With normalize, both inputs are l2-normalised along their axis first (the cosine proximity). No output mask.
 */
public final class Dot extends MergeLayer {
    private static final Set<String> KEYS = keys("axes", "normalize");

    private final int[] axes;
    private final boolean single;
    private final boolean normalize;

    public Dot(int axes) {
        this(axes, false);
    }

    public Dot(int axes, boolean normalize) {
        this.axes = new int[] {axes, axes};
        this.single = true;
        this.normalize = normalize;
    }

    public Dot(int[] axes, boolean normalize) {
        this.axes = checkPair(axes);
        this.single = false;
        this.normalize = normalize;
    }

    private Dot(ConfigMap c) {
        super(c, KEYS);
        Object a = c.get("axes");
        if (a == null) {
            throw new IllegalArgumentException("Dot: argument 'axes' is required");
        }
        if (a instanceof Number) {
            int v = c.getInt("axes", 0);
            this.axes = new int[] {v, v};
            this.single = true;
        } else if (a instanceof List<?>) {
            this.axes = checkPair(c.getInts("axes", 0));
            this.single = false;
        } else {
            throw new IllegalArgumentException("Invalid type for `axes` - should be a list or an int, got " + a);
        }
        this.normalize = c.getBoolean("normalize", false);
    }

    private static int[] checkPair(int[] axes) {
        if (axes == null || axes.length != 2) {
            throw new IllegalArgumentException("Invalid format for `axes` - should contain two elements, got "
                    + Arrays.toString(axes));
        }
        return axes.clone();
    }

    public static Dot fromConfig(Map<String, Object> config) {
        return new Dot(new ConfigMap("Dot", config));
    }

    @Override
    protected int maxInputs() {
        return 2;
    }

    @Override
    protected void checkCount(int n) {
        if (n != 2) {
            throw new IllegalArgumentException("A `Dot` layer should be called on a list of 2 inputs, got " + n
                    + " (layer " + getName() + ").");
        }
    }

    /** The axes for inputs of these ranks, non-negative (Keras: a negative axis is taken modulo the rank). */
    private int[] resolve(int rank1, int rank2, Object shapes) {
        int[] r = {axes[0] < 0 ? Math.floorMod(axes[0], rank1) : axes[0],
            axes[1] < 0 ? Math.floorMod(axes[1], rank2) : axes[1]};
        if (r[0] == 0 || r[1] == 0 || r[0] >= rank1 || r[1] >= rank2) {
            throw new IllegalArgumentException("Dot " + getName() + ": axes " + Arrays.toString(axes) + " must name "
                    + "a non-batch axis of each input; input shapes " + shapes);
        }
        return r;
    }

    @Override
    public List<Shape> computeOutputShape(List<Shape> shapes) {
        checkCount(shapes.size());
        commonBatch(shapes);
        Shape s1 = shapes.get(0), s2 = shapes.get(1);
        if (s1.rank() < 2 || s2.rank() < 2) {
            throw new IllegalArgumentException("Dot " + getName() + ": inputs need rank >= 2, got " + shapes);
        }
        int[] a = resolve(s1.rank(), s2.rank(), shapes);
        long d1 = s1.dim(a[0]), d2 = s2.dim(a[1]);
        if (d1 != Shape.UNKNOWN && d2 != Shape.UNKNOWN && d1 != d2) {
            throw new IllegalArgumentException("Dimension incompatibility " + d1 + " != " + d2 + ". Layer shapes: "
                    + s1 + ", " + s2 + ". Chosen axes: " + a[0] + ", " + a[1] + " (layer " + getName() + ")");
        }
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < s1.rank(); i++) {
            if (i != a[0]) {
                out.add(s1.dim(i));
            }
        }
        for (int i = 1; i < s2.rank(); i++) {
            if (i != a[1]) {
                out.add(s2.dim(i));
            }
        }
        if (out.size() == 1) {
            out.add(1L);
        }
        return List.of(Shape.of(out.stream().mapToLong(Long::longValue).toArray()));
    }

    @Override
    protected List<Tensor> call(List<Tensor> inputs, List<Tensor> masks, boolean training) {
        List<Shape> shapes = new ArrayList<>();
        for (Tensor t : inputs) {
            shapes.add(t.getShape());
        }
        computeOutputShape(shapes);
        Tensor x = inputs.get(0), y = inputs.get(1);
        int[] a = resolve(x.rank(), y.rank(), shapes);
        if (normalize) {
            x = NormOps.l2Normalize(x, a[0]);
            y = NormOps.l2Normalize(y, a[1]);
        }
        return List.of(MergeOps.batchDot(x, y, a[0], a[1]));
    }

    @Override
    protected Tensor merge(List<Tensor> inputs) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<Tensor> computeMask(List<Tensor> inputs, List<Tensor> masks) {
        return Collections.singletonList(null);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("axes", single ? (Object) axes[0] : List.of(axes[0], axes[1]));
        c.put("normalize", normalize);
        return c;
    }
}
