package io.jkeras.layers.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.layers.KerasTensor;
import io.jkeras.layers.Layer;
import io.jkeras.layers.Layers;
import io.jkeras.layers.core.Masking;
import io.jkeras.layers.embedding.Embedding;
import io.jkeras.models.Input;
import io.jkeras.models.Model;
import io.jkeras.models.Sequential;
import io.jkeras.ops.Ops;
import io.jkeras.tensor.DType;
import io.jkeras.tensor.Scope;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Stateful layers, initial states, masks through models, dropout, unroll, constants, shapes and errors. */
class RecurrentBehaviourTest {
    private static float[] rand(long seed, int n) {
        return RnnReference.random(new Random(seed), n, 1.0);
    }

    private static void close(float[] a, float[] b, double tol, String what) {
        double err = RnnReference.relErr(a, b);
        assertTrue(err <= tol, what + ": off by " + err);
    }

    private static float[] slice(float[] x, int n, int t, int f, int from, int len) {
        float[] out = new float[n * len * f];
        for (int s = 0; s < n; s++) {
            System.arraycopy(x, (s * t + from) * f, out, s * len * f, len * f);
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------ stateful

    @Test
    void statefulAcrossTwoBatchesEqualsOneLongSequence() {
        for (String cls : List.of("SimpleRNN", "GRU", "LSTM")) {
            for (boolean fast : new boolean[] {true, false}) {
                try (Scope s = Scope.open()) {
                    float[] x = rand(1, 2 * 6 * 3);
                    RNN whole = (RNN) Layers.deserialize("{\"class_name\":\"" + cls + "\",\"config\":{\"units\":4,"
                            + "\"return_sequences\":true}}");
                    whole.build(Shape.of(2, 6, 3));
                    RNN stateful = (RNN) Layers.deserialize("{\"class_name\":\"" + cls + "\",\"config\":{\"units\":4,"
                            + "\"return_sequences\":true,\"stateful\":true,\"batch_input_shape\":[2,3,3]}}");
                    stateful.setFastPath(fast);
                    stateful.build(Shape.of(2, 3, 3));
                    stateful.setWeights(whole.getWeights());
                    float[] all = whole.apply(Tensor.of(x, 2, 6, 3)).toFloatArray();
                    float[] first = stateful.apply(Tensor.of(slice(x, 2, 6, 3, 0, 3), 2, 3, 3)).toFloatArray();
                    float[] second = stateful.apply(Tensor.of(slice(x, 2, 6, 3, 3, 3), 2, 3, 3)).toFloatArray();
                    close(first, slice(all, 2, 6, 4, 0, 3), 1e-5, cls + " first batch");
                    close(second, slice(all, 2, 6, 4, 3, 3), 1e-5, cls + " second batch");
                    // reset: the next batch starts from zeros again
                    stateful.resetStates();
                    float[] again = stateful.apply(Tensor.of(slice(x, 2, 6, 3, 0, 3), 2, 3, 3)).toFloatArray();
                    close(again, first, 0, cls + " after reset");
                    // reset to given values
                    List<Tensor> values = new ArrayList<>();
                    for (Tensor st : stateful.states()) {
                        values.add(Tensor.full(0.25f, st.shape()));
                    }
                    stateful.resetStates(values);
                    assertEquals(0.25f, stateful.states().get(0).toFloatArray()[3]);
                }
            }
        }
    }

    @Test
    void statefulNeedsAFixedBatchSize() {
        RNN layer = LSTM.builder(3).stateful(true).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> layer.build(Shape.of(-1, 4,
                2)));
        assertTrue(e.getMessage().contains("needs to know its batch size"), e.getMessage());
        RNN fixed = LSTM.builder(3).stateful(true).build();
        fixed.build(Shape.of(2, 4, 2));
        e = assertThrows(IllegalArgumentException.class, () -> fixed.apply(Tensor.zeros(3, 4, 2)));
        assertTrue(e.getMessage().contains("batch size 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> fixed.resetStates(List.of(Tensor.zeros(2, 3))));
        assertTrue(e.getMessage().contains("expects 2 states"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> fixed.resetStates(List.of(Tensor.zeros(2, 3),
                Tensor.zeros(2, 4))));
        assertTrue(e.getMessage().contains("State 1 is incompatible"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> new LSTM(3).resetStates());
    }

    @Test
    void statefulSequentialModel() {
        try (Scope s = Scope.open()) {
            Sequential m = new Sequential(GRU.builder(4).stateful(true).batchInputShape(2, 3, 5).build());
            Tensor x = Tensor.of(rand(3, 2 * 3 * 5), 2, 3, 5);
            float[] a = m.predict(x).toFloatArray();
            float[] b = m.predict(x).toFloatArray();
            assertTrue(RnnReference.relErr(a, b) > 1e-4, "the second call starts from the first call's states");
        }
    }

    // ------------------------------------------------------------------------------------------ initial states

    @Test
    void initialStateInAFunctionalModel() {
        try (Scope s = Scope.open()) {
            KerasTensor x = Input.create(4, 3);
            KerasTensor h = Input.create(5);
            KerasTensor c = Input.create(5);
            LSTM lstm = LSTM.builder(5).returnState(true).build();
            List<KerasTensor> outs = lstm.apply(x, List.of(h, c));
            assertEquals(3, outs.size());
            assertArrayEquals(new long[] {-1, 5}, outs.get(2).shape().dims());
            Model m = new Model(List.of(x, h, c), outs);
            Tensor xv = Tensor.of(rand(4, 2 * 4 * 3), 2, 4, 3);
            Tensor hv = Tensor.of(rand(5, 10), 2, 5);
            Tensor cv = Tensor.of(rand(6, 10), 2, 5);
            List<Tensor> got = m.predict(List.of(xv, hv, cv));
            List<Tensor> eager = lstm.apply(List.of(xv, hv, cv));
            for (int i = 0; i < 3; i++) {
                close(got.get(i).toFloatArray(), eager.get(i).toFloatArray(), 0, "output " + i);
            }
            List<Tensor> zeros = lstm.apply(List.of(xv, Tensor.zeros(2, 5), Tensor.zeros(2, 5)));
            close(lstm.apply(List.of(xv)).get(0).toFloatArray(), zeros.get(0).toFloatArray(), 0, "zero state");
        }
    }

    @Test
    void initialStateShapesAreChecked() {
        LSTM lstm = new LSTM(5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> lstm.apply(List.of(
                Tensor.zeros(2, 4, 3), Tensor.zeros(2, 5))));
        assertTrue(e.getMessage().contains("has 2 states but was passed 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> lstm.apply(List.of(Tensor.zeros(2, 4, 3),
                Tensor.zeros(2, 5), Tensor.zeros(2, 6))));
        assertTrue(e.getMessage().contains("initial state 1 has shape (2, 6)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new GRU(4).applyMulti(List.of(Input.create(3, 2),
                Input.create(5))));
        assertTrue(e.getMessage().contains("not compatible"), e.getMessage());
    }

    @Test
    void wrongRank() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SimpleRNN(3).apply(Tensor.zeros(2, 3)));
        assertTrue(e.getMessage().contains("expected ndim=3, found ndim=2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ConvLSTM2D(2, 3, 3).apply(Tensor.zeros(2, 3, 4)));
        assertTrue(e.getMessage().contains("expected ndim=5"), e.getMessage());
    }

    // ----------------------------------------------------------------------------------------------- masks

    /** The LSTM output on masked input equals the reference with the mask Masking computes. */
    @Test
    void maskingThenLstmInASequentialModel() {
        try (Scope s = Scope.open()) {
            float[] x = rand(7, 2 * 5 * 3);
            // timesteps 1 and 4 of sample 0, 0 of sample 1 are all zeros: masked
            for (int[] p : new int[][] {{0, 1}, {0, 4}, {1, 0}}) {
                Arrays.fill(x, (p[0] * 5 + p[1]) * 3, (p[0] * 5 + p[1] + 1) * 3, 0f);
            }
            LSTM lstm = LSTM.builder(4).returnSequences(true).build();
            Sequential m = new Sequential(new Masking(0.0), lstm);
            m.build(Shape.of(-1, 5, 3));
            float[] got = m.predict(Tensor.of(x, 2, 5, 3)).toFloatArray();
            float[] mask = {1, 0, 1, 1, 0, 0, 1, 1, 1, 1};
            RnnReference.Cell ref = referenceOf(lstm);
            RnnReference.Result r = RnnReference.run(ref, RnnReference.cube(x, 2, 5, 3),
                    RnnReference.matrix(mask, 2, 5), null, false);
            close(got, RnnReference.flat(r.seq()), 1e-5, "masked LSTM");
            // the output mask of the model is the input mask
            Tensor outMask = m.computeMask(List.of(Tensor.of(x, 2, 5, 3)), null).get(0);
            assertArrayEquals(mask, outMask.toFloatArray());
        }
    }

    static RnnReference.Cell referenceOf(RNN layer) {
        List<Tensor> ws = layer.getWeights();
        int h = ((GatedCell) layer.cell()).units();
        float[] b = ws.size() > 2 ? ws.get(2).toFloatArray() : null;
        GatedCell c = (GatedCell) layer.cell();
        if (c instanceof LSTMCell l) {
            return RnnReference.lstm(ws.get(0).toFloatArray(), ws.get(1).toFloatArray(), b, null, h,
                    l.activation().name(), l.recurrentActivation().name(), l.implementation(), RnnReference.Masks.NONE);
        }
        if (c instanceof GRUCell g && !g.resetAfter()) {
            return RnnReference.gru(ws.get(0).toFloatArray(), ws.get(1).toFloatArray(), b, null, h,
                    g.activation().name(), g.recurrentActivation().name(), false, g.implementation(),
                    RnnReference.Masks.NONE);
        }
        return RnnReference.simple(ws.get(0).toFloatArray(), ws.get(1).toFloatArray(), b, h, c.activation().name(),
                RnnReference.Masks.NONE);
    }

    @Test
    void embeddingMaskZeroThenGru() {
        try (Scope s = Scope.open()) {
            Embedding emb = Embedding.builder(10, 3).maskZero(true).build();
            GRU gru = GRU.builder(4).returnSequences(true).build();
            KerasTensor ids = Input.ints(5);
            Model m = new Model(ids, gru.apply(emb.apply(ids)));
            int[] idv = {3, 0, 4, 0, 0, 0, 7, 7, 1, 9};
            Tensor idt = Tensor.ofInts(idv, 2, 5);
            float[] got = m.predict(idt).toFloatArray();
            float[] x = emb.apply(idt).toFloatArray();
            float[] mask = new float[10];
            for (int i = 0; i < 10; i++) {
                mask[i] = idv[i] != 0 ? 1 : 0;
            }
            RnnReference.Result r = RnnReference.run(referenceOf(gru), RnnReference.cube(x, 2, 5, 3),
                    RnnReference.matrix(mask, 2, 5), null, false);
            close(got, RnnReference.flat(r.seq()), 1e-5, "Embedding(mask_zero) -> GRU");
            assertArrayEquals(mask, m.computeMask(List.of(idt), null).get(0).toFloatArray());
        }
    }

    @Test
    void outputMasks() {
        try (Scope s = Scope.open()) {
            Tensor x = Tensor.zeros(2, 3, 4);
            Tensor mask = Tensor.of(new float[] {1, 1, 0, 1, 0, 0}, 2, 3);
            RNN seq = LSTM.builder(2).returnSequences(true).returnState(true).build();
            Layer.Outputs o = seq.invoke(List.of(x), List.of(mask), false);
            assertEquals(3, o.tensors().size());
            assertEquals(3, o.masks().size());
            assertArrayEquals(mask.toFloatArray(), o.masks().get(0).toFloatArray());
            assertNull(o.masks().get(1));
            RNN last = new SimpleRNN(2);
            assertNull(last.invoke(List.of(x), List.of(mask), false).masks().get(0));
            // a fully masked sample keeps its zero state
            float[] y = last.invoke(List.of(Tensor.of(rand(9, 24), 2, 3, 4)), List.of(Tensor.of(new float[] {1, 1, 1,
                0, 0, 0}, 2, 3)), false).tensors().get(0).toFloatArray();
            assertEquals(0f, y[2]);
            assertEquals(0f, y[3]);
        }
    }

    // ---------------------------------------------------------------------------------------------- dropout

    @Test
    void dropoutIsInactiveInInference() {
        try (Scope s = Scope.open()) {
            RNN plain = new LSTM(3);
            RNN dropped = LSTM.builder(3).dropout(0.5).recurrentDropout(0.5).build();
            Tensor x = Tensor.of(rand(10, 2 * 4 * 2), 2, 4, 2);
            plain.build(x.getShape());
            dropped.build(x.getShape());
            dropped.setWeights(plain.getWeights());
            close(dropped.apply(x).toFloatArray(), plain.apply(x).toFloatArray(), 0, "inference");
        }
    }

    /** Input dropout alone keeps the native recurrence; with the same seed both paths draw the same masks. */
    @Test
    void inputDropoutSameOnBothPaths() {
        for (String cls : List.of("SimpleRNN", "GRU", "LSTM")) {
            for (int impl : new int[] {1, 2}) {
                try (Scope s = Scope.open()) {
                    String json = "{\"class_name\":\"" + cls + "\",\"config\":{\"units\":4,\"dropout\":0.4,"
                            + "\"return_sequences\":true" + (cls.equals("SimpleRNN") ? "" : ",\"implementation\":"
                            + impl) + "}}";
                    RNN fast = (RNN) Layers.deserialize(json);
                    RNN steps = (RNN) Layers.deserialize(json);
                    steps.setFastPath(false);
                    Tensor x = Tensor.of(rand(11, 3 * 5 * 6), 3, 5, 6);
                    fast.build(x.getShape());
                    steps.build(x.getShape());
                    steps.setWeights(fast.getWeights());
                    ((GatedCell) fast.cell()).setSeed(42);
                    ((GatedCell) steps.cell()).setSeed(42);
                    float[] a = fast.invoke(List.of(x), null, true).tensors().get(0).toFloatArray();
                    float[] b = steps.invoke(List.of(x), null, true).tensors().get(0).toFloatArray();
                    close(a, b, 1e-5, cls + " impl " + impl);
                    List<Tensor> masks = ((GatedCell) fast.cell()).lastInputDropoutMasks();
                    assertEquals(cls.equals("SimpleRNN") ? 1 : cls.equals("GRU") ? 3 : 4, masks.size());
                    // the reference with these masks
                    RnnReference.Masks m = new RnnReference.Masks(masksOf(masks, 3, 6), null);
                    float[] ref = RnnReference.flat(RnnReference.run(withMasks(fast, m), RnnReference.cube(
                            x.toFloatArray(), 3, 5, 6), null, null, false).seq());
                    close(a, ref, 1e-5, cls + " impl " + impl + " vs reference");
                    float[] inference = fast.invoke(List.of(x), null, false).tensors().get(0).toFloatArray();
                    assertTrue(RnnReference.relErr(a, inference) > 1e-3, "training differs from inference");
                }
            }
        }
    }

    /** Recurrent dropout runs the step loop; the masks are fixed over the timesteps, one per gate. */
    @Test
    void recurrentDropoutMatchesReferenceWithItsMasks() {
        for (String cls : List.of("SimpleRNN", "GRU", "LSTM")) {
            for (int impl : new int[] {1, 2}) {
                for (boolean resetAfter : new boolean[] {false, true}) {
                    if (resetAfter && !cls.equals("GRU")) {
                        continue;
                    }
                    try (Scope s = Scope.open()) {
                        String json = "{\"class_name\":\"" + cls + "\",\"config\":{\"units\":4,\"dropout\":0.3,"
                                + "\"recurrent_dropout\":0.4,\"return_sequences\":true" + (cls.equals("SimpleRNN") ? ""
                                : ",\"implementation\":" + impl) + (cls.equals("GRU") ? ",\"reset_after\":"
                                + resetAfter : "") + "}}";
                        RNN layer = (RNN) Layers.deserialize(json);
                        Tensor x = Tensor.of(rand(12, 3 * 5 * 6), 3, 5, 6);
                        layer.build(x.getShape());
                        float[] y = layer.invoke(List.of(x), null, true).tensors().get(0).toFloatArray();
                        GatedCell cell = (GatedCell) layer.cell();
                        RnnReference.Masks m = new RnnReference.Masks(masksOf(cell.lastInputDropoutMasks(), 3, 6),
                                masksOf(cell.lastRecurrentDropoutMasks(), 3, 4));
                        float[] ref = RnnReference.flat(RnnReference.run(withMasks(layer, m), RnnReference.cube(
                                x.toFloatArray(), 3, 5, 6), null, null, false).seq());
                        close(y, ref, 1e-5, json);
                    }
                }
            }
        }
    }

    static double[][][] masksOf(List<Tensor> masks, int n, int f) {
        double[][][] out = new double[masks.size()][][];
        for (int g = 0; g < masks.size(); g++) {
            out[g] = RnnReference.matrix(masks.get(g).toFloatArray(), n, f);
        }
        return out;
    }

    static RnnReference.Cell withMasks(RNN layer, RnnReference.Masks m) {
        List<Tensor> ws = layer.getWeights();
        GatedCell c = (GatedCell) layer.cell();
        float[] b = ws.size() > 2 ? ws.get(2).toFloatArray() : null;
        int h = c.units();
        if (c instanceof LSTMCell l) {
            return RnnReference.lstm(ws.get(0).toFloatArray(), ws.get(1).toFloatArray(), b, null, h, "tanh",
                    "hard_sigmoid", l.implementation(), m);
        }
        if (c instanceof GRUCell g) {
            float[] in = b;
            float[] rec = null;
            if (g.resetAfter()) {
                in = Arrays.copyOfRange(b, 0, 3 * h);
                rec = Arrays.copyOfRange(b, 3 * h, 6 * h);
            }
            return RnnReference.gru(ws.get(0).toFloatArray(), ws.get(1).toFloatArray(), in, rec, h, "tanh",
                    "hard_sigmoid", g.resetAfter(), g.implementation(), m);
        }
        return RnnReference.simple(ws.get(0).toFloatArray(), ws.get(1).toFloatArray(), b, h, "tanh", m);
    }

    // ------------------------------------------------------------------------------------ unroll, constants

    @Test
    void unrollGivesTheSameNumbers() {
        try (Scope s = Scope.open()) {
            RNN a = LSTM.builder(3).returnSequences(true).build();
            RNN b = LSTM.builder(3).returnSequences(true).unroll(true).build();
            Tensor x = Tensor.of(rand(13, 2 * 4 * 2), 2, 4, 2);
            a.build(x.getShape());
            b.build(x.getShape());
            b.setWeights(a.getWeights());
            close(b.apply(x).toFloatArray(), a.apply(x).toFloatArray(), 0, "unroll");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LSTM.builder(3)
                    .unroll(true).build().apply(Input.create(-1, 2)));
            assertTrue(e.getMessage().contains("Cannot unroll"), e.getMessage());
        }
    }

    /** A cell with constants: output = x.W + h.U + c.V (Keras's constants argument). */
    static final class ConstantsCell extends AbstractRNNCell {
        private Tensor w;
        private Tensor u;
        private Tensor v;

        @Override
        public int[] stateSize() {
            return new int[] {3};
        }

        @Override
        public boolean acceptsConstants() {
            return true;
        }

        @Override
        protected void doBuild(List<Shape> shapes) {
            w = addWeight("kernel", new long[] {shapes.get(0).dim(-1), 3}, io.jkeras.initializers.Initializers.get(
                    "glorot_uniform"), null, null, true);
            u = addWeight("recurrent_kernel", new long[] {3, 3}, io.jkeras.initializers.Initializers.get("orthogonal"),
                    null, null, true);
            v = addWeight("constant_kernel", new long[] {shapes.get(1).dim(-1), 3},
                    io.jkeras.initializers.Initializers.get("glorot_uniform"), null, null, true);
        }

        @Override
        public CellOutput call(Tensor input, List<Tensor> states, boolean training) {
            throw new IllegalStateException("needs constants");
        }

        @Override
        public CellOutput call(Tensor input, List<Tensor> states, List<Tensor> constants, boolean training) {
            Tensor out = Ops.tanh(Ops.add(Ops.add(Ops.matmul(input, w), Ops.matmul(states.get(0), u)),
                    Ops.matmul(constants.get(0), v)));
            return new CellOutput(out, List.of(out));
        }
    }

    @Test
    void constantsReachTheCell() {
        try (Scope s = Scope.open()) {
            RNN rnn = new RNN(new ConstantsCell());
            KerasTensor x = Input.create(4, 2);
            KerasTensor c = Input.create(5);
            List<KerasTensor> out = rnn.apply(x, List.of(), List.of(c));
            assertArrayEquals(new long[] {-1, 3}, out.get(0).shape().dims());
            assertEquals(1, rnn.getConfig().get("num_constants"));
            Model m = new Model(List.of(x, c), out);
            Tensor xv = Tensor.of(rand(14, 16), 2, 4, 2);
            Tensor cv = Tensor.of(rand(15, 10), 2, 5);
            Tensor y = m.predict(List.of(xv, cv)).get(0);
            // a different constant changes the output
            Tensor y2 = m.predict(List.of(xv, Ops.mul(cv, 2f))).get(0);
            assertTrue(RnnReference.relErr(y.toFloatArray(), y2.toFloatArray()) > 1e-3);
            assertThrows(IllegalArgumentException.class, () -> new RNN(new MinimalRNNCell(2)).apply(
                    Tensor.zeros(2, 3, 2), List.of(), List.of(Tensor.zeros(2, 4))));
        }
    }

    // --------------------------------------------------------------------------------- shapes and stacking

    @Test
    void outputShapes() {
        RNN l = LSTM.builder(7).returnSequences(true).returnState(true).build();
        List<Shape> s = l.computeOutputShape(List.of(Shape.of(-1, 9, 3)));
        assertEquals(List.of(Shape.of(-1, 9, 7), Shape.of(-1, 7), Shape.of(-1, 7)), s);
        assertEquals(Shape.of(-1, 7), new GRU(7).computeOutputShape(Shape.of(-1, 9, 3)));
        RNN stacked = RNN.builder(List.of(new LSTMCell(4), new SimpleRNNCell(6))).returnState(true).build();
        assertEquals(List.of(Shape.of(2, 6), Shape.of(2, 6), Shape.of(2, 4), Shape.of(2, 4)),
                stacked.computeOutputShape(List.of(Shape.of(2, 9, 3))));
        assertArrayEquals(new int[] {6, 4, 4}, stacked.cell().stateSize());
    }

    /** StackedRNNCells: cells in sequence within a step; states in reverse cell order, as Keras 2.2. */
    @Test
    void stackedCellsEqualTwoLayers() {
        try (Scope s = Scope.open()) {
            LSTMCell c1 = new LSTMCell(4);
            GRUCell c2 = new GRUCell(3);
            RNN stacked = RNN.builder(List.of(c1, c2)).returnSequences(true).returnState(true).build();
            Tensor x = Tensor.of(rand(16, 2 * 5 * 3), 2, 5, 3);
            stacked.build(x.getShape());
            assertEquals(6, stacked.getWeights().size());
            RNN l1 = LSTM.builder(4).returnSequences(true).returnState(true).build();
            RNN l2 = GRU.builder(3).returnSequences(true).returnState(true).build();
            l1.build(x.getShape());
            l2.build(Shape.of(2, 5, 4));
            List<Tensor> w = stacked.getWeights();
            l1.setWeights(w.subList(0, 3));
            l2.setWeights(w.subList(3, 6));
            List<Tensor> a = stacked.apply(List.of(x));
            List<Tensor> o1 = l1.apply(List.of(x));
            List<Tensor> o2 = l2.apply(List.of(o1.get(0)));
            close(a.get(0).toFloatArray(), o2.get(0).toFloatArray(), 1e-6, "output");
            close(a.get(1).toFloatArray(), o2.get(1).toFloatArray(), 1e-6, "h2");
            close(a.get(2).toFloatArray(), o1.get(1).toFloatArray(), 1e-6, "h1");
            close(a.get(3).toFloatArray(), o1.get(2).toFloatArray(), 1e-6, "c1");
        }
    }

    @Test
    void weightsFollowTheCellAndTrainable() {
        RNN l = new LSTM(3);
        l.build(Shape.of(-1, 2, 5));
        assertEquals(List.of("kernel", "recurrent_kernel", "bias"), l.weightVariables().stream().map(
                io.jkeras.layers.Weight::name).toList());
        assertArrayEquals(new long[] {5, 12}, l.getWeights().get(0).shape());
        assertArrayEquals(new long[] {3, 12}, l.getWeights().get(1).shape());
        assertEquals(3, l.trainableWeightVariables().size());
        l.setTrainable(false);
        assertEquals(0, l.trainableWeightVariables().size());
        assertEquals(3, l.nonTrainableWeightVariables().size());
        assertEquals(5 * 12 + 3 * 12 + 12, l.countParams());
    }

    /** unit_forget_bias: the forget block of the bias starts at ones. */
    @Test
    void unitForgetBias() {
        LSTM l = new LSTM(3);
        l.build(Shape.of(-1, 2, 5));
        assertArrayEquals(new float[] {0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0}, l.getWeights().get(2).toFloatArray());
        LSTM off = LSTM.builder(3).unitForgetBias(false).build();
        off.build(Shape.of(-1, 2, 5));
        assertArrayEquals(new float[12], off.getWeights().get(2).toFloatArray());
        GRU reset = GRU.builder(3).resetAfter(true).build();
        reset.build(Shape.of(-1, 2, 5));
        assertArrayEquals(new long[] {2, 9}, reset.getWeights().get(2).shape());
        CuDNNLSTM cu = new CuDNNLSTM(2);
        cu.build(Shape.of(-1, 2, 5));
        assertArrayEquals(new float[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0},
                cu.getWeights().get(2).toFloatArray());
        CuDNNGRU cg = new CuDNNGRU(2);
        cg.build(Shape.of(-1, 2, 5));
        assertArrayEquals(new long[] {12}, cg.getWeights().get(2).shape());
    }

    @Test
    void cudnnLayersRefuseMasks() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CuDNNLSTM(2).invoke(
                List.of(Tensor.zeros(1, 2, 3)), List.of(Tensor.ones(1, 2)), false));
        assertTrue(e.getMessage().contains("Masking is not supported for CuDNN RNNs"), e.getMessage());
    }

    @Test
    void intInputsAreCast() {
        try (Scope s = Scope.open()) {
            RNN l = new SimpleRNN(2);
            Tensor xi = Tensor.ofInts(new int[] {1, 2, 3, 4, 5, 6}, 1, 3, 2);
            Tensor xf = Ops.toFloat(xi);
            assertEquals(DType.FLOAT32, l.apply(xi).dtype());
            close(l.apply(xi).toFloatArray(), l.apply(xf).toFloatArray(), 0, "int input");
        }
    }

    // ------------------------------------------------------------------------------------------------ training

    /** Embedding(mask_zero) -> LSTM (dropouts) -> Dense trains: the loss falls (gradients reach every weight). */
    @Test
    void fitReducesTheLoss() {
        try (Scope s = Scope.open()) {
            Sequential m = new Sequential(Embedding.builder(12, 4).maskZero(true).build(), LSTM.builder(6).dropout(0.1)
                    .recurrentDropout(0.1).build(), new io.jkeras.layers.core.Dense(1));
            Random rnd = new Random(3);
            int n = 32;
            int[] ids = new int[n * 6];
            float[] y = new float[n];
            for (int i = 0; i < n; i++) {
                int len = 2 + rnd.nextInt(5);
                for (int t = 6 - len; t < 6; t++) {
                    ids[i * 6 + t] = 1 + rnd.nextInt(11);
                    y[i] += ids[i * 6 + t] > 6 ? 0.2f : -0.1f;
                }
            }
            m.compile("adam", "mse", List.of());
            Tensor xs = Tensor.ofInts(ids, n, 6);
            Tensor ys = Tensor.of(y, n, 1);
            var h = m.fit(xs, ys, 8, 15, 0, 0.0, true);
            List<Double> loss = h.get("loss");
            assertTrue(loss.get(loss.size() - 1) < 0.85 * loss.get(0), "loss " + loss);
        }
    }

    /** A stateful layer trained over consecutive batches (the step loop reads the initial states in backward). */
    @Test
    void statefulTrainingOverConsecutiveBatches() {
        try (Scope s = Scope.open()) {
            for (boolean fast : new boolean[] {true, false}) {
                RNN lstm = LSTM.builder(3).stateful(true).batchInputShape(4, 3, 2).recurrentDropout(fast ? 0 : 0.2)
                        .build();
                Sequential m = new Sequential(lstm, new io.jkeras.layers.core.Dense(1));
                m.compile("sgd", "mse", List.of());
                Tensor x = Tensor.of(rand(20, 8 * 3 * 2), 8, 3, 2);
                Tensor y = Tensor.of(rand(21, 8), 8, 1);
                var h = m.fit(x, y, 4, 3, 0, 0.0, false);
                assertEquals(3, h.get("loss").size());
                assertTrue(h.get("loss").stream().allMatch(v -> Double.isFinite(v)));
            }
        }
    }
}
