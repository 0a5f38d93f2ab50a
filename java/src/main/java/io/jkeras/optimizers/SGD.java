package io.jkeras.optimizers;

import io.jkeras.layers.Weight;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Tensor;
import java.util.Map;
import java.util.Set;

/**
 * Keras 2's SGD: {@code v = momentum * v - lr * g; w += v} ({@code w += momentum * v - lr * g} with Nesterov
 * momentum); plain {@code w -= lr * g} without momentum.
 */
public final class SGD extends Optimizer {
    private static final Set<String> KEYS = Set.of("lr", "learning_rate", "momentum", "decay", "nesterov", "name",
            "clipnorm", "clipvalue");

    private final float momentum;
    private final boolean nesterov;

    public SGD() {
        this(0.01);
    }

    public SGD(double lr) {
        this(lr, 0.0, 0.0, false);
    }

    public SGD(double lr, double momentum, double decay, boolean nesterov) {
        this(lr, momentum, decay, nesterov, null, null);
    }

    public SGD(double lr, double momentum, double decay, boolean nesterov, Double clipnorm, Double clipvalue) {
        super(lr, decay, clipnorm, clipvalue);
        if (!(momentum >= 0) || Double.isInfinite(momentum)) {
            throw new IllegalArgumentException("SGD: argument 'momentum' must be a number >= 0, got " + momentum);
        }
        this.momentum = (float) momentum;
        this.nesterov = nesterov;
    }

    public static SGD fromConfig(Map<String, Object> config) {
        ConfigMap c = new ConfigMap("SGD", config);
        c.checkKnown(KEYS);
        return new SGD(learningRate(c, 0.01), c.getDouble("momentum", 0.0), c.getDouble("decay", 0.0),
                c.getBoolean("nesterov", false), nullable(c, "clipnorm"), nullable(c, "clipvalue"));
    }

    @Override
    protected void update(Weight w, Tensor g, float lr, long iteration) {
        Tensor v = w.value();
        Tensor velocity = momentum == 0f ? null : slots(w, 1)[0];
        v.backend().sgdUpdate(v, g, velocity, lr, momentum, nesterov);
    }

    public float momentum() {
        return momentum;
    }

    public boolean nesterov() {
        return nesterov;
    }

    @Override
    public String className() {
        return "SGD";
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("momentum", (double) momentum);
        c.put("decay", (double) decay);
        c.put("nesterov", nesterov);
        putClipConfig(c);
        return c;
    }
}
