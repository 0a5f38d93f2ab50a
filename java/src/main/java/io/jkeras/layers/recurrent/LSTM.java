package io.jkeras.layers.recurrent;

import io.jkeras.regularizers.Regularizers;
import io.jkeras.saving.ConfigMap;
import java.util.Map;
import java.util.Set;

/**
 * Keras 2's LSTM: an {@link RNN} of an {@link LSTMCell}, with the cell's arguments as its own (and
 * activity_regularizer); recurrent_activation hard_sigmoid and unit_forget_bias True by default, as Keras 2.
 * States [h, c] (return_state gives [output, h, c]).
 */
public class LSTM extends RNN {
    static final Set<String> KEYS = union(LAYER_KEYS, LSTMCell.KEYS, "activity_regularizer");

    public LSTM(int units) {
        this(new ConfigMap("LSTM", RecurrentArgs.map("units", units)));
    }

    private LSTM(ConfigMap c) {
        super(c, new LSTMCell(RecurrentUtil.cellConfig("LSTM", c, KEYS, LSTMCell.KEYS)), KEYS);
        setActivityRegularizer(Regularizers.get(c.get("activity_regularizer")));
    }

    public static LSTM fromConfig(Map<String, Object> config) {
        return new LSTM(new ConfigMap("LSTM", RecurrentUtil.implementationZeroAsOne(config)));
    }

    public static RecurrentArgs<LSTM> builder(int units) {
        return new RecurrentArgs<>(LSTM::fromConfig).units(units);
    }

    @Override
    public LSTMCell cell() {
        return (LSTMCell) cell;
    }

    @Override
    protected void putCellConfig(Map<String, Object> c) {
        cell().putConfig(c, true, activityRegularizer());
    }
}
