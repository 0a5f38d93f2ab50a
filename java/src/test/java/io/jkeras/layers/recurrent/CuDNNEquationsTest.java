package io.jkeras.layers.recurrent;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.tensor.Scope;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * CuDNNGRU and CuDNNLSTM against cuDNN's published equations (cudnnRNNMode_t, CUDNN_GRU / CUDNN_LSTM), written
 * here with cuDNN's own names: W (input) and R (recurrent) matrices and separate bW / bR biases per gate, read from
 * Keras's layout (gates z, r, h / i, f, c, o along the kernel's columns; bias = input biases then recurrent ones).
 */
class CuDNNEquationsTest {
    static double sig(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /** Row j of gate g of x.W for a (in, gates*h) Keras matrix. */
    static double dot(double[] x, float[] w, int gates, int h, int g, int j) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += x[i] * w[i * gates * h + g * h + j];
        }
        return s;
    }

    @Test
    void gru() {
        int n = 2;
        int t = 4;
        int in = 3;
        int h = 5;
        Random rnd = new Random(11);
        float[] x = RnnReference.random(rnd, n * t * in, 1.5);
        try (Scope s = Scope.open()) {
            for (boolean seq : new boolean[] {true, false}) {
                for (boolean back : new boolean[] {false, true}) {
                    CuDNNGRU layer = CuDNNGRU.builder(h).returnSequences(seq).goBackwards(back).build();
                    layer.build(Shape.of(-1, t, in));
                    float[] w = RnnReference.random(rnd, in * 3 * h, 0.8);
                    float[] r = RnnReference.random(rnd, h * 3 * h, 0.8);
                    float[] b = RnnReference.random(rnd, 6 * h, 0.8);
                    layer.setWeights(List.of(Tensor.of(w, in, 3 * h), Tensor.of(r, h, 3 * h), Tensor.of(b, 6 * h)));
                    float[] y = layer.apply(Tensor.of(x, n, t, in)).toFloatArray();
                    float[] expected = new float[seq ? n * t * h : n * h];
                    for (int smp = 0; smp < n; smp++) {
                        double[] hp = new double[h];
                        for (int p = 0; p < t; p++) {
                            int step = back ? t - 1 - p : p;
                            double[] xt = new double[in];
                            for (int i = 0; i < in; i++) {
                                xt[i] = x[(smp * t + step) * in + i];
                            }
                            double[] hn = new double[h];
                            for (int j = 0; j < h; j++) {
                                // cuDNN: i_t (update, Keras z) gate 0, r_t gate 1, h'_t gate 2
                                double it = sig(dot(xt, w, 3, h, 0, j) + dot(hp, r, 3, h, 0, j) + b[j] + b[3 * h + j]);
                                double rt = sig(dot(xt, w, 3, h, 1, j) + dot(hp, r, 3, h, 1, j) + b[h + j]
                                        + b[4 * h + j]);
                                double ht = Math.tanh(dot(xt, w, 3, h, 2, j) + b[2 * h + j]
                                        + rt * (dot(hp, r, 3, h, 2, j) + b[5 * h + j]));
                                hn[j] = (1 - it) * ht + it * hp[j];
                            }
                            hp = hn;
                            if (seq) {
                                for (int j = 0; j < h; j++) {
                                    expected[(smp * t + p) * h + j] = (float) hp[j];
                                }
                            }
                        }
                        if (!seq) {
                            for (int j = 0; j < h; j++) {
                                expected[smp * h + j] = (float) hp[j];
                            }
                        }
                    }
                    double err = RnnReference.relErr(y, expected);
                    assertTrue(err < 1e-5, "CuDNNGRU seq=" + seq + " back=" + back + ": off by " + err);
                }
            }
        }
    }

    @Test
    void lstm() {
        int n = 2;
        int t = 4;
        int in = 3;
        int h = 5;
        Random rnd = new Random(12);
        float[] x = RnnReference.random(rnd, n * t * in, 1.5);
        try (Scope s = Scope.open()) {
            for (boolean fast : new boolean[] {true, false}) {
                CuDNNLSTM layer = CuDNNLSTM.builder(h).returnSequences(true).returnState(true).build();
                layer.setFastPath(fast);
                layer.build(Shape.of(-1, t, in));
                float[] w = RnnReference.random(rnd, in * 4 * h, 0.8);
                float[] r = RnnReference.random(rnd, h * 4 * h, 0.8);
                float[] b = RnnReference.random(rnd, 8 * h, 0.8);
                layer.setWeights(List.of(Tensor.of(w, in, 4 * h), Tensor.of(r, h, 4 * h), Tensor.of(b, 8 * h)));
                List<Tensor> ys = layer.apply(List.of(Tensor.of(x, n, t, in)));
                float[] expected = new float[n * t * h];
                float[] lastC = new float[n * h];
                for (int smp = 0; smp < n; smp++) {
                    double[] hp = new double[h];
                    double[] cp = new double[h];
                    for (int p = 0; p < t; p++) {
                        double[] xt = new double[in];
                        for (int i = 0; i < in; i++) {
                            xt[i] = x[(smp * t + p) * in + i];
                        }
                        double[] hn = new double[h];
                        double[] cn = new double[h];
                        for (int j = 0; j < h; j++) {
                            double[] pre = new double[4];
                            for (int g = 0; g < 4; g++) {
                                pre[g] = dot(xt, w, 4, h, g, j) + dot(hp, r, 4, h, g, j) + b[g * h + j]
                                        + b[4 * h + g * h + j];
                            }
                            double it = sig(pre[0]);
                            double ft = sig(pre[1]);
                            double ct = Math.tanh(pre[2]);
                            double ot = sig(pre[3]);
                            cn[j] = ft * cp[j] + it * ct;
                            hn[j] = ot * Math.tanh(cn[j]);
                        }
                        hp = hn;
                        cp = cn;
                        for (int j = 0; j < h; j++) {
                            expected[(smp * t + p) * h + j] = (float) hp[j];
                        }
                    }
                    for (int j = 0; j < h; j++) {
                        lastC[smp * h + j] = (float) cp[j];
                    }
                }
                double err = RnnReference.relErr(ys.get(0).toFloatArray(), expected);
                assertTrue(err < 1e-5, "CuDNNLSTM fast=" + fast + ": off by " + err);
                double ec = RnnReference.relErr(ys.get(2).toFloatArray(), lastC);
                assertTrue(ec < 1e-5, "CuDNNLSTM fast=" + fast + " c: off by " + ec);
            }
        }
    }
}
