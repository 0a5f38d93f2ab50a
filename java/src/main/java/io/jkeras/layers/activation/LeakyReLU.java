package io.jkeras.layers.activation;

import io.jkeras.layers.Layer;
import io.jkeras.ops.Ops;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Tensor;
import java.util.Map;
import java.util.Set;

/** Keras's LeakyReLU(alpha=0.3): x for x >= 0, alpha * x below. */
public final class LeakyReLU extends Layer {
    private static final Set<String> KEYS = keys("alpha");

    private final double alpha;

    public LeakyReLU() {
        this(0.3);
    }

    public LeakyReLU(double alpha) {
        this.alpha = ActivationArgs.finite("LeakyReLU", "alpha", alpha);
        supportsMasking = true;
    }

    private LeakyReLU(ConfigMap c) {
        super(c);
        c.checkKnown(KEYS);
        this.alpha = ActivationArgs.finite("LeakyReLU", "alpha", c.getDouble("alpha", 0.3));
        supportsMasking = true;
    }

    public static LeakyReLU fromConfig(Map<String, Object> config) {
        return new LeakyReLU(new ConfigMap("LeakyReLU", config));
    }

    public double alpha() {
        return alpha;
    }

    @Override
    protected Tensor call(Tensor input, Tensor mask, boolean training) {
        return Ops.relu(input, (float) alpha, null, 0f);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("alpha", alpha);
        return c;
    }
}
