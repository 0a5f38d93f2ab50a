package io.jkeras.constraints;

import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** A user's constraint: a Java function from the weight to its projection (of the same shape), with a name. */
public final class CustomConstraint implements Constraint {
    private final String name;
    private final Function<Tensor, Tensor> fn;

    private CustomConstraint(String name, Function<Tensor, Tensor> fn) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("CustomConstraint: argument 'name' must be a non-empty string");
        }
        this.name = name;
        this.fn = fn;
    }

    /** A constraint named name that projects w to fn(w). */
    public static CustomConstraint of(String name, Function<Tensor, Tensor> fn) {
        return new CustomConstraint(name, fn);
    }

    /** As {@link #of}, and registered under name so that configs naming it load. */
    public static CustomConstraint register(String name, Function<Tensor, Tensor> fn) {
        CustomConstraint c = of(name, fn);
        Constraints.register(name, config -> c);
        return c;
    }

    @Override
    public Tensor apply(Tensor w) {
        Tensor p = fn.apply(w);
        if (!Arrays.equals(p.shape(), w.shape())) {
            throw new IllegalStateException("constraint '" + name + "' returned a tensor of shape " + p.getShape()
                    + " for a weight of shape " + Shape.of(w.shape()));
        }
        return p;
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
