package io.jkeras.layers.merge;

import io.jkeras.ops.Ops;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Tensor;
import java.util.List;
import java.util.Map;

/** Keras's Add: the elementwise sum of its inputs (at least 2, broadcast as Keras's merges do). */
public final class Add extends MergeLayer {
    public Add() {
    }

    private Add(ConfigMap c) {
        super(c, keys());
    }

    public static Add fromConfig(Map<String, Object> config) {
        return new Add(new ConfigMap("Add", config));
    }

    @Override
    protected Tensor merge(List<Tensor> inputs) {
        Tensor out = inputs.get(0);
        for (int i = 1; i < inputs.size(); i++) {
            out = Ops.add(out, inputs.get(i));
        }
        return out;
    }
}
