package io.jkeras.layers.reshaping;

import io.jkeras.ops.PoolOps;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Keras's up-sampling base (UpSampling1D/2D/3D): each spatial axis i grows size[i] times. Nearest repeats every
 * element (one strided copy with zero strides); UpSampling2D's bilinear interpolation is tf.image.resize's with
 * TF 2's half-pixel centres (a native kernel).
 */
public abstract class UpSampling extends SpatialLayer {
    protected final long[] size;
    protected final String interpolation;

    protected UpSampling(int rank, ConfigMap c, Set<String> keys) {
        super(rank, c);
        c.checkKnown(keys);
        String layer = className();
        this.size = c.has("size") ? c.getLongs("size", rank) : twos(rank);
        for (long s : size) {
            if (s <= 0) {
                throw new IllegalArgumentException(layer + ": argument 'size' must hold positive integers, got "
                        + Arrays.toString(size));
            }
        }
        this.interpolation = c.getString("interpolation", "nearest");
        if (!interpolation.equals("nearest") && !interpolation.equals("bilinear")) {
            throw new IllegalArgumentException(layer + ": argument 'interpolation' must be \"nearest\" or "
                    + "\"bilinear\", got \"" + interpolation + "\"");
        }
    }

    private static long[] twos(int n) {
        long[] a = new long[n];
        Arrays.fill(a, 2);
        return a;
    }

    protected static ConfigMap args(String layer, Object size, String dataFormat, String interpolation) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("size", size);
        if (dataFormat != null) {
            m.put("data_format", dataFormat);
        }
        if (interpolation != null) {
            m.put("interpolation", interpolation);
        }
        return new ConfigMap(layer, m);
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        long[] d = inputShape.dims();
        for (int i = 0; i < rank; i++) {
            int a = spatialAxis(i);
            if (d[a] != Shape.UNKNOWN) {
                d[a] *= size[i];
            }
        }
        return Shape.of(d);
    }

    @Override
    protected Tensor call(Tensor input, Tensor mask, boolean training) {
        if (interpolation.equals("bilinear")) {
            return PoolOps.resizeBilinear(input, input.dim(spatialAxis(0)) * size[0],
                    input.dim(spatialAxis(1)) * size[1], channelsFirst(), true);
        }
        long[] repeats = new long[input.rank()];
        Arrays.fill(repeats, 1);
        for (int i = 0; i < rank; i++) {
            repeats[spatialAxis(i)] = size[i];
        }
        return PoolOps.repeatElements(input, repeats);
    }

}
