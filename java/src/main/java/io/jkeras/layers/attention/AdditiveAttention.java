package io.jkeras.layers.attention;

import io.jkeras.initializers.Initializers;
import io.jkeras.ops.AttentionOps;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * tf.keras's AdditiveAttention(use_scale=True, causal=False, dropout=0.0): Bahdanau attention, scores =
 * sum(scale * tanh(query[..., :, None, :] + key[..., None, :, :]), -1) with the weight "scale" of shape (dim,)
 * (glorot_uniform) when use_scale. Query, value and key share their last dimension. See
 * {@link BaseDenseAttention} for masks and outputs.
 */
public final class AdditiveAttention extends BaseDenseAttention {
    private static final Set<String> KEYS;

    static {
        Set<String> k = new HashSet<>(keys("use_scale"));
        k.addAll(BASE_KEYS);
        KEYS = Set.copyOf(k);
    }

    private final boolean useScale;
    private Tensor scale;

    public AdditiveAttention() {
        this(true, false, 0.0);
    }

    public AdditiveAttention(boolean useScale) {
        this(useScale, false, 0.0);
    }

    public AdditiveAttention(boolean useScale, boolean causal, double dropout) {
        this(useScale, causal, dropout, null);
    }

    public AdditiveAttention(boolean useScale, boolean causal, double dropout, Long seed) {
        super(causal, dropout, seed);
        this.useScale = useScale;
    }

    private AdditiveAttention(ConfigMap c) {
        super(c, KEYS);
        this.useScale = c.getBoolean("use_scale", true);
    }

    public static AdditiveAttention fromConfig(Map<String, Object> config) {
        return new AdditiveAttention(new ConfigMap("AdditiveAttention", config));
    }

    @Override
    protected void checkDims(Shape q, Shape v, Shape k) {
        if (!compatible(q.dim(-1), k.dim(-1)) || useScale && !compatible(v.dim(-1), k.dim(-1))) {
            throw new IllegalArgumentException("AdditiveAttention " + getName() + ": query, key" + (useScale
                    ? " and value" : "") + " must have the same last dimension, got query " + q + ", value " + v
                    + " and key " + k);
        }
    }

    @Override
    protected void buildWeights(List<Shape> inputShapes) {
        if (useScale) {
            long dim = inputShapes.get(1).dim(-1);
            if (dim == Shape.UNKNOWN) {
                throw new IllegalArgumentException("AdditiveAttention " + getName() + ": the last dimension of value "
                        + "must be defined to size the weight scale, got " + inputShapes.get(1));
            }
            scale = addWeight("scale", new long[] {dim}, Initializers.get("glorot_uniform"), null, null, true);
        }
    }

    @Override
    protected Tensor scores(Tensor query, Tensor key) {
        return AttentionOps.additiveScores(query, key, scale);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("use_scale", useScale);
        return c;
    }
}
