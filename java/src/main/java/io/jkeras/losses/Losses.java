package io.jkeras.losses;

import io.jkeras.ops.Ops;
import io.jkeras.tensor.DType;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BinaryOperator;

/**
 * Keras 2's loss functions (TensorFlow backend formulas) by name, plus user losses registered by name. Every
 * function reduces the last axis only: the per-sample losses are averaged by the training loop.
 */
public final class Losses {
    /** Keras's K.epsilon(): predictions are clipped to [EPSILON, 1 - EPSILON] before a logarithm. */
    public static final float EPSILON = 1e-7f;

    private static final Map<String, Loss> BY_NAME = new ConcurrentHashMap<>();

    public static final Loss MEAN_SQUARED_ERROR = of("mean_squared_error", Losses::meanSquaredError);
    public static final Loss MEAN_ABSOLUTE_ERROR = of("mean_absolute_error", Losses::meanAbsoluteError);
    public static final Loss BINARY_CROSSENTROPY = of("binary_crossentropy", Losses::binaryCrossentropy);
    public static final Loss CATEGORICAL_CROSSENTROPY = of("categorical_crossentropy", Losses::categoricalCrossentropy);
    public static final Loss SPARSE_CATEGORICAL_CROSSENTROPY =
            of("sparse_categorical_crossentropy", Losses::sparseCategoricalCrossentropy);

    static {
        alias(MEAN_SQUARED_ERROR, "mean_squared_error", "mse", "MSE");
        alias(MEAN_ABSOLUTE_ERROR, "mean_absolute_error", "mae", "MAE");
        alias(BINARY_CROSSENTROPY, "binary_crossentropy");
        alias(CATEGORICAL_CROSSENTROPY, "categorical_crossentropy");
        alias(SPARSE_CATEGORICAL_CROSSENTROPY, "sparse_categorical_crossentropy");
    }

    private Losses() {
    }

    private record Named(String name, BinaryOperator<Tensor> f) implements Loss {
        @Override
        public Tensor call(Tensor yTrue, Tensor yPred) {
            return f.apply(yTrue, yPred);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static void alias(Loss loss, String... names) {
        for (String n : names) {
            BY_NAME.put(n, loss);
        }
    }

    /** A loss named name computing f(yTrue, yPred). */
    public static Loss of(String name, BinaryOperator<Tensor> f) {
        return new Named(name, f);
    }

    /** Makes a user loss available by name to {@link #get} (and so to {@code compile}). */
    public static Loss register(String name, BinaryOperator<Tensor> f) {
        Loss l = of(name, f);
        BY_NAME.put(name, l);
        return l;
    }

    /** A name (Keras's function names and aliases "mse", "mae"), or a Loss returned as is. */
    public static Loss get(Object identifier) {
        if (identifier instanceof Loss l) {
            return l;
        }
        if (identifier instanceof Map<?, ?> m && m.get("class_name") instanceof String cls) {
            return fromClassName(cls, m.get("config"));
        }
        if (identifier instanceof String s) {
            Loss l = BY_NAME.get(s);
            if (l == null) {
                throw new IllegalArgumentException("Unknown loss function: " + s + " (known: "
                        + new TreeSet<>(BY_NAME.keySet()) + "; register your own with Losses.register)");
            }
            return l;
        }
        throw new IllegalArgumentException("Could not interpret loss function identifier: " + identifier
                + " (expected a name such as \"categorical_crossentropy\" or a Loss)");
    }

    /** tf.keras's loss classes as its training configs write them: {"class_name": "CategoricalCrossentropy", ...}. */
    private static Loss fromClassName(String cls, Object configObject) {
        Map<?, ?> config = configObject instanceof Map<?, ?> c ? c : Map.of();
        Loss l = switch (cls) {
            case "MeanSquaredError" -> MEAN_SQUARED_ERROR;
            case "MeanAbsoluteError" -> MEAN_ABSOLUTE_ERROR;
            case "BinaryCrossentropy" -> BINARY_CROSSENTROPY;
            case "CategoricalCrossentropy" -> CATEGORICAL_CROSSENTROPY;
            case "SparseCategoricalCrossentropy" -> SPARSE_CATEGORICAL_CROSSENTROPY;
            default -> throw new IllegalArgumentException("Unknown loss class: " + cls + " (known: MeanSquaredError, "
                    + "MeanAbsoluteError, BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy)");
        };
        for (Map.Entry<?, ?> e : config.entrySet()) {
            String k = String.valueOf(e.getKey());
            Object v = e.getValue();
            boolean neutral = switch (k) {
                case "name", "reduction" -> true;
                case "from_logits" -> Boolean.FALSE.equals(v);
                case "label_smoothing" -> v instanceof Number n && n.doubleValue() == 0;
                case "axis" -> v instanceof Number n && n.intValue() == -1;
                default -> false;
            };
            if (!neutral) {
                throw new UnsupportedOperationException("loss " + cls + ": " + k + "=" + v + " is not supported (only "
                        + "probabilities, from_logits=false, without label smoothing, over the last axis)");
            }
        }
        return l;
    }

    /** Keras writes a loss function as its name. */
    public static String serialize(Loss loss) {
        return loss.name();
    }

    // ------------------------------------------------------------------------------------------------ formulas

    /** mean((yPred - yTrue)^2, axis=-1). */
    public static Tensor meanSquaredError(Tensor yTrue, Tensor yPred) {
        return Ops.mean(Ops.square(Ops.sub(yPred, Ops.toFloat(yTrue))), new int[] {-1}, false);
    }

    /** mean(|yPred - yTrue|, axis=-1). */
    public static Tensor meanAbsoluteError(Tensor yTrue, Tensor yPred) {
        return Ops.mean(Ops.abs(Ops.sub(yPred, Ops.toFloat(yTrue))), new int[] {-1}, false);
    }

    /**
     * Keras 2 with probabilities (from_logits=False): p = clip(yPred, eps, 1 - eps);
     * -mean(yTrue log p + (1 - yTrue) log(1 - p), axis=-1).
     */
    public static Tensor binaryCrossentropy(Tensor yTrue, Tensor yPred) {
        Tensor t = Ops.toFloat(yTrue);
        Tensor p = Ops.clip(yPred, EPSILON, 1f - EPSILON);
        Tensor pos = Ops.mul(t, Ops.log(p));
        Tensor neg = Ops.mul(Ops.affine(t, -1f, 1f), Ops.log(Ops.affine(p, -1f, 1f)));
        return Ops.neg(Ops.mean(Ops.add(pos, neg), new int[] {-1}, false));
    }

    /**
     * Keras 2 with probabilities: yPred is renormalised to sum to 1 over the last axis, clipped to
     * [eps, 1 - eps], and -sum(yTrue log yPred, axis=-1).
     */
    public static Tensor categoricalCrossentropy(Tensor yTrue, Tensor yPred) {
        Tensor t = Ops.toFloat(yTrue);
        Tensor p = Ops.div(yPred, Ops.sum(yPred, new int[] {-1}, true));
        p = Ops.clip(p, EPSILON, 1f - EPSILON);
        return Ops.neg(Ops.sum(Ops.mul(t, Ops.log(p)), new int[] {-1}, false));
    }

    /**
     * Integer class targets: yTrue holds class ids (int32, or float32 whole numbers), shaped like yPred without
     * its last axis or with a last axis of 1; the categorical formula on their one-hot encoding.
     */
    public static Tensor sparseCategoricalCrossentropy(Tensor yTrue, Tensor yPred) {
        return categoricalCrossentropy(oneHotTargets("sparse_categorical_crossentropy", yTrue, yPred), yPred);
    }

    /** The one-hot encoding (float32, yPred's shape) of sparse class ids. */
    public static Tensor oneHotTargets(String who, Tensor yTrue, Tensor yPred) {
        long[] pd = yPred.shape();
        long[] td = yTrue.shape();
        if (pd.length == 0) {
            throw new IllegalArgumentException(who + ": predictions must have a class axis, got shape "
                    + yPred.getShape());
        }
        long classes = pd[pd.length - 1];
        long[] lead = Arrays.copyOf(pd, pd.length - 1);
        long[] ids;
        if (Arrays.equals(td, lead)) {
            ids = td;
        } else if (td.length == pd.length && td[td.length - 1] == 1 && Arrays.equals(Arrays.copyOf(td, td.length - 1),
                lead)) {
            ids = lead;
        } else {
            throw new IllegalArgumentException(who + ": targets of shape " + yTrue.getShape()
                    + " do not hold one class id per prediction of shape " + yPred.getShape() + " (expected "
                    + Shape.of(lead) + " or " + Shape.of(pd).withDim(-1, 1) + ")");
        }
        Tensor intIds = yTrue.dtype() == DType.INT32 ? yTrue : floatIdsToInts(who, yTrue);
        // Ids outside [0, classes) would one-hot to all zeros and silently give a loss of -log(eps); refuse them.
        for (int id : intIds.toIntArray()) {
            if (id < 0 || id >= classes) {
                throw new IllegalArgumentException(who + ": class id " + id + " is outside [0, " + classes
                        + ") for predictions of shape " + yPred.getShape());
            }
        }
        return Ops.oneHot(intIds.reshapeView(ids), classes);
    }

    /** Float class ids (0.0, 1.0, ...) as int32; label data, converted on the host. */
    private static Tensor floatIdsToInts(String who, Tensor yTrue) {
        float[] f = yTrue.toFloatArray();
        int[] ids = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            float v = f[i];
            if (v != Math.rint(v)) {
                throw new IllegalArgumentException(who + ": targets must be integer class ids, got " + v);
            }
            ids[i] = (int) v;
        }
        return Tensor.ofInts(ids, yTrue.shape());
    }
}
