package io.jkeras.layers.recurrent;

import io.jkeras.regularizers.Regularizers;
import io.jkeras.saving.ConfigMap;
import java.util.Map;
import java.util.Set;

/**
 * Keras's CuDNNLSTM with Keras's weight layout: kernel (input_dim, 4*units), recurrent_kernel (units, 4*units),
 * bias (8*units,) = input biases (i, f, c, o) then recurrent biases (i, f, c, o); unit_forget_bias puts the ones on
 * the recurrent forget block, as Keras. cuDNN's equations:
 *
 * <pre>
 * i = sigmoid(x.Wi + bWi + h.Ri + bRi)   f = sigmoid(...)   o = sigmoid(...)
 * c' = f * c + i * tanh(x.Wc + bWc + h.Rc + bRc)     h' = o * tanh(c')
 * </pre>
 * Runs on every backend (on the CPU as a native recurrence). No masking, as Keras.
 */
public class CuDNNLSTM extends RNN {
    static final Set<String> KEYS = plus(CuDNNCells.LAYER_KEYS, "unit_forget_bias");

    public CuDNNLSTM(int units) {
        this(new ConfigMap("CuDNNLSTM", RecurrentArgs.map("units", units)));
    }

    private CuDNNLSTM(ConfigMap c) {
        super(c, new CuDNNCells.LSTM(RecurrentUtil.cellConfig("CuDNNLSTM", c, KEYS, CuDNNCells.CELL_KEYS)), KEYS);
        setActivityRegularizer(Regularizers.get(c.get("activity_regularizer")));
        supportsMasking = false;
    }

    public static CuDNNLSTM fromConfig(Map<String, Object> config) {
        return new CuDNNLSTM(new ConfigMap("CuDNNLSTM", config));
    }

    public static RecurrentArgs<CuDNNLSTM> builder(int units) {
        return new RecurrentArgs<>(CuDNNLSTM::fromConfig).units(units);
    }

    public LSTMCell lstmCell() {
        return (LSTMCell) cell;
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
        CuDNNCells.putConfig(c, lstmCell(), lstmCell().unitForgetBias(), activityRegularizer());
    }
}
