package io.jkeras.layers.core;

import io.jkeras.layers.Layer;
import io.jkeras.ops.Ops;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Tensor;
import java.util.Map;
import java.util.Set;

/**
 * Masks timesteps whose features all equal mask_value: they are zeroed in the output and the mask (batch, steps)
 * tells later layers (RNNs) to skip them.
 */
public final class Masking extends Layer {
    private static final Set<String> KEYS = keys("mask_value");

    private final double maskValue;

    public Masking() {
        this(0.0);
    }

    public Masking(double maskValue) {
        this.maskValue = maskValue;
        supportsMasking = true;
    }

    private Masking(ConfigMap c) {
        super(c);
        c.checkKnown(KEYS);
        this.maskValue = c.getDouble("mask_value", 0.0);
        supportsMasking = true;
    }

    public static Masking fromConfig(Map<String, Object> config) {
        return new Masking(new ConfigMap("Masking", config));
    }

    /** 1 where some feature differs from mask_value, keeping the feature axis (size 1). */
    private Tensor keep(Tensor input) {
        Tensor differs = Ops.affine(Ops.equal(input, Tensor.scalar((float) maskValue)), -1f, 1f);
        return Ops.max(differs, new int[] {-1}, true);
    }

    @Override
    protected Tensor call(Tensor input, Tensor mask, boolean training) {
        return Ops.mul(input, Ops.stopGradient(keep(input)));
    }

    @Override
    public Tensor computeMask(Tensor input, Tensor mask) {
        Tensor k = keep(input);
        long[] d = k.shape();
        return Ops.reshape(k, java.util.Arrays.copyOf(d, d.length - 1));
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("mask_value", maskValue);
        return c;
    }
}
