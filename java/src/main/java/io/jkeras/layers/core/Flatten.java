package io.jkeras.layers.core;

import io.jkeras.layers.InputSpec;
import io.jkeras.layers.Layer;
import io.jkeras.ops.Ops;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import java.util.Map;
import java.util.Set;

/**
 * Flattens all but the batch axis. With channels_first the channels are moved last first, so the flattened
 * order matches a channels_last model (Keras's rule for porting weights between formats).
 */
public final class Flatten extends Layer {
    private static final Set<String> KEYS = keys("data_format");

    private final String dataFormat;

    public Flatten() {
        this(DataFormats.CHANNELS_LAST);
    }

    public Flatten(String dataFormat) {
        this.dataFormat = DataFormats.check("Flatten", dataFormat);
        setInputSpec(InputSpec.minNdim(1));
    }

    private Flatten(ConfigMap c) {
        super(c);
        c.checkKnown(KEYS);
        this.dataFormat = DataFormats.check("Flatten", c.getString("data_format", DataFormats.CHANNELS_LAST));
        setInputSpec(InputSpec.minNdim(1));
    }

    public static Flatten fromConfig(Map<String, Object> config) {
        return new Flatten(new ConfigMap("Flatten", config));
    }

    @Override
    protected Tensor call(Tensor input, Tensor mask, boolean training) {
        Tensor x = input;
        int rank = x.rank();
        if (dataFormat.equals(DataFormats.CHANNELS_FIRST) && rank > 2) {
            int[] perm = new int[rank];
            perm[0] = 0;
            for (int i = 1; i < rank - 1; i++) {
                perm[i] = i + 1;
            }
            perm[rank - 1] = 1;
            x = Ops.transpose(x, perm);
        }
        return Ops.reshape(x, x.dim(0), x.size() / Math.max(1, x.dim(0)));
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        long n = 1;
        for (int i = 1; i < inputShape.rank(); i++) {
            long d = inputShape.dim(i);
            if (d == Shape.UNKNOWN) {
                throw new IllegalArgumentException("The shape of the input to \"Flatten\" (layer " + getName()
                        + ") is not fully defined (got " + inputShape.dropFirst() + "). Make sure to pass a complete "
                        + "\"input_shape\" or \"batch_input_shape\" argument to the first layer in your model.");
            }
            n *= d;
        }
        return Shape.of(inputShape.dim(0), n);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("data_format", dataFormat);
        return c;
    }
}
