package io.jkeras.initializers;

import io.jkeras.tensor.Tensor;

/** Sample statistics of an initializer's values, in double precision. */
record Stats(double mean, double std, double min, double max, double maxAbs) {
    static Stats of(Tensor t) {
        float[] v = t.toFloatArray();
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (float x : v) {
            sum += x;
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        double mean = sum / v.length;
        double ss = 0;
        for (float x : v) {
            ss += (x - mean) * (x - mean);
        }
        return new Stats(mean, Math.sqrt(ss / v.length), min, max, Math.max(-min, max));
    }
}
