package io.jkeras.layers.activation;

import io.jkeras.layers.Layer;
import io.jkeras.ops.Ops;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import java.util.Map;
import java.util.Set;

/** Keras's Softmax(axis=-1): softmax along one axis (counted with the batch axis; negative from the end). */
public final class Softmax extends Layer {
    private static final Set<String> KEYS = keys("axis");

    private final int axis;

    public Softmax() {
        this(-1);
    }

    public Softmax(int axis) {
        this.axis = axis;
        supportsMasking = true;
    }

    private Softmax(ConfigMap c) {
        super(c);
        c.checkKnown(KEYS);
        Object a = c.get("axis");
        if (a instanceof java.util.List<?> l) {
            // Keras 3 writes a one-element list for a single axis
            if (l.size() != 1) {
                throw new IllegalArgumentException("Softmax: argument 'axis' must be one integer, got " + a);
            }
            this.axis = c.getInts("axis", 1)[0];
        } else {
            this.axis = c.getInt("axis", -1);
        }
        supportsMasking = true;
    }

    public static Softmax fromConfig(Map<String, Object> config) {
        return new Softmax(new ConfigMap("Softmax", config));
    }

    public int axis() {
        return axis;
    }

    @Override
    protected void doBuild(Shape inputShape) {
        int r = inputShape.rank();
        if (axis >= r || axis < -r) {
            throw new IllegalArgumentException("Softmax " + getName() + ": axis " + axis + " is out of range for an "
                    + "input of shape " + inputShape);
        }
    }

    @Override
    protected Tensor call(Tensor input, Tensor mask, boolean training) {
        return Ops.softmax(input, axis);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("axis", axis);
        return c;
    }
}
