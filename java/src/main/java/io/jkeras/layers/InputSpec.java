package io.jkeras.layers;

import io.jkeras.tensor.Shape;
import java.util.Map;

/**
 * What a layer accepts: a rank (exact, minimum or maximum) and fixed sizes on some axes; checked when the layer
 * is built and called, with Keras's wording.
 */
public record InputSpec(Integer ndim, Integer minNdim, Integer maxNdim, Map<Integer, Long> axes) {
    public static InputSpec ndim(int ndim) {
        return new InputSpec(ndim, null, null, Map.of());
    }

    public static InputSpec minNdim(int minNdim) {
        return new InputSpec(null, minNdim, null, Map.of());
    }

    public InputSpec withAxes(Map<Integer, Long> axes) {
        return new InputSpec(ndim, minNdim, maxNdim, axes);
    }

    void check(String layer, int inputIndex, Shape shape) {
        int rank = shape.rank();
        String where = "Input " + inputIndex + " of layer " + layer + " is incompatible with the layer: ";
        if (ndim != null && rank != ndim) {
            throw new IllegalArgumentException(where + "expected ndim=" + ndim + ", found ndim=" + rank
                    + ". Full shape received: " + shape);
        }
        if (minNdim != null && rank < minNdim) {
            throw new IllegalArgumentException(where + "expected min_ndim=" + minNdim + ", found ndim=" + rank
                    + ". Full shape received: " + shape);
        }
        if (maxNdim != null && rank > maxNdim) {
            throw new IllegalArgumentException(where + "expected max_ndim=" + maxNdim + ", found ndim=" + rank
                    + ". Full shape received: " + shape);
        }
        for (Map.Entry<Integer, Long> e : axes.entrySet()) {
            int axis = e.getKey() < 0 ? e.getKey() + rank : e.getKey();
            long d = shape.dim(axis);
            if (d != Shape.UNKNOWN && d != e.getValue()) {
                throw new IllegalArgumentException(where + "expected axis " + e.getKey() + " of input shape to have value "
                        + e.getValue() + " but received input with shape " + shape);
            }
        }
    }
}
