package io.jkeras.layers.core;

import io.jkeras.layers.InputSpec;
import io.jkeras.layers.Layer;
import io.jkeras.ops.Ops;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/** Permutes the non-batch axes; dims are 1-based, as in Keras ((2, 1) swaps the first two). */
public final class Permute extends Layer {
    private static final Set<String> KEYS = keys("dims");

    private final int[] dims;

    public Permute(int... dims) {
        this.dims = check(dims);
        setInputSpec(InputSpec.ndim(dims.length + 1));
    }

    private Permute(ConfigMap c) {
        super(c);
        c.checkKnown(KEYS);
        int[] d = c.getInts("dims", 0);
        if (d == null) {
            throw new IllegalArgumentException("Permute: argument 'dims' is required");
        }
        this.dims = check(d);
        setInputSpec(InputSpec.ndim(dims.length + 1));
    }

    private static int[] check(int[] dims) {
        int[] sorted = dims.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            if (sorted[i] != i + 1) {
                throw new IllegalArgumentException("Invalid permutation `dims` for Permute Layer: "
                        + Arrays.toString(dims) + ". The set of indices in `dims` must be consecutive and start from 1.");
            }
        }
        return dims.clone();
    }

    public static Permute fromConfig(Map<String, Object> config) {
        return new Permute(new ConfigMap("Permute", config));
    }

    private void checkRank(int rank) {
        if (rank != dims.length + 1) {
            throw new IllegalArgumentException("Permute " + getName() + ": dims " + Arrays.toString(dims)
                    + " need an input of rank " + (dims.length + 1) + ", got rank " + rank);
        }
    }

    @Override
    protected Tensor call(Tensor input, Tensor mask, boolean training) {
        checkRank(input.rank());
        int[] perm = new int[dims.length + 1];
        for (int i = 0; i < dims.length; i++) {
            perm[i + 1] = dims[i];
        }
        return Ops.transpose(input, perm);
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        checkRank(inputShape.rank());
        long[] out = inputShape.dims();
        for (int i = 0; i < dims.length; i++) {
            out[i + 1] = inputShape.dim(dims[i]);
        }
        return Shape.of(out);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("dims", Arrays.stream(dims).boxed().toList());
        return c;
    }
}
