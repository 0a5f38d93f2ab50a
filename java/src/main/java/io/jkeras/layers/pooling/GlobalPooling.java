package io.jkeras.layers.pooling;

import io.jkeras.layers.InputSpec;
import io.jkeras.layers.Layer;
import io.jkeras.layers.core.DataFormats;
import io.jkeras.ops.Ops;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Keras's global pooling base (GlobalMaxPooling1D/2D/3D, GlobalAveragePooling1D/2D/3D): the maximum or mean
 * over every spatial axis, a native reduction; data_format, and keepdims (tf.keras 2.6) keeping the spatial axes
 * with size 1.
 */
public abstract class GlobalPooling extends Layer {
    protected static final Set<String> KEYS = keys("data_format", "keepdims");

    protected final int rank;
    protected final boolean max;
    protected final String dataFormat;
    protected final boolean keepdims;

    protected GlobalPooling(int rank, boolean max, ConfigMap c) {
        super(c);
        c.checkKnown(KEYS);
        this.rank = rank;
        this.max = max;
        this.dataFormat = DataFormats.check(className(), c.getString("data_format", DataFormats.CHANNELS_LAST));
        this.keepdims = c.getBoolean("keepdims", false);
        setInputSpec(InputSpec.ndim(rank + 2));
    }

    protected static ConfigMap args(String layer, String dataFormat, boolean keepdims) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("data_format", dataFormat);
        m.put("keepdims", keepdims);
        return new ConfigMap(layer, m);
    }

    protected boolean channelsFirst() {
        return dataFormat.equals(DataFormats.CHANNELS_FIRST);
    }

    /** The spatial axes of an input. */
    protected int[] spatialAxes() {
        int[] a = new int[rank];
        for (int i = 0; i < rank; i++) {
            a[i] = channelsFirst() ? 2 + i : 1 + i;
        }
        return a;
    }

    @Override
    protected Tensor call(Tensor input, Tensor mask, boolean training) {
        return max ? Ops.max(input, spatialAxes(), keepdims) : Ops.mean(input, spatialAxes(), keepdims);
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        long channels = inputShape.dim(channelsFirst() ? 1 : rank + 1);
        if (!keepdims) {
            return Shape.of(inputShape.dim(0), channels);
        }
        long[] d = inputShape.dims();
        for (int a : spatialAxes()) {
            d[a] = 1;
        }
        return Shape.of(d);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("data_format", dataFormat);
        c.put("keepdims", keepdims);
        return c;
    }
}
