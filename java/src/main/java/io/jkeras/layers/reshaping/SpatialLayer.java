package io.jkeras.layers.reshaping;

import io.jkeras.layers.InputSpec;
import io.jkeras.layers.Layer;
import io.jkeras.layers.core.DataFormats;
import io.jkeras.saving.ConfigMap;

/**
 * What the reshaping layers share: a rank (1, 2 or 3 spatial axes), a data_format (1-D layers have none: their
 * input is (batch, steps, features)), and where the spatial axes are.
 */
public abstract class SpatialLayer extends Layer {
    protected final int rank;
    protected final String dataFormat;

    protected SpatialLayer(int rank, ConfigMap c) {
        super(c);
        this.rank = rank;
        this.dataFormat = rank == 1 ? DataFormats.CHANNELS_LAST
                : DataFormats.check(className(), c.getString("data_format", DataFormats.CHANNELS_LAST));
        setInputSpec(InputSpec.ndim(rank + 2));
    }

    protected boolean channelsFirst() {
        return dataFormat.equals(DataFormats.CHANNELS_FIRST);
    }

    /** The input axis of spatial axis i. */
    protected int spatialAxis(int i) {
        return channelsFirst() ? 2 + i : 1 + i;
    }

    protected static String axisName(int rank, int i) {
        if (rank == 1) {
            return "steps";
        }
        String[] names = rank == 2 ? new String[] {"rows", "columns"} : new String[] {"dim1", "dim2", "dim3"};
        return names[i];
    }
}
