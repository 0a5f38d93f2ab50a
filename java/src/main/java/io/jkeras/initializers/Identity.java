package io.jkeras.initializers;

import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * gain times the identity matrix. Like tf.keras (and unlike Keras 2.2.4, which wants a square matrix), a
 * non-square matrix gets ones on its main diagonal.
 */
public final class Identity implements Initializer {
    private final double gain;

    public Identity() {
        this(1.0);
    }

    public Identity(double gain) {
        this.gain = gain;
    }

    public static Identity fromConfig(Map<String, Object> config) {
        ConfigMap c = BuiltinInitializers.config("Identity", config, "gain");
        return new Identity(c.getDouble("gain", 1.0));
    }

    @Override
    public Tensor apply(long... shape) {
        if (shape.length != 2) {
            throw new IllegalArgumentException("Identity: Identity matrix initializer can only be used for 2D "
                    + "matrices, got shape " + Shape.of(shape));
        }
        int rows = Math.toIntExact(shape[0]);
        int cols = Math.toIntExact(shape[1]);
        float[] out = new float[Math.multiplyExact(rows, cols)];
        for (int i = 0; i < Math.min(rows, cols); i++) {
            out[i * cols + i] = (float) gain;
        }
        return Tensor.of(out, shape);
    }

    @Override
    public String className() {
        return "Identity";
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("gain", gain);
        return m;
    }
}
