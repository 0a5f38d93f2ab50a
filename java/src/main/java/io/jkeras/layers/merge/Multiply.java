package io.jkeras.layers.merge;

import io.jkeras.ops.Ops;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Tensor;
import java.util.List;
import java.util.Map;

/** Keras's Multiply: the elementwise product of its inputs (at least 2). */
public final class Multiply extends MergeLayer {
    public Multiply() {
    }

    private Multiply(ConfigMap c) {
        super(c, keys());
    }

    public static Multiply fromConfig(Map<String, Object> config) {
        return new Multiply(new ConfigMap("Multiply", config));
    }

    @Override
    protected Tensor merge(List<Tensor> inputs) {
        Tensor out = inputs.get(0);
        for (int i = 1; i < inputs.size(); i++) {
            out = Ops.mul(out, inputs.get(i));
        }
        return out;
    }
}
