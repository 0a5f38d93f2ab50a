package io.jkeras.layers.merge;

import io.jkeras.ops.Ops;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Tensor;
import java.util.List;
import java.util.Map;

/** Keras's Average: the elementwise mean of its inputs (at least 2): their sum divided by their number. */
public final class Average extends MergeLayer {
    public Average() {
    }

    private Average(ConfigMap c) {
        super(c, keys());
    }

    public static Average fromConfig(Map<String, Object> config) {
        return new Average(new ConfigMap("Average", config));
    }

    @Override
    protected Tensor merge(List<Tensor> inputs) {
        Tensor out = inputs.get(0);
        for (int i = 1; i < inputs.size(); i++) {
            out = Ops.add(out, inputs.get(i));
        }
        return Ops.mul(out, 1f / inputs.size());
    }
}
