package io.jkeras.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * ConvBench's comparisons measured the way a shared, noisy machine allows: for each case the raw oneDNN call and
 * the jkeras layer call run in alternation in one process (the order flipped every round), so both see the same
 * neighbours; the figures are the median of each side and the median of the per-round ratios (raw / jkeras).
 * JMH's forks measure one benchmark after another, minutes apart, and a neighbour that comes or goes between them
 * shifts the ratio; pairing removes most of that.
 *
 * <p>{@code java -cp bench/target/benchmarks.jar io.jkeras.bench.ConvInterleaved [regex]} (regex over the case
 * names, default all); {@code -Dreport.rounds=N} (default 25 after 3 warm-up rounds).
 */
public final class ConvInterleaved {
    private ConvInterleaved() {
    }

    /** One comparison: names, the two calls, and the work of one call (NaN where not counted). */
    record Case(String name, String rawName, IntSupplier raw, Supplier<Object> ours, double flops, double bytes) {
    }

    static volatile Object sink;

    public static void main(String[] args) throws Exception {
        if (System.getProperty("jkeras.backend") == null) {
            System.setProperty("jkeras.backend", "cpu");  // as the forks' Data.HOST_DEFAULT: raw oneDNN reads host memory
        }
        Pattern select = Pattern.compile(args.length > 0 ? args[0] : ".*");
        int rounds = Integer.getInteger("report.rounds", 25);
        int warm = 3;
        List<String> lines = new ArrayList<>();
        String loadBefore = load();
        // the bandwidth reference: a raw oneDNN copy, timed in every round of the memory-bound cases
        ConvBench.Copy copy = new ConvBench.Copy();
        copy.setup();
        for (Supplier<Case> made : cases(select)) {
            Case c = made.get();
            double[] raw = new double[rounds];
            double[] ours = new double[rounds];
            double[] ratio = new double[rounds];
            double[] copied = new double[rounds];
            boolean memoryBound = !Double.isNaN(c.bytes());
            for (int r = -warm; r < rounds; r++) {
                if (memoryBound) {
                    long t0 = System.nanoTime();
                    sink = copy.reorder.execute();
                    if (r >= 0) {
                        copied[r] = (System.nanoTime() - t0) / 1e6;
                    }
                }
                double a;
                double b;
                if ((r & 1) == 0) {
                    a = time(c);
                    b = timeOurs(c);
                } else {
                    b = timeOurs(c);
                    a = time(c);
                }
                if (r >= 0) {
                    raw[r] = a;
                    ours[r] = b;
                    ratio[r] = a / b;
                }
            }
            double rm = median(raw);
            double om = median(ours);
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                    "%-30s raw %9.3f ms  jkeras %9.3f ms  ratio of medians %.2fx  paired %.2fx", c.name(), rm, om,
                    rm / om, median(ratio)));
            if (!Double.isNaN(c.flops())) {
                sb.append(String.format(Locale.ROOT, "  GFLOP/s raw %.1f, jkeras %.1f", c.flops() / rm / 1e6,
                        c.flops() / om / 1e6));
            }
            if (memoryBound) {
                double bandwidth = 8.0 * ConvBench.COPY_ELEMS / median(copied) / 1e6;
                double g = c.bytes() / om / 1e6;
                sb.append(String.format(Locale.ROOT, "  GB/s raw %.1f, jkeras %.1f, copy %.1f (jkeras %.0f%% of it)",
                        c.bytes() / rm / 1e6, g, bandwidth, 100 * g / bandwidth));
            }
            sb.append("  [raw: ").append(c.rawName()).append(']');
            lines.add(sb.toString());
            System.out.println(lines.get(lines.size() - 1));
            closeStates();
        }
        copy.tearDown();
        System.out.println();
        System.out.printf(Locale.ROOT, "ConvInterleaved, %d rounds (+%d warm-up) per case, order alternating; load"
                + " average before/after: %s / %s%n", rounds, warm, loadBefore, load());
        lines.forEach(System.out::println);
    }

    private static double time(Case c) {
        long t0 = System.nanoTime();
        sink = c.raw().getAsInt();
        return (System.nanoTime() - t0) / 1e6;
    }

    private static double timeOurs(Case c) {
        long t0 = System.nanoTime();
        sink = c.ours().get();
        return (System.nanoTime() - t0) / 1e6;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    private static final List<Runnable> CLOSERS = new ArrayList<>();

    private static void closeStates() {
        CLOSERS.forEach(Runnable::run);
        CLOSERS.clear();
    }

    /** The cases, each built when reached (its states closed after it), so only one case's buffers live at once. */
    private static List<Supplier<Case>> cases(Pattern select) {
        List<Supplier<Case>> all = new ArrayList<>();
        all.add(() -> {
            ConvBench.RawConv3x3 r = new ConvBench.RawConv3x3();
            r.setup();
            ConvBench.Conv3x3 s = new ConvBench.Conv3x3();
            s.setup();
            CLOSERS.add(r::tearDown);
            CLOSERS.add(s::tearDown);
            return new Case("Conv2D 3x3 fwd", "conv forward inference", r.raw::forward,
                    () -> ConvBench.forward(s), ConvBench.CONV3X3.flops(), Double.NaN);
        });
        all.add(() -> {
            ConvBench.RawConv3x3 r = new ConvBench.RawConv3x3();
            r.setup();
            ConvBench.Conv3x3 s = new ConvBench.Conv3x3();
            s.setup();
            CLOSERS.add(r::tearDown);
            CLOSERS.add(s::tearDown);
            return new Case("Conv2D 3x3 fwd+bwd", "fwd training + bwd data + bwd weights", r.raw::forwardBackward,
                    () -> ConvBench.forwardBackwardSum(s), 3 * ConvBench.CONV3X3.flops(), Double.NaN);
        });
        all.add(() -> {
            ConvBench.RawConv1x1 r = new ConvBench.RawConv1x1();
            r.setup();
            ConvBench.Conv1x1 s = new ConvBench.Conv1x1();
            s.setup();
            CLOSERS.add(r::tearDown);
            CLOSERS.add(s::tearDown);
            return new Case("Conv2D 1x1 fwd", "conv forward inference", r.raw::forward, () -> ConvBench.forward(s),
                    ConvBench.CONV1X1.flops(), Double.NaN);
        });
        all.add(() -> {
            ConvBench.RawDepthwise r = new ConvBench.RawDepthwise();
            r.setup();
            ConvBench.Depthwise s = new ConvBench.Depthwise();
            s.setup();
            CLOSERS.add(r::tearDown);
            CLOSERS.add(s::tearDown);
            RawConv.Geometry g = ConvBench.DEPTHWISE;
            return new Case("DepthwiseConv2D 3x3 fwd", "grouped conv forward inference", r.raw::forward,
                    () -> ConvBench.forward(s), g.flops(), 4.0 * (g.inElems() + g.outElems() + g.kernelElems()));
        });
        all.add(() -> {
            ConvBench.RawDeconv r = new ConvBench.RawDeconv();
            r.setup();
            ConvBench.Transpose s = new ConvBench.Transpose();
            s.setup();
            CLOSERS.add(r::tearDown);
            CLOSERS.add(s::tearDown);
            return new Case("Conv2DTranspose fwd", "deconvolution forward, bias fused", r.raw::forward,
                    () -> ConvBench.forward(s), ConvBench.TRANSPOSE.transposed().flops(), Double.NaN);
        });
        all.add(() -> {
            ConvBench.RawTransposedConv r = new ConvBench.RawTransposedConv();
            r.setup();
            ConvBench.Transpose s = new ConvBench.Transpose();
            s.setup();
            CLOSERS.add(r::tearDown);
            CLOSERS.add(s::tearDown);
            return new Case("Conv2DTranspose fwd (bwd-data)", "conv backward data, no bias", r.raw::backwardData,
                    () -> ConvBench.forward(s), ConvBench.TRANSPOSE.transposed().flops(), Double.NaN);
        });
        all.add(() -> {
            ConvBench.RawConv1d r = new ConvBench.RawConv1d();
            r.setup();
            ConvBench.Conv1d s = new ConvBench.Conv1d();
            s.setup();
            CLOSERS.add(r::tearDown);
            CLOSERS.add(s::tearDown);
            return new Case("Conv1D k5 fwd", "conv forward inference", r.raw::forward, () -> ConvBench.forward(s),
                    ConvBench.CONV1D.flops(), Double.NaN);
        });
        all.add(() -> {
            ConvBench.RawConv1d r = new ConvBench.RawConv1d();
            r.setup();
            ConvBench.Conv1d s = new ConvBench.Conv1d();
            s.setup();
            CLOSERS.add(r::tearDown);
            CLOSERS.add(s::tearDown);
            return new Case("Conv1D k5 fwd+bwd", "fwd training + bwd data + bwd weights", r.raw::forwardBackward,
                    () -> ConvBench.forwardBackwardSum(s), 3 * ConvBench.CONV1D.flops(), Double.NaN);
        });
        long pin = ConvBench.POOL_N * ConvBench.POOL_H * ConvBench.POOL_W * ConvBench.POOL_C;
        long pout = pin / (ConvBench.POOL_K * ConvBench.POOL_K);
        all.add(() -> {
            ConvBench.RawMaxPool r = new ConvBench.RawMaxPool();
            r.setup();
            ConvBench.Pool s = new ConvBench.Pool();
            s.setup();
            CLOSERS.add(r::tearDown);
            CLOSERS.add(s::tearDown);
            return new Case("MaxPooling2D fwd", "pooling forward inference", r.raw::forwardInference,
                    () -> ConvBench.forward(s), Double.NaN, 4.0 * (pin + pout));
        });
        all.add(() -> {
            ConvBench.RawMaxPool r = new ConvBench.RawMaxPool();
            r.setup();
            ConvBench.Pool s = new ConvBench.Pool();
            s.setup();
            CLOSERS.add(r::tearDown);
            CLOSERS.add(s::tearDown);
            return new Case("MaxPooling2D fwd+bwd", "pooling forward training + backward", r.raw::forwardBackward,
                    () -> ConvBench.forwardBackwardGiven(s), Double.NaN, 8.0 * (pin + pout));
        });
        String[] names = {"Conv2D 3x3 fwd", "Conv2D 3x3 fwd+bwd", "Conv2D 1x1 fwd", "DepthwiseConv2D 3x3 fwd",
            "Conv2DTranspose fwd", "Conv2DTranspose fwd (bwd-data)", "Conv1D k5 fwd", "Conv1D k5 fwd+bwd",
            "MaxPooling2D fwd", "MaxPooling2D fwd+bwd"};
        List<Supplier<Case>> selected = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            if (select.matcher(names[i]).find()) {
                selected.add(all.get(i));
            }
        }
        return selected;
    }

    private static String load() {
        try {
            String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException | RuntimeException e) {
            return "n/a";
        }
    }
}
