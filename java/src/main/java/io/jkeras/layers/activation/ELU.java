package io.jkeras.layers.activation;

import io.jkeras.layers.Layer;
import io.jkeras.ops.Ops;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Tensor;
import java.util.Map;
import java.util.Set;

/** Keras's ELU(alpha=1.0): x for x > 0, alpha * (exp(x) - 1) otherwise. */
public final class ELU extends Layer {
    private static final Set<String> KEYS = keys("alpha");

    private final double alpha;

    public ELU() {
        this(1.0);
    }

    public ELU(double alpha) {
        this.alpha = ActivationArgs.finite("ELU", "alpha", alpha);
        supportsMasking = true;
    }

    private ELU(ConfigMap c) {
        super(c);
        c.checkKnown(KEYS);
        this.alpha = ActivationArgs.finite("ELU", "alpha", c.getDouble("alpha", 1.0));
        supportsMasking = true;
    }

    public static ELU fromConfig(Map<String, Object> config) {
        return new ELU(new ConfigMap("ELU", config));
    }

    public double alpha() {
        return alpha;
    }

    @Override
    protected Tensor call(Tensor input, Tensor mask, boolean training) {
        return Ops.elu(input, (float) alpha);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("alpha", alpha);
        return c;
    }
}
