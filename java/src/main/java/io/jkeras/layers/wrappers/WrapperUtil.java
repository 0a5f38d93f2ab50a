package io.jkeras.layers.wrappers;

import io.jkeras.layers.Layer;
import io.jkeras.layers.Layers;
import java.util.Map;

/** Reading the wrapped layer of a wrapper's config. */
final class WrapperUtil {
    private WrapperUtil() {
    }

    /** A layer from a config value: a Layer, or its serialized {"class_name", "config"}. */
    static Layer layerFrom(Object o, String owner) {
        if (o instanceof Layer l) {
            return l;
        }
        if (o instanceof Map<?, ?> m) {
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) m;
            return Layers.deserialize(map);
        }
        throw new IllegalArgumentException(owner + ": argument 'layer' must be a Layer or a serialized layer "
                + "{\"class_name\", \"config\"}, got " + o);
    }
}
