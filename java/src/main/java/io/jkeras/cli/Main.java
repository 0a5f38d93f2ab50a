package io.jkeras.cli;

import io.jkeras.backend.Backends;
import io.jkeras.layers.core.Dense;
import io.jkeras.layers.core.Dropout;
import io.jkeras.models.History;
import io.jkeras.models.Model;
import io.jkeras.models.Sequential;
import io.jkeras.ops.Ops;
import io.jkeras.saving.KerasModels;
import io.jkeras.saving.Npy;
import io.jkeras.tensor.DType;
import io.jkeras.tensor.Scope;
import io.jkeras.tensor.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPInputStream;

/**
 * The command-line main job. {@code train-digits} (the default) trains a small dense network on the 8x8
 * handwritten digits (1,797 samples, see DIGITS-LICENSE.txt next to the data) and reports its test accuracy, the
 * backend and the time per epoch.
 *
 * <pre>
 * java io.jkeras.cli.Main [train-digits] [--epochs N] [--seed S]
 * java io.jkeras.cli.Main predict MODEL INPUT.npy [INPUT2.npy ...] OUTPUT.npy [OUTPUT2.npy ...] [--batch-size N]
 * java io.jkeras.cli.Main summary MODEL
 * mvn -q -pl java exec:java                       (from the repository root, after mvn -q -DskipTests install)
 * mvn -q -pl java exec:java -Dexec.args="train-digits --epochs 5"
 * </pre>
 */
public final class Main {
    static final String DIGITS = "digits.csv.gz";
    /** The default seed of the digits job (the test accuracy over seeds 0-20 and 42 ranges 0.94-0.97). */
    static final long DEFAULT_SEED = 7;

    private Main() {
    }

    public static void main(String[] args) {
        int code;
        try {
            code = run(args, System.out);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(usage());
            code = 2;
        }
        if (code != 0) {
            System.exit(code);
        }
    }

    static String usage() {
        return "usage: Main [train-digits] [--epochs N] [--seed S]\n"
                + "       Main predict MODEL INPUT.npy [INPUT2.npy ...] OUTPUT.npy [OUTPUT2.npy ...] [--batch-size N]\n"
                + "       Main summary MODEL\n"
                + "  MODEL         a Keras .h5 (Keras 1/2, tf.keras), .keras (Keras 3) or TF.js model.json file\n"
                + "  predict       runs the model on the inputs (one .npy per model input, in order; float or int "
                + "arrays,\n"
                + "                batch first) and writes one .npy per output (or OUTPUT_<i>.npy when a "
                + "multi-output\n"
                + "                model is given one output file)\n"
                + "  summary       prints the model's layers, output shapes and parameter counts\n"
                + "  train-digits  train Dense(64, relu) - Dropout(0.2) - Dense(10, softmax) on the 8x8 digits "
                + "(default)\n"
                + "  --epochs N    training epochs (default 20)\n"
                + "  --seed S      seed of the data split, the initial weights, dropout and shuffling (default " + DEFAULT_SEED + ")";
    }

    /** Runs a command; returns the process exit code. */
    static int run(String[] args, PrintStream out) {
        if (args.length > 0 && args[0].equals("predict")) {
            return predict(args, out);
        }
        if (args.length > 0 && args[0].equals("summary")) {
            if (args.length != 2) {
                throw new IllegalArgumentException("summary needs exactly one argument, the model file");
            }
            KerasModels.load(Path.of(args[1])).summary(out::println);
            return 0;
        }
        String command = "train-digits";
        int epochs = 20;
        long seed = DEFAULT_SEED;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "train-digits" -> command = a;
                case "help", "-h", "--help" -> {
                    out.println(usage());
                    return 0;
                }
                case "--epochs" -> epochs = parseInt(a, value(args, ++i, a));
                case "--seed" -> seed = parseLong(a, value(args, ++i, a));
                default -> throw new IllegalArgumentException("unknown argument '" + a + "'");
            }
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
        }
        if (command.equals("train-digits")) {
            trainDigits(epochs, seed, out);
        }
        return 0;
    }

    /** predict MODEL IN... OUT... [--batch-size N]: the model's inputs in order, then its outputs. */
    static int predict(String[] args, PrintStream out) {
        List<String> files = new ArrayList<>();
        int batchSize = 32;
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--batch-size")) {
                batchSize = parseInt(args[i], value(args, ++i, args[i]));
                if (batchSize < 1) {
                    throw new IllegalArgumentException("--batch-size must be >= 1, got " + batchSize);
                }
            } else {
                files.add(args[i]);
            }
        }
        if (files.size() < 3) {
            throw new IllegalArgumentException("predict needs MODEL INPUT.npy OUTPUT.npy, got " + files);
        }
        Model model = KerasModels.load(Path.of(files.get(0)));
        int nIn = model.inputs().size();
        int nOut = model.outputs().size();
        List<String> rest = files.subList(1, files.size());
        if (rest.size() != nIn + nOut && !(nOut > 1 && rest.size() == nIn + 1)) {
            throw new IllegalArgumentException("model " + model.getName() + " has " + nIn + " input(s) and " + nOut
                    + " output(s): give " + nIn + " input .npy file(s) then " + nOut + " output file(s)"
                    + (nOut > 1 ? " (or one, written as NAME_0.npy, NAME_1.npy, ...)" : "") + "; got " + rest.size()
                    + " file(s)");
        }
        List<Path> outputs = new ArrayList<>();
        if (rest.size() == nIn + nOut) {
            for (String f : rest.subList(nIn, rest.size())) {
                outputs.add(Path.of(f));
            }
        } else {
            String base = rest.get(nIn);
            String stem = base.endsWith(".npy") ? base.substring(0, base.length() - 4) : base;
            for (int i = 0; i < nOut; i++) {
                outputs.add(Path.of(stem + "_" + i + ".npy"));
            }
        }
        try (Scope scope = Scope.open()) {
            List<Tensor> xs = new ArrayList<>();
            for (int i = 0; i < nIn; i++) {
                Path f = Path.of(rest.get(i));
                Tensor x = Npy.read(f);
                DType wanted = model.inputs().get(i).dtype();
                if (wanted == DType.FLOAT32 && x.dtype() == DType.INT32) {
                    x = Ops.toFloat(x);
                } else if (wanted == DType.INT32 && x.dtype() == DType.FLOAT32) {
                    throw new IllegalArgumentException(f + ": input " + i + " of the model takes int32 values (ids), "
                            + "the file holds floats");
                }
                xs.add(x);
            }
            List<Tensor> ys = model.predict(xs, batchSize);
            for (int i = 0; i < ys.size(); i++) {
                Npy.write(outputs.get(i), ys.get(i));
                out.println("wrote " + outputs.get(i) + " " + ys.get(i).getShape());
            }
        }
        return 0;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int parseInt(String option, String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs an integer, got '" + v + "'");
        }
    }

    private static long parseLong(String option, String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs an integer, got '" + v + "'");
        }
    }

    /** The results of a digits run, for callers that check them. */
    record DigitsResult(double testAccuracy, double testLoss, double meanEpochSeconds, History history) {
    }

    static DigitsResult trainDigits(int epochs, long seed, PrintStream out) {
        Digits all = loadDigits();
        // Fixed-seed shuffle, then the last 20% are the test set.
        Random rnd = new Random(seed);
        int n = all.labels.length;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int nTest = (int) Math.round(n * 0.2);
        int nTrain = n - nTest;
        out.printf(Locale.ROOT, "8x8 digits: %d samples, %d for training (10%% of them for validation), %d for test%n",
                n, nTrain, nTest);

        Sequential model = new Sequential(
                Dense.builder(64).activation("relu").kernelInitializer(glorot(seed + 1)).build().setInputShape(64),
                new Dropout(0.2, null, seed + 2),
                Dense.builder(10).activation("softmax").kernelInitializer(glorot(seed + 3)).build());
        model.summary(out::println);
        // compile seeds fit's shuffling from jkeras.seed: the run is reproducible unless the caller set it.
        String callerSeed = System.getProperty("jkeras.seed");
        if (callerSeed == null) {
            System.setProperty("jkeras.seed", Long.toString(seed));
        }
        try {
            model.compile("adam", "categorical_crossentropy", List.of("accuracy"));
        } finally {
            if (callerSeed == null) {
                System.clearProperty("jkeras.seed");
            }
        }

        try (Scope scope = Scope.open()) {
            Tensor xTrain = pixels(all, order, 0, nTrain);
            Tensor yTrain = oneHot(all, order, 0, nTrain);
            Tensor xTest = pixels(all, order, nTrain, n);
            Tensor yTest = oneHot(all, order, nTrain, n);

            long start = System.nanoTime();
            History history = model.fit(xTrain, yTrain, 32, epochs, 1, 0.1, true);
            double fitSeconds = (System.nanoTime() - start) / 1e9;
            Map<String, Double> test = model.evaluate(xTest, yTest, 32, 0);

            double mean = fitSeconds / epochs;
            List<Double> times = history.epochSeconds();
            double later = times.size() > 1
                    ? times.subList(1, times.size()).stream().mapToDouble(Double::doubleValue).average().orElse(mean)
                    : mean;
            out.printf(Locale.ROOT, "test accuracy: %.4f (test loss %.4f, %d samples)%n", test.get("accuracy"),
                    test.get("loss"), nTest);
            out.println("backend: " + Backends.defaultBackend().name());
            out.printf(Locale.ROOT, "time per epoch: %.1f ms mean over %d epochs (%.1f ms after the first)%n",
                    mean * 1e3, epochs, later * 1e3);
            return new DigitsResult(test.get("accuracy"), test.get("loss"), mean, history);
        }
    }

    private static Map<String, Object> glorot(long seed) {
        return Map.of("class_name", "GlorotUniform", "config", Map.of("seed", seed));
    }

    /** The data set: 64 pixel values in 0..16 and a label per sample. */
    record Digits(float[][] pixels, int[] labels) {
    }

    static Digits loadDigits() {
        InputStream raw = Main.class.getResourceAsStream(DIGITS);
        if (raw == null) {
            throw new IllegalStateException("resource io/jkeras/cli/" + DIGITS + " is missing from the classpath");
        }
        List<float[]> rows = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(raw),
                StandardCharsets.US_ASCII))) {
            String line;
            int lineNo = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split(",");
                if (f.length != 65) {
                    throw new IllegalStateException(DIGITS + " line " + lineNo + ": expected 65 values, got " + f.length);
                }
                float[] px = new float[64];
                for (int i = 0; i < 64; i++) {
                    px[i] = Float.parseFloat(f[i].trim());
                }
                rows.add(px);
                labels.add((int) Float.parseFloat(f[64].trim()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + DIGITS, e);
        }
        int[] l = new int[labels.size()];
        for (int i = 0; i < l.length; i++) {
            l[i] = labels.get(i);
        }
        return new Digits(rows.toArray(new float[0][]), l);
    }

    /** Rows order[from..to) as a (count, 64) tensor of pixels / 16. */
    private static Tensor pixels(Digits d, int[] order, int from, int to) {
        float[] data = new float[(to - from) * 64];
        for (int i = from; i < to; i++) {
            float[] px = d.pixels[order[i]];
            for (int j = 0; j < 64; j++) {
                data[(i - from) * 64 + j] = px[j] / 16f;
            }
        }
        return Tensor.of(data, to - from, 64);
    }

    private static Tensor oneHot(Digits d, int[] order, int from, int to) {
        float[] data = new float[(to - from) * 10];
        for (int i = from; i < to; i++) {
            data[(i - from) * 10 + d.labels[order[i]]] = 1f;
        }
        return Tensor.of(data, to - from, 10);
    }
}
