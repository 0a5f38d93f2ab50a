package io.jkeras.models;

import io.jkeras.ops.Ops;
import io.jkeras.tensor.Tensor;

/** Slices of a dataset along its first (sample) axis. */
public final class Batches {
    private Batches() {
    }

    /** Samples [start, end) of x. */
    public static Tensor rows(Tensor x, long start, long end) {
        long[] begin = new long[x.rank()];
        long[] size = x.shape();
        begin[0] = start;
        size[0] = end - start;
        return Ops.slice(x, begin, size);
    }
}
