package io.jkeras.layers.attention;

import io.jkeras.layers.Layer;
import io.jkeras.ops.AttentionOps;
import io.jkeras.ops.Ops;
import io.jkeras.ops.RandomStream;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * tf.keras 2.x's BaseDenseAttention: inputs [query, value] or [query, value, key] (key defaults to value), of
 * shapes [batch, Tq, dim], [batch, Tv, dim_v], [batch, Tv, dim]; masks [query_mask, value_mask] of shapes
 * [batch, Tq] and [batch, Tv] (0/1; further masks are ignored, as in Keras). Scores [batch, Tq, Tv] come from
 * the subclass; positions where the value mask is 0 (or, when causal, j &gt; i) get -1e9; softmax over Tv,
 * dropout on the distribution in training, product with value; rows of a masked query are zeroed. Output
 * [batch, Tq, dim_v], and the distribution [batch, Tq, Tv] as a second output when
 * {@link #setReturnAttentionScores return_attention_scores} is set. The output mask is the query mask.
 */
public abstract class BaseDenseAttention extends Layer {
    protected static final Set<String> BASE_KEYS = Set.of("causal", "dropout", "seed");

    private final boolean causal;
    private final double dropout;
    private final Long seed;
    private final RandomStream rng;
    private boolean returnAttentionScores;

    protected BaseDenseAttention(boolean causal, double dropout, Long seed) {
        this.causal = causal;
        this.dropout = checkDropout(dropout);
        this.seed = seed;
        this.rng = RandomStream.of(seed);
        supportsMasking = true;
    }

    protected BaseDenseAttention(ConfigMap c, Set<String> known) {
        super(c);
        c.checkKnown(known);
        this.causal = c.getBoolean("causal", false);
        this.dropout = checkDropout(c.getDouble("dropout", 0.0));
        this.seed = c.getNullableLong("seed");
        this.rng = RandomStream.of(seed);
        supportsMasking = true;
    }

    private double checkDropout(double d) {
        if (!(d >= 0 && d < 1)) {
            throw new IllegalArgumentException(className() + ": argument 'dropout' must be a number in [0, 1), got "
                    + d);
        }
        return d;
    }

    public boolean causal() {
        return causal;
    }

    public double dropout() {
        return dropout;
    }

    /**
     * Keras's call argument return_attention_scores: when set, the layer has two outputs, the attention result
     * and the distribution (after masking, softmax and dropout). Set it before the layer is used in a graph.
     */
    public BaseDenseAttention setReturnAttentionScores(boolean r) {
        this.returnAttentionScores = r;
        return this;
    }

    public boolean returnsAttentionScores() {
        return returnAttentionScores;
    }

    /** Calls the layer on symbolic inputs with return_attention_scores: [result, scores]. */
    public List<io.jkeras.layers.KerasTensor> applyWithScores(List<io.jkeras.layers.KerasTensor> inputs) {
        setReturnAttentionScores(true);
        return applyMulti(inputs);
    }

    /** Scores [..., Tq, Tv] of query [..., Tq, dim] against key [..., Tv, dim]. */
    protected abstract Tensor scores(Tensor query, Tensor key);

    /** Extra shape requirements of the subclass (dims of query and key). */
    protected void checkDims(Shape query, Shape value, Shape key) {
    }

    protected void checkInputs(List<Shape> shapes) {
        if (shapes.size() < 2 || shapes.size() > 3) {
            throw new IllegalArgumentException(className() + " layer accepts inputs list of length 2 or 3, namely "
                    + "[query, value] or [query, value, key]. Received length: " + shapes.size() + " (layer "
                    + getName() + ")");
        }
        Shape q = shapes.get(0), v = shapes.get(1), k = shapes.size() > 2 ? shapes.get(2) : v;
        int rank = q.rank();
        if (rank < 3 || v.rank() != rank || k.rank() != rank) {
            throw new IllegalArgumentException(className() + " " + getName() + ": query, value and key must have the "
                    + "same rank (>= 3: [batch, T, dim]), got shapes " + shapes);
        }
        for (int i = 0; i < rank - 2; i++) {
            if (!compatible(q.dim(i), v.dim(i)) || !compatible(q.dim(i), k.dim(i))) {
                throw new IllegalArgumentException(className() + " " + getName() + ": the batch dimensions of query, "
                        + "value and key differ: " + shapes);
            }
        }
        if (!compatible(v.dim(-2), k.dim(-2))) {
            throw new IllegalArgumentException(className() + " " + getName() + ": value and key must have the same "
                    + "number of steps Tv, got value " + v + " and key " + k);
        }
        checkDims(q, v, k);
    }

    protected static boolean compatible(long a, long b) {
        return a == Shape.UNKNOWN || b == Shape.UNKNOWN || a == b;
    }

    @Override
    protected void doBuild(List<Shape> inputShapes) {
        checkInputs(inputShapes);
        buildWeights(inputShapes);
    }

    /** Creates the weights (the subclass's scale). */
    protected void buildWeights(List<Shape> inputShapes) {
    }

    @Override
    public List<Shape> computeOutputShape(List<Shape> shapes) {
        checkInputs(shapes);
        Shape q = shapes.get(0), v = shapes.get(1);
        Shape out = q.withDim(-1, v.dim(-1));
        if (!returnAttentionScores) {
            return List.of(out);
        }
        return List.of(out, q.withDim(-1, v.dim(-2)));
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        return computeOutputShape(List.of(inputShape)).get(0);
    }

    private void checkMasks(List<Tensor> inputs, List<Tensor> masks) {
        if (masks != null && (masks.size() < 2 || masks.size() > inputs.size())) {
            throw new IllegalArgumentException(className() + " layer mask must be a list of length 2, namely "
                    + "[query_mask, value_mask]. Received length: " + masks.size() + " (layer " + getName() + ")");
        }
    }

    @Override
    protected List<Tensor> call(List<Tensor> inputs, List<Tensor> masks, boolean training) {
        List<Shape> shapes = new ArrayList<>();
        for (Tensor t : inputs) {
            shapes.add(t.getShape());
        }
        checkInputs(shapes);
        checkMasks(inputs, masks);
        Tensor q = inputs.get(0), v = inputs.get(1), k = inputs.size() > 2 ? inputs.get(2) : v;
        Tensor qMask = masks == null ? null : masks.get(0);
        Tensor vMask = masks == null ? null : masks.get(1);
        Tensor s = scores(q, k);
        Tensor scoresMask = null;
        if (vMask != null) {
            scoresMask = Ops.expandDims(checkMask(vMask, v, "value"), -2);
        }
        if (causal) {
            Tensor tri = AttentionOps.lowerTriangularMask(s.dim(-2), s.dim(-1));
            scoresMask = scoresMask == null ? tri : Ops.mul(scoresMask, tri);
        }
        Tensor[] r = AttentionOps.applyScores(s, v, scoresMask, (float) dropout, training, rng);
        Tensor result = r[0];
        if (qMask != null) {
            result = Ops.mul(result, Ops.expandDims(checkMask(qMask, q, "query"), -1));
        }
        return returnAttentionScores ? List.of(result, r[1]) : List.of(result);
    }

    private Tensor checkMask(Tensor mask, Tensor input, String what) {
        long[] want = Arrays.copyOf(input.shape(), input.rank() - 1);
        if (!Arrays.equals(mask.shape(), want)) {
            throw new IllegalArgumentException(className() + " " + getName() + ": the " + what + " mask must have "
                    + "shape " + Shape.of(want) + " for a " + what + " of shape " + input.getShape() + ", got "
                    + mask.getShape());
        }
        return mask;
    }

    @Override
    protected Tensor call(Tensor input, Tensor mask, boolean training) {
        return call(List.of(input), null, training).get(0);
    }

    @Override
    public List<Tensor> computeMask(List<Tensor> inputs, List<Tensor> masks) {
        checkMasks(inputs, masks);
        Tensor q = masks == null ? null : masks.get(0);
        List<Tensor> out = new ArrayList<>();
        out.add(q);
        if (returnAttentionScores) {
            out.add(null);
        }
        return out;
    }

    @Override
    public Tensor computeMask(Tensor input, Tensor mask) {
        throw new IllegalArgumentException(className() + " layer must be called on a list of inputs, namely "
                + "[query, value] or [query, value, key] (layer " + getName() + ")");
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("causal", causal);
        c.put("dropout", dropout);
        if (seed != null) {
            c.put("seed", seed);
        }
        return c;
    }
}
