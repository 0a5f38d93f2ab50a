package io.jkeras.layers.recurrent;

import io.jkeras.regularizers.Regularizers;
import io.jkeras.saving.ConfigMap;
import java.util.Map;
import java.util.Set;

/**
 * Keras 2's GRU: an {@link RNN} of a {@link GRUCell}, with the cell's arguments as its own (and
 * activity_regularizer); recurrent_activation hard_sigmoid and reset_after False by default, as Keras 2.
 */
public class GRU extends RNN {
    static final Set<String> KEYS = union(LAYER_KEYS, GRUCell.KEYS, "activity_regularizer");

    public GRU(int units) {
        this(new ConfigMap("GRU", RecurrentArgs.map("units", units)));
    }

    private GRU(ConfigMap c) {
        super(c, new GRUCell(RecurrentUtil.cellConfig("GRU", c, KEYS, GRUCell.KEYS)), KEYS);
        setActivityRegularizer(Regularizers.get(c.get("activity_regularizer")));
    }

    public static GRU fromConfig(Map<String, Object> config) {
        return new GRU(new ConfigMap("GRU", RecurrentUtil.implementationZeroAsOne(config)));
    }

    public static RecurrentArgs<GRU> builder(int units) {
        return new RecurrentArgs<>(GRU::fromConfig).units(units);
    }

    @Override
    public GRUCell cell() {
        return (GRUCell) cell;
    }

    @Override
    protected void putCellConfig(Map<String, Object> c) {
        cell().putConfig(c, true, activityRegularizer());
    }
}
