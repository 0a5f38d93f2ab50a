package io.jkeras.layers.core;

import io.jkeras.layers.InputSpec;
import io.jkeras.layers.Layer;
import io.jkeras.ops.Ops;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import java.util.Map;
import java.util.Set;

/** Repeats a (batch, features) input n times: (batch, n, features). */
public final class RepeatVector extends Layer {
    private static final Set<String> KEYS = keys("n");

    private final int n;

    public RepeatVector(int n) {
        this.n = check(n);
        setInputSpec(InputSpec.ndim(2));
    }

    private RepeatVector(ConfigMap c) {
        super(c);
        c.checkKnown(KEYS);
        this.n = check(c.getInt("n", -1));
        setInputSpec(InputSpec.ndim(2));
    }

    private static int check(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("RepeatVector: argument 'n' must be a positive integer, got " + n);
        }
        return n;
    }

    public static RepeatVector fromConfig(Map<String, Object> config) {
        return new RepeatVector(new ConfigMap("RepeatVector", config));
    }

    @Override
    protected Tensor call(Tensor input, Tensor mask, boolean training) {
        return Ops.broadcastTo(Ops.expandDims(input, 1), new long[] {input.dim(0), n, input.dim(1)});
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        return Shape.of(inputShape.dim(0), n, inputShape.dim(1));
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("n", n);
        return c;
    }
}
