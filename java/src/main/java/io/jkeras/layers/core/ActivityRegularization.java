package io.jkeras.layers.core;

import io.jkeras.layers.Layer;
import io.jkeras.regularizers.L1L2;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Tensor;
import java.util.Map;
import java.util.Set;

/** The identity, adding l1 * sum|x| + l2 * sum x^2 of its input (per sample) to the training loss. */
public final class ActivityRegularization extends Layer {
    private static final Set<String> KEYS = keys("l1", "l2");

    private final double l1;
    private final double l2;

    public ActivityRegularization(double l1, double l2) {
        this.l1 = check("l1", l1);
        this.l2 = check("l2", l2);
        setActivityRegularizer(new L1L2(l1, l2));
        supportsMasking = true;
    }

    private ActivityRegularization(ConfigMap c) {
        super(c);
        c.checkKnown(KEYS);
        this.l1 = check("l1", c.getDouble("l1", 0));
        this.l2 = check("l2", c.getDouble("l2", 0));
        setActivityRegularizer(new L1L2(l1, l2));
        supportsMasking = true;
    }

    private static double check(String arg, double v) {
        if (!(v >= 0)) {
            throw new IllegalArgumentException("ActivityRegularization: argument '" + arg + "' must be >= 0, got " + v);
        }
        return v;
    }

    public static ActivityRegularization fromConfig(Map<String, Object> config) {
        return new ActivityRegularization(new ConfigMap("ActivityRegularization", config));
    }

    @Override
    protected Tensor call(Tensor input, Tensor mask, boolean training) {
        return input;
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("l1", l1);
        c.put("l2", l2);
        return c;
    }
}
