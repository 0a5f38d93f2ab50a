package io.jkeras.layers.attention;

import io.jkeras.initializers.Initializers;
import io.jkeras.ops.AttentionOps;
import io.jkeras.ops.Ops;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * tf.keras's Attention(use_scale=False, causal=False, dropout=0.0): Luong dot-product attention, scores =
 * query @ key^T, times the scalar weight "scale" (initialised to 1) when use_scale. tf.keras 2.11's
 * score_mode="concat" (scores = concat_score_weight * sum(tanh(scale * (query + key)), -1), a second scalar
 * weight) is supported too. See {@link BaseDenseAttention} for masks and outputs.
 */
public final class Attention extends BaseDenseAttention {
    private static final Set<String> KEYS;

    static {
        Set<String> k = new HashSet<>(keys("use_scale", "score_mode"));
        k.addAll(BASE_KEYS);
        KEYS = Set.copyOf(k);
    }

    private final boolean useScale;
    private final String scoreMode;
    private Tensor scale;
    private Tensor concatScoreWeight;

    public Attention() {
        this(false, false, 0.0);
    }

    public Attention(boolean useScale) {
        this(useScale, false, 0.0);
    }

    public Attention(boolean useScale, boolean causal, double dropout) {
        this(useScale, causal, dropout, null);
    }

    public Attention(boolean useScale, boolean causal, double dropout, Long seed) {
        super(causal, dropout, seed);
        this.useScale = useScale;
        this.scoreMode = "dot";
    }

    private Attention(ConfigMap c) {
        super(c, KEYS);
        this.useScale = c.getBoolean("use_scale", false);
        this.scoreMode = c.getString("score_mode", "dot");
        if (!scoreMode.equals("dot") && !scoreMode.equals("concat")) {
            throw new IllegalArgumentException("Attention: argument 'score_mode' must be \"dot\" or \"concat\", got \""
                    + scoreMode + "\"");
        }
    }

    public static Attention fromConfig(Map<String, Object> config) {
        return new Attention(new ConfigMap("Attention", config));
    }

    @Override
    protected void checkDims(Shape q, Shape v, Shape k) {
        if (!compatible(q.dim(-1), k.dim(-1))) {
            throw new IllegalArgumentException("Attention " + getName() + ": query and key must have the same last "
                    + "dimension, got query " + q + " and key " + k);
        }
    }

    @Override
    protected void buildWeights(List<Shape> inputShapes) {
        if (useScale) {
            scale = addWeight("scale", new long[0], Initializers.get("ones"), null, null, true);
        }
        if (scoreMode.equals("concat")) {
            concatScoreWeight = addWeight("concat_score_weight", new long[0], Initializers.get("ones"), null, null,
                    true);
        }
    }

    @Override
    protected Tensor scores(Tensor query, Tensor key) {
        if (scoreMode.equals("concat")) {
            Tensor q = Ops.expandDims(query, -2);
            Tensor k = Ops.expandDims(key, -3);
            Tensor sum = Ops.add(q, k);
            if (scale != null) {
                sum = Ops.mul(sum, scale);
            }
            return Ops.mul(Ops.sum(Ops.tanh(sum), new int[] {-1}, false), concatScoreWeight);
        }
        Tensor s = AttentionOps.dotScores(query, key);
        return scale == null ? s : Ops.mul(s, scale);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("use_scale", useScale);
        if (!scoreMode.equals("dot")) {
            c.put("score_mode", scoreMode);
        }
        return c;
    }
}
