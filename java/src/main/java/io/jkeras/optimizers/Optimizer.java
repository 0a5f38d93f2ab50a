package io.jkeras.optimizers;

import io.jkeras.layers.Weight;
import io.jkeras.ops.Ops;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Device;
import io.jkeras.tensor.Scope;
import io.jkeras.tensor.Tensor;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keras 2's optimizer base: a learning rate with time-based decay ({@code lr / (1 + decay * iterations)}),
 * optional gradient clipping ({@code clipnorm}: by the global norm of all gradients; {@code clipvalue}: element
 * by element), and per-weight slot tensors (momenta) that live until the optimizer is {@link #close closed}.
 * Updates are in place on the weights' value tensors.
 */
public abstract class Optimizer implements AutoCloseable {
    protected final float lr;
    protected final float decay;
    private final Float clipnorm;
    private final Float clipvalue;
    private long iterations;
    private final Map<Weight, Tensor[]> slots = new IdentityHashMap<>();

    protected Optimizer(double lr, double decay, Double clipnorm, Double clipvalue) {
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": argument 'lr' must be a finite number "
                    + ">= 0, got " + lr);
        }
        if (!(decay >= 0) || Double.isInfinite(decay)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": argument 'decay' must be >= 0, got "
                    + decay);
        }
        if (clipnorm != null && !(clipnorm > 0)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": argument 'clipnorm' must be > 0, got "
                    + clipnorm);
        }
        if (clipvalue != null && !(clipvalue > 0)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": argument 'clipvalue' must be > 0, got "
                    + clipvalue);
        }
        this.lr = (float) lr;
        this.decay = (float) decay;
        this.clipnorm = clipnorm == null ? null : clipnorm.floatValue();
        this.clipvalue = clipvalue == null ? null : clipvalue.floatValue();
    }

    /**
     * One update of every weight from its gradient (a null gradient leaves its weight unchanged), then one more
     * iteration. Gradients are read, not closed.
     */
    public final void apply(List<Weight> weights, List<Tensor> grads) {
        if (weights.size() != grads.size()) {
            throw new IllegalArgumentException(className() + ".apply: " + weights.size() + " weights but "
                    + grads.size() + " gradients");
        }
        for (int i = 0; i < weights.size(); i++) {
            Tensor g = grads.get(i);
            if (g != null && !java.util.Arrays.equals(g.shape(), weights.get(i).value().shape())) {
                throw new IllegalArgumentException(className() + ".apply: the gradient of weight '"
                        + weights.get(i).name() + "' has shape " + g.getShape() + ", the weight "
                        + weights.get(i).value().getShape());
            }
        }
        try (Scope scope = Scope.open()) {
            List<Tensor> gs = clip(grads);
            float lrNow = decay > 0 ? (float) (lr * (1.0 / (1.0 + (double) decay * iterations))) : lr;
            for (int i = 0; i < weights.size(); i++) {
                Tensor g = gs.get(i);
                if (g != null) {
                    update(weights.get(i), g, lrNow, iterations);
                }
            }
        }
        iterations++;
    }

    /** Keras 2's clipnorm (global norm over all gradients) then clipvalue. */
    private List<Tensor> clip(List<Tensor> grads) {
        List<Tensor> gs = new ArrayList<>(grads);
        if (clipnorm != null) {
            double sq = 0;
            for (Tensor g : gs) {
                if (g != null) {
                    sq += Ops.sum(Ops.square(g)).item();
                }
            }
            double norm = Math.sqrt(sq);
            if (norm >= clipnorm) {
                for (int i = 0; i < gs.size(); i++) {
                    if (gs.get(i) != null) {
                        gs.set(i, Ops.mul(gs.get(i), (float) (clipnorm / norm)));
                    }
                }
            }
        }
        if (clipvalue != null) {
            for (int i = 0; i < gs.size(); i++) {
                if (gs.get(i) != null) {
                    gs.set(i, Ops.clip(gs.get(i), -clipvalue, clipvalue));
                }
            }
        }
        return gs;
    }

    /**
     * Updates w in place from its gradient g with the decayed learning rate lr; iteration is the number of
     * updates done before this one.
     */
    protected abstract void update(Weight w, Tensor g, float lr, long iteration);

    /** The weight's slot tensors (zeros of its shape, count of them), made on first use and owned here. */
    protected final Tensor[] slots(Weight w, int count) {
        Tensor[] s = slots.get(w);
        if (s == null) {
            s = new Tensor[count];
            for (int i = 0; i < count; i++) {
                Tensor v = w.value();
                Tensor z = Tensor.empty(v.backend(), v.dtype(), v.shape());
                z.backend().fill(z, 0f);
                s[i] = Scope.detach(z);
            }
            slots.put(w, s);
        }
        return s;
    }

    /** Moves the slot tensors to device in place, with the weights they belong to. */
    public void moveTo(Device device) {
        for (Tensor[] s : slots.values()) {
            for (Tensor t : s) {
                t.moveTo(device);
            }
        }
    }

    /** The number of updates done (Keras's {@code iterations}). */
    public long iterations() {
        return iterations;
    }

    public float learningRate() {
        return lr;
    }

    /** Keras's class name ("SGD", "Adam"). */
    public abstract String className();

    /** Keras 2.2.4's config keys and values. */
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("lr", (double) lr);
        return c;
    }

    /** The clip settings, present in a config only when set (as Keras writes them). */
    protected final void putClipConfig(Map<String, Object> c) {
        if (clipnorm != null) {
            c.put("clipnorm", (double) clipnorm);
        }
        if (clipvalue != null) {
            c.put("clipvalue", (double) clipvalue);
        }
    }

    /** The learning rate of a config: Keras 2's "lr" or tf.keras's "learning_rate". */
    static double learningRate(ConfigMap c, double dflt) {
        if (c.has("lr") && c.has("learning_rate")) {
            throw new IllegalArgumentException("optimizer config: give 'lr' or 'learning_rate', not both");
        }
        return c.has("learning_rate") ? c.getDouble("learning_rate", dflt) : c.getDouble("lr", dflt);
    }

    static Double nullable(ConfigMap c, String key) {
        return c.getNullableDouble(key);
    }

    /** Frees the slot tensors. */
    @Override
    public void close() {
        for (Tensor[] s : slots.values()) {
            for (Tensor t : s) {
                t.close();
            }
        }
        slots.clear();
    }

    @Override
    public String toString() {
        return className() + getConfig();
    }
}
