package io.jkeras.initializers;

import java.util.LinkedHashMap;
import java.util.Map;

/** LeCun normal: VarianceScaling(1.0, fan_in, truncated_normal); configured by its seed alone. */
public final class LecunNormal extends VarianceScaling {
    public LecunNormal() {
        this(null);
    }

    public LecunNormal(Long seed) {
        super(1.0, "fan_in", "truncated_normal", seed);
    }

    public static LecunNormal fromConfig(Map<String, Object> config) {
        return new LecunNormal(BuiltinInitializers.config("LecunNormal", config, "seed").getNullableLong("seed"));
    }

    @Override
    public String className() {
        return "LecunNormal";
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seed", seed());
        return m;
    }
}
