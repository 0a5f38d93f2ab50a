package io.jkeras.layers.recurrent;

import io.jkeras.regularizers.Regularizers;
import io.jkeras.saving.ConfigMap;
import java.util.Map;
import java.util.Set;

/**
 * Keras's CuDNNGRU with Keras's weight layout: kernel (input_dim, 3*units), recurrent_kernel (units, 3*units),
 * bias (6*units,) = input biases (z, r, h) then recurrent biases (z, r, h), and cuDNN's equations:
 *
 * <pre>
 * z = sigmoid(x.Wz + bWz + h.Rz + bRz)     r = sigmoid(x.Wr + bWr + h.Rr + bRr)
 * h~ = tanh(x.Wh + bWh + r * (h.Rh + bRh))  h' = (1 - z) * h~ + z * h
 * </pre>
 * Runs on every backend (on the CPU as a native recurrence). No masking, as Keras.
 */
public class CuDNNGRU extends RNN {
    static final Set<String> KEYS = CuDNNCells.LAYER_KEYS;

    public CuDNNGRU(int units) {
        this(new ConfigMap("CuDNNGRU", RecurrentArgs.map("units", units)));
    }

    private CuDNNGRU(ConfigMap c) {
        super(c, new CuDNNCells.GRU(RecurrentUtil.cellConfig("CuDNNGRU", c, KEYS, CuDNNCells.CELL_KEYS)), KEYS);
        setActivityRegularizer(Regularizers.get(c.get("activity_regularizer")));
        supportsMasking = false;
    }

    public static CuDNNGRU fromConfig(Map<String, Object> config) {
        return new CuDNNGRU(new ConfigMap("CuDNNGRU", config));
    }

    public static RecurrentArgs<CuDNNGRU> builder(int units) {
        return new RecurrentArgs<>(CuDNNGRU::fromConfig).units(units);
    }

    public GatedCell gatedCell() {
        return (GatedCell) cell;
    }

    @Override
    protected boolean acceptsMasks() {
        return false;
    }

    @Override
    protected boolean writesUnroll() {
        return false;
    }

    @Override
    protected void putCellConfig(Map<String, Object> c) {
        CuDNNCells.putConfig(c, gatedCell(), null, activityRegularizer());
    }
}
