package io.jkeras.initializers;

import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/** Every element set to one value. */
public final class Constant implements Initializer {
    private final double value;

    public Constant() {
        this(0.0);
    }

    public Constant(double value) {
        this.value = value;
    }

    public static Constant fromConfig(Map<String, Object> config) {
        ConfigMap c = BuiltinInitializers.config("Constant", config, "value", "verify_shape");
        return new Constant(c.getDouble("value", 0.0));
    }

    @Override
    public Tensor apply(long... shape) {
        return Tensor.full((float) value, shape);
    }

    @Override
    public String className() {
        return "Constant";
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("value", value);
        return m;
    }
}
