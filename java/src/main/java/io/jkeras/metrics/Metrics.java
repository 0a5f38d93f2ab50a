package io.jkeras.metrics;

import io.jkeras.losses.Loss;
import io.jkeras.losses.Losses;
import io.jkeras.ops.Ops;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BinaryOperator;

/**
 * Keras 2's metric functions by name. "accuracy" and "acc" are resolved against the model's loss and output
 * shape as Keras does ({@link #resolve}); the loss functions can be used as metrics under their names.
 */
public final class Metrics {
    private static final Map<String, Metric> BY_NAME = new ConcurrentHashMap<>();

    public static final Metric BINARY_ACCURACY = of("binary_accuracy", Metrics::binaryAccuracy);
    public static final Metric CATEGORICAL_ACCURACY = of("categorical_accuracy", Metrics::categoricalAccuracy);
    public static final Metric SPARSE_CATEGORICAL_ACCURACY =
            of("sparse_categorical_accuracy", Metrics::sparseCategoricalAccuracy);

    static {
        BY_NAME.put("binary_accuracy", BINARY_ACCURACY);
        BY_NAME.put("categorical_accuracy", CATEGORICAL_ACCURACY);
        BY_NAME.put("sparse_categorical_accuracy", SPARSE_CATEGORICAL_ACCURACY);
    }

    private Metrics() {
    }

    private record Named(String name, BinaryOperator<Tensor> f) implements Metric {
        @Override
        public Tensor call(Tensor yTrue, Tensor yPred) {
            return f.apply(yTrue, yPred);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    public static Metric of(String name, BinaryOperator<Tensor> f) {
        return new Named(name, f);
    }

    /** Makes a user metric available by name. */
    public static Metric register(String name, BinaryOperator<Tensor> f) {
        Metric m = of(name, f);
        BY_NAME.put(name, m);
        return m;
    }

    /** Whether the name is Keras's generic accuracy, whose function depends on the loss and output. */
    public static boolean isAccuracy(Object identifier) {
        return "accuracy".equals(identifier) || "acc".equals(identifier);
    }

    /**
     * The metric for an identifier outside the context of a model: a Metric as is, a metric name, or a loss
     * name (the loss function used as a metric). "accuracy"/"acc" need {@link #resolve}.
     */
    public static Metric get(Object identifier) {
        if (identifier instanceof Metric m) {
            return m;
        }
        if (identifier instanceof Loss l) {
            return of(l.name(), l::call);
        }
        if (identifier instanceof String s) {
            if (isAccuracy(s)) {
                throw new IllegalArgumentException("metric '" + s + "' depends on the loss and the output shape; use "
                        + "Metrics.resolve(\"" + s + "\", loss, outputShape)");
            }
            Metric m = BY_NAME.get(s);
            if (m != null) {
                return m;
            }
            try {
                Loss l = Losses.get(s);
                return of(l.name(), l::call);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Unknown metric function: " + s + " (known: "
                        + new TreeSet<>(BY_NAME.keySet()) + ", \"accuracy\", \"acc\" and the loss names)");
            }
        }
        throw new IllegalArgumentException("Could not interpret metric function identifier: " + identifier);
    }

    /**
     * Keras 2's choice for "accuracy"/"acc": binary_accuracy when the loss is binary_crossentropy or the output
     * has one unit, sparse_categorical_accuracy when the loss is sparse_categorical_crossentropy, else
     * categorical_accuracy. Other identifiers as {@link #get}.
     */
    public static Metric resolve(Object identifier, Loss loss, Shape outputShape) {
        if (!isAccuracy(identifier)) {
            return get(identifier);
        }
        String lossName = loss == null ? null : loss.name();
        long units = outputShape == null || outputShape.rank() == 0 ? -1 : outputShape.dim(-1);
        if ("binary_crossentropy".equals(lossName) || units == 1) {
            return BINARY_ACCURACY;
        }
        if ("sparse_categorical_crossentropy".equals(lossName)) {
            return SPARSE_CATEGORICAL_ACCURACY;
        }
        return CATEGORICAL_ACCURACY;
    }

    // ------------------------------------------------------------------------------------------------ formulas

    /** mean(yTrue == (yPred > 0.5), axis=-1). */
    public static Tensor binaryAccuracy(Tensor yTrue, Tensor yPred) {
        return binaryAccuracy(yTrue, yPred, 0.5f);
    }

    /** mean(yTrue == (yPred > threshold), axis=-1). */
    public static Tensor binaryAccuracy(Tensor yTrue, Tensor yPred, float threshold) {
        Tensor predicted = Ops.step(Ops.stopGradient(yPred), Math.nextUp(threshold));
        return Ops.mean(Ops.equal(Ops.toFloat(yTrue), predicted), new int[] {-1}, false);
    }

    /** argmax(yTrue, -1) == argmax(yPred, -1), as 1.0 / 0.0. */
    public static Tensor categoricalAccuracy(Tensor yTrue, Tensor yPred) {
        if (yTrue.rank() != yPred.rank() || yTrue.dim(-1) != yPred.dim(-1)) {
            throw new IllegalArgumentException("categorical_accuracy: targets of shape " + yTrue.getShape()
                    + " do not match predictions of shape " + yPred.getShape());
        }
        return Ops.equal(Ops.toFloat(Ops.argmax(Ops.toFloat(yTrue))), Ops.toFloat(Ops.argmax(yPred)));
    }

    /** Class ids (shape yPred's without the last axis, or with a last axis of 1) == argmax(yPred, -1). */
    public static Tensor sparseCategoricalAccuracy(Tensor yTrue, Tensor yPred) {
        long[] pd = yPred.shape();
        long[] lead = java.util.Arrays.copyOf(pd, pd.length - 1);
        Tensor ids = Ops.toFloat(yTrue);
        if (!java.util.Arrays.equals(ids.shape(), lead)) {
            if (ids.size() != Shape.of(lead).size()) {
                throw new IllegalArgumentException("sparse_categorical_accuracy: targets of shape " + yTrue.getShape()
                        + " do not hold one class id per prediction of shape " + yPred.getShape());
            }
            ids = Ops.reshape(ids, lead);
        }
        return Ops.equal(ids, Ops.toFloat(Ops.argmax(yPred)));
    }
}
