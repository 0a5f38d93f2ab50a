package io.jkeras.layers.activation;

import io.jkeras.layers.Layer;
import io.jkeras.ops.Ops;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Tensor;
import java.util.Map;
import java.util.Set;

/** Keras's ThresholdedReLU(theta=1.0): x where x > theta, else 0. */
public final class ThresholdedReLU extends Layer {
    private static final Set<String> KEYS = keys("theta");

    private final double theta;

    public ThresholdedReLU() {
        this(1.0);
    }

    public ThresholdedReLU(double theta) {
        this.theta = ActivationArgs.finite("ThresholdedReLU", "theta", theta);
        supportsMasking = true;
    }

    private ThresholdedReLU(ConfigMap c) {
        super(c);
        c.checkKnown(KEYS);
        this.theta = ActivationArgs.finite("ThresholdedReLU", "theta", c.getDouble("theta", 1.0));
        supportsMasking = true;
    }

    public static ThresholdedReLU fromConfig(Map<String, Object> config) {
        return new ThresholdedReLU(new ConfigMap("ThresholdedReLU", config));
    }

    public double theta() {
        return theta;
    }

    @Override
    protected Tensor call(Tensor input, Tensor mask, boolean training) {
        return Ops.thresholdedRelu(input, (float) theta);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("theta", theta);
        return c;
    }
}
