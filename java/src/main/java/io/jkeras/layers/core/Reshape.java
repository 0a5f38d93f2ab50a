package io.jkeras.layers.core;

import io.jkeras.layers.Layer;
import io.jkeras.ops.Ops;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/** Reshapes all but the batch axis to target_shape, in which one dimension may be -1 (inferred). */
public final class Reshape extends Layer {
    private static final Set<String> KEYS = keys("target_shape");

    private final long[] targetShape;

    public Reshape(long... targetShape) {
        this.targetShape = check(targetShape);
    }

    private Reshape(ConfigMap c) {
        super(c);
        c.checkKnown(KEYS);
        long[] t = c.getLongs("target_shape", 0);
        if (t == null) {
            throw new IllegalArgumentException("Reshape: argument 'target_shape' is required");
        }
        this.targetShape = check(t);
    }

    private static long[] check(long[] t) {
        int unknown = 0;
        for (long d : t) {
            if (d == -1) {
                unknown++;
            } else if (d < 0) {
                throw new IllegalArgumentException("Reshape: invalid dimension " + d + " in target_shape "
                        + Arrays.toString(t));
            }
        }
        if (unknown > 1) {
            throw new IllegalArgumentException("Reshape: can only specify one unknown dimension, got target_shape "
                    + Arrays.toString(t));
        }
        return t.clone();
    }

    public static Reshape fromConfig(Map<String, Object> config) {
        return new Reshape(new ConfigMap("Reshape", config));
    }

    @Override
    protected Tensor call(Tensor input, Tensor mask, boolean training) {
        long[] resolved = Ops.inferShape("Reshape " + getName(), input.getShape().dropFirst(), targetShape);
        long[] full = new long[resolved.length + 1];
        full[0] = input.dim(0);
        System.arraycopy(resolved, 0, full, 1, resolved.length);
        return Ops.reshape(input, full);
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        Shape rest = inputShape.dropFirst();
        long[] out;
        if (rest.isFullyDefined()) {
            out = Ops.inferShape("Reshape " + getName(), rest, targetShape);
        } else {
            out = targetShape.clone();
        }
        return Shape.of(out).prepend(inputShape.dim(0));
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("target_shape", Arrays.stream(targetShape).boxed().toList());
        return c;
    }
}
