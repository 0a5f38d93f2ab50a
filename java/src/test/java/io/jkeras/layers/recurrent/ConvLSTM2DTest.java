package io.jkeras.layers.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.layers.Layers;
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
 * ConvLSTM2D against double loops (convolutions as sums over taps, TensorFlow's "same" split): both data formats,
 * valid / same padding, strides, dilation, masks, go_backwards, return_state; central-difference gradients.
 */
class ConvLSTM2DTest {
    static final int N = 2;
    static final int T = 3;
    static final int R = 5;
    static final int C = 4;
    static final int IN = 2;
    static final int F = 2;

    record Geometry(String padding, int stride, int dilation, String format) {
        @Override
        public String toString() {
            return padding + "_s" + stride + "_d" + dilation + "_" + format;
        }
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String format : List.of("channels_last", "channels_first")) {
            for (Geometry g : List.of(new Geometry("valid", 1, 1, format), new Geometry("same", 1, 1, format),
                    new Geometry("same", 2, 1, format), new Geometry("valid", 2, 1, format),
                    new Geometry("same", 1, 2, format))) {
                out.add(Arguments.of(g, false, false));
                out.add(Arguments.of(g, true, true));
            }
        }
        return out.stream();
    }

    static long outLen(long in, int k, String padding, int stride, int dilation) {
        long span = (long) (k - 1) * dilation + 1;
        long o = padding.equals("same") ? in : in - span + 1;
        return (o + stride - 1) / stride;
    }

    /** conv2d of one sample x[r][c][ch] with kernel (kh, kw, in, out) flat; TensorFlow's padding split. */
    static double[][][] conv(double[][][] x, float[] k, int kh, int kw, int in, int out, String padding, int stride,
            int dilation, int gate, int outPerGate) {
        int rows = x.length;
        int cols = x[0].length;
        int or = (int) outLen(rows, kh, padding, stride, dilation);
        int oc = (int) outLen(cols, kw, padding, stride, dilation);
        int pr = padding.equals("same") ? Math.max((or - 1) * stride + (kh - 1) * dilation + 1 - rows, 0) / 2 : 0;
        int pc = padding.equals("same") ? Math.max((oc - 1) * stride + (kw - 1) * dilation + 1 - cols, 0) / 2 : 0;
        double[][][] y = new double[or][oc][outPerGate];
        for (int i = 0; i < or; i++) {
            for (int j = 0; j < oc; j++) {
                for (int o = 0; o < outPerGate; o++) {
                    double s = 0;
                    for (int a = 0; a < kh; a++) {
                        for (int b = 0; b < kw; b++) {
                            int r = i * stride + a * dilation - pr;
                            int c = j * stride + b * dilation - pc;
                            if (r < 0 || r >= rows || c < 0 || c >= cols) {
                                continue;
                            }
                            for (int ch = 0; ch < in; ch++) {
                                s += x[r][c][ch] * k[((a * kw + b) * in + ch) * out + gate * outPerGate + o];
                            }
                        }
                    }
                    y[i][j][o] = s;
                }
            }
        }
        return y;
    }

    /** The reference: outputs (processing order) and final h, c, all channels_last [n][t][r][c][f]. */
    static double[][][][][] reference(float[] x5, float[] k, float[] u, float[] bias, Geometry g, float[] mask,
            boolean backwards, List<double[][][][]> finalStates) {
        int or = (int) outLen(R, 3, g.padding(), g.stride(), g.dilation());
        int oc = (int) outLen(C, 3, g.padding(), g.stride(), g.dilation());
        double[][][][][] seq = new double[N][T][][][];
        for (int n = 0; n < N; n++) {
            double[][][] h = new double[or][oc][F];
            double[][][] c = new double[or][oc][F];
            for (int p = 0; p < T; p++) {
                int t = backwards ? T - 1 - p : p;
                double[][][] x = new double[R][C][IN];
                for (int r = 0; r < R; r++) {
                    for (int cc = 0; cc < C; cc++) {
                        for (int ch = 0; ch < IN; ch++) {
                            x[r][cc][ch] = x5[(((n * T + t) * R + r) * C + cc) * IN + ch];
                        }
                    }
                }
                double[][][][] pre = new double[4][][][];
                for (int gate = 0; gate < 4; gate++) {
                    double[][][] xc = conv(x, k, 3, 3, IN, 4 * F, g.padding(), g.stride(), g.dilation(), gate, F);
                    double[][][] hc = conv(h, u, 3, 3, F, 4 * F, "same", 1, 1, gate, F);
                    for (int i = 0; i < or; i++) {
                        for (int j = 0; j < oc; j++) {
                            for (int f = 0; f < F; f++) {
                                xc[i][j][f] += hc[i][j][f] + bias[gate * F + f];
                            }
                        }
                    }
                    pre[gate] = xc;
                }
                double[][][] hn = new double[or][oc][F];
                double[][][] cn = new double[or][oc][F];
                for (int i = 0; i < or; i++) {
                    for (int j = 0; j < oc; j++) {
                        for (int f = 0; f < F; f++) {
                            double ig = RnnReference.act("hard_sigmoid", pre[0][i][j][f]);
                            double fg = RnnReference.act("hard_sigmoid", pre[1][i][j][f]);
                            cn[i][j][f] = fg * c[i][j][f] + ig * Math.tanh(pre[2][i][j][f]);
                            double og = RnnReference.act("hard_sigmoid", pre[3][i][j][f]);
                            hn[i][j][f] = og * Math.tanh(cn[i][j][f]);
                        }
                    }
                }
                if (mask == null || mask[n * T + t] != 0) {
                    h = hn;
                    c = cn;
                }
                seq[n][p] = h;
            }
            finalStates.add(new double[][][][] {h, c});
        }
        return seq;
    }

    static float[] flatChannelsLast(double[][][] v) {
        List<Float> out = new ArrayList<>();
        for (double[][] a : v) {
            for (double[] b : a) {
                for (double d : b) {
                    out.add((float) d);
                }
            }
        }
        float[] f = new float[out.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = out.get(i);
        }
        return f;
    }

    /** (rows, cols, ch) flat -> (ch, rows, cols) flat. */
    static float[] toChannelsFirst(float[] v, int rows, int cols, int ch) {
        float[] out = new float[v.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                for (int k = 0; k < ch; k++) {
                    out[(k * rows + r) * cols + c] = v[(r * cols + c) * ch + k];
                }
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0} mask={1} backwards={2}")
    @MethodSource("cases")
    void matchesLoops(Geometry g, boolean masked, boolean backwards) {
        Random rnd = new Random(g.toString().hashCode() + (masked ? 1 : 0));
        boolean cf = g.format().equals("channels_first");
        float[] x = RnnReference.random(rnd, N * T * R * C * IN, 1.0);
        float[] k = RnnReference.random(rnd, 9 * IN * 4 * F, 0.5);
        float[] u = RnnReference.random(rnd, 9 * F * 4 * F, 0.5);
        float[] b = RnnReference.random(rnd, 4 * F, 0.5);
        float[] mask = masked ? new float[] {1, 0, 1, 0, 1, 1} : null;
        try (Scope s = Scope.open()) {
            RNN layer = (RNN) Layers.deserialize("{\"class_name\":\"ConvLSTM2D\",\"config\":{\"filters\":" + F
                    + ",\"kernel_size\":[3,3],\"strides\":[" + g.stride() + "," + g.stride() + "],\"padding\":\""
                    + g.padding() + "\",\"data_format\":\"" + g.format() + "\",\"dilation_rate\":[" + g.dilation()
                    + "," + g.dilation() + "],\"return_sequences\":true,\"return_state\":true,\"go_backwards\":"
                    + backwards + "}}");
            float[] xin = x;
            if (cf) {
                xin = new float[x.length];
                int frame = R * C * IN;
                for (int f = 0; f < N * T; f++) {
                    System.arraycopy(toChannelsFirst(java.util.Arrays.copyOfRange(x, f * frame, (f + 1) * frame), R, C,
                            IN), 0, xin, f * frame, frame);
                }
            }
            Tensor xt = cf ? Tensor.of(xin, N, T, IN, R, C) : Tensor.of(xin, N, T, R, C, IN);
            layer.build(xt.getShape().withDim(0, -1));
            layer.setWeights(List.of(Tensor.of(k, 3, 3, IN, 4 * F), Tensor.of(u, 3, 3, F, 4 * F), Tensor.of(b, 4 * F)));
            List<Tensor> ys = layer.invoke(List.of(xt), masked ? List.of(Tensor.of(mask, N, T)) : null, false)
                    .tensors();
            List<double[][][][]> fin = new ArrayList<>();
            double[][][][][] seq = reference(x, k, u, b, g, mask, backwards, fin);
            int or = (int) outLen(R, 3, g.padding(), g.stride(), g.dilation());
            int oc = (int) outLen(C, 3, g.padding(), g.stride(), g.dilation());
            List<Float> expected = new ArrayList<>();
            for (int n = 0; n < N; n++) {
                for (int t = 0; t < T; t++) {
                    float[] frame = flatChannelsLast(seq[n][t]);
                    for (float v : cf ? toChannelsFirst(frame, or, oc, F) : frame) {
                        expected.add(v);
                    }
                }
            }
            float[] e = new float[expected.size()];
            for (int i = 0; i < e.length; i++) {
                e[i] = expected.get(i);
            }
            assertArrayEquals(cf ? new long[] {N, T, F, or, oc} : new long[] {N, T, or, oc, F}, ys.get(0).shape());
            double err = RnnReference.relErr(ys.get(0).toFloatArray(), e);
            assertTrue(err < 1e-5, g + ": sequence off by " + err);
            assertEquals(Shape.of(-1, T, cf ? F : or, cf ? or : oc, cf ? oc : F),
                    layer.computeOutputShape(xt.getShape().withDim(0, -1)));
            for (int st = 0; st < 2; st++) {
                List<Float> ev = new ArrayList<>();
                for (int n = 0; n < N; n++) {
                    float[] frame = flatChannelsLast(fin.get(n)[st]);
                    for (float v : cf ? toChannelsFirst(frame, or, oc, F) : frame) {
                        ev.add(v);
                    }
                }
                float[] ea = new float[ev.size()];
                for (int i = 0; i < ea.length; i++) {
                    ea[i] = ev.get(i);
                }
                double es = RnnReference.relErr(ys.get(1 + st).toFloatArray(), ea);
                assertTrue(es < 1e-5, g + ": state " + st + " off by " + es);
            }
        }
    }

    @Test
    void gradients() {
        for (String format : List.of("channels_last", "channels_first")) {
            RNN layer = ConvLSTM2D.builder(2, 2, 2).padding("same").dataFormat(format).recurrentActivation("sigmoid")
                    .returnSequences(true).build();
            long[] shape = format.equals("channels_last") ? new long[] {2, 3, 3, 4, 2} : new long[] {2, 3, 2, 3, 4};
            layer.build(Shape.of(shape));
            float[] x = RnnReference.random(new Random(3), 2 * 3 * 3 * 4 * 2, 1.0);
            LayerGradientCheck.check("conv_lstm2d " + format, layer, x, shape, 8);
        }
    }

    @Test
    void defaultsAndErrors() {
        ConvLSTM2D l = new ConvLSTM2D(3, 3, 3);
        assertTrue(l.getName().startsWith("conv_lst_m2d"), l.getName());
        l.build(Shape.of(-1, 2, 5, 5, 4));
        assertArrayEquals(new long[] {3, 3, 4, 12}, l.getWeights().get(0).shape());
        assertArrayEquals(new long[] {3, 3, 3, 12}, l.getWeights().get(1).shape());
        assertArrayEquals(new float[] {0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0}, l.getWeights().get(2).toFloatArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConvLSTM2D.builder(2, 3, 3)
                .unroll(true).build());
        assertTrue(e.getMessage().contains("Unrolling isn't possible"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ConvLSTM2D.builder(2, 3, 3).strides(2, 2)
                .dilationRate(2, 2).build());
        assertTrue(e.getMessage().contains("dilation_rate"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ConvLSTM2D.builder(2, 3, 3).padding("causal").build());
        assertTrue(e.getMessage().contains("padding"), e.getMessage());
    }

    /** Dropout masks (4 per kind, fixed over the steps) in training; inference ignores them. */
    @Test
    void dropoutInTraining() {
        try (Scope s = Scope.open()) {
            RNN layer = ConvLSTM2D.builder(2, 3, 3).padding("same").dropout(0.3).recurrentDropout(0.3).build();
            RNN plain = ConvLSTM2D.builder(2, 3, 3).padding("same").build();
            Tensor x = Tensor.of(RnnReference.random(new Random(4), 2 * 3 * 4 * 4 * 2, 1), 2, 3, 4, 4, 2);
            layer.build(x.getShape());
            plain.build(x.getShape());
            plain.setWeights(layer.getWeights());
            float[] inf = layer.apply(x).toFloatArray();
            assertTrue(RnnReference.relErr(inf, plain.apply(x).toFloatArray()) == 0);
            float[] train = layer.invoke(List.of(x), null, true).tensors().get(0).toFloatArray();
            assertTrue(RnnReference.relErr(train, inf) > 1e-4);
            ConvLSTM2DCell cell = (ConvLSTM2DCell) layer.cell();
            assertEquals(4, cell.lastInputDropoutMasks().size());
            assertEquals(4, cell.lastRecurrentDropoutMasks().size());
        }
    }

    /** Stateful over two batches of 2 steps equals one run over 4 steps; return_state shapes follow the strides. */
    @Test
    void statefulAndStates() {
        try (Scope s = Scope.open()) {
            float[] x = RnnReference.random(new Random(8), 2 * 4 * 4 * 4 * 1, 1);
            RNN whole = ConvLSTM2D.builder(2, 3, 3).padding("same").strides(2, 2).returnSequences(true).build();
            whole.build(Shape.of(2, 4, 4, 4, 1));
            RNN stateful = ConvLSTM2D.builder(2, 3, 3).padding("same").strides(2, 2).returnSequences(true)
                    .stateful(true).returnState(true).build();
            stateful.build(Shape.of(2, 2, 4, 4, 1));
            stateful.setWeights(whole.getWeights());
            float[] all = whole.apply(Tensor.of(x, 2, 4, 4, 4, 1)).toFloatArray();
            int frame = 4 * 4;
            int outFrame = 2 * 2 * 2;
            float[] first = new float[2 * 2 * frame];
            float[] second = new float[2 * 2 * frame];
            for (int n = 0; n < 2; n++) {
                System.arraycopy(x, n * 4 * frame, first, n * 2 * frame, 2 * frame);
                System.arraycopy(x, n * 4 * frame + 2 * frame, second, n * 2 * frame, 2 * frame);
            }
            stateful.apply(List.of(Tensor.of(first, 2, 2, 4, 4, 1)));
            List<Tensor> out = stateful.apply(List.of(Tensor.of(second, 2, 2, 4, 4, 1)));
            assertArrayEquals(new long[] {2, 2, 2, 2}, out.get(1).shape());
            float[] expected = new float[2 * 2 * outFrame];
            for (int n = 0; n < 2; n++) {
                System.arraycopy(all, n * 4 * outFrame + 2 * outFrame, expected, n * 2 * outFrame, 2 * outFrame);
            }
            assertTrue(RnnReference.relErr(out.get(0).toFloatArray(), expected) < 1e-5);
        }
    }
}
