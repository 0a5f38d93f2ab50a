package io.jkeras.initializers;

import io.jkeras.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/** All ones. */
public final class Ones implements Initializer {
    public static Ones fromConfig(Map<String, Object> config) {
        BuiltinInitializers.config("Ones", config);
        return new Ones();
    }

    @Override
    public Tensor apply(long... shape) {
        return Tensor.ones(shape);
    }

    @Override
    public String className() {
        return "Ones";
    }

    @Override
    public Map<String, Object> getConfig() {
        return new LinkedHashMap<>();
    }
}
