package io.jkeras.initializers;

import java.util.LinkedHashMap;
import java.util.Map;

/** He uniform: VarianceScaling(2.0, fan_in, uniform); configured by its seed alone. */
public final class HeUniform extends VarianceScaling {
    public HeUniform() {
        this(null);
    }

    public HeUniform(Long seed) {
        super(2.0, "fan_in", "uniform", seed);
    }

    public static HeUniform fromConfig(Map<String, Object> config) {
        return new HeUniform(BuiltinInitializers.config("HeUniform", config, "seed").getNullableLong("seed"));
    }

    @Override
    public String className() {
        return "HeUniform";
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seed", seed());
        return m;
    }
}
