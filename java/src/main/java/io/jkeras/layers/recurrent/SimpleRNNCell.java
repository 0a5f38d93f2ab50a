package io.jkeras.layers.recurrent;

import io.jkeras.ops.Ops;
import io.jkeras.ops.RnnOps;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keras's SimpleRNNCell: {@code h = activation(x.W + b + h_prev.U)}; kernel (input_dim, units), recurrent_kernel
 * (units, units), bias (units,). Dropout multiplies the input (and recurrent_dropout the previous state) by a mask
 * drawn once per sequence.
 */
public class SimpleRNNCell extends GatedCell {
    static final Set<String> KEYS = keys("units", "activation", "use_bias", "kernel_initializer",
            "recurrent_initializer", "bias_initializer", "kernel_regularizer", "recurrent_regularizer",
            "bias_regularizer", "kernel_constraint", "recurrent_constraint", "bias_constraint", "dropout",
            "recurrent_dropout");

    public SimpleRNNCell(int units) {
        this(new ConfigMap("SimpleRNNCell", RecurrentArgs.map("units", units)));
    }

    public SimpleRNNCell(int units, Object activation) {
        this(new ConfigMap("SimpleRNNCell", RecurrentArgs.map("units", units, "activation", activation)));
    }

    SimpleRNNCell(ConfigMap c) {
        super(c, null);
        c.checkKnown(KEYS);
    }

    public static SimpleRNNCell fromConfig(Map<String, Object> config) {
        return new SimpleRNNCell(new ConfigMap("SimpleRNNCell", config));
    }

    public static RecurrentArgs<SimpleRNNCell> builder(int units) {
        return new RecurrentArgs<>(SimpleRNNCell::fromConfig).units(units);
    }

    @Override
    protected int gates() {
        return 1;
    }

    @Override
    protected RnnOps.Cell rnnCell() {
        return RnnOps.Cell.SIMPLE;
    }

    @Override
    protected int maskCount() {
        return 1;
    }

    @Override
    public CellOutput call(Tensor input, List<Tensor> states, boolean training) {
        Tensor prev = states.get(0);
        List<Tensor> dp = inputDropoutMasks(input.shape(), training);
        List<Tensor> rdp = recurrentDropoutMasks(prev.shape(), training);
        Tensor h = Ops.matmul(masked(input, dp, 0), kernel);
        if (bias != null) {
            h = Ops.biasAdd(h, bias);
        }
        Tensor out = activation.apply(Ops.add(h, Ops.matmul(masked(prev, rdp, 0), recurrentKernel)));
        return new CellOutput(out, List.of(out));
    }
}
