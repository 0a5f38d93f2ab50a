package io.jkeras.layers.reshaping;

import io.jkeras.saving.ConfigMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Keras's UpSampling3D: repeats the elements of volumes size = (dim1, dim2, dim3) times along each axis. */
public final class UpSampling3D extends UpSampling {
    private static final Set<String> KEYS = keys("size", "data_format");

    /** Keras's defaults: size (2, 2, 2), channels_last. */
    public UpSampling3D() {
        this(2);
    }

    public UpSampling3D(int size) {
        this(size, size, size, "channels_last");
    }

    public UpSampling3D(int dim1, int dim2, int dim3, String dataFormat) {
        this(args("UpSampling3D", List.of(dim1, dim2, dim3), dataFormat, null));
    }

    private UpSampling3D(ConfigMap c) {
        super(3, c, KEYS);
    }

    /** {"size": [2, 2, 3], "data_format": "channels_last"}. */
    public static UpSampling3D fromConfig(Map<String, Object> config) {
        return new UpSampling3D(new ConfigMap("UpSampling3D", config));
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("size", ConfigMap.list(size));
        c.put("data_format", dataFormat);
        return c;
    }
}
