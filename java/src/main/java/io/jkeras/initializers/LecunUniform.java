package io.jkeras.initializers;

import java.util.LinkedHashMap;
import java.util.Map;

/** LeCun uniform: VarianceScaling(1.0, fan_in, uniform); configured by its seed alone. */
public final class LecunUniform extends VarianceScaling {
    public LecunUniform() {
        this(null);
    }

    public LecunUniform(Long seed) {
        super(1.0, "fan_in", "uniform", seed);
    }

    public static LecunUniform fromConfig(Map<String, Object> config) {
        return new LecunUniform(BuiltinInitializers.config("LecunUniform", config, "seed").getNullableLong("seed"));
    }

    @Override
    public String className() {
        return "LecunUniform";
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seed", seed());
        return m;
    }
}
