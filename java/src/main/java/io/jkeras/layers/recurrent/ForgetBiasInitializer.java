package io.jkeras.layers.recurrent;

import io.jkeras.initializers.Initializer;
import io.jkeras.initializers.Initializers;
import io.jkeras.ops.Ops;
import io.jkeras.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Keras's unit_forget_bias: the bias initializer's values with ones on the forget gate's block, built as Keras
 * builds it (the initializer is applied to the blocks before and after the ones separately). The bias is seen
 * flat; its last dimension is a multiple of units.
 */
final class ForgetBiasInitializer implements Initializer {
    private final Initializer base;
    private final long units;
    /** How many unit blocks precede the ones (LSTM 1: i | f | c o; CuDNNLSTM 5: input i f c o, recurrent i | f ...). */
    private final long blocksBefore;

    ForgetBiasInitializer(Initializer base, long units, long blocksBefore) {
        this.base = base;
        this.units = units;
        this.blocksBefore = blocksBefore;
    }

    @Override
    public Tensor apply(long... shape) {
        long total = 1;
        for (long d : shape) {
            total *= d;
        }
        long before = blocksBefore * units;
        long after = total - before - units;
        Tensor flat = Ops.concat(List.of(base.apply(before), Tensor.ones(units), base.apply(after)), 0);
        return Ops.reshape(flat, shape);
    }

    @Override
    public String className() {
        return base.className();
    }

    @Override
    public Map<String, Object> getConfig() {
        return Initializers.serialize(base);
    }
}
