package io.jkeras.layers;

import io.jkeras.tensor.DType;
import io.jkeras.tensor.Shape;

/**
 * A symbolic tensor of the functional API: a shape (batch first, -1 unknown) and where it comes from, the
 * output {@code tensorIndex} of node {@code nodeIndex} of {@code layer}.
 */
public final class KerasTensor {
    private final Shape shape;
    private final DType dtype;
    private final Layer layer;
    private final int nodeIndex;
    private final int tensorIndex;

    KerasTensor(Shape shape, DType dtype, Layer layer, int nodeIndex, int tensorIndex) {
        this.shape = shape;
        this.dtype = dtype;
        this.layer = layer;
        this.nodeIndex = nodeIndex;
        this.tensorIndex = tensorIndex;
    }

    public Shape shape() {
        return shape;
    }

    public DType dtype() {
        return dtype;
    }

    public Layer layer() {
        return layer;
    }

    public int nodeIndex() {
        return nodeIndex;
    }

    public int tensorIndex() {
        return tensorIndex;
    }

    public Node node() {
        return layer.inboundNodes().get(nodeIndex);
    }

    @Override
    public String toString() {
        return "KerasTensor(shape=" + shape + ", dtype=" + dtype.kerasName() + ", created by layer '" + layer.getName()
                + "')";
    }
}
