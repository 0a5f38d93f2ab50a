package io.jkeras.layers.merge;

import io.jkeras.ops.Ops;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Tensor;
import java.util.List;
import java.util.Map;

/** Keras's Minimum: the elementwise minimum of its inputs (at least 2); a tie sends the gradient to the earlier input. */
public final class Minimum extends MergeLayer {
    public Minimum() {
    }

    private Minimum(ConfigMap c) {
        super(c, keys());
    }

    public static Minimum fromConfig(Map<String, Object> config) {
        return new Minimum(new ConfigMap("Minimum", config));
    }

    @Override
    protected Tensor merge(List<Tensor> inputs) {
        Tensor out = inputs.get(0);
        for (int i = 1; i < inputs.size(); i++) {
            out = Ops.minimum(out, inputs.get(i));
        }
        return out;
    }
}
