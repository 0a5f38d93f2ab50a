package io.jkeras.layers.reshaping;

import io.jkeras.saving.ConfigMap;
import java.util.List;
import java.util.Map;

/** Keras's ZeroPadding1D: zeros before and after the steps of (batch, steps, features) inputs. */
public final class ZeroPadding1D extends ZeroPadding {
    /** Keras's default: one zero step at each end. */
    public ZeroPadding1D() {
        this(1, 1);
    }

    public ZeroPadding1D(long padding) {
        this(padding, padding);
    }

    public ZeroPadding1D(long before, long after) {
        this(args("ZeroPadding1D", List.of(before, after), null));
    }

    private ZeroPadding1D(ConfigMap c) {
        super(1, c);
    }

    /** {"padding": [1, 2]} or {"padding": 1}. */
    public static ZeroPadding1D fromConfig(Map<String, Object> config) {
        return new ZeroPadding1D(new ConfigMap("ZeroPadding1D", config));
    }
}
