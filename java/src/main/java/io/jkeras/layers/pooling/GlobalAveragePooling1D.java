package io.jkeras.layers.pooling;

import io.jkeras.ops.Ops;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Tensor;
import java.util.Map;

/**
 * Keras's GlobalAveragePooling1D: the mean over the steps (alias GlobalAvgPool1D). With a mask (batch, steps) the
 * masked steps are left out of the mean, as Keras does; the mask stops here.
 */
public final class GlobalAveragePooling1D extends GlobalPooling {
    /** channels_last, keepdims false. */
    public GlobalAveragePooling1D() {
        this("channels_last", false);
    }

    public GlobalAveragePooling1D(String dataFormat, boolean keepdims) {
        this(args("GlobalAveragePooling1D", dataFormat, keepdims));
    }

    private GlobalAveragePooling1D(ConfigMap c) {
        super(1, false, c);
        supportsMasking = true;
    }

    /** Every Keras argument by its config name: {"data_format": "channels_first", "keepdims": true}. */
    public static GlobalAveragePooling1D fromConfig(Map<String, Object> config) {
        return new GlobalAveragePooling1D(new ConfigMap("GlobalAveragePooling1D", config));
    }

    @Override
    protected Tensor call(Tensor input, Tensor mask, boolean training) {
        if (mask == null) {
            return super.call(input, null, training);
        }
        long batch = input.dim(0);
        long steps = input.dim(channelsFirst() ? 2 : 1);
        if (mask.rank() != 2 || mask.dim(0) != batch || mask.dim(1) != steps) {
            throw new IllegalArgumentException("GlobalAveragePooling1D " + getName() + ": the mask of shape "
                    + mask.getShape() + " does not match (batch, steps) = (" + batch + ", " + steps
                    + ") of the input " + input.getShape());
        }
        int stepsAxis = channelsFirst() ? 2 : 1;
        Tensor m = Ops.stopGradient(Ops.reshape(Ops.toFloat(mask), channelsFirst() ? new long[] {batch, 1, steps}
                : new long[] {batch, steps, 1}));
        Tensor sum = Ops.sum(Ops.mul(input, m), new int[] {stepsAxis}, keepdims);
        Tensor count = Ops.sum(m, new int[] {stepsAxis}, keepdims);
        return Ops.div(sum, count);
    }

    @Override
    public Tensor computeMask(Tensor input, Tensor mask) {
        return null;
    }
}
