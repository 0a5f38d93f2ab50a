package io.jkeras.regularizers;

import io.jkeras.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** A user's regularizer: a Java function from the weight to its scalar penalty (built from ops), with a name. */
public final class CustomRegularizer implements Regularizer {
    private final String name;
    private final Function<Tensor, Tensor> fn;

    private CustomRegularizer(String name, Function<Tensor, Tensor> fn) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("CustomRegularizer: argument 'name' must be a non-empty string");
        }
        this.name = name;
        this.fn = fn;
    }

    /** A regularizer named name whose penalty is fn(x); fn should compose ops so that the penalty has a gradient. */
    public static CustomRegularizer of(String name, Function<Tensor, Tensor> fn) {
        return new CustomRegularizer(name, fn);
    }

    /** As {@link #of}, and registered under name so that configs naming it load. */
    public static CustomRegularizer register(String name, Function<Tensor, Tensor> fn) {
        CustomRegularizer reg = of(name, fn);
        Regularizers.register(name, config -> reg);
        return reg;
    }

    @Override
    public Tensor apply(Tensor x) {
        Tensor p = fn.apply(x);
        if (p.size() != 1) {
            throw new IllegalStateException("regularizer '" + name + "' returned a tensor of shape " + p.getShape()
                    + "; a penalty is a scalar");
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
