package io.jkeras.layers.recurrent;

import io.jkeras.regularizers.Regularizers;
import io.jkeras.saving.ConfigMap;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * Keras 2's ConvLSTM2D: an {@link RNN} of a {@link ConvLSTM2DCell} over inputs (batch, time, rows, cols, channels)
 * (channels_first: (batch, time, channels, rows, cols)), with the cell's arguments as its own. Output
 * (batch, [time,] rows', cols', filters) where rows', cols' follow the input convolution's geometry. Unrolling is
 * refused, as Keras.
 */
public class ConvLSTM2D extends RNN {
    static final Set<String> KEYS = union(LAYER_KEYS, ConvLSTM2DCell.KEYS, "activity_regularizer");

    public ConvLSTM2D(int filters, long... kernelSize) {
        this(new ConfigMap("ConvLSTM2D", RecurrentArgs.map("filters", filters, "kernel_size",
                Arrays.stream(kernelSize).boxed().toList())));
    }

    private ConvLSTM2D(ConfigMap c) {
        super(c, new ConvLSTM2DCell(RecurrentUtil.cellConfig("ConvLSTM2D", c, KEYS, ConvLSTM2DCell.KEYS)), KEYS);
        if (unroll) {
            throw new IllegalArgumentException("ConvLSTM2D: Unrolling isn't possible with convolutional RNNs.");
        }
        setActivityRegularizer(Regularizers.get(c.get("activity_regularizer")));
    }

    public static ConvLSTM2D fromConfig(Map<String, Object> config) {
        return new ConvLSTM2D(new ConfigMap("ConvLSTM2D", config));
    }

    public static RecurrentArgs<ConvLSTM2D> builder(int filters, long... kernelSize) {
        return new RecurrentArgs<>(ConvLSTM2D::fromConfig).set("filters", filters).set("kernel_size",
                Arrays.stream(kernelSize).boxed().toList());
    }

    @Override
    protected String defaultNamePrefix() {
        return "conv_lst_m2d";  // Keras's snake case of the class name
    }

    @Override
    public ConvLSTM2DCell cell() {
        return (ConvLSTM2DCell) cell;
    }

    @Override
    protected int inputRank() {
        return 5;
    }

    @Override
    protected void putCellConfig(Map<String, Object> c) {
        cell().putConfig(c, true, activityRegularizer());
    }
}
