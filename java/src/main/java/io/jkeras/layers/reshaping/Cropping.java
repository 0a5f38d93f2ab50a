package io.jkeras.layers.reshaping;

import io.jkeras.ops.PoolOps;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Keras's cropping base (Cropping1D/2D/3D): removes cropping[i] = (before, after) elements at the ends of each
 * spatial axis i: a slice, whose gradient is the zero-padded output gradient.
 */
public abstract class Cropping extends SpatialLayer {
    protected static final Set<String> KEYS_1D = keys("cropping");
    protected static final Set<String> KEYS = keys("cropping", "data_format");

    protected final long[][] cropping;

    /** dflt: Keras's default amount at every end (1 for Cropping1D and Cropping3D, 0 for Cropping2D). */
    protected Cropping(int rank, long dflt, ConfigMap c) {
        super(rank, c);
        c.checkKnown(rank == 1 ? KEYS_1D : KEYS);
        this.cropping = Pairs.parse(className(), "cropping", c.has("cropping") ? c.get("cropping") : dflt, rank);
    }

    protected static ConfigMap args(String layer, Object cropping, String dataFormat) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cropping", cropping);
        if (dataFormat != null) {
            m.put("data_format", dataFormat);
        }
        return new ConfigMap(layer, m);
    }

    /** The output shape; cropping that leaves nothing of a known axis fails, naming the layer and shapes. */
    @Override
    public Shape computeOutputShape(Shape inputShape) {
        long[] d = inputShape.dims();
        for (int i = 0; i < rank; i++) {
            int a = spatialAxis(i);
            if (d[a] == Shape.UNKNOWN) {
                continue;
            }
            long left = d[a] - cropping[i][0] - cropping[i][1];
            if (left <= 0) {
                throw new IllegalArgumentException(className() + " " + getName() + ": argument 'cropping' "
                        + Pairs.toString(cropping) + " removes " + (cropping[i][0] + cropping[i][1]) + " of the "
                        + d[a] + " " + axisName(rank, i) + " (spatial axis " + i + ") of an input of shape "
                        + inputShape + "; at least one must remain");
            }
            d[a] = left;
        }
        return Shape.of(d);
    }

    @Override
    protected Tensor call(Tensor input, Tensor mask, boolean training) {
        computeOutputShape(input.getShape());
        long[] begin = new long[input.rank()];
        long[] end = new long[input.rank()];
        for (int i = 0; i < rank; i++) {
            begin[spatialAxis(i)] = cropping[i][0];
            end[spatialAxis(i)] = cropping[i][1];
        }
        return PoolOps.crop(input, begin, end);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("cropping", Pairs.config(cropping));
        if (rank > 1) {
            c.put("data_format", dataFormat);
        }
        return c;
    }
}
