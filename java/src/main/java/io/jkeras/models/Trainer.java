package io.jkeras.models;

import io.jkeras.constraints.Constraint;
import io.jkeras.layers.KerasTensor;
import io.jkeras.layers.Layer;
import io.jkeras.layers.Weight;
import io.jkeras.losses.Loss;
import io.jkeras.losses.Losses;
import io.jkeras.metrics.Metric;
import io.jkeras.metrics.Metrics;
import io.jkeras.ops.GradientTape;
import io.jkeras.ops.Ops;
import io.jkeras.optimizers.Optimizer;
import io.jkeras.optimizers.Optimizers;
import io.jkeras.tensor.DType;
import io.jkeras.tensor.Scope;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The training loop behind {@link Model#compile}, {@link Model#fit} and {@link Model#evaluate}, with Keras 2's
 * semantics: each step runs the model in training mode under a {@link GradientTape}, takes the mean of the
 * per-sample loss of every output plus the model's regularization losses, updates the trainable weights with the
 * optimizer and applies their constraints. Epoch logs are sample-weighted means over the batches, as Keras's
 * BaseLogger computes them; {@code validation_split} holds out the last samples, before any shuffling.
 *
 * <p>Shuffling draws from a {@link Random} per compiled model, seeded from the system property
 * {@code jkeras.seed} when it is set (reproducible runs), otherwise at random.
 */
final class Trainer {
    /** The ASCII bar Keras draws: [=====>......]. */
    private static final ProgressBarStyle KERAS_STYLE = ProgressBarStyle.builder().leftBracket("[")
            .rightBracket("]").delimitingSequence("").block('=').space('.').fractionSymbols(">")
            .rightSideFractionSymbol('.').refreshPrompt("\r").build();

    private final Model model;
    private final Optimizer optimizer;
    private final Object lossSpec;
    private final List<?> metricSpecs;
    private final Random shuffleRng;

    /** Resolved against the model's outputs on first use (a Sequential may learn its input shape from data). */
    private List<OutputSpec> outputs;

    private record NamedMetric(String logName, Metric fn) {
    }

    private record OutputSpec(String name, Shape shape, Loss loss, List<NamedMetric> metrics) {
        boolean sparse() {
            return loss.name().equals("sparse_categorical_crossentropy");
        }
    }

    Trainer(Model model, Object optimizer, Object loss, List<?> metrics) {
        this.model = model;
        this.optimizer = Optimizers.get(optimizer);
        if (loss == null) {
            throw new IllegalArgumentException("compile: argument 'loss' is required (a name such as "
                    + "\"categorical_crossentropy\", a Loss, or a list / map of them, one per output)");
        }
        // Fail at compile time on unknown names, as Keras does.
        if (loss instanceof List<?> l) {
            l.forEach(Losses::get);
        } else if (isPerOutput(loss)) {
            ((Map<?, ?>) loss).values().forEach(Losses::get);
        } else {
            Losses.get(loss);
        }
        this.lossSpec = loss;
        this.metricSpecs = metrics == null ? List.of() : List.copyOf(metrics);
        for (Object m : metricSpecs) {
            if (!Metrics.isAccuracy(m)) {
                Metrics.get(m);
            }
        }
        Long seed = Long.getLong("jkeras.seed");
        this.shuffleRng = seed != null ? new Random(seed) : new Random();
    }

    /** A map of losses by output name (a map with "class_name" is one serialized loss). */
    private static boolean isPerOutput(Object loss) {
        return loss instanceof Map<?, ?> m && !m.containsKey("class_name");
    }

    Optimizer optimizer() {
        return optimizer;
    }

    // ------------------------------------------------------------------------------------------------- fit

    History fit(List<Tensor> xs, List<Tensor> ys, int batchSize, int epochs, int verbose, double validationSplit,
            boolean shuffle) {
        return fit(xs, ys, batchSize, epochs, verbose, validationSplit, null, null, shuffle);
    }

    /**
     * As Keras's fit; validation comes from validationData (valXs, valYs) when given, else from the last
     * validationSplit fraction of the samples.
     */
    History fit(List<Tensor> xs, List<Tensor> ys, int batchSize, int epochs, int verbose, double validationSplit,
            List<Tensor> valXs, List<Tensor> valYs, boolean shuffle) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("fit: argument 'batch_size' must be >= 1, got " + batchSize);
        }
        if (epochs < 0) {
            throw new IllegalArgumentException("fit: argument 'epochs' must be >= 0, got " + epochs);
        }
        if (!(validationSplit >= 0 && validationSplit < 1)) {
            throw new IllegalArgumentException("fit: argument 'validation_split' must be in [0, 1), got "
                    + validationSplit);
        }
        checkVerbose("fit", verbose);
        if ((valXs == null) != (valYs == null)) {
            throw new IllegalArgumentException("fit: validation data needs both inputs and targets");
        }
        try (Scope fitScope = Scope.open()) {
            long n = checkData("fit", xs, ys);
            prepare(xs);
            List<Tensor> targets = standardizeTargets("fit", ys);
            List<Tensor> trainX = xs, trainY = targets, valX = null, valY = null;
            long nTrain = n;
            if (valXs != null) {
                long nv = checkData("fit (validation data)", valXs, valYs);
                valX = valXs;
                valY = standardizeTargets("fit (validation data)", valYs);
                if (nv == 0) {
                    valX = null;
                    valY = null;
                }
            } else if (validationSplit > 0) {
                // Keras 2: split_at = int(num_samples * (1 - validation_split)); validation is the tail.
                long splitAt = (long) (n * (1.0 - validationSplit));
                if (splitAt == 0 || splitAt == n) {
                    throw new IllegalArgumentException("fit: " + n + " samples are not enough to split them into a "
                            + "training and a validation set with validation_split=" + validationSplit + " ("
                            + splitAt + " training and " + (n - splitAt) + " validation samples)");
                }
                trainX = rows(xs, 0, splitAt);
                trainY = rows(targets, 0, splitAt);
                valX = rows(xs, splitAt, n);
                valY = rows(targets, splitAt, n);
                nTrain = splitAt;
            }
            if (nTrain == 0 && epochs > 0) {
                throw new IllegalArgumentException("fit: there are no training samples (x has shape "
                        + xs.get(0).getShape() + ")");
            }
            boolean doValidation = valX != null;
            History history = new History();
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("batch_size", batchSize);
            params.put("epochs", epochs);
            params.put("steps", null);
            params.put("samples", nTrain);
            params.put("verbose", verbose);
            params.put("do_validation", doValidation);
            List<String> metricNames = new ArrayList<>(logNames());
            if (doValidation) {
                for (String k : logNames()) {
                    metricNames.add("val_" + k);
                }
            }
            params.put("metrics", metricNames);
            history.setParams(params);

            PrintStream out = System.out;
            if (verbose > 0 && doValidation) {
                out.println("Train on " + nTrain + " samples, validate on " + valX.get(0).dim(0) + " samples");
            }
            // Shuffling gathers rows on the host (data I/O): the training arrays are read once.
            Rows source = shuffle ? Rows.host(trainX, trainY) : Rows.device(trainX, trainY);
            long[] index = new long[Math.toIntExact(nTrain)];
            for (int i = 0; i < index.length; i++) {
                index[i] = i;
            }
            for (int epoch = 0; epoch < epochs; epoch++) {
                long start = System.nanoTime();
                if (shuffle) {
                    for (int i = index.length - 1; i > 0; i--) {
                        int j = shuffleRng.nextInt(i + 1);
                        long t = index[i];
                        index[i] = index[j];
                        index[j] = t;
                    }
                }
                String title = "Epoch " + (epoch + 1) + "/" + epochs;
                Averages avg = new Averages(logNames());
                ProgressBar bar = verbose == 1 ? progressBar(title, nTrain, out) : null;
                try {
                    for (long b = 0; b < nTrain; b += batchSize) {
                        long e = Math.min(nTrain, b + batchSize);
                        try (Scope step = Scope.open()) {
                            Batch batch = source.batch(index, b, e);
                            double[] values = trainStep(batch.xs(), batch.ys());
                            avg.add(values, e - b);
                        }
                        if (bar != null) {
                            bar.stepTo(e);
                            bar.setExtraMessage(format(avg.means(), null));
                        }
                    }
                } finally {
                    if (bar != null) {
                        closeBar(bar, out);
                    }
                }
                Map<String, Double> logs = avg.means();
                if (doValidation) {
                    Map<String, Double> val = evaluateLoop(valX, valY, batchSize);
                    for (Map.Entry<String, Double> v : val.entrySet()) {
                        logs.put("val_" + v.getKey(), v.getValue());
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                history.append(epoch, logs, seconds);
                if (verbose == 1) {
                    out.println(title + " - " + nTrain + "/" + nTrain + " - " + Math.round(seconds) + "s "
                            + perSample(seconds, nTrain) + format(logs, " - "));
                } else if (verbose == 2) {
                    out.println(title + " - " + Math.round(seconds) + "s" + format(logs, " - "));
                }
            }
            return history;
        }
    }

    // -------------------------------------------------------------------------------------------- evaluate

    Map<String, Double> evaluate(List<Tensor> xs, List<Tensor> ys, int batchSize, int verbose) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("evaluate: argument 'batch_size' must be >= 1, got " + batchSize);
        }
        checkVerbose("evaluate", verbose);
        try (Scope scope = Scope.open()) {
            long n = checkData("evaluate", xs, ys);
            if (n == 0) {
                throw new IllegalArgumentException("evaluate: x has no samples (shape " + xs.get(0).getShape() + ")");
            }
            prepare(xs);
            List<Tensor> targets = standardizeTargets("evaluate", ys);
            long start = System.nanoTime();
            ProgressBar bar = verbose == 1 ? progressBar("Evaluate", n, System.out) : null;
            Map<String, Double> logs;
            try {
                logs = evaluateLoop(xs, targets, batchSize, bar);
            } finally {
                if (bar != null) {
                    closeBar(bar, System.out);
                }
            }
            if (verbose == 1) {
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.println(n + "/" + n + " - " + Math.round(seconds) + "s " + perSample(seconds, n)
                        + format(logs, " - "));
            }
            return logs;
        }
    }

    private Map<String, Double> evaluateLoop(List<Tensor> xs, List<Tensor> ys, int batchSize) {
        return evaluateLoop(xs, ys, batchSize, null);
    }

    private Map<String, Double> evaluateLoop(List<Tensor> xs, List<Tensor> ys, int batchSize, ProgressBar bar) {
        long n = xs.get(0).dim(0);
        Averages avg = new Averages(logNames());
        Rows source = Rows.device(xs, ys);
        for (long b = 0; b < n; b += batchSize) {
            long e = Math.min(n, b + batchSize);
            try (Scope step = Scope.open()) {
                Batch batch = source.batch(null, b, e);
                avg.add(testStep(batch.xs(), batch.ys()), e - b);
            }
            if (bar != null) {
                bar.stepTo(e);
                bar.setExtraMessage(format(avg.means(), null));
            }
        }
        return avg.means();
    }

    // ------------------------------------------------------------------------------------------------ steps

    /**
     * One optimizer step; returns the batch's log values in {@link #logNames} order. The model runs through
     * {@link Model#run}, which yields outputs and masks in one pass ({@code invoke} on a Model computes the masks
     * with a second forward pass).
     */
    private double[] trainStep(List<Tensor> bx, List<Tensor> by) {
        List<Weight> trainable = model.trainableWeightVariables();
        List<Tensor> values = new ArrayList<>(trainable.size());
        for (Weight w : trainable) {
            values.add(w.value());
        }
        Layer.Outputs outs;
        List<Tensor> scalars;
        List<Tensor> grads;
        try (GradientTape tape = new GradientTape()) {
            tape.watch(values);
            outs = model.run(bx, null, true);
            scalars = lossScalars(outs, by);
            grads = tape.gradient(scalars.get(0), values);
        }
        optimizer.apply(trainable, grads);
        for (Weight w : trainable) {
            Constraint c = w.constraint();
            if (c != null) {
                w.assign(c.apply(w.value()));
            }
        }
        scalars.addAll(metricScalars(outs, by));
        return read(scalars);
    }

    private double[] testStep(List<Tensor> bx, List<Tensor> by) {
        Layer.Outputs outs = model.run(bx, null, false);
        List<Tensor> scalars = lossScalars(outs, by);
        scalars.addAll(metricScalars(outs, by));
        return read(scalars);
    }

    /** [total loss, then each output's loss when there are several]. */
    private List<Tensor> lossScalars(Layer.Outputs outs, List<Tensor> ys) {
        List<Tensor> perOutput = new ArrayList<>();
        Tensor total = null;
        for (int i = 0; i < outputs.size(); i++) {
            OutputSpec spec = outputs.get(i);
            Tensor yPred = outs.tensors().get(i);
            Tensor score = spec.loss().call(ys.get(i), yPred);
            Tensor l = Ops.mean(masked(score, mask(outs, i)));
            perOutput.add(l);
            total = total == null ? l : Ops.add(total, l);
        }
        for (Tensor reg : model.losses()) {
            total = Ops.add(total, reg.rank() == 0 ? reg : Ops.sum(reg));
        }
        List<Tensor> scalars = new ArrayList<>();
        scalars.add(total);
        if (outputs.size() > 1) {
            scalars.addAll(perOutput);
        }
        return scalars;
    }

    private List<Tensor> metricScalars(Layer.Outputs outs, List<Tensor> ys) {
        List<Tensor> scalars = new ArrayList<>();
        for (int i = 0; i < outputs.size(); i++) {
            Tensor yPred = Ops.stopGradient(outs.tensors().get(i));
            for (NamedMetric m : outputs.get(i).metrics()) {
                scalars.add(Ops.mean(masked(m.fn().call(ys.get(i), yPred), mask(outs, i))));
            }
        }
        return scalars;
    }

    private static Tensor mask(Layer.Outputs outs, int i) {
        return outs.masks() == null ? null : outs.masks().get(i);
    }

    /** Keras 2's masked objective: score * mask / mean(mask), the mask broadcast against the score. */
    private static Tensor masked(Tensor score, Tensor mask) {
        if (mask == null) {
            return score;
        }
        Tensor m = Ops.toFloat(mask);
        if (m.rank() > score.rank()) {
            throw new IllegalStateException("an output mask of shape " + m.getShape()
                    + " does not fit per-sample losses of shape " + score.getShape());
        }
        Tensor weighted = Ops.mul(score, m);
        return Ops.div(weighted, Ops.add(Ops.mean(m), Losses.EPSILON));
    }

    private static double[] read(List<Tensor> scalars) {
        if (scalars.isEmpty()) {
            return new double[0];
        }
        List<Tensor> flat = new ArrayList<>(scalars.size());
        for (Tensor s : scalars) {
            flat.add(Ops.reshape(s, 1));
        }
        float[] v = (flat.size() == 1 ? flat.get(0) : Ops.concat(flat, 0)).toFloatArray();
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    // -------------------------------------------------------------------------------------------- set-up

    /** The log keys in step order: loss, per-output losses (several outputs), then every metric. */
    private List<String> logNames() {
        List<String> names = new ArrayList<>();
        names.add("loss");
        if (outputs.size() > 1) {
            for (OutputSpec o : outputs) {
                names.add(o.name() + "_loss");
            }
        }
        for (OutputSpec o : outputs) {
            for (NamedMetric m : o.metrics()) {
                names.add(m.logName());
            }
        }
        return names;
    }

    /** Builds a Sequential without an input shape from the data, then resolves losses and metrics per output. */
    private void prepare(List<Tensor> xs) {
        if (!model.hasGraph()) {
            if (xs.size() != 1) {
                throw new IllegalArgumentException("fit: a Sequential model takes one input array, got " + xs.size());
            }
            model.build(xs.get(0).getShape().withDim(0, Shape.UNKNOWN));
        }
        if (outputs != null) {
            return;
        }
        List<KerasTensor> outs = model.outputs();
        List<String> names = new ArrayList<>();
        for (KerasTensor t : outs) {
            names.add(t.layer().getName());
        }
        List<Loss> losses = new ArrayList<>();
        if (lossSpec instanceof List<?> l) {
            if (l.size() != outs.size()) {
                throw new IllegalArgumentException("When passing a list as loss, it should have one entry per model "
                        + "output. The model has " + outs.size() + " output(s), but you passed loss=" + l);
            }
            for (Object o : l) {
                losses.add(Losses.get(o));
            }
        } else if (isPerOutput(lossSpec) && lossSpec instanceof Map<?, ?> m) {
            for (Object k : m.keySet()) {
                if (!names.contains(String.valueOf(k))) {
                    throw new IllegalArgumentException("Unknown entry in loss dictionary: \"" + k + "\". Only "
                            + "expected the following keys: " + names);
                }
            }
            for (String name : names) {
                if (!m.containsKey(name)) {
                    throw new IllegalArgumentException("Output \"" + name + "\" is missing from the loss dictionary "
                            + m.keySet() + ": every output needs a loss");
                }
                losses.add(Losses.get(m.get(name)));
            }
        } else {
            Loss l = Losses.get(lossSpec);
            for (int i = 0; i < outs.size(); i++) {
                losses.add(l);
            }
        }
        List<OutputSpec> specs = new ArrayList<>();
        for (int i = 0; i < outs.size(); i++) {
            List<NamedMetric> ms = new ArrayList<>();
            for (Object spec : metricSpecs) {
                Metric fn = Metrics.resolve(spec, losses.get(i), outs.get(i).shape());
                String base = spec instanceof String s ? s : fn.name();
                ms.add(new NamedMetric(outs.size() > 1 ? names.get(i) + "_" + base : base, fn));
            }
            specs.add(new OutputSpec(names.get(i), outs.get(i).shape(), losses.get(i), ms));
        }
        this.outputs = specs;
    }

    private static void checkVerbose(String where, int verbose) {
        if (verbose < 0 || verbose > 2) {
            throw new IllegalArgumentException(where + ": argument 'verbose' must be 0, 1 or 2, got " + verbose);
        }
    }

    /** Checks the array counts and that every array has the same number of samples; returns it. */
    private long checkData(String where, List<Tensor> xs, List<Tensor> ys) {
        if (xs == null || xs.isEmpty()) {
            throw new IllegalArgumentException(where + ": argument 'x' needs at least one input array");
        }
        if (ys == null || ys.isEmpty()) {
            throw new IllegalArgumentException(where + ": argument 'y' needs at least one target array");
        }
        for (Tensor t : xs) {
            if (t.rank() == 0) {
                throw new IllegalArgumentException(where + ": argument 'x': an input array must have a sample axis, "
                        + "got a scalar");
            }
        }
        for (Tensor t : ys) {
            if (t.rank() == 0) {
                throw new IllegalArgumentException(where + ": argument 'y': a target array must have a sample axis, "
                        + "got a scalar");
            }
        }
        if (model.hasGraph() && xs.size() != model.inputs().size()) {
            throw new IllegalArgumentException(where + ": argument 'x': the model expects " + model.inputs().size()
                    + " input array(s), but got " + xs.size() + ": " + shapes(xs));
        }
        int nOut = model.hasGraph() ? model.outputs().size() : 1;
        if (ys.size() != nOut) {
            throw new IllegalArgumentException(where + ": argument 'y': the model has " + nOut
                    + " output(s), but got " + ys.size() + " target array(s): " + shapes(ys));
        }
        long n = xs.get(0).dim(0);
        for (Tensor t : xs) {
            if (t.dim(0) != n) {
                throw new IllegalArgumentException(where + ": argument 'x': all input arrays should have the same "
                        + "number of samples. Got array shapes: " + shapes(xs));
            }
        }
        long ny = ys.get(0).dim(0);
        for (Tensor t : ys) {
            if (t.dim(0) != ny) {
                throw new IllegalArgumentException(where + ": argument 'y': all target arrays should have the same "
                        + "number of samples. Got array shapes: " + shapes(ys));
            }
        }
        if (n != ny) {
            throw new IllegalArgumentException(where + ": input arrays (x) should have the same number of samples as "
                    + "target arrays (y). Found " + n + " input samples and " + ny + " target samples (x shapes "
                    + shapes(xs) + ", y shapes " + shapes(ys) + ")");
        }
        return n;
    }

    private static List<String> shapes(List<Tensor> ts) {
        List<String> s = new ArrayList<>();
        for (Tensor t : ts) {
            s.add(t.getShape().toString());
        }
        return s;
    }

    /**
     * Keras's target checks: a rank-1 target for a rank-2 output gets a unit axis; sparse targets have a last
     * axis of 1; every other dimension must be the output's.
     */
    private List<Tensor> standardizeTargets(String where, List<Tensor> ys) {
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < ys.size(); i++) {
            OutputSpec spec = outputs.get(i);
            Tensor y = ys.get(i);
            long[] expected = spec.shape().dims();
            if (spec.sparse()) {
                expected[expected.length - 1] = 1;
            }
            if (y.rank() == expected.length - 1 && (expected.length == 2 || spec.sparse())) {
                long[] d = Arrays.copyOf(y.shape(), y.rank() + 1);
                d[y.rank()] = 1;
                y = y.reshapeView(d);
            }
            String prefix = where + ": argument 'y': Error when checking target: expected " + spec.name();
            if (y.rank() != expected.length) {
                throw new IllegalArgumentException(prefix + " to have " + expected.length + " dimensions, but got array"
                        + " with shape " + ys.get(i).getShape());
            }
            if (spec.loss().name().equals("categorical_crossentropy") && y.dim(-1) == 1 && expected[expected.length
                    - 1] != 1) {
                throw new IllegalArgumentException(where + ": argument 'y': you are passing a target array of shape "
                        + ys.get(i).getShape() + " while using as loss `categorical_crossentropy`. "
                        + "`categorical_crossentropy` expects targets to be binary matrices (1s and 0s) of shape "
                        + "(samples, classes). If your targets are integer classes, you can convert them to one-hot "
                        + "vectors, or use the loss `sparse_categorical_crossentropy`, which expects integer targets.");
            }
            for (int d = 1; d < expected.length; d++) {
                if (expected[d] != Shape.UNKNOWN && expected[d] != y.dim(d)) {
                    throw new IllegalArgumentException(prefix + " to have shape "
                            + Shape.of(Arrays.copyOfRange(expected, 1, expected.length)) + " but got array with shape "
                            + Shape.of(Arrays.copyOfRange(y.shape(), 1, y.rank())));
                }
            }
            out.add(y);
        }
        return out;
    }

    private static List<Tensor> rows(List<Tensor> ts, long start, long end) {
        List<Tensor> out = new ArrayList<>();
        for (Tensor t : ts) {
            out.add(Batches.rows(t, start, end));
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------- batches

    private record Batch(List<Tensor> xs, List<Tensor> ys) {
    }

    /** Where a batch's rows come from: slices of the device tensors, or gathers from host copies. */
    private interface Rows {
        /** Rows [b, e) of the dataset, through index when given (host copies only). */
        Batch batch(long[] index, long b, long e);

        static Rows device(List<Tensor> xs, List<Tensor> ys) {
            return (index, b, e) -> {
                long n = xs.get(0).dim(0);
                if (b == 0 && e == n) {
                    return new Batch(xs, ys);
                }
                return new Batch(rows(xs, b, e), rows(ys, b, e));
            };
        }

        static Rows host(List<Tensor> xs, List<Tensor> ys) {
            List<HostArray> hx = new ArrayList<>(), hy = new ArrayList<>();
            for (Tensor t : xs) {
                hx.add(new HostArray(t));
            }
            for (Tensor t : ys) {
                hy.add(new HostArray(t));
            }
            return (index, b, e) -> {
                List<Tensor> bx = new ArrayList<>(), by = new ArrayList<>();
                for (HostArray h : hx) {
                    bx.add(h.gather(index, b, e));
                }
                for (HostArray h : hy) {
                    by.add(h.gather(index, b, e));
                }
                return new Batch(bx, by);
            };
        }
    }

    /** A host copy of an array, for gathering shuffled rows into batch tensors. */
    private static final class HostArray {
        private final long[] shape;
        private final int rowSize;
        private final float[] floats;
        private final int[] ints;

        HostArray(Tensor t) {
            this.shape = t.shape();
            this.rowSize = Math.toIntExact(t.dim(0) == 0 ? 0 : t.size() / t.dim(0));
            if (t.dtype() == DType.INT32) {
                this.ints = t.toIntArray();
                this.floats = null;
            } else if (t.dtype() == DType.FLOAT32) {
                this.floats = t.toFloatArray();
                this.ints = null;
            } else {
                throw new IllegalArgumentException("fit: arrays of dtype " + t.dtype().kerasName()
                        + " are not supported (float32 and int32 are)");
            }
        }

        Tensor gather(long[] index, long b, long e) {
            int count = Math.toIntExact(e - b);
            long[] d = shape.clone();
            d[0] = count;
            if (floats != null) {
                float[] buf = new float[count * rowSize];
                for (int i = 0; i < count; i++) {
                    System.arraycopy(floats, Math.toIntExact(index[(int) (b + i)] * rowSize), buf, i * rowSize,
                            rowSize);
                }
                return Tensor.of(buf, d);
            }
            int[] buf = new int[count * rowSize];
            for (int i = 0; i < count; i++) {
                System.arraycopy(ints, Math.toIntExact(index[(int) (b + i)] * rowSize), buf, i * rowSize, rowSize);
            }
            return Tensor.ofInts(buf, d);
        }
    }

    // ------------------------------------------------------------------------------------------------- logs

    /** Sample-weighted running means of the step values, as Keras's BaseLogger keeps them. */
    private static final class Averages {
        private final List<String> names;
        private final double[] sums;
        private long seen;

        Averages(List<String> names) {
            this.names = names;
            this.sums = new double[names.size()];
        }

        void add(double[] values, long samples) {
            for (int i = 0; i < sums.length; i++) {
                sums[i] += values[i] * samples;
            }
            seen += samples;
        }

        Map<String, Double> means() {
            Map<String, Double> m = new LinkedHashMap<>();
            for (int i = 0; i < sums.length; i++) {
                m.put(names.get(i), seen == 0 ? Double.NaN : sums[i] / seen);
            }
            return m;
        }
    }

    private static ProgressBar progressBar(String title, long max, PrintStream out) {
        return new ProgressBarBuilder().setTaskName(title).setInitialMax(max).setStyle(KERAS_STYLE)
                .setConsumer(new BarConsumer(out, 130)).setUpdateIntervalMillis(250).hideEta().build();
    }

    /** Closes a bar and ends its line. */
    private static void closeBar(ProgressBar bar, PrintStream out) {
        bar.close();
        out.println();
    }

    /**
     * Draws the bar over itself with carriage returns. Ending the line is left to {@link #closeBar}: progressbar
     * 0.10.1 skips its consumer's close (the newline) when a bar is closed before its first scheduled redraw.
     */
    private static final class BarConsumer implements ProgressBarConsumer {
        private final PrintStream out;
        private final int width;

        BarConsumer(PrintStream out, int width) {
            this.out = out;
            this.width = width;
        }

        @Override
        public int getMaxRenderedLength() {
            return width;
        }

        @Override
        public void accept(String rendered) {
            out.print("\r" + (rendered.length() > width ? rendered.substring(0, width) : rendered));
            out.flush();
        }

        @Override
        public void close() {
        }
    }

    /** " - loss: 0.1234 - accuracy: 0.9600" as Keras prints numbers (%.4f, or %.4e below 1e-3). */
    private static String format(Map<String, Double> logs, String lead) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, Double> e : logs.entrySet()) {
            if (b.length() > 0 || lead != null) {
                b.append(b.length() == 0 ? lead : " - ");
            }
            double v = e.getValue();
            b.append(e.getKey()).append(": ").append(String.format(Locale.ROOT, Math.abs(v) > 1e-3 ? "%.4f" : "%.4e",
                    v));
        }
        return b.toString();
    }

    /** Keras's time per sample: "95us/sample" or "2ms/sample". */
    private static String perSample(double seconds, long samples) {
        double per = seconds / Math.max(1, samples);
        return per >= 1e-3 ? Math.round(per * 1e3) + "ms/sample" : Math.round(per * 1e6) + "us/sample";
    }
}
