package io.jkeras.layers.wrappers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.layers.KerasTensor;
import io.jkeras.layers.Layer;
import io.jkeras.layers.Layers;
import io.jkeras.layers.recurrent.GRU;
import io.jkeras.layers.recurrent.LSTM;
import io.jkeras.layers.recurrent.RNN;
import io.jkeras.layers.recurrent.SimpleRNN;
import io.jkeras.models.Input;
import io.jkeras.models.Model;
import io.jkeras.tensor.Scope;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import io.jkeras.testing.LayerGradientCheck;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bidirectional against its definition from two separately run layers (forward; backward = the same weights with
 * go_backwards, reversed in time): every merge mode, masks, return_state, initial states, a given backward layer,
 * weights order, gradients and config.
 */
class BidirectionalTest {
    static float[] rand(long seed, int n) {
        float[] out = new float[n];
        Random r = new Random(seed);
        for (int i = 0; i < n; i++) {
            out[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return out;
    }

    /** (n, t, h) reversed along t. */
    static float[] reverse(float[] v, int n, int t, int h) {
        float[] out = new float[v.length];
        for (int s = 0; s < n; s++) {
            for (int i = 0; i < t; i++) {
                System.arraycopy(v, (s * t + i) * h, out, (s * t + (t - 1 - i)) * h, h);
            }
        }
        return out;
    }

    static void close(float[] a, float[] b, String what) {
        assertEquals(b.length, a.length, what + " length");
        for (int i = 0; i < a.length; i++) {
            assertTrue(Math.abs(a[i] - b[i]) <= 1e-6 * Math.max(1, Math.abs(b[i])), what + " at " + i + ": " + a[i]
                    + " vs " + b[i]);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"concat", "sum", "mul", "ave", "none"})
    void everyMergeModeWithMasksAndSequences(String mode) {
        for (boolean seq : new boolean[] {true, false}) {
            try (Scope s = Scope.open()) {
                String m = mode.equals("none") ? null : mode;
                LSTM lstm = LSTM.builder(3).returnSequences(seq).recurrentActivation("sigmoid").build();
                Bidirectional bi = new Bidirectional(lstm, m);
                Tensor x = Tensor.of(rand(1, 2 * 4 * 5), 2, 4, 5);
                Tensor mask = Tensor.of(new float[] {1, 1, 0, 1, 0, 1, 1, 1}, 2, 4);
                Layer.Outputs o = bi.invoke(List.of(x), List.of(mask), false);
                List<Tensor> w = bi.getWeights();
                assertEquals(6, w.size());
                RNN f = LSTM.builder(3).returnSequences(seq).recurrentActivation("sigmoid").build();
                RNN b = LSTM.builder(3).returnSequences(seq).recurrentActivation("sigmoid").goBackwards(true).build();
                f.build(x.getShape());
                b.build(x.getShape());
                f.setWeights(w.subList(0, 3));
                b.setWeights(w.subList(3, 6));
                float[] yf = f.invoke(List.of(x), List.of(mask), false).tensors().get(0).toFloatArray();
                float[] yb = b.invoke(List.of(x), List.of(mask), false).tensors().get(0).toFloatArray();
                if (seq) {
                    yb = reverse(yb, 2, 4, 3);
                }
                int rows = seq ? 8 : 2;
                float[] expected = new float[m == null || !m.equals("concat") ? yf.length : 2 * yf.length];
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < 3; j++) {
                        float a = yf[r * 3 + j];
                        float c = yb[r * 3 + j];
                        if ("concat".equals(m)) {
                            expected[r * 6 + j] = a;
                            expected[r * 6 + 3 + j] = c;
                        } else if (m != null) {
                            expected[r * 3 + j] = switch (m) {
                                case "sum" -> a + c;
                                case "mul" -> a * c;
                                default -> (a + c) / 2;
                            };
                        }
                    }
                }
                if (m == null) {
                    assertEquals(2, o.tensors().size());
                    close(o.tensors().get(0).toFloatArray(), yf, mode + " forward");
                    close(o.tensors().get(1).toFloatArray(), yb, mode + " backward");
                    assertEquals(2, o.masks().size());
                } else {
                    close(o.tensors().get(0).toFloatArray(), expected, mode + " seq=" + seq);
                }
                if (seq) {
                    assertArrayEquals(mask.toFloatArray(), o.masks().get(0).toFloatArray());
                } else {
                    assertNull(o.masks().get(0));
                }
                List<Shape> shapes = bi.computeOutputShape(List.of(Shape.of(-1, 4, 5)));
                for (int i = 0; i < shapes.size(); i++) {
                    assertArrayEquals(o.tensors().get(i).getShape().withDim(0, -1).dims(), shapes.get(i).dims());
                }
            }
        }
    }

    @Test
    void returnStateAndInitialStates() {
        try (Scope s = Scope.open()) {
            GRU gru = GRU.builder(3).returnState(true).returnSequences(true).build();
            Bidirectional bi = new Bidirectional(gru, "sum");
            KerasTensor x = Input.create(4, 2);
            KerasTensor hf = Input.create(3);
            KerasTensor hb = Input.create(3);
            List<KerasTensor> outs = bi.apply(x, List.of(hf, hb));
            assertEquals(3, outs.size());
            Model model = new Model(List.of(x, hf, hb), outs);
            Tensor xv = Tensor.of(rand(2, 2 * 4 * 2), 2, 4, 2);
            Tensor hfv = Tensor.of(rand(3, 6), 2, 3);
            Tensor hbv = Tensor.of(rand(4, 6), 2, 3);
            List<Tensor> got = model.predict(List.of(xv, hfv, hbv));
            RNN f = GRU.builder(3).returnState(true).returnSequences(true).build();
            RNN b = GRU.builder(3).returnState(true).returnSequences(true).goBackwards(true).build();
            f.build(xv.getShape());
            b.build(xv.getShape());
            List<Tensor> w = bi.getWeights();
            f.setWeights(w.subList(0, 3));
            b.setWeights(w.subList(3, 6));
            List<Tensor> fo = f.apply(List.of(xv, hfv));
            List<Tensor> bo = b.apply(List.of(xv, hbv));
            float[] yf = fo.get(0).toFloatArray();
            float[] yb = reverse(bo.get(0).toFloatArray(), 2, 4, 3);
            float[] sum = new float[yf.length];
            for (int i = 0; i < sum.length; i++) {
                sum[i] = yf[i] + yb[i];
            }
            close(got.get(0).toFloatArray(), sum, "output");
            close(got.get(1).toFloatArray(), fo.get(1).toFloatArray(), "forward state");
            close(got.get(2).toFloatArray(), bo.get(1).toFloatArray(), "backward state");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bi.apply(List.of(xv,
                    hfv)));
            assertTrue(e.getMessage().contains("initial_state"), e.getMessage());
        }
    }

    @Test
    void givenBackwardLayer() {
        try (Scope s = Scope.open()) {
            RNN fwd = SimpleRNN.builder(3).returnSequences(true).build();
            RNN bwd = LSTM.builder(3).returnSequences(true).goBackwards(true).build();
            Bidirectional bi = new Bidirectional(fwd, "concat", bwd);
            Tensor x = Tensor.of(rand(5, 2 * 3 * 2), 2, 3, 2);
            Tensor y = bi.apply(x);
            assertArrayEquals(new long[] {2, 3, 6}, y.shape());
            assertEquals(6, bi.getWeights().size());
            Map<String, Object> c = bi.getConfig();
            assertTrue(c.containsKey("backward_layer"));
            Bidirectional again = (Bidirectional) Layers.deserialize(Layers.serialize(bi));
            assertEquals("LSTM", again.backwardLayer().className());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Bidirectional(
                    SimpleRNN.builder(3).build(), "concat", SimpleRNN.builder(3).build()));
            assertTrue(e.getMessage().contains("different `go_backwards`"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> new Bidirectional(SimpleRNN.builder(3).build(),
                    "concat", SimpleRNN.builder(3).goBackwards(true).returnSequences(true).build()));
            assertTrue(e.getMessage().contains("return_sequences"), e.getMessage());
        }
    }

    @Test
    void configAndErrors() {
        Bidirectional bi = new Bidirectional(new LSTM(4), null);
        Map<String, Object> c = bi.getConfig();
        assertEquals(Arrays.asList("name", "trainable", "dtype", "layer", "merge_mode"), new ArrayList<>(c.keySet()));
        assertNull(c.get("merge_mode"));
        Bidirectional again = (Bidirectional) Layers.deserialize(Layers.serialize(bi));
        assertNull(again.mergeMode());
        assertTrue(again.backwardLayer().goBackwards());
        assertTrue(again.backwardLayer().getName().startsWith("backward_"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Bidirectional(
                new LSTM(4), "max"));
        assertTrue(e.getMessage().contains("Invalid merge mode"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Layers.deserialize(
                "{\"class_name\":\"Bidirectional\",\"config\":{\"layer\":{\"class_name\":\"Dense\",\"config\":"
                + "{\"units\":2}}}}"));
        assertTrue(e.getMessage().contains("recurrent layer"), e.getMessage());
    }

    @Test
    void gradients() {
        for (String mode : new String[] {"concat", "mul"}) {
            Bidirectional bi = new Bidirectional(GRU.builder(2).returnSequences(true).recurrentActivation("sigmoid")
                    .build(), mode);
            bi.build(Shape.of(2, 3, 2));
            LayerGradientCheck.check("bidirectional " + mode, bi, rand(6, 12), new long[] {2, 3, 2}, 20);
        }
    }

    @Test
    void reverseHelper() {
        try (Scope s = Scope.open()) {
            float[] v = rand(7, 2 * 3 * 2 * 2);
            Tensor r = TimeSteps.reverse(Tensor.of(v, 2, 3, 2, 2));
            assertArrayEquals(reverse(v, 2, 3, 4), r.toFloatArray());
        }
    }
}
