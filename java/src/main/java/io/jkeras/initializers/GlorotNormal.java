package io.jkeras.initializers;

import java.util.LinkedHashMap;
import java.util.Map;

/** Glorot (Xavier) normal: VarianceScaling(1.0, fan_avg, truncated_normal); configured by its seed alone. */
public final class GlorotNormal extends VarianceScaling {
    public GlorotNormal() {
        this(null);
    }

    public GlorotNormal(Long seed) {
        super(1.0, "fan_avg", "truncated_normal", seed);
    }

    public static GlorotNormal fromConfig(Map<String, Object> config) {
        return new GlorotNormal(BuiltinInitializers.config("GlorotNormal", config, "seed").getNullableLong("seed"));
    }

    @Override
    public String className() {
        return "GlorotNormal";
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seed", seed());
        return m;
    }
}
