package io.jkeras.layers.core;

import io.jkeras.activations.Activations;
import io.jkeras.layers.Layer;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Tensor;
import java.util.Map;
import java.util.Set;

/** Applies an activation function to its input. */
public final class Activation extends Layer {
    private static final Set<String> KEYS = keys("activation");

    private final io.jkeras.activations.Activation activation;

    /** activation: a name ("relu") or an {@link io.jkeras.activations.Activation}. */
    public Activation(Object activation) {
        this.activation = Activations.get(activation);
        supportsMasking = true;
    }

    private Activation(ConfigMap c) {
        super(c);
        c.checkKnown(KEYS);
        if (!c.has("activation")) {
            throw new IllegalArgumentException("Activation: argument 'activation' is required");
        }
        this.activation = Activations.get(c.get("activation"));
        supportsMasking = true;
    }

    public static Activation fromConfig(Map<String, Object> config) {
        return new Activation(new ConfigMap("Activation", config));
    }

    @Override
    protected Tensor call(Tensor input, Tensor mask, boolean training) {
        return activation.apply(input);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("activation", Activations.serialize(activation));
        return c;
    }
}
