package io.jkeras.layers.recurrent;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.layers.Layer;
import io.jkeras.layers.Layers;
import io.jkeras.layers.Weight;
import io.jkeras.ops.GradientTape;
import io.jkeras.ops.Ops;
import io.jkeras.tensor.Scope;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import io.jkeras.testing.LayerGradientCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Gradients of every built-in cell: central differences (through the native recurrence and through the step loop),
 * and the native recurrence's gradients against the step loop's (tape of small ops) with masks, initial states and
 * go_backwards, for the input, the initial states and every weight.
 */
class RecurrentGradientTest {
    static Stream<Arguments> kinds() {
        return RecurrentReferenceTest.kinds().map(Arguments::of);
    }

    static Stream<Arguments> finiteDifferenceCases() {
        List<Arguments> out = new ArrayList<>();
        // relu's kink is within the finite-difference step of too many pre-activations; its gradients are checked
        // against the step loop below
        RecurrentReferenceTest.kinds().filter(k -> !k.name().contains("relu")).forEach(k -> {
            for (boolean fast : new boolean[] {true, false}) {
                for (boolean seq : new boolean[] {true, false}) {
                    out.add(Arguments.of(k, fast, seq));
                }
            }
        });
        return out.stream();
    }

    @ParameterizedTest(name = "{0} fast={1} sequences={2}")
    @MethodSource("finiteDifferenceCases")
    void centralDifferences(RecurrentReferenceTest.Kind k, boolean fast, boolean seq) {
        RecurrentReferenceTest.Options o = new RecurrentReferenceTest.Options(seq, !seq, false, false, fast);
        RNN layer = withoutState(k, o);
        Random rnd = new Random(k.name().hashCode());
        float[] x = RnnReference.random(rnd, 2 * 4 * 4, 1.0);
        LayerGradientCheck.check(k + " fast=" + fast + " seq=" + seq, layer, x, new long[] {2, 4, 4}, 24);
    }

    /** The layer of the reference test without return_state (the check differentiates its single output). */
    static RNN withoutState(RecurrentReferenceTest.Kind k, RecurrentReferenceTest.Options o) {
        RNN built = RecurrentReferenceTest.layer(k, o, 17);
        java.util.Map<String, Object> c = new java.util.LinkedHashMap<>(built.getConfig());
        c.put("return_state", false);
        c.remove("name");
        RNN layer = (RNN) Layers.deserialize(io.jkeras.saving.ConfigMap.serialized(built.className(), c));
        layer.setFastPath(o.fast());
        layer.build(Shape.of(-1, 4, 4));
        List<Tensor> ws = new ArrayList<>();
        Random rnd = new Random(5);
        for (Tensor w : layer.getWeights()) {
            ws.add(Tensor.of(RnnReference.random(rnd, (int) w.size(), 0.5), w.shape()));
        }
        layer.setWeights(ws);
        return layer;
    }

    /** The gradients of sum(outputs * r) for x, the initial states and the weights. */
    static List<float[]> gradients(RNN layer, Tensor x, List<Tensor> init, Tensor mask, long seed) {
        try (Scope s = Scope.open(); GradientTape tape = new GradientTape()) {
            List<Tensor> sources = new ArrayList<>();
            sources.add(x);
            sources.addAll(init);
            for (Weight w : layer.weightVariables()) {
                sources.add(w.value());
            }
            tape.watch(sources);
            List<Tensor> in = new ArrayList<>();
            in.add(x);
            in.addAll(init);
            List<Tensor> masks = null;
            if (mask != null) {
                masks = new ArrayList<>();
                masks.add(mask);
                for (int i = 0; i < init.size(); i++) {
                    masks.add(null);
                }
            }
            List<Tensor> ys = layer.invoke(in, masks, false).tensors();
            Random rnd = new Random(seed);
            Tensor loss = null;
            for (Tensor y : ys) {
                Tensor term = Ops.sum(Ops.mul(y, Tensor.of(RnnReference.random(rnd, (int) y.size(), 1), y.shape())));
                loss = loss == null ? term : Ops.add(loss, term);
            }
            List<Tensor> g = tape.gradient(loss, sources);
            List<float[]> out = new ArrayList<>();
            for (int i = 0; i < g.size(); i++) {
                assertNotNull(g.get(i), "no gradient for source " + i);
                out.add(g.get(i).toFloatArray());
            }
            return out;
        }
    }

    static Stream<Arguments> pathCases() {
        return RecurrentReferenceTest.cases().filter(a -> ((RecurrentReferenceTest.Options) a.get()[1]).fast());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("pathCases")
    void nativeRecurrenceGradientsEqualStepLoop(RecurrentReferenceTest.Kind k, RecurrentReferenceTest.Options o) {
        Random rnd = new Random(o.toString().hashCode() + 7L * k.name().hashCode());
        int n = 3;
        int t = RecurrentReferenceTest.T;
        try (Scope scope = Scope.open()) {
            RNN fast = RecurrentReferenceTest.layer(k, o, 99);
            RNN steps = RecurrentReferenceTest.layer(k, o, 99);
            steps.setFastPath(false);
            Tensor x = Tensor.of(RnnReference.random(rnd, n * t * RecurrentReferenceTest.I, 1.5), n, t,
                    RecurrentReferenceTest.I);
            List<Tensor> init = new ArrayList<>();
            if (o.initial()) {
                for (int s = 0; s < fast.cell().stateSize().length; s++) {
                    init.add(Tensor.of(RnnReference.random(rnd, n * RecurrentReferenceTest.H, 1), n,
                            RecurrentReferenceTest.H));
                }
            }
            Tensor mask = null;
            if (o.mask()) {
                float[] m = new float[n * t];
                for (int i = 0; i < m.length; i++) {
                    m[i] = rnd.nextDouble() < 0.35 ? 0f : 1f;
                }
                m[o.backwards() ? t - 1 : 0] = 0f;
                mask = Tensor.of(m, n, t);
            }
            List<float[]> a = gradients(fast, x, init, mask, 3);
            List<float[]> b = gradients(steps, x, init, mask, 3);
            for (int i = 0; i < a.size(); i++) {
                double err = RnnReference.relErr(a.get(i), b.get(i));
                assertTrue(err < 1e-4, k + " " + o + ": gradient of source " + i + " differs by " + err);
            }
        }
    }

    @Test
    void userCellGetsGradientsThroughTheTape() {
        Layer layer = new RNN(new MinimalRNNCell(5));
        layer.build(Shape.of(-1, 4, 3));
        LayerGradientCheck.check("minimal cell", layer, RnnReference.random(new Random(1), 2 * 4 * 3, 1),
                new long[] {2, 4, 3}, 20);
    }

    @Test
    void stackedCellsGetGradients() {
        Layer layer = RNN.builder(List.of(new LSTMCell(4), new GRUCell(3), new SimpleRNNCell(5)))
                .returnSequences(true).build();
        layer.build(Shape.of(-1, 4, 3));
        LayerGradientCheck.check("stacked", layer, RnnReference.random(new Random(2), 2 * 4 * 3, 1),
                new long[] {2, 4, 3}, 20);
    }
}
