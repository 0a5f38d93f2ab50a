package io.jkeras.layers.attention;

import static io.jkeras.layers.merge.GradientChecks.size;
import static io.jkeras.layers.merge.GradientChecks.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.layers.KerasTensor;
import io.jkeras.layers.Layer;
import io.jkeras.layers.Layers;
import io.jkeras.layers.Weight;
import io.jkeras.layers.core.Masking;
import io.jkeras.layers.merge.GradientChecks;
import io.jkeras.models.Input;
import io.jkeras.models.Model;
import io.jkeras.saving.Json;
import io.jkeras.tensor.Scope;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import io.jkeras.testing.Golden;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Attention and AdditiveAttention against a float64 loop (scores, value / causal masks, softmax, query mask),
 * gradients, dropout, return_attention_scores, shapes, masks, configs and errors.
 */
class AttentionLayersTest {
    private Scope scope;

    @BeforeEach
    void open() {
        scope = Scope.open();
    }

    @AfterEach
    void close() {
        scope.close();
    }

    /** {result, distribution} of tf.keras's dense attention, in double. qm / vm: 0/1 masks or null. */
    static float[][] reference(boolean additive, float[] scale, boolean causal, float[] q, float[] v, float[] k,
            long b, long tq, long tv, long dim, long dv, float[] qm, float[] vm) {
        float[] out = new float[(int) (b * tq * dv)];
        float[] dist = new float[(int) (b * tq * tv)];
        for (int n = 0; n < b; n++) {
            for (int i = 0; i < tq; i++) {
                double[] s = new double[(int) tv];
                for (int j = 0; j < tv; j++) {
                    double a = 0;
                    for (int d = 0; d < dim; d++) {
                        double qv = q[(int) ((n * tq + i) * dim + d)], kv = k[(int) ((n * tv + j) * dim + d)];
                        a += additive ? (scale == null ? 1 : scale[d]) * Math.tanh(qv + kv) : qv * kv;
                    }
                    if (!additive && scale != null) {
                        a *= scale[0];
                    }
                    boolean allowed = (vm == null || vm[(int) (n * tv + j)] != 0) && (!causal || j <= i);
                    s[j] = allowed ? a : a - 1e9;
                }
                double max = Arrays.stream(s).max().getAsDouble(), z = 0;
                for (int j = 0; j < tv; j++) {
                    z += Math.exp(s[j] - max);
                }
                double qmask = qm == null ? 1 : qm[(int) (n * tq + i)];
                for (int j = 0; j < tv; j++) {
                    dist[(int) ((n * tq + i) * tv + j)] = (float) (Math.exp(s[j] - max) / z);
                }
                for (int d = 0; d < dv; d++) {
                    double a = 0;
                    for (int j = 0; j < tv; j++) {
                        a += Math.exp(s[j] - max) / z * v[(int) ((n * tv + j) * dv + d)];
                    }
                    out[(int) ((n * tq + i) * dv + d)] = (float) (a * qmask);
                }
            }
        }
        return new float[][] {out, dist};
    }

    private record Case(String name, BaseDenseAttention layer, boolean additive, boolean useScale, boolean causal,
            boolean withKey, long tq, long tv, long dim, long dv, boolean qMask, boolean vMask) {
    }

    private static List<Case> cases() {
        return List.of(
                new Case("dot qv", new Attention(), false, false, false, false, 3, 5, 4, 4, false, false),
                new Case("dot qvk scale", new Attention(true), false, true, false, true, 3, 5, 4, 2, false, false),
                new Case("dot causal", new Attention(false, true, 0.0), false, false, true, false, 4, 4, 3, 3, false,
                        false),
                new Case("dot masked", new Attention(true), false, true, false, false, 3, 5, 4, 4, true, true),
                new Case("dot causal masked Tq<Tv", new Attention(true, true, 0.0), false, true, true, true, 3, 5, 2, 3,
                        true, true),
                new Case("additive qv", new AdditiveAttention(), true, true, false, false, 3, 5, 4, 4, false, false),
                new Case("additive qvk no scale", new AdditiveAttention(false), true, false, false, true, 3, 5, 4, 2,
                        false, false),
                new Case("additive causal masked", new AdditiveAttention(true, true, 0.0), true, true, true, false, 4,
                        4, 3, 3, true, true));
    }

    private static final float[] QM = {1, 1, 0, 1, 0, 1, 1, 1};
    private static final float[] VM = {1, 1, 1, 0, 0, 1, 0, 1, 1, 1};

    private static Tensor qMask(Case c) {
        return c.qMask() ? Tensor.of(Arrays.copyOf(QM, (int) (2 * c.tq())), 2, c.tq()) : null;
    }

    private static Tensor vMask(Case c) {
        if (!c.vMask()) {
            return null;
        }
        float[] m = new float[(int) (2 * c.tv())];
        for (int i = 0; i < m.length; i++) {
            m[i] = VM[i % VM.length];
        }
        m[0] = 1;  // every row keeps at least its first step (the causal rows need it)
        m[(int) c.tv()] = 1;
        return Tensor.of(m, 2, c.tv());
    }

    private static float[] scale(BaseDenseAttention l) {
        List<Weight> ws = l.weightVariables();
        return ws.isEmpty() ? null : ws.get(0).value().toFloatArray();
    }

    @Test
    void matchesTheLoopWithMasksCausalityAndScale() {
        int seed = 1;
        for (Case c : cases()) {
            long[] qs = {2, c.tq(), c.dim()}, vs = {2, c.tv(), c.dv()}, ks = {2, c.tv(), c.dim()};
            float[] q = uniform(seed++, size(qs), -1, 1), v = uniform(seed++, size(vs), -1, 1);
            float[] k = c.withKey() ? uniform(seed++, size(ks), -1, 1) : v;
            List<Tensor> in = new ArrayList<>(List.of(Tensor.of(q, qs), Tensor.of(v, vs)));
            if (c.withKey()) {
                in.add(Tensor.of(k, ks));
            }
            BaseDenseAttention l = c.layer();
            l.setReturnAttentionScores(true);
            l.build(in.stream().map(t -> t.getShape().withDim(0, -1)).toList());
            for (Weight w : l.weightVariables()) {
                w.assign(Tensor.of(uniform(seed++, (int) w.value().size(), 0.5, 1.5), w.value().shape()));
            }
            Tensor qm = qMask(c), vm = vMask(c);
            List<Tensor> masks = qm == null && vm == null ? null : Arrays.asList(qm, vm);
            Layer.Outputs o = l.invoke(in, masks, false);
            float[][] want = reference(c.additive(), c.useScale() ? scale(l) : null, c.causal(), q, v, k, 2, c.tq(),
                    c.tv(), c.dim(), c.dv(), qm == null ? null : qm.toFloatArray(), vm == null ? null
                    : vm.toFloatArray());
            assertArrayEquals(new long[] {2, c.tq(), c.dv()}, o.tensors().get(0).shape(), c.name());
            assertArrayEquals(new long[] {2, c.tq(), c.tv()}, o.tensors().get(1).shape(), c.name());
            Golden.assertClose(c.name() + " result", want[0], o.tensors().get(0).toFloatArray(), 1e-5);
            Golden.assertClose(c.name() + " distribution", want[1], o.tensors().get(1).toFloatArray(), 1e-5);
            assertSame(qm, o.masks().get(0), c.name() + ": the output mask is the query mask");
            assertNull(o.masks().get(1));
            List<Shape> sym = l.computeOutputShape(in.stream().map(t -> t.getShape().withDim(0, -1)).toList());
            assertEquals(List.of(Shape.of(-1, c.tq(), c.dv()), Shape.of(-1, c.tq(), c.tv())), sym, c.name());

            // gradients (one output)
            l.setReturnAttentionScores(false);
            List<float[]> xs = new ArrayList<>(List.of(q, v));
            List<long[]> shapes = new ArrayList<>(List.of(qs, vs));
            if (c.withKey()) {
                xs.add(k);
                shapes.add(ks);
            }
            GradientChecks.check(c.name(), l, xs, shapes, masks, false, 20);
        }
    }

    @Test
    void weights() {
        Attention a = new Attention(true);
        a.build(Shape.of(-1, 3, 4), Shape.of(-1, 5, 4));
        assertEquals(List.of("scale"), a.weightVariables().stream().map(Weight::name).toList());
        assertArrayEquals(new long[0], a.weightVariables().get(0).value().shape());
        assertEquals(1f, a.getWeights().get(0).item());
        Attention none = new Attention();
        none.build(Shape.of(-1, 3, 4), Shape.of(-1, 5, 4));
        assertTrue(none.weightVariables().isEmpty());
        AdditiveAttention ad = new AdditiveAttention();
        ad.build(Shape.of(-1, 3, 4), Shape.of(-1, 5, 4));
        assertArrayEquals(new long[] {4}, ad.weightVariables().get(0).value().shape());
        // glorot_uniform of a vector: the project's VarianceScaling takes Keras 2.2.4's fans, sqrt(size) each
        // (tf.keras 2.x takes the size itself, limit sqrt(6 / 8)); either way within sqrt(3 / sqrt(4))
        float limit = (float) Math.sqrt(3.0 / 2);
        for (float w : ad.getWeights().get(0).toFloatArray()) {
            assertTrue(Math.abs(w) <= limit, "glorot_uniform");
        }
        Attention concat = (Attention) Layers.deserialize(Map.of("class_name", "Attention", "config",
                Map.of("use_scale", true, "score_mode", "concat")));
        concat.build(Shape.of(-1, 3, 4), Shape.of(-1, 5, 4));
        assertEquals(List.of("scale", "concat_score_weight"), concat.weightVariables().stream().map(Weight::name)
                .toList());
    }

    @Test
    void concatScoreMode() {
        Attention l = (Attention) Layers.deserialize(Map.of("class_name", "Attention", "config",
                Map.of("use_scale", true, "score_mode", "concat")));
        float[] q = uniform(1, 24, -1, 1), v = uniform(2, 40, -1, 1);
        List<Tensor> in = List.of(Tensor.of(q, 2, 3, 4), Tensor.of(v, 2, 5, 4));
        l.build(Shape.of(-1, 3, 4), Shape.of(-1, 5, 4));
        l.setWeights(List.of(Tensor.scalar(0.7f), Tensor.scalar(1.3f)));
        // concat: 1.3 * sum_d tanh(0.7 (q + k)) = additive attention on 0.7 q, 0.7 k with scale 1.3
        float[] q7 = q.clone(), v7 = v.clone();
        for (int i = 0; i < q7.length; i++) {
            q7[i] *= 0.7f;
        }
        for (int i = 0; i < v7.length; i++) {
            v7[i] *= 0.7f;
        }
        float[] sc = {1.3f, 1.3f, 1.3f, 1.3f};
        float[][] want = reference(true, sc, false, q7, v, v7, 2, 3, 5, 4, 4, null, null);
        Golden.assertClose("concat", want[0], l.apply(in).get(0).toFloatArray(), 1e-5);
        GradientChecks.check("concat", l, List.of(q, v), List.of(new long[] {2, 3, 4}, new long[] {2, 5, 4}), null,
                false, 20);
    }

    @Test
    void dropoutActsOnTheDistributionInTraining() {
        Attention l = new Attention(false, false, 0.5, 7L);
        l.setReturnAttentionScores(true);
        float[] q = uniform(1, 2 * 6 * 4, -1, 1), v = uniform(2, 2 * 8 * 4, -1, 1);
        List<Tensor> in = List.of(Tensor.of(q, 2, 6, 4), Tensor.of(v, 2, 8, 4));
        List<Tensor> inference = l.apply(in);
        List<Tensor> train = l.invoke(in, null, true).tensors();
        float[] p = inference.get(1).toFloatArray(), d = train.get(1).toFloatArray();
        int zeros = 0;
        for (int i = 0; i < p.length; i++) {
            if (d[i] == 0) {
                zeros++;
            } else {
                assertEquals(2 * p[i], d[i], 1e-6, "kept weights are scaled by 1 / (1 - rate)");
            }
        }
        assertTrue(zeros > 20 && zeros < 76, "about half the weights are dropped: " + zeros);
        // the result is the dropped distribution times the values
        float[] r = train.get(0).toFloatArray();
        for (int n = 0; n < 2; n++) {
            for (int i = 0; i < 6; i++) {
                for (int c = 0; c < 4; c++) {
                    double a = 0;
                    for (int j = 0; j < 8; j++) {
                        a += d[(n * 6 + i) * 8 + j] * v[(n * 8 + j) * 4 + c];
                    }
                    assertEquals(a, r[(n * 6 + i) * 4 + c], 1e-5);
                }
            }
        }
    }

    @Test
    void masksFromAFunctionalGraph() {
        KerasTensor q = Input.create(3, 2);
        KerasTensor v = Input.create(4, 2);
        KerasTensor mq = new Masking(0.0).apply(q);
        KerasTensor mv = new Masking(0.0).apply(v);
        Attention att = new Attention();
        List<KerasTensor> outs = att.applyWithScores(List.of(mq, mv));
        assertEquals(Shape.of(-1, 3, 2), outs.get(0).shape());
        assertEquals(Shape.of(-1, 3, 4), outs.get(1).shape());
        Model m = new Model(List.of(q, v), outs);
        float[] qv = {1, 2, 0, 0, 3, 1};
        float[] vv = {1, 1, 0, 0, 2, 1, 5, 5};
        List<Tensor> ys = m.predict(List.of(Tensor.of(qv, 1, 3, 2), Tensor.of(vv, 1, 4, 2)));
        float[][] want = reference(false, null, false, new float[] {1, 2, 0, 0, 3, 1}, vv, vv, 1, 3, 4, 2, 2,
                new float[] {1, 0, 1}, new float[] {1, 0, 1, 1});
        Golden.assertClose("masked graph result", want[0], ys.get(0).toFloatArray(), 1e-5);
        Golden.assertClose("masked graph scores", want[1], ys.get(1).toFloatArray(), 1e-5);
        float[] s = ys.get(1).toFloatArray();
        assertEquals(0f, s[1], "a masked value step gets no weight");
    }

    @Test
    void configsRoundTrip() {
        for (Layer l : List.of(new Attention(), new Attention(true, true, 0.1), new AdditiveAttention(),
                new AdditiveAttention(false, true, 0.2, 5L))) {
            Map<String, Object> c = Json.roundTrip(l.getConfig());
            assertEquals(c, Json.roundTrip(Layers.deserialize(Layers.serialize(l)).getConfig()), l.className());
        }
        assertEquals(List.of("name", "trainable", "dtype", "causal", "dropout", "use_scale"),
                new ArrayList<>(new Attention().getConfig().keySet()));
        assertEquals(false, new Attention().getConfig().get("use_scale"));
        assertEquals(true, new AdditiveAttention().getConfig().get("use_scale"));
        assertEquals(true, Layers.deserialize(Map.of("class_name", "AdditiveAttention", "config", Map.of()))
                .getConfig().get("use_scale"));
        assertEquals("attention", new Attention().getName().replaceAll("_\\d+$", ""));
        assertEquals("additive_attention", new AdditiveAttention().getName().replaceAll("_\\d+$", ""));
    }

    @Test
    void errors() {
        Tensor q = Tensor.ones(2, 3, 4), v = Tensor.ones(2, 5, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Attention().apply(q));
        assertTrue(e.getMessage().contains("length 2 or 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Attention().apply(List.of(q, v, v, v)));
        assertTrue(e.getMessage().contains("length 2 or 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Attention().apply(List.of(q, Tensor.ones(2, 5, 3))));
        assertTrue(e.getMessage().contains("same last dimension"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new Attention().apply(List.of(q, v, Tensor.ones(2, 6, 4))));
        assertTrue(e.getMessage().contains("number of steps"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new AdditiveAttention().apply(List.of(q,
                Tensor.ones(2, 5, 3), Tensor.ones(2, 5, 4))));
        assertTrue(e.getMessage().contains("same last dimension"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Attention().apply(List.of(Tensor.ones(2, 4), Tensor
                .ones(2, 4))));
        assertTrue(e.getMessage().contains(">= 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Attention().invoke(List.of(q, v),
                Arrays.asList(null, Tensor.ones(2, 4)), false));
        assertTrue(e.getMessage().contains("value mask must have shape (2, 5)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Attention(false, false, 1.0));
        assertTrue(e.getMessage().contains("dropout"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Layers.deserialize(Map.of("class_name", "Attention",
                "config", Map.of("score_mode", "cosine"))));
        assertTrue(e.getMessage().contains("score_mode"), e.getMessage());
    }
}
