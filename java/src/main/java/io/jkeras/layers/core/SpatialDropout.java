package io.jkeras.layers.core;

import io.jkeras.layers.InputSpec;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Tensor;
import java.util.Map;
import java.util.Set;

/**
 * The common part of SpatialDropout1D/2D/3D: dropout of whole feature maps, one draw per (sample, channel)
 * broadcast over the spatial axes.
 */
public abstract class SpatialDropout extends Dropout {
    private final int spatialDims;
    private final String dataFormat;

    protected SpatialDropout(int spatialDims, double rate, String dataFormat) {
        super(rate);
        this.spatialDims = spatialDims;
        this.dataFormat = DataFormats.check(className(), dataFormat);
        setInputSpec(InputSpec.ndim(spatialDims + 2));
    }

    protected SpatialDropout(int spatialDims, ConfigMap c) {
        super(c, spatialDims == 1 ? Set.of() : Set.of("data_format"));
        this.spatialDims = spatialDims;
        this.dataFormat = DataFormats.check(className(), c.getString("data_format", DataFormats.CHANNELS_LAST));
        setInputSpec(InputSpec.ndim(spatialDims + 2));
    }

    @Override
    protected long[] noiseShape(Tensor input) {
        long[] s = new long[input.rank()];
        java.util.Arrays.fill(s, 1);
        s[0] = input.dim(0);
        int channelAxis = dataFormat.equals(DataFormats.CHANNELS_FIRST) ? 1 : input.rank() - 1;
        s[channelAxis] = input.dim(channelAxis);
        return s;
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        if (spatialDims > 1) {
            c.put("data_format", dataFormat);
        }
        return c;
    }
}
