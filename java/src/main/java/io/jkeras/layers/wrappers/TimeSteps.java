package io.jkeras.layers.wrappers;

import io.jkeras.ops.IndexOps;
import io.jkeras.ops.Ops;
import io.jkeras.tensor.Tensor;

/** Time-axis helpers the wrappers compose from ops (so they have gradients). */
public final class TimeSteps {
    private TimeSteps() {
    }

    /**
     * x (batch, steps, ...) with its steps in reverse order (Keras's K.reverse(x, 1)): a row gather over the
     * time-major view, so its gradient is a scatter-add.
     */
    public static Tensor reverse(Tensor x) {
        long[] d = x.shape();
        if (d.length < 2) {
            throw new IllegalArgumentException("reverse: needs (batch, steps, ...), got " + x.getShape());
        }
        int t = Math.toIntExact(d[1]);
        if (t <= 1) {
            return x;
        }
        int[] perm = new int[d.length];
        for (int i = 0; i < d.length; i++) {
            perm[i] = i;
        }
        perm[0] = 1;
        perm[1] = 0;
        Tensor tm = Ops.transpose(x, perm);
        long rest = x.size() / t;
        int[] ids = new int[t];
        for (int i = 0; i < t; i++) {
            ids[i] = t - 1 - i;
        }
        Tensor idx = Tensor.ofInts(ids, t);
        Tensor rev = IndexOps.gather(Ops.reshape(tm, t, rest), idx);
        long[] tmShape = d.clone();
        tmShape[0] = d[1];
        tmShape[1] = d[0];
        return Ops.transpose(Ops.reshape(rev, tmShape), perm);
    }
}
