package io.jkeras.layers.merge;

import io.jkeras.ops.Ops;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Tensor;
import java.util.List;
import java.util.Map;

/** Keras's Subtract: inputs[0] - inputs[1], on exactly two inputs. */
public final class Subtract extends MergeLayer {
    public Subtract() {
    }

    private Subtract(ConfigMap c) {
        super(c, keys());
    }

    public static Subtract fromConfig(Map<String, Object> config) {
        return new Subtract(new ConfigMap("Subtract", config));
    }

    @Override
    protected int maxInputs() {
        return 2;
    }

    @Override
    protected void checkCount(int n) {
        if (n != 2) {
            throw new IllegalArgumentException("A `Subtract` layer should be called on exactly 2 inputs, got " + n
                    + " (layer " + getName() + ").");
        }
    }

    @Override
    protected Tensor merge(List<Tensor> inputs) {
        return Ops.sub(inputs.get(0), inputs.get(1));
    }
}
