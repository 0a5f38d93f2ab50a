package io.jkeras.initializers;

import java.util.LinkedHashMap;
import java.util.Map;

/** Glorot (Xavier) uniform: VarianceScaling(1.0, fan_avg, uniform); configured by its seed alone. */
public final class GlorotUniform extends VarianceScaling {
    public GlorotUniform() {
        this(null);
    }

    public GlorotUniform(Long seed) {
        super(1.0, "fan_avg", "uniform", seed);
    }

    public static GlorotUniform fromConfig(Map<String, Object> config) {
        return new GlorotUniform(BuiltinInitializers.config("GlorotUniform", config, "seed").getNullableLong("seed"));
    }

    @Override
    public String className() {
        return "GlorotUniform";
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seed", seed());
        return m;
    }
}
