package io.jkeras.activations;

import io.jkeras.ops.Ops;
import io.jkeras.tensor.Tensor;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/** Keras's activations by name ("relu", "hard_sigmoid", ...), plus user functions registered by name. */
public final class Activations {
    private static final Map<String, Activation> BY_NAME = new ConcurrentHashMap<>();

    static {
        builtin("linear", x -> x);
        builtin("relu", Ops::relu);
        builtin("elu", x -> Ops.elu(x, 1f));
        builtin("selu", Ops::selu);
        builtin("softplus", Ops::softplus);
        builtin("softsign", Ops::softsign);
        builtin("tanh", Ops::tanh);
        builtin("sigmoid", Ops::sigmoid);
        builtin("hard_sigmoid", Ops::hardSigmoid);
        builtin("exponential", Ops::exponential);
        builtin("softmax", x -> Ops.softmax(x, -1));
    }

    private Activations() {
    }

    private record Named(String name, UnaryOperator<Tensor> f) implements Activation {
        @Override
        public Tensor apply(Tensor x) {
            return f.apply(x);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static void builtin(String name, UnaryOperator<Tensor> f) {
        BY_NAME.put(name, of(name, f));
    }

    /** An activation named name computing f. */
    public static Activation of(String name, UnaryOperator<Tensor> f) {
        return new Named(name, f);
    }

    /** Makes a user function available by name to configs and {@link #get}. */
    public static Activation register(String name, UnaryOperator<Tensor> f) {
        Activation a = of(name, f);
        BY_NAME.put(name, a);
        return a;
    }

    /** The activation for a Keras identifier: a name, null (linear), or an Activation. */
    public static Activation get(Object identifier) {
        if (identifier == null) {
            return BY_NAME.get("linear");
        }
        if (identifier instanceof Activation a) {
            return a;
        }
        if (identifier instanceof String s) {
            Activation a = BY_NAME.get(s);
            if (a == null) {
                throw new IllegalArgumentException("unknown activation function '" + s + "' (known: "
                        + new java.util.TreeSet<>(BY_NAME.keySet()) + "; register your own with Activations.register)");
            }
            return a;
        }
        if (identifier instanceof Map<?, ?> m && m.get("class_name") instanceof String s) {
            return get(s);
        }
        throw new IllegalArgumentException("cannot interpret " + identifier + " as an activation");
    }

    /** What Keras writes in a config: the name. */
    public static String serialize(Activation a) {
        return a.name();
    }
}
