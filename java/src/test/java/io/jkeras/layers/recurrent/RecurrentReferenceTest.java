package io.jkeras.layers.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.layers.Layers;
import io.jkeras.tensor.Scope;
import io.jkeras.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SimpleRNN, GRU (both reset_after) and LSTM (both implementations, sigmoid and hard_sigmoid) against the double
 * loops of {@link RnnReference}: every combination of return_sequences, go_backwards, masks and initial states, on
 * both the native recurrence and the step loop.
 */
class RecurrentReferenceTest {
    static final int N = 3;
    static final int T = 5;
    static final int I = 4;
    static final int H = 6;
    static final double TOL = 1e-5;

    /** A layer config (JSON) and how to build its reference from the layer's weights. */
    record Kind(String name, String json) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Kind> kinds() {
        return Stream.of(
                new Kind("simple_tanh", "{\"class_name\":\"SimpleRNN\",\"config\":{\"units\":6}}"),
                new Kind("simple_relu_nobias", "{\"class_name\":\"SimpleRNN\",\"config\":{\"units\":6,"
                        + "\"activation\":\"relu\",\"use_bias\":false}}"),
                new Kind("gru_hard_sigmoid", "{\"class_name\":\"GRU\",\"config\":{\"units\":6}}"),
                new Kind("gru_impl2_sigmoid", "{\"class_name\":\"GRU\",\"config\":{\"units\":6,"
                        + "\"recurrent_activation\":\"sigmoid\",\"implementation\":2}}"),
                new Kind("gru_reset_after", "{\"class_name\":\"GRU\",\"config\":{\"units\":6,\"reset_after\":true,"
                        + "\"recurrent_activation\":\"sigmoid\"}}"),
                new Kind("gru_reset_after_impl2_hard", "{\"class_name\":\"GRU\",\"config\":{\"units\":6,"
                        + "\"reset_after\":true,\"implementation\":2}}"),
                new Kind("lstm_hard_sigmoid", "{\"class_name\":\"LSTM\",\"config\":{\"units\":6}}"),
                new Kind("lstm_sigmoid", "{\"class_name\":\"LSTM\",\"config\":{\"units\":6,"
                        + "\"recurrent_activation\":\"sigmoid\"}}"),
                new Kind("lstm_impl2_nobias", "{\"class_name\":\"LSTM\",\"config\":{\"units\":6,"
                        + "\"implementation\":2,\"use_bias\":false}}"),
                new Kind("cudnn_gru", "{\"class_name\":\"CuDNNGRU\",\"config\":{\"units\":6}}"),
                new Kind("cudnn_lstm", "{\"class_name\":\"CuDNNLSTM\",\"config\":{\"units\":6}}"));
    }

    record Options(boolean sequences, boolean backwards, boolean mask, boolean initial, boolean fast) {
        @Override
        public String toString() {
            return (sequences ? "seq" : "last") + (backwards ? "_back" : "") + (mask ? "_mask" : "")
                    + (initial ? "_init" : "") + (fast ? "_fast" : "_steps");
        }
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        kinds().forEach(k -> {
            for (int bits = 0; bits < 32; bits++) {
                Options o = new Options((bits & 1) != 0, (bits & 2) != 0, (bits & 4) != 0, (bits & 8) != 0,
                        (bits & 16) != 0);
                if (o.mask() && k.name().startsWith("cudnn")) {
                    continue;
                }
                out.add(Arguments.of(k, o));
            }
        });
        return out.stream();
    }

    /** The layer of this kind with these options, built, with random weights set. */
    static RNN layer(Kind k, Options o, long seed) {
        String json = k.json().replace("\"units\":6", "\"units\":6,\"return_sequences\":" + o.sequences()
                + ",\"go_backwards\":" + o.backwards() + ",\"return_state\":true");
        RNN layer = (RNN) Layers.deserialize(json);
        layer.setFastPath(o.fast());
        layer.build(io.jkeras.tensor.Shape.of(-1, T, I));
        Random rnd = new Random(seed);
        List<Tensor> ws = new ArrayList<>();
        for (Tensor w : layer.getWeights()) {
            ws.add(Tensor.of(RnnReference.random(rnd, (int) w.size(), 0.8), w.shape()));
        }
        layer.setWeights(ws);
        return layer;
    }

    /** The reference cell of a built layer from its weights. */
    static RnnReference.Cell reference(RNN layer, RnnReference.Masks m) {
        List<Tensor> ws = layer.getWeights();
        float[] w = ws.get(0).toFloatArray();
        float[] u = ws.get(1).toFloatArray();
        float[] b = ws.size() > 2 ? ws.get(2).toFloatArray() : null;
        AbstractRNNCell cell = layer.cell();
        if (layer instanceof CuDNNGRU) {
            return RnnReference.gru(w, u, Arrays.copyOfRange(b, 0, 3 * H), Arrays.copyOfRange(b, 3 * H, 6 * H), H,
                    "tanh", "sigmoid", true, 2, m);
        }
        if (layer instanceof CuDNNLSTM) {
            return RnnReference.lstm(w, u, Arrays.copyOfRange(b, 0, 4 * H), Arrays.copyOfRange(b, 4 * H, 8 * H), H,
                    "tanh", "sigmoid", 2, m);
        }
        if (cell instanceof SimpleRNNCell c) {
            return RnnReference.simple(w, u, b, H, c.activation().name(), m);
        }
        if (cell instanceof GRUCell c) {
            float[] in = b;
            float[] rec = null;
            if (c.resetAfter() && b != null) {
                in = Arrays.copyOfRange(b, 0, 3 * H);
                rec = Arrays.copyOfRange(b, 3 * H, 6 * H);
            }
            return RnnReference.gru(w, u, in, rec, H, c.activation().name(), c.recurrentActivation().name(),
                    c.resetAfter(), c.implementation(), m);
        }
        LSTMCell c = (LSTMCell) cell;
        return RnnReference.lstm(w, u, b, null, H, c.activation().name(), c.recurrentActivation().name(),
                c.implementation(), m);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void matchesReference(Kind k, Options o) {
        Random rnd = new Random(k.name().hashCode() * 31L + o.toString().hashCode());
        float[] x = RnnReference.random(rnd, N * T * I, 1.5);
        float[] mask = new float[N * T];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = rnd.nextDouble() < 0.35 ? 0f : 1f;
        }
        // sample 0: leading masked steps (processing order), sample 1: fully masked tail
        for (int s = 0; s < 2; s++) {
            mask[o.backwards() ? T - 1 - s : s] = 0f;
        }
        mask[N + (o.backwards() ? 0 : T - 1)] = 0f;
        try (Scope scope = Scope.open()) {
            RNN layer = layer(k, o, rnd.nextLong());
            int states = layer.cell().stateSize().length;
            List<float[]> init = new ArrayList<>();
            List<Tensor> inputs = new ArrayList<>();
            inputs.add(Tensor.of(x, N, T, I));
            if (o.initial()) {
                for (int s = 0; s < states; s++) {
                    float[] v = RnnReference.random(rnd, N * H, 1.0);
                    init.add(v);
                    inputs.add(Tensor.of(v, N, H));
                }
            }
            List<Tensor> masks = null;
            if (o.mask()) {
                masks = new ArrayList<>();
                masks.add(Tensor.of(mask, N, T));
                for (int s = 1; s < inputs.size(); s++) {
                    masks.add(null);
                }
            }
            List<Tensor> ys = layer.invoke(inputs, masks, false).tensors();
            List<double[][]> initD = null;
            if (o.initial()) {
                initD = new ArrayList<>();
                for (float[] v : init) {
                    initD.add(RnnReference.matrix(v, N, H));
                }
            }
            RnnReference.Result r = RnnReference.run(reference(layer, RnnReference.Masks.NONE),
                    RnnReference.cube(x, N, T, I), o.mask() ? RnnReference.matrix(mask, N, T) : null, initD,
                    o.backwards());
            assertEquals(1 + states, ys.size(), "outputs");
            float[] expected = o.sequences() ? RnnReference.flat(r.seq()) : RnnReference.flat(r.last());
            assertArrayEquals(o.sequences() ? new long[] {N, T, H} : new long[] {N, H}, ys.get(0).shape());
            double err = RnnReference.relErr(ys.get(0).toFloatArray(), expected);
            assertTrue(err < TOL, k + " " + o + ": output off by " + err);
            for (int s = 0; s < states; s++) {
                double e = RnnReference.relErr(ys.get(1 + s).toFloatArray(), RnnReference.flat(r.states().get(s)));
                assertTrue(e < TOL, k + " " + o + ": state " + s + " off by " + e);
            }
        }
    }
}
