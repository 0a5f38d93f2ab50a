package io.jkeras.layers.merge;

import io.jkeras.layers.Layer;
import io.jkeras.ops.Ops;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Keras 2's {@code _Merge}: a layer over a list of inputs. The elementwise merges (Add, Subtract, Multiply,
 * Average, Maximum, Minimum) follow its rules: every input has the same batch size; the other dimensions
 * broadcast as NumPy does, aligned on the right (an unknown dimension gives an unknown one); inputs of lower
 * rank get size-1 axes inserted after the batch axis; the output mask is the AND of the input masks.
 */
public abstract class MergeLayer extends Layer {
    protected MergeLayer() {
        supportsMasking = true;
    }

    protected MergeLayer(ConfigMap c, Set<String> known) {
        super(c);
        c.checkKnown(known);
        supportsMasking = true;
    }

    /** The fewest inputs the layer takes (2 for Keras's merges). */
    protected int minInputs() {
        return 2;
    }

    /** The most inputs the layer takes (Subtract and Dot: 2). */
    protected int maxInputs() {
        return Integer.MAX_VALUE;
    }

    /** Checks the number of inputs with Keras's wording. */
    protected void checkCount(int n) {
        if (n < minInputs()) {
            throw new IllegalArgumentException("A merge layer should be called on a list of at least " + minInputs()
                    + " inputs. Got " + n + " input" + (n == 1 ? "" : "s") + " (layer " + getName() + ", "
                    + className() + ").");
        }
        if (n > maxInputs()) {
            throw new IllegalArgumentException("A `" + className() + "` layer should be called on exactly "
                    + maxInputs() + " inputs, got " + n + " (layer " + getName() + ").");
        }
    }

    /** The batch size the shapes agree on (unknown when none is known); fails when two known ones differ. */
    protected long commonBatch(List<Shape> shapes) {
        Set<Long> batch = new LinkedHashSet<>();
        for (Shape s : shapes) {
            if (s.rank() == 0) {
                throw new IllegalArgumentException(className() + " " + getName() + ": an input must have a batch "
                        + "axis, got a scalar; input shapes " + shapes);
            }
            if (s.dim(0) != Shape.UNKNOWN) {
                batch.add(s.dim(0));
            }
        }
        if (batch.size() > 1) {
            throw new IllegalArgumentException("Can not merge tensors with different batch sizes. Got tensors with "
                    + "shapes : " + shapes + " (layer " + getName() + ", " + className() + ")");
        }
        return batch.isEmpty() ? Shape.UNKNOWN : batch.iterator().next();
    }

    /** Keras's _compute_elemwise_op_output_shape on shapes without their batch axis. */
    protected long[] elementwiseShape(long[] a, long[] b, List<Shape> all) {
        if (a.length < b.length) {
            return elementwiseShape(b, a, all);
        }
        long[] out = a.clone();
        int lead = a.length - b.length;
        for (int i = 0; i < b.length; i++) {
            long x = a[lead + i], y = b[i];
            if (x == Shape.UNKNOWN || y == Shape.UNKNOWN) {
                out[lead + i] = Shape.UNKNOWN;
            } else if (x == 1) {
                out[lead + i] = y;
            } else if (y == 1) {
                out[lead + i] = x;
            } else if (x != y) {
                throw new IllegalArgumentException("Operands could not be broadcast together with shapes "
                        + Shape.of(a) + " " + Shape.of(b) + " (layer " + getName() + ", " + className()
                        + ", input shapes " + all + ")");
            }
        }
        return out;
    }

    /** The shape of an elementwise merge of inputs of these shapes (checks batch sizes and broadcasting). */
    protected Shape elementwiseOutputShape(List<Shape> shapes) {
        checkCount(shapes.size());
        long batch = commonBatch(shapes);
        long[] out = shapes.get(0).dropFirst().dims();
        for (int i = 1; i < shapes.size(); i++) {
            out = elementwiseShape(out, shapes.get(i).dropFirst().dims(), shapes);
        }
        return Shape.of(out).prepend(batch);
    }

    @Override
    protected void doBuild(List<Shape> inputShapes) {
        computeOutputShape(inputShapes);
    }

    @Override
    public List<Shape> computeOutputShape(List<Shape> inputShapes) {
        return List.of(elementwiseOutputShape(inputShapes));
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        return computeOutputShape(List.of(inputShape)).get(0);
    }

    /** The merge of inputs of equal rank (NumPy broadcasting). */
    protected abstract Tensor merge(List<Tensor> inputs);

    @Override
    protected List<Tensor> call(List<Tensor> inputs, List<Tensor> masks, boolean training) {
        List<Shape> shapes = new ArrayList<>();
        for (Tensor t : inputs) {
            shapes.add(t.getShape());
        }
        elementwiseOutputShape(shapes);
        int maxRank = 0;
        for (Tensor t : inputs) {
            maxRank = Math.max(maxRank, t.rank());
        }
        List<Tensor> same = new ArrayList<>();
        for (Tensor t : inputs) {
            // Keras: expand_dims(x, axis=1) until every input has the highest rank
            Tensor x = t;
            if (x.rank() < maxRank) {
                long[] d = x.shape();
                long[] nd = new long[maxRank];
                Arrays.fill(nd, 1);
                nd[0] = d[0];
                System.arraycopy(d, 1, nd, maxRank - d.length + 1, d.length - 1);
                x = Ops.reshape(x, nd);
            }
            same.add(x);
        }
        return List.of(merge(same));
    }

    @Override
    protected Tensor call(Tensor input, Tensor mask, boolean training) {
        return call(List.of(input), mask == null ? null : Collections.singletonList(mask), training).get(0);
    }

    /** The AND (product) of the masks that are present; null when none is. */
    @Override
    public List<Tensor> computeMask(List<Tensor> inputs, List<Tensor> masks) {
        if (masks == null) {
            return Collections.singletonList(null);
        }
        if (masks.size() != inputs.size()) {
            throw new IllegalArgumentException("The lists `inputs` and `mask` should have the same length (layer "
                    + getName() + ": " + inputs.size() + " inputs, " + masks.size() + " masks).");
        }
        Tensor out = null;
        for (Tensor m : masks) {
            if (m != null) {
                out = out == null ? m : Ops.mul(out, m);
            }
        }
        return Collections.singletonList(out);
    }

    @Override
    public Tensor computeMask(Tensor input, Tensor mask) {
        return computeMask(List.of(input), mask == null ? null : Collections.singletonList(mask)).get(0);
    }
}
