package io.jkeras.ops;

import io.jkeras.tensor.Tensor;

/**
 * The dense attention of tf.keras 2.x (Attention, AdditiveAttention) as compositions of {@link Ops}: scores,
 * masking, softmax, dropout on the distribution and its product with the values.
 */
public final class AttentionOps {
    /** What Keras subtracts from the scores of masked positions (float32). */
    public static final float MASKED_SCORE_BIAS = 1e9f;

    private AttentionOps() {
    }

    /** Luong scores: query @ key^T, [..., Tq, dim] x [..., Tv, dim] -> [..., Tq, Tv]. */
    public static Tensor dotScores(Tensor query, Tensor key) {
        return Ops.matmul(query, key, false, true);
    }

    /**
     * Bahdanau scores: sum(scale * tanh(query[..., :, None, :] + key[..., None, :, :]), -1); scale (dim,) or
     * a scalar, null for none.
     */
    public static Tensor additiveScores(Tensor query, Tensor key, Tensor scale) {
        Tensor q = Ops.expandDims(query, -2);
        Tensor k = Ops.expandDims(key, -3);
        Tensor t = Ops.tanh(Ops.add(q, k));
        if (scale != null) {
            t = Ops.mul(t, scale);
        }
        return Ops.sum(t, new int[] {-1}, false);
    }

    /**
     * The lower-triangular causal mask (1 where row >= column, else 0) of shape (tq, tv). A constant built on the
     * host; a native iota / triangular-fill primitive would avoid the upload.
     */
    public static Tensor lowerTriangularMask(long tq, long tv) {
        float[] m = new float[Math.toIntExact(Math.multiplyExact(tq, tv))];
        for (int i = 0; i < tq; i++) {
            for (int j = 0; j <= i && j < tv; j++) {
                m[(int) (i * tv + j)] = 1f;
            }
        }
        return Tensor.of(m, tq, tv);
    }

    /**
     * softmax(scores - 1e9 * (1 - mask)) over the last axis, dropout on it in training (rate > 0), then its
     * product with value. mask (0/1, broadcast against scores) may be null. Returns {result, distribution}.
     */
    public static Tensor[] applyScores(Tensor scores, Tensor value, Tensor mask, float dropout, boolean training,
            RandomStream rng) {
        if (mask != null) {
            scores = Ops.add(scores, Ops.affine(mask, MASKED_SCORE_BIAS, -MASKED_SCORE_BIAS));
        }
        Tensor weights = Ops.softmax(scores, -1);
        if (training && dropout > 0f) {
            weights = Ops.dropout(weights, dropout, null, rng);
        }
        return new Tensor[] {Ops.matmul(weights, value), weights};
    }
}
