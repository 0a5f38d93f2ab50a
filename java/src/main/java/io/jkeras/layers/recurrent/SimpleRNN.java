package io.jkeras.layers.recurrent;

import io.jkeras.regularizers.Regularizers;
import io.jkeras.saving.ConfigMap;
import java.util.Map;
import java.util.Set;

/**
 * Keras's SimpleRNN: an {@link RNN} of a {@link SimpleRNNCell}, with the cell's arguments as its own (and
 * activity_regularizer). Keras's deprecated implementation argument is accepted and ignored.
 */
public class SimpleRNN extends RNN {
    static final Set<String> KEYS = union(LAYER_KEYS, SimpleRNNCell.KEYS, "activity_regularizer", "implementation");

    public SimpleRNN(int units) {
        this(new ConfigMap("SimpleRNN", RecurrentArgs.map("units", units)));
    }

    public SimpleRNN(int units, Object activation) {
        this(new ConfigMap("SimpleRNN", RecurrentArgs.map("units", units, "activation", activation)));
    }

    private SimpleRNN(ConfigMap c) {
        super(c, new SimpleRNNCell(RecurrentUtil.cellConfig("SimpleRNN", c, KEYS, SimpleRNNCell.KEYS)), KEYS);
        setActivityRegularizer(Regularizers.get(c.get("activity_regularizer")));
    }

    public static SimpleRNN fromConfig(Map<String, Object> config) {
        return new SimpleRNN(new ConfigMap("SimpleRNN", config));
    }

    public static RecurrentArgs<SimpleRNN> builder(int units) {
        return new RecurrentArgs<>(SimpleRNN::fromConfig).units(units);
    }

    @Override
    public SimpleRNNCell cell() {
        return (SimpleRNNCell) cell;
    }

    @Override
    protected void putCellConfig(Map<String, Object> c) {
        cell().putConfig(c, true, activityRegularizer());
    }
}
