package io.jkeras.layers.merge;

import io.jkeras.ops.Ops;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Tensor;
import java.util.List;
import java.util.Map;

/** Keras's Maximum: the elementwise maximum of its inputs (at least 2); a tie sends the gradient to the earlier input. */
public final class Maximum extends MergeLayer {
    public Maximum() {
    }

    private Maximum(ConfigMap c) {
        super(c, keys());
    }

    public static Maximum fromConfig(Map<String, Object> config) {
        return new Maximum(new ConfigMap("Maximum", config));
    }

    @Override
    protected Tensor merge(List<Tensor> inputs) {
        Tensor out = inputs.get(0);
        for (int i = 1; i < inputs.size(); i++) {
            out = Ops.maximum(out, inputs.get(i));
        }
        return out;
    }
}
