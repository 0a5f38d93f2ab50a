package io.jkeras.layers.activation;

import io.jkeras.layers.Layer;
import io.jkeras.ops.Ops;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Tensor;
import java.util.Map;
import java.util.Set;

/**
 * Keras's ReLU(max_value=None, negative_slope=0, threshold=0), i.e. K.relu: x for threshold &lt; x (capped
 * at max_value when given), negative_slope * (x - threshold) below.
 */
public final class ReLU extends Layer {
    private static final Set<String> KEYS = keys("max_value", "negative_slope", "threshold");

    private final Double maxValue;
    private final double negativeSlope;
    private final double threshold;

    public ReLU() {
        this(null, 0.0, 0.0);
    }

    /** maxValue: null for none. */
    public ReLU(Double maxValue, double negativeSlope, double threshold) {
        this.maxValue = maxValue == null ? null : ActivationArgs.nonNegative("ReLU", "max_value", maxValue);
        this.negativeSlope = ActivationArgs.nonNegative("ReLU", "negative_slope", negativeSlope);
        this.threshold = ActivationArgs.finite("ReLU", "threshold", threshold);
        supportsMasking = true;
    }

    private ReLU(ConfigMap c) {
        this(c, c.getNullableDouble("max_value"));
    }

    private ReLU(ConfigMap c, Double maxValue) {
        super(c);
        c.checkKnown(KEYS);
        this.maxValue = maxValue == null ? null : ActivationArgs.nonNegative("ReLU", "max_value", maxValue);
        this.negativeSlope = ActivationArgs.nonNegative("ReLU", "negative_slope", c.getDouble("negative_slope", 0));
        this.threshold = ActivationArgs.finite("ReLU", "threshold", c.getDouble("threshold", 0));
        supportsMasking = true;
    }

    public static ReLU fromConfig(Map<String, Object> config) {
        return new ReLU(new ConfigMap("ReLU", config));
    }

    @Override
    protected Tensor call(Tensor input, Tensor mask, boolean training) {
        return Ops.relu(input, (float) negativeSlope, maxValue == null ? null : maxValue.floatValue(),
                (float) threshold);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("max_value", maxValue);
        c.put("negative_slope", negativeSlope);
        c.put("threshold", threshold);
        return c;
    }
}
