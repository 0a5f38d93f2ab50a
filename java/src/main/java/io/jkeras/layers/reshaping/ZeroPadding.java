package io.jkeras.layers.reshaping;

import io.jkeras.ops.PoolOps;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Keras's zero-padding base (ZeroPadding1D/2D/3D): padding[i] = (before, after) zeros at the ends of each
 * spatial axis i (default 1 everywhere): a strided copy into zeros, whose gradient is a slice.
 */
public abstract class ZeroPadding extends SpatialLayer {
    protected static final Set<String> KEYS_1D = keys("padding");
    protected static final Set<String> KEYS = keys("padding", "data_format");

    protected final long[][] padding;

    protected ZeroPadding(int rank, ConfigMap c) {
        super(rank, c);
        c.checkKnown(rank == 1 ? KEYS_1D : KEYS);
        this.padding = Pairs.parse(className(), "padding", c.has("padding") ? c.get("padding") : 1, rank);
    }

    protected static ConfigMap args(String layer, Object padding, String dataFormat) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("padding", padding);
        if (dataFormat != null) {
            m.put("data_format", dataFormat);
        }
        return new ConfigMap(layer, m);
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        long[] d = inputShape.dims();
        for (int i = 0; i < rank; i++) {
            int a = spatialAxis(i);
            if (d[a] != Shape.UNKNOWN) {
                d[a] += padding[i][0] + padding[i][1];
            }
        }
        return Shape.of(d);
    }

    @Override
    protected Tensor call(Tensor input, Tensor mask, boolean training) {
        long[] before = new long[input.rank()];
        long[] after = new long[input.rank()];
        for (int i = 0; i < rank; i++) {
            before[spatialAxis(i)] = padding[i][0];
            after[spatialAxis(i)] = padding[i][1];
        }
        return PoolOps.pad(input, before, after);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("padding", Pairs.config(padding));
        if (rank > 1) {
            c.put("data_format", dataFormat);
        }
        return c;
    }
}
