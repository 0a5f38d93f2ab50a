package io.jkeras.layers.pooling;

import io.jkeras.backend.PoolDesc;
import io.jkeras.layers.InputSpec;
import io.jkeras.layers.Layer;
import io.jkeras.layers.conv.ConvUtils;
import io.jkeras.layers.core.DataFormats;
import io.jkeras.ops.PoolOps;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Keras's pooling base (MaxPooling1D/2D/3D, AveragePooling1D/2D/3D): pool_size (default 2 on every axis),
 * strides (None: pool_size), padding (valid or same; same-padded average pooling does not count the padding),
 * data_format. One native pooling op serves both data formats.
 */
public abstract class Pooling extends Layer {
    protected static final Set<String> KEYS = keys("pool_size", "strides", "padding", "data_format");

    protected final int rank;
    protected final PoolDesc.Algorithm algorithm;
    protected final long[] poolSize;
    protected final long[] strides;
    protected final String padding;
    protected final String dataFormat;

    /** Reads every argument from a Keras config (the Java constructors build one). */
    protected Pooling(int rank, PoolDesc.Algorithm algorithm, ConfigMap c) {
        super(c);
        c.checkKnown(KEYS);
        this.rank = rank;
        this.algorithm = algorithm;
        String layer = className();
        this.poolSize = c.getPositiveLongs("pool_size", rank, twos(rank));
        this.strides = c.getPositiveLongs("strides", rank, poolSize.clone());
        this.padding = ConvUtils.checkPadding(layer, c.getString("padding", "valid"), false);
        this.dataFormat = DataFormats.check(layer, c.getString("data_format", DataFormats.CHANNELS_LAST));
        setInputSpec(InputSpec.ndim(rank + 2));
    }

    /** The config of the common constructors: pool_size and strides on every axis (strides null: pool_size). */
    protected static ConfigMap args(String layer, int poolSize, Integer strides, String padding, String dataFormat) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pool_size", poolSize);
        m.put("strides", strides);
        m.put("padding", padding);
        m.put("data_format", dataFormat);
        return new ConfigMap(layer, m);
    }

    static long[] twos(int n) {
        long[] a = new long[n];
        Arrays.fill(a, 2);
        return a;
    }

    protected boolean channelsFirst() {
        return dataFormat.equals(DataFormats.CHANNELS_FIRST);
    }

    private int spatialAxis(int i) {
        return channelsFirst() ? 2 + i : 1 + i;
    }

    /** Output lengths for the spatial sizes of an input; a pool that does not fit a valid-padded axis fails. */
    private long[] outputSizes(Shape s) {
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            long in = s.dim(spatialAxis(i));
            out[i] = ConvUtils.outputLength(in, poolSize[i], padding, strides[i], 1);
            if (in != Shape.UNKNOWN && out[i] <= 0) {
                throw new IllegalArgumentException(className() + " " + getName() + ": argument 'pool_size' "
                        + Arrays.toString(poolSize) + " is larger than the input (" + in + ") on spatial axis " + i
                        + " with padding \"" + padding + "\"; input shape " + s);
            }
        }
        return out;
    }

    /** The descriptor of this layer's pooling for an input of the given shape. */
    protected PoolDesc desc(long[] inShape) {
        Shape s = Shape.of(inShape);
        long[] out = outputSizes(s);
        long[] in = new long[rank];
        long[] pb = new long[rank];
        long[] pe = new long[rank];
        for (int i = 0; i < rank; i++) {
            in[i] = inShape[spatialAxis(i)];
            long[] p = ConvUtils.padding(in[i], out[i], poolSize[i], padding, strides[i], 1);
            pb[i] = p[0];
            pe[i] = p[1];
        }
        return new PoolDesc(rank, channelsFirst(), algorithm, inShape[0], inShape[channelsFirst() ? 1 : rank + 1], in,
                out, poolSize, strides, pb, pe);
    }

    @Override
    protected Tensor call(Tensor input, Tensor mask, boolean training) {
        return PoolOps.pool(input, desc(input.shape()));
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        long[] out = outputSizes(inputShape);
        long[] d = inputShape.dims();
        for (int i = 0; i < rank; i++) {
            d[spatialAxis(i)] = out[i];
        }
        return Shape.of(d);
    }


    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        if (rank == 1) {  // Keras 2's Pooling1D writes its keys in this order
            c.put("strides", ConfigMap.list(strides));
            c.put("pool_size", ConfigMap.list(poolSize));
        } else {
            c.put("pool_size", ConfigMap.list(poolSize));
        }
        c.put("padding", padding);
        if (rank != 1) {
            c.put("strides", ConfigMap.list(strides));
        }
        c.put("data_format", dataFormat);
        return c;
    }
}
