package io.jkeras.initializers;

import io.jkeras.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/** All zeros. */
public final class Zeros implements Initializer {
    public static Zeros fromConfig(Map<String, Object> config) {
        BuiltinInitializers.config("Zeros", config);
        return new Zeros();
    }

    @Override
    public Tensor apply(long... shape) {
        return Tensor.zeros(shape);
    }

    @Override
    public String className() {
        return "Zeros";
    }

    @Override
    public Map<String, Object> getConfig() {
        return new LinkedHashMap<>();
    }
}
