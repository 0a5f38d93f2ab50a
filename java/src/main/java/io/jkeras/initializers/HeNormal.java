package io.jkeras.initializers;

import java.util.LinkedHashMap;
import java.util.Map;

/** He normal: VarianceScaling(2.0, fan_in, truncated_normal); configured by its seed alone. */
public final class HeNormal extends VarianceScaling {
    public HeNormal() {
        this(null);
    }

    public HeNormal(Long seed) {
        super(2.0, "fan_in", "truncated_normal", seed);
    }

    public static HeNormal fromConfig(Map<String, Object> config) {
        return new HeNormal(BuiltinInitializers.config("HeNormal", config, "seed").getNullableLong("seed"));
    }

    @Override
    public String className() {
        return "HeNormal";
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seed", seed());
        return m;
    }
}
