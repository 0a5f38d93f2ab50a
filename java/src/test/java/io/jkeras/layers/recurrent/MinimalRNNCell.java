package io.jkeras.layers.recurrent;

import io.jkeras.initializers.Initializers;
import io.jkeras.ops.Ops;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import java.util.List;

/** The user cell of Keras's RNN documentation, written in Java: output = x.W + h.U, one state. */
class MinimalRNNCell extends AbstractRNNCell {
    private final int units;
    private Tensor kernel;
    private Tensor recurrentKernel;

    MinimalRNNCell(int units) {
        this.units = units;
    }

    @Override
    public int[] stateSize() {
        return new int[] {units};
    }

    @Override
    protected void doBuild(Shape inputShape) {
        kernel = addWeight("kernel", new long[] {inputShape.dim(-1), units}, Initializers.get("glorot_uniform"), null,
                null, true);
        recurrentKernel = addWeight("recurrent_kernel", new long[] {units, units}, Initializers.get("orthogonal"),
                null, null, true);
    }

    @Override
    public CellOutput call(Tensor input, List<Tensor> states, boolean training) {
        Tensor out = Ops.add(Ops.matmul(input, kernel), Ops.matmul(states.get(0), recurrentKernel));
        return new CellOutput(out, List.of(out));
    }
}
