package io.jkeras.layers.recurrent;

import java.util.ArrayList;
import java.util.List;

/**
 * Slow, obvious double-precision references of Keras 2's recurrent cells and of backend.rnn's loop (masks,
 * go_backwards, initial states), written from Keras's equations, for the tests.
 */
final class RnnReference {
    private RnnReference() {
    }

    static double act(String name, double x) {
        return switch (name) {
            case "tanh" -> Math.tanh(x);
            case "sigmoid" -> 1 / (1 + Math.exp(-x));
            case "hard_sigmoid" -> Math.max(0, Math.min(1, 0.2 * x + 0.5));
            case "relu" -> Math.max(0, x);
            case "linear" -> x;
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** One step of one sample: returns {output, new states...}. */
    interface Cell {
        int stateCount();

        int units();

        double[][] step(int sample, double[] x, double[][] states);
    }

    /** Dropout masks of one kind: [gate][sample][feature], or null. */
    record Masks(double[][][] input, double[][][] recurrent) {
        static final Masks NONE = new Masks(null, null);

        double in(int gate, int n, int i) {
            return input == null ? 1 : input[Math.min(gate, input.length - 1)][n][i];
        }

        double rec(int gate, int n, int j) {
            return recurrent == null ? 1 : recurrent[Math.min(gate, recurrent.length - 1)][n][j];
        }
    }

    /** x.W[:, gate] with x masked by the gate's mask. */
    static double[] proj(double[] x, float[] w, int cols, int gate, int units, Masks m, int n, boolean rec,
            int maskGate) {
        double[] out = new double[units];
        for (int j = 0; j < units; j++) {
            double s = 0;
            for (int i = 0; i < x.length; i++) {
                double mi = rec ? m.rec(maskGate, n, i) : m.in(maskGate, n, i);
                s += x[i] * mi * w[i * cols + gate * units + j];
            }
            out[j] = s;
        }
        return out;
    }

    static double b(float[] bias, int offset) {
        return bias == null ? 0 : bias[offset];
    }

    static Cell simple(float[] w, float[] u, float[] bias, int units, String activation, Masks m) {
        return new Cell() {
            public int stateCount() {
                return 1;
            }

            public int units() {
                return units;
            }

            public double[][] step(int n, double[] x, double[][] st) {
                double[] xw = proj(x, w, units, 0, units, m, n, false, 0);
                double[] hu = proj(st[0], u, units, 0, units, m, n, true, 0);
                double[] h = new double[units];
                for (int j = 0; j < units; j++) {
                    h[j] = act(activation, xw[j] + b(bias, j) + hu[j]);
                }
                return new double[][] {h, h};
            }
        };
    }

    /**
     * Keras's GRU; inBias / recBias (3*units) or null (reset_after=False has no recBias). implementation 2 with
     * recurrent dropout carries the masked state (Keras's h_tm1 *= mask).
     */
    static Cell gru(float[] w, float[] u, float[] inBias, float[] recBias, int units, String activation,
            String recAct, boolean resetAfter, int implementation, Masks m) {
        return new Cell() {
            public int stateCount() {
                return 1;
            }

            public int units() {
                return units;
            }

            public double[][] step(int n, double[] x, double[][] st) {
                int c = 3 * units;
                boolean one = implementation == 1;
                double[] xz = proj(x, w, c, 0, units, m, n, false, one ? 0 : 0);
                double[] xr = proj(x, w, c, 1, units, m, n, false, one ? 1 : 0);
                double[] xh = proj(x, w, c, 2, units, m, n, false, one ? 2 : 0);
                double[] hp = st[0].clone();
                if (!one && m.recurrent() != null) {
                    for (int j = 0; j < units; j++) {
                        hp[j] *= m.rec(0, n, j);
                    }
                }
                Masks mm = one ? m : new Masks(m.input(), null);
                double[] hz = proj(hp, u, c, 0, units, mm, n, true, 0);
                double[] hr = proj(hp, u, c, 1, units, mm, n, true, 1);
                double[] z = new double[units];
                double[] r = new double[units];
                for (int j = 0; j < units; j++) {
                    z[j] = act(recAct, xz[j] + b(inBias, j) + hz[j] + b(recBias, j));
                    r[j] = act(recAct, xr[j] + b(inBias, units + j) + hr[j] + b(recBias, units + j));
                }
                double[] hh = new double[units];
                if (resetAfter) {
                    double[] uh = proj(hp, u, c, 2, units, mm, n, true, 2);
                    for (int j = 0; j < units; j++) {
                        hh[j] = act(activation, xh[j] + b(inBias, 2 * units + j)
                                + r[j] * (uh[j] + b(recBias, 2 * units + j)));
                    }
                } else {
                    double[] rh = new double[units];
                    for (int j = 0; j < units; j++) {
                        rh[j] = r[j] * hp[j] * (one ? m.rec(2, n, j) : 1);
                    }
                    double[] uh = proj(rh, u, c, 2, units, Masks.NONE, n, true, 0);
                    for (int j = 0; j < units; j++) {
                        hh[j] = act(activation, xh[j] + b(inBias, 2 * units + j) + uh[j]);
                    }
                }
                double[] h = new double[units];
                for (int j = 0; j < units; j++) {
                    h[j] = z[j] * hp[j] + (1 - z[j]) * hh[j];
                }
                return new double[][] {h, h};
            }
        };
    }

    /** Keras's LSTM; recBias (4*units) or null (CuDNNLSTM has one). */
    static Cell lstm(float[] w, float[] u, float[] inBias, float[] recBias, int units, String activation,
            String recAct, int implementation, Masks m) {
        return new Cell() {
            public int stateCount() {
                return 2;
            }

            public int units() {
                return units;
            }

            public double[][] step(int n, double[] x, double[][] st) {
                int c = 4 * units;
                boolean one = implementation == 1;
                double[][] pre = new double[4][];
                for (int g = 0; g < 4; g++) {
                    double[] xg = proj(x, w, c, g, units, m, n, false, one ? g : 0);
                    double[] hg = proj(st[0], u, c, g, units, m, n, true, one ? g : 0);
                    pre[g] = new double[units];
                    for (int j = 0; j < units; j++) {
                        pre[g][j] = xg[j] + hg[j] + b(inBias, g * units + j) + b(recBias, g * units + j);
                    }
                }
                double[] h = new double[units];
                double[] cc = new double[units];
                for (int j = 0; j < units; j++) {
                    double i = act(recAct, pre[0][j]);
                    double f = act(recAct, pre[1][j]);
                    cc[j] = f * st[1][j] + i * act(activation, pre[2][j]);
                    double o = act(recAct, pre[3][j]);
                    h[j] = o * act(activation, cc[j]);
                }
                return new double[][] {h, h, cc};
            }
        };
    }

    /** The outputs of a sequence: seq[n][s] in processing order, the final states [state][n]. */
    record Result(double[][][] seq, List<double[][]> states) {
        double[][] last() {
            double[][] out = new double[seq.length][];
            for (int n = 0; n < seq.length; n++) {
                out[n] = seq[n][seq[n].length - 1];
            }
            return out;
        }
    }

    /**
     * Keras's backend.rnn (while_loop form): masked steps keep the states and output the previous first state.
     * x[n][t][i]; mask[n][t] or null; init[state][n][j] or null (zeros).
     */
    static Result run(Cell cell, double[][][] x, double[][] mask, List<double[][]> init, boolean goBackwards) {
        int n = x.length;
        int t = x[0].length;
        double[][][] seq = new double[n][t][];
        List<double[][]> fin = new ArrayList<>();
        for (int k = 0; k < cell.stateCount(); k++) {
            fin.add(new double[n][]);
        }
        for (int s = 0; s < n; s++) {
            double[][] st = new double[cell.stateCount()][];
            for (int k = 0; k < st.length; k++) {
                st[k] = init == null ? new double[cell.units()] : init.get(k)[s].clone();
            }
            for (int p = 0; p < t; p++) {
                int step = goBackwards ? t - 1 - p : p;
                double[][] r = cell.step(s, x[s][step], st);
                boolean keep = mask == null || mask[s][step] != 0;
                if (keep) {
                    seq[s][p] = r[0];
                    for (int k = 0; k < st.length; k++) {
                        st[k] = r[k + 1];
                    }
                } else {
                    seq[s][p] = st[0].clone();
                }
            }
            for (int k = 0; k < st.length; k++) {
                fin.get(k)[s] = st[k];
            }
        }
        return new Result(seq, fin);
    }

    // ------------------------------------------------------------------------------------------------ arrays

    static double[][][] cube(float[] v, int a, int b, int c) {
        double[][][] out = new double[a][b][c];
        for (int i = 0; i < a; i++) {
            for (int j = 0; j < b; j++) {
                for (int k = 0; k < c; k++) {
                    out[i][j][k] = v[(i * b + j) * c + k];
                }
            }
        }
        return out;
    }

    static double[][] matrix(float[] v, int a, int b) {
        double[][] out = new double[a][b];
        for (int i = 0; i < a; i++) {
            for (int j = 0; j < b; j++) {
                out[i][j] = v[i * b + j];
            }
        }
        return out;
    }

    static float[] flat(double[][][] v) {
        List<Float> out = new ArrayList<>();
        for (double[][] a : v) {
            for (double[] b : a) {
                for (double c : b) {
                    out.add((float) c);
                }
            }
        }
        float[] f = new float[out.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = out.get(i);
        }
        return f;
    }

    static float[] flat(double[][] v) {
        return flat(new double[][][] {v});
    }

    static float[] random(java.util.Random rnd, int n, double scale) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) ((rnd.nextDouble() * 2 - 1) * scale);
        }
        return out;
    }

    /** Max |a - b| / max(1, |b|). */
    static double relErr(float[] actual, float[] expected) {
        if (actual.length != expected.length) {
            throw new AssertionError("length " + actual.length + " vs " + expected.length);
        }
        double worst = 0;
        for (int i = 0; i < actual.length; i++) {
            worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i])));
        }
        return worst;
    }
}
