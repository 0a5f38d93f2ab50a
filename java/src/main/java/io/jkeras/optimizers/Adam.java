package io.jkeras.optimizers;

import io.jkeras.layers.Weight;
import io.jkeras.ops.Ops;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Tensor;
import java.util.Map;
import java.util.Set;

/**
 * Keras 2.2.4's Adam: with t = iterations + 1, {@code lr_t = lr * sqrt(1 - beta_2^t) / (1 - beta_1^t)},
 * {@code m = beta_1 m + (1 - beta_1) g}, {@code v = beta_2 v + (1 - beta_2) g^2},
 * {@code w -= lr_t m / (sqrt(v) + epsilon)}; with amsgrad, {@code vhat = max(vhat, v)} replaces v in the step.
 */
public final class Adam extends Optimizer {
    private static final Set<String> KEYS = Set.of("lr", "learning_rate", "beta_1", "beta_2", "epsilon", "decay",
            "amsgrad", "name", "clipnorm", "clipvalue");

    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final boolean amsgrad;

    public Adam() {
        this(0.001);
    }

    public Adam(double lr) {
        this(lr, 0.9, 0.999, 1e-7, 0.0, false);
    }

    public Adam(double lr, double beta1, double beta2, double epsilon, double decay, boolean amsgrad) {
        this(lr, beta1, beta2, epsilon, decay, amsgrad, null, null);
    }

    public Adam(double lr, double beta1, double beta2, double epsilon, double decay, boolean amsgrad, Double clipnorm,
            Double clipvalue) {
        super(lr, decay, clipnorm, clipvalue);
        if (!(beta1 >= 0 && beta1 < 1)) {
            throw new IllegalArgumentException("Adam: argument 'beta_1' must be in [0, 1), got " + beta1);
        }
        if (!(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam: argument 'beta_2' must be in [0, 1), got " + beta2);
        }
        if (!(epsilon >= 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("Adam: argument 'epsilon' must be a finite number >= 0, got "
                    + epsilon);
        }
        this.beta1 = (float) beta1;
        this.beta2 = (float) beta2;
        this.epsilon = (float) epsilon;
        this.amsgrad = amsgrad;
    }

    public static Adam fromConfig(Map<String, Object> config) {
        ConfigMap c = new ConfigMap("Adam", config);
        c.checkKnown(KEYS);
        // Keras 2.2.4 writes epsilon=None as K.epsilon().
        Double eps = c.getNullableDouble("epsilon");
        return new Adam(learningRate(c, 0.001), c.getDouble("beta_1", 0.9), c.getDouble("beta_2", 0.999),
                eps == null ? 1e-7 : eps, c.getDouble("decay", 0.0), c.getBoolean("amsgrad", false),
                nullable(c, "clipnorm"), nullable(c, "clipvalue"));
    }

    @Override
    protected void update(Weight w, Tensor g, float lr, long iteration) {
        double t = iteration + 1;
        float lrT = (float) (lr * Math.sqrt(1.0 - Math.pow(beta2, t)) / (1.0 - Math.pow(beta1, t)));
        Tensor p = w.value();
        if (!amsgrad) {
            Tensor[] s = slots(w, 2);
            p.backend().adamUpdate(p, g, s[0], s[1], lrT, beta1, beta2, epsilon);
            return;
        }
        // AMSGrad has no fused primitive: composed of ops, then copied into the slots and the weight.
        Tensor[] s = slots(w, 3);
        Tensor m = Ops.add(Ops.mul(s[0], beta1), Ops.mul(g, 1f - beta1));
        Tensor v = Ops.add(Ops.mul(s[1], beta2), Ops.mul(Ops.square(g), 1f - beta2));
        Tensor vhat = Ops.maximum(s[2], v);
        Tensor next = Ops.sub(p, Ops.mul(Ops.div(m, Ops.add(Ops.sqrt(vhat), epsilon)), lrT));
        p.backend().copy(m, s[0]);
        p.backend().copy(v, s[1]);
        p.backend().copy(vhat, s[2]);
        p.backend().copy(next, p);
    }

    public float beta1() {
        return beta1;
    }

    public float beta2() {
        return beta2;
    }

    public float epsilon() {
        return epsilon;
    }

    public boolean amsgrad() {
        return amsgrad;
    }

    @Override
    public String className() {
        return "Adam";
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("beta_1", (double) beta1);
        c.put("beta_2", (double) beta2);
        c.put("decay", (double) decay);
        c.put("epsilon", (double) epsilon);
        c.put("amsgrad", amsgrad);
        putClipConfig(c);
        return c;
    }
}
