package io.jkeras.initializers;

import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** A user's initializer: a Java function of the shape, known by a name (its class name in configs). */
public final class CustomInitializer implements Initializer {
    private final String name;
    private final Function<long[], Tensor> fn;

    private CustomInitializer(String name, Function<long[], Tensor> fn) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("CustomInitializer: argument 'name' must be a non-empty string");
        }
        this.name = name;
        this.fn = fn;
    }

    /** An initializer named name whose values are fn(shape); fn must return a tensor of that shape. */
    public static CustomInitializer of(String name, Function<long[], Tensor> fn) {
        return new CustomInitializer(name, fn);
    }

    /** As {@link #of}, and registered under name so that configs naming it load. */
    public static CustomInitializer register(String name, Function<long[], Tensor> fn) {
        CustomInitializer init = of(name, fn);
        Initializers.register(name, config -> init);
        return init;
    }

    @Override
    public Tensor apply(long... shape) {
        Tensor t = fn.apply(shape.clone());
        if (!Arrays.equals(t.shape(), shape)) {
            throw new IllegalStateException("initializer '" + name + "' returned a tensor of shape " + t.getShape()
                    + " for shape " + Shape.of(shape));
        }
        return t;
    }

    @Override
    public String className() {
        return name;
    }

    @Override
    public Map<String, Object> getConfig() {
        return new LinkedHashMap<>();
    }
}
