package io.jkeras.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs the benchmarks with modest settings and prints the tables: time per call, GFLOP/s, % of the peak measured
 * in the same run (PeakBench's best), and the ratio to the raw oneDNN reference of the same shape measured in the
 * same run (reference time / our time: 1.00x = as fast as raw oneDNN); for ConvBench also GB/s and % of the
 * memory bandwidth measured in the same run (its best 128 MiB copy).
 *
 * <p>{@code java -cp bench/target/benchmarks.jar io.jkeras.bench.Report [regex]}; the regex selects benchmarks
 * (default: PeakBench, DenseBench, TinyDenseBench, then ConvBench and RnnBench, then the GPU section; {@code Conv}:
 * PeakBench and ConvBench; {@code Profile} runs DenseProfileBench, {@code ConvProfile} ConvProfileBench;
 * {@code Gpu} the GPU section alone). The GPU section (GpuBench, GpuEltwiseBench: the CUDA backend against raw
 * cuDNN / cuBLAS calls and the device's copy bandwidth) runs where {@code CudaBackend.unavailableReason()} is null;
 * elsewhere it prints one line saying why it was skipped. System properties
 * {@code report.wi}, {@code report.i} (warmup and measurement iterations, 3 and 5), {@code report.conv.wi},
 * {@code report.conv.i} (the same for ConvBench in the default and Conv runs; default report.wi / report.i when
 * set, else 1 and 3: the layers build their primitives in setup), {@code report.time}
 * (seconds per iteration, 1), {@code report.verbose} (false: JMH's progress output is silenced),
 * {@code report.param.NAME=v1,v2} (restricts a benchmark parameter, e.g. {@code report.param.shape=256x1024x1024}).
 *
 * <p>Time is the median: of every sampled call for the SampleTime benchmarks (PeakBench, DenseBench, ConvBench and
 * the profiles), of the iteration averages for the AverageTime ones (TinyDenseBench). The machine is shared; the
 * median keeps a neighbour's burst out of the figure better than the mean does.
 */
public final class Report {
    private static final String DEFAULT = "io\\.jkeras\\.bench\\.(PeakBench|DenseBench|TinyDenseBench)\\.";
    private static final double DENSE_FLOPS = Data.matmulFlops(DenseBench.M, DenseBench.N, DenseBench.K);
    private static final double TINY_FLOPS = Data.matmulFlops(TinyDenseBench.M, TinyDenseBench.N, TinyDenseBench.K);

    private Report() {
    }

    /** One benchmark (with its parameters) and its median time per call. */
    record Row(String bench, String method, Map<String, String> params, double us, double bestUs, long samples) {
        String name() {
            return bench + "." + method;
        }

        String paramText() {
            return params.isEmpty() ? "" : String.join(",", params.values());
        }

        String param(String key) {
            return params.get(key);
        }
    }

    public static void main(String[] args) throws RunnerException {
        String include = args.length > 0 ? args[0] : DEFAULT;
        int wi = Integer.getInteger("report.wi", 3);
        int mi = Integer.getInteger("report.i", 5);
        int cwi = Integer.getInteger("report.conv.wi", Integer.getInteger("report.wi", 1));
        int cmi = Integer.getInteger("report.conv.i", Integer.getInteger("report.i", 3));
        int secs = Integer.getInteger("report.time", 1);
        List<Row> rows = new ArrayList<>();
        String settings;
        if (include.equals("Profile") || include.equals("ConvProfile")) {
            rows.addAll(run("io\\.jkeras\\.bench\\." + (include.equals("Profile") ? "Dense" : "Conv")
                    + "ProfileBench\\.", wi, mi, secs));
            settings = String.format(Locale.ROOT, "%d warmup + %d x %d s", wi, mi, secs);
        } else if (include.equals(DEFAULT) || include.equals("Conv")) {
            // the summary (PeakBench, DenseBench, TinyDenseBench) or, for "Conv", PeakBench alone; then ConvBench
            // with fewer iterations: its calls are long (up to ~100 ms), so a second gives enough samples
            rows.addAll(run(include.equals("Conv") ? PEAK : DEFAULT, wi, mi, secs));
            rows.addAll(run(CONV, cwi, cmi, secs));
            if (include.equals(DEFAULT)) {
                rows.addAll(run(RNN, cwi, cmi, secs));
            }
            settings = String.format(Locale.ROOT, "%d warmup + %d x %d s (ConvBench, RnnBench %d + %d x %d s)", wi, mi, secs,
                    cwi, cmi, secs);
        } else if (include.equals("Gpu")) {
            settings = null;
        } else {
            rows.addAll(run(include, wi, mi, secs));
            settings = String.format(Locale.ROOT, "%d warmup + %d x %d s", wi, mi, secs);
        }
        // GPU rows a regex selected go to the GPU table; the rest to the CPU tables
        List<Row> gpuRows = rows.stream().filter(r -> r.bench().startsWith("Gpu")).toList();
        List<Row> cpuRows = rows.stream().filter(r -> !r.bench().startsWith("Gpu")).toList();
        if (!cpuRows.isEmpty()) {
            System.out.println();
            System.out.print(table(sorted(cpuRows), settings));
        }
        if (!gpuRows.isEmpty()) {
            System.out.println();
            System.out.print(gpuTable(sorted(gpuRows), Gpu.backend().describe(), settings, LOAD_BEFORE, false));
        }
        if (include.equals(DEFAULT) || include.equals("Gpu")) {
            System.out.println();
            System.out.print(gpu(wi, mi, secs));
        }
    }

    private static List<Row> sorted(List<Row> rows) {
        List<Row> out = new ArrayList<>(rows);
        out.sort(Comparator.comparing(Row::bench).thenComparing(Report::convOrder).thenComparing(Row::method)
                .thenComparing(Row::paramText));
        return out;
    }

    /**
     * The GPU section (GpuBench, GpuEltwiseBench) where the CUDA backend can serve; else the one line saying why it
     * was skipped.
     */
    static String gpu(int wi, int mi, int secs) throws RunnerException {
        String reason = Gpu.unavailableReason();
        if (reason != null) {
            return "GPU benchmarks skipped: the CUDA backend is unavailable: " + reason + "\n";
        }
        String loadBefore = loadAverage();
        // a GPU benchmark that fails (e.g. cuDNN offering no algorithm) leaves the others to run; named below
        List<Row> rows = sorted(run(GPU, wi, mi, secs, false));
        // described after the runs, so that this JVM holds no CUDA context while the forks measure
        String device = Gpu.backend().describe();
        return gpuTable(rows, device, String.format(Locale.ROOT, "%d warmup + %d x %d s", wi, mi, secs), loadBefore,
                true);
    }

    /** GB/s of the raw device copy (the GPU bandwidth reference) from the median or the best call; NaN if absent. */
    private static double gpuCopy(List<Row> rows, boolean best) {
        return rows.stream().filter(r -> r.bench().equals("GpuEltwiseBench") && info(r) != null && info(r).raw())
                .mapToDouble(r -> gbs(r, best)).max().orElse(Double.NaN);
    }

    /** The GPU table; {@code complete}: every GPU benchmark was run, so name those that left no result. */
    static String gpuTable(List<Row> rows, String device, String settings, String loadBefore, boolean complete) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "jkeras GPU benchmarks, %s, %s; Java %s, JMH %s, 1 fork; host load"
                + " average before/after: %s / %s%n", LocalDate.now(), device, System.getProperty("java.version"),
                settings, loadBefore, loadAverage()));
        double bw = gpuCopy(rows, false);
        double bwBest = gpuCopy(rows, true);
        sb.append(String.format(Locale.ROOT, "precision: %s on both sides; device copy bandwidth (raw"
                + " cudaMemcpyAsync device to device, 256 MiB): %s GB/s (median call), %s GB/s (fastest call)%n%n",
                RawCuda.TF32 ? "TF32 allowed (-Djkeras.cuda.tf32=true)" : "full float32 (no TF32)", gf(bw),
                gf(bwBest)));
        String fmt = "%-46s %11s %11s %9s %8s %7s %7s %7s %s%n";
        sb.append(String.format(Locale.ROOT, fmt, "benchmark", "median", "best", "GFLOP/s", "GB/s", "% copy",
                "vs raw", "(best)", ""));
        sb.append("-".repeat(124)).append('\n');
        String bench = null;
        for (Row r : rows) {
            if (bench != null && !bench.equals(r.bench())) {
                sb.append('\n');
            }
            bench = r.bench();
            ConvBench.Info i = info(r);
            double f = flops(r);
            double gflops = Double.isNaN(f) ? Double.NaN : f / r.us() / 1e3;
            double g = gbs(r, false);
            boolean isRef = i != null && i.raw() && !i.bandwidth();
            sb.append(String.format(Locale.ROOT, fmt, i == null ? r.name() : i.label(), time(r.us()),
                    time(r.bestUs()), gf(gflops), gf(g), pct(g, bw), ratio(r, rows), ratioBest(r, rows),
                    isRef ? "(reference)" : i != null && i.raw() ? "(bandwidth reference)" : ""));
        }
        sb.append('\n');
        for (String cls : complete ? List.of("GpuBench", "GpuEltwiseBench") : List.<String>of()) {
            for (String method : infoMap(cls).keySet()) {
                if (rows.stream().noneMatch(r -> r.bench().equals(cls) && r.method().equals(method))) {
                    sb.append(String.format(Locale.ROOT, "%s.%s: no result (it failed: see the JMH output above)%n",
                            cls, method));
                }
            }
        }
        sb.append("median: median call (SampleTime, every call timed; each call waits for its stream); best: fastest"
                + " call. vs raw: time of the raw cuDNN / cuBLAS call(s) of the same shape, same run / this time"
                + " (1.00x = as fast as calling cuDNN / cuBLAS directly). GB/s: input read + output written (2 x 256"
                + " MiB) / median time; % copy: of the raw device copy's GB/s.\n");
        for (Row r : rows) {
            ConvBench.Info i = info(r);
            if (i == null || i.raw()) {
                continue;
            }
            if (r.bench().equals("GpuBench")) {
                Row o = reference(r, rows).orElse(null);
                Row ob = bestReference(r, rows).orElse(null);
                if (o != null) {
                    double ratio = o.us() / r.us();
                    double ratioBest = ob.bestUs() / r.bestUs();
                    sb.append(String.format(Locale.ROOT, "%-28s %.2fx raw cuDNN/cuBLAS (best-call ratio %.2fx), target"
                            + " >= 0.95x: %s%n", i.label(), ratio, ratioBest,
                            ratio >= 0.95 ? "met" : ratioBest >= 0.95 ? "met on best calls only" : "NOT met"));
                }
            } else if (!Double.isNaN(i.bytes()) && !Double.isNaN(bw)) {
                double p = gbs(r, false) / bw;
                double pBest = gbs(r, true) / bwBest;
                sb.append(String.format(Locale.ROOT, "%-34s %3.0f%% of the device copy (best calls %3.0f%%), target"
                        + " >= 80%%: %s%n", i.label(), 100 * p, 100 * pBest,
                        p >= 0.8 ? "met" : pBest >= 0.8 ? "met on best calls only" : "NOT met"));
            }
        }
        return sb.toString();
    }

    private static final String PEAK = "io\\.jkeras\\.bench\\.PeakBench\\.";
    private static final String CONV = "io\\.jkeras\\.bench\\.ConvBench\\.";
    private static final String RNN = "io\\.jkeras\\.bench\\.RnnBench\\.";
    private static final String GPU = "io\\.jkeras\\.bench\\.Gpu(Bench|EltwiseBench)\\.";

    /** The Info map of a benchmark class that has one (ConvBench, RnnBench, GpuBench, GpuEltwiseBench), or null. */
    static Map<String, ConvBench.Info> infoMap(String bench) {
        return switch (bench) {
            case "ConvBench" -> ConvBench.INFO;
            case "RnnBench" -> RnnBench.INFO;
            case "GpuBench" -> GpuBench.INFO;
            case "GpuEltwiseBench" -> GpuEltwiseBench.INFO;
            default -> null;
        };
    }

    /** The ConvBench / RnnBench / GPU description of a row, or null for the other benchmarks. */
    static ConvBench.Info info(Row r) {
        Map<String, ConvBench.Info> m = infoMap(r.bench());
        return m == null ? null : m.get(r.method());
    }

    static boolean layerTable(Row r) {
        return infoMap(r.bench()) != null;
    }

    /** Rows of the benchmarks with an Info map in the order of that map; 0 for the others. */
    private static int convOrder(Row r) {
        if (!layerTable(r)) {
            return 0;
        }
        int i = 0;
        for (String m : infoMap(r.bench()).keySet()) {
            if (m.equals(r.method())) {
                return i;
            }
            i++;
        }
        return i;
    }

    /** Runs the benchmarks matching include with the given iterations; one row per benchmark and parameters. */
    static List<Row> run(String include, int wi, int mi, int secs) throws RunnerException {
        return run(include, wi, mi, secs, true);
    }

    /** The same; with failOnError false a benchmark that throws is left out of the rows and the others still run. */
    static List<Row> run(String include, int wi, int mi, int secs, boolean failOnError) throws RunnerException {
        boolean verbose = Boolean.parseBoolean(System.getProperty("report.verbose", "true"));
        OptionsBuilder builder = new OptionsBuilder();
        for (String key : System.getProperties().stringPropertyNames()) {
            if (key.startsWith("report.param.")) {
                builder.param(key.substring("report.param.".length()), System.getProperty(key).split(","));
            }
        }
        Options opts = builder
                .include(include)
                .warmupIterations(wi)
                .warmupTime(TimeValue.seconds(secs))
                .measurementIterations(mi)
                .measurementTime(TimeValue.seconds(secs))
                .forks(1)
                .shouldFailOnError(failOnError)
                .verbosity(verbose ? VerboseMode.NORMAL : VerboseMode.SILENT)
                .build();
        Collection<RunResult> results = new Runner(opts).run();
        List<Row> rows = new ArrayList<>();
        for (RunResult r : results) {
            rows.add(row(r));
        }
        return rows;
    }

    static Row row(RunResult r) {
        String full = r.getParams().getBenchmark();
        int dot = full.lastIndexOf('.');
        String cls = full.substring(0, dot);
        String bench = cls.substring(cls.lastIndexOf('.') + 1);
        Map<String, String> params = new TreeMap<>();
        for (String key : r.getParams().getParamsKeys()) {
            params.put(key, r.getParams().getParam(key));
        }
        Result<?> primary = r.getPrimaryResult();
        double toUs = toMicros(primary.getScoreUnit());
        double median = primary.getStatistics().getPercentile(50) * toUs;
        double best = primary.getStatistics().getMin() * toUs;
        return new Row(bench, full.substring(dot + 1), params, median, best, primary.getStatistics().getN());
    }

    private static double toMicros(String unit) {
        String u = unit.replace("/op", "");
        TimeUnit t = switch (u) {
            case "ns" -> TimeUnit.NANOSECONDS;
            case "us" -> TimeUnit.MICROSECONDS;
            case "ms" -> TimeUnit.MILLISECONDS;
            case "s" -> TimeUnit.SECONDS;
            default -> throw new IllegalStateException("unexpected score unit " + unit);
        };
        return t.toNanos(1) / 1000.0;
    }

    /** FLOPs of one call, or NaN where the benchmark counts none. */
    static double flops(Row r) {
        switch (r.bench()) {
            case "PeakBench" -> {
                String[] p = r.param("shape").split("x");
                return Data.matmulFlops(Long.parseLong(p[0]), Long.parseLong(p[2]), Long.parseLong(p[1]));
            }
            case "DenseBench" -> {
                return r.method().endsWith("ForwardBackward") ? 3 * DENSE_FLOPS : DENSE_FLOPS;
            }
            case "TinyDenseBench" -> {
                return TINY_FLOPS;
            }
            case "ConvBench", "RnnBench", "GpuBench", "GpuEltwiseBench" -> {
                ConvBench.Info i = info(r);
                return i == null ? Double.NaN : i.flops();
            }
            case "DenseProfileBench" -> {
                String[] p = r.param("shape").split("x");
                double one = Data.matmulFlops(Long.parseLong(p[0]), Long.parseLong(p[2]), Long.parseLong(p[1]));
                return switch (r.method()) {
                    case "backendGemm", "backendGemmNT", "backendGemmTN", "opMatmul", "opsComposed", "denseApply" -> one;
                    case "denseForwardBackward" -> 3 * one;
                    default -> Double.NaN;
                };
            }
            default -> {
                return Double.NaN;
            }
        }
    }

    /** Which rows are raw oneDNN references for r: same shape; both sgemm and the matmul primitive qualify. */
    static Predicate<Row> referenceOf(Row r) {
        return switch (r.bench()) {
            case "PeakBench" -> o -> o.bench().equals("PeakBench") && o.param("shape").equals(r.param("shape"));
            case "DenseBench" -> r.method().endsWith("ForwardBackward")
                    ? o -> o.bench().equals("DenseBench") && (o.method().equals("rawSgemmForwardBackward")
                            || o.method().equals("rawPrimitiveForwardBackward"))
                    : o -> o.bench().equals("DenseBench") && (o.method().equals("rawSgemmForward")
                            || o.method().equals("rawPrimitiveForward"));
            case "TinyDenseBench" -> o -> o.bench().equals("TinyDenseBench") && o.method().equals("tinyRawSgemm");
            case "DenseProfileBench" -> o -> o.bench().equals("DenseProfileBench")
                    && o.method().equals("backendGemm") && o.param("shape").equals(r.param("shape"));
            case "ConvBench", "RnnBench", "GpuBench", "GpuEltwiseBench" -> {
                ConvBench.Info i = info(r);
                yield i == null ? o -> false : o -> {
                    ConvBench.Info oi = o.bench().equals(r.bench()) ? info(o) : null;
                    return oi != null && oi.raw() && oi.group().equals(i.group());
                };
            }
            default -> o -> false;
        };
    }

    /** The raw oneDNN reference of a row: the faster (median) of its candidates that ran. */
    static Optional<Row> reference(Row r, List<Row> rows) {
        return rows.stream().filter(referenceOf(r)).min(Comparator.comparingDouble(Row::us));
    }

    /** The same, chosen and compared on the best times. */
    static Optional<Row> bestReference(Row r, List<Row> rows) {
        return rows.stream().filter(referenceOf(r)).min(Comparator.comparingDouble(Row::bestUs));
    }

    static String table(List<Row> rows, String settings) {
        double peak = rows.stream().filter(r -> r.bench().equals("PeakBench"))
                .mapToDouble(r -> flops(r) / r.us() / 1e3).max().orElse(Double.NaN);
        double peakBest = rows.stream().filter(r -> r.bench().equals("PeakBench"))
                .mapToDouble(r -> flops(r) / r.bestUs() / 1e3).max().orElse(Double.NaN);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "jkeras benchmarks, %s, %d cpus (%s), Java %s, JMH %s, 1 fork;"
                + " load average before/after: %s / %s%n", LocalDate.now(),
                Runtime.getRuntime().availableProcessors(), cpuModel(), System.getProperty("java.version"), settings,
                LOAD_BEFORE, loadAverage()));
        sb.append(String.format(Locale.ROOT, "measured fp32 peak (best raw oneDNN matmul of PeakBench): %s GFLOP/s"
                + " (median call), %s GFLOP/s (fastest call)%n%n", gf(peak), gf(peakBest)));
        List<Row> main = rows.stream().filter(r -> !layerTable(r)).toList();
        List<Row> conv = rows.stream().filter(r -> r.bench().equals("ConvBench")).toList();
        List<Row> rnn = rows.stream().filter(r -> r.bench().equals("RnnBench")).toList();
        if (!main.isEmpty()) {
            String fmt = "%-40s %-14s %11s %11s %8s %7s %7s %7s %s%n";
            sb.append(String.format(Locale.ROOT, fmt, "benchmark", "params", "median", "best", "GFLOP/s", "% peak",
                    "vs raw", "(best)", ""));
            sb.append("-".repeat(118)).append('\n');
            for (Row r : main) {
                double f = flops(r);
                double gflops = Double.isNaN(f) ? Double.NaN : f / r.us() / 1e3;
                boolean isRef = reference(r, rows).map(o -> o == r).orElse(false) && !r.bench().equals("PeakBench");
                sb.append(String.format(Locale.ROOT, fmt, r.name(), r.paramText(), time(r.us()), time(r.bestUs()),
                        gf(gflops), pct(gflops, peak), ratio(r, rows), ratioBest(r, rows),
                        isRef ? "(reference)" : ""));
            }
            sb.append('\n');
            sb.append("median: median time per call; best: fastest call (SampleTime) or fastest iteration"
                    + " (AverageTime).\nGFLOP/s and % peak from the median; vs raw: raw oneDNN reference time / this"
                    + " time, same shape, same run (1.00x = as fast as calling oneDNN directly); (best): the same from"
                    + " the best times.\n");
        }
        double bw = conv.stream().filter(r -> info(r) != null && info(r).bandwidth())
                .mapToDouble(r -> gbs(r, false)).max().orElse(Double.NaN);
        if (!conv.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "%nconvolution and pooling layers (ConvBench); memory bandwidth"
                    + " reference (best copy below): %s GB/s%n", gf(bw)));
            String fmt = "%-42s %11s %11s %8s %7s %7s %6s %7s %7s %s%n";
            sb.append(String.format(Locale.ROOT, fmt, "benchmark", "median", "best", "GFLOP/s", "% peak", "GB/s",
                    "% bw", "vs raw", "(best)", ""));
            sb.append("-".repeat(120)).append('\n');
            for (Row r : conv) {
                ConvBench.Info i = info(r);
                double f = flops(r);
                double gflops = Double.isNaN(f) ? Double.NaN : f / r.us() / 1e3;
                double g = gbs(r, false);
                boolean isRef = reference(r, rows).map(o -> o == r).orElse(false);
                sb.append(String.format(Locale.ROOT, fmt, i == null ? r.method() : i.label(), time(r.us()),
                        time(r.bestUs()), gf(gflops), pct(gflops, peak), gf(g), pct(g, bw), ratio(r, rows),
                        ratioBest(r, rows), isRef && !i.bandwidth() ? "(reference)" : ""));
            }
            sb.append('\n');
            sb.append("GB/s: bytes the call must move (depthwise: input + output + kernel; pooling forward: input +"
                    + " output, forward + backward: also the output gradient and the input gradient; copy: source +"
                    + " destination) / median time; % bw: of the best copy. vs raw: the fastest raw oneDNN row of the"
                    + " same case / this.\n");
        }
        if (!rnn.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "%nrecurrent layers and Embedding (RnnBench); memory bandwidth"
                    + " reference (ConvBench's best copy): %s GB/s%n", gf(bw)));
            String fmt = "%-42s %-13s %11s %11s %8s %7s %7s %6s %7s %7s %s%n";
            sb.append(String.format(Locale.ROOT, fmt, "benchmark", "rec. act.", "median", "best", "GFLOP/s",
                    "% peak", "GB/s", "% bw", "vs raw", "(best)", ""));
            sb.append("-".repeat(134)).append('\n');
            for (Row r : rnn) {
                ConvBench.Info i = info(r);
                double f = flops(r);
                double gflops = Double.isNaN(f) ? Double.NaN : f / r.us() / 1e3;
                double g = gbs(r, false);
                boolean isRef = reference(r, rows).map(o -> o == r).orElse(false);
                sb.append(String.format(Locale.ROOT, fmt, i == null ? r.method() : i.label(), r.paramText(),
                        time(r.us()), time(r.bestUs()), gf(gflops), pct(gflops, peak), gf(g), pct(g, bw),
                        ratio(r, rows), ratioBest(r, rows), isRef ? "(reference)" : ""));
            }
            sb.append('\n');
            sb.append("FLOPs: 2 * T * N * G * H * (I + H) per forward (G = 4 LSTM, 3 GRU), 3x for forward + backward."
                    + " Embedding GB/s: ids + gathered rows + output (forward); + ids, output gradient and the"
                    + " zeroed (50000, 128) gradient written (forward + backward).\n");
        }
        for (Row r : rows) {
            if (r.bench().equals("DenseBench") && r.method().startsWith("dense")) {
                Row o = reference(r, rows).orElse(null);
                Row ob = bestReference(r, rows).orElse(null);
                if (o != null) {
                    double ratio = o.us() / r.us();
                    double ratioBest = ob.bestUs() / r.bestUs();
                    double target = 0.9;
                    sb.append(String.format(Locale.ROOT,
                            "Dense %-16s %-7s %.2fx raw oneDNN (best-call ratio %.2fx), target >= %.1fx: %s%n",
                            r.method().equals("denseForward") ? "forward" : "forward+backward",
                            r.param("activation"), ratio, ratioBest, target,
                            ratio >= target ? "met" : ratioBest >= target ? "met on best calls only" : "NOT met"));
                }
            }
            if (r.bench().equals("TinyDenseBench") && r.method().equals("tinyDenseForward")) {
                sb.append(String.format(Locale.ROOT,
                        "tiny Dense(16) %-7s per-call time %.2f us (best %.2f us), target <= 5 us: %s%n",
                        r.param("activation"), r.us(), r.bestUs(), r.us() <= 5 ? "met" : "NOT met"));
            }
        }
        for (Row r : rnn) {
            ConvBench.Info i = info(r);
            Row o = reference(r, rows).orElse(null);
            Row ob = bestReference(r, rows).orElse(null);
            if (i == null || i.raw() || o == null) {
                continue;
            }
            double target = "sigmoid".equals(r.param("recurrentActivation")) ? 0.9 : 0.7;
            double ratio = o.us() / r.us();
            double ratioBest = ob.bestUs() / r.bestUs();
            sb.append(String.format(Locale.ROOT, "%-30s %-12s %.2fx raw oneDNN (best-call ratio %.2fx), target >="
                    + " %.1fx: %s%n", i.label(), r.param("recurrentActivation"), ratio, ratioBest, target,
                    ratio >= target ? "met" : ratioBest >= target ? "met on best calls only" : "NOT met"));
        }
        for (Row r : conv) {
            ConvBench.Info i = info(r);
            if (i == null || i.raw() || i.bandwidth()) {
                continue;
            }
            Row o = reference(r, rows).orElse(null);
            Row ob = bestReference(r, rows).orElse(null);
            if (o != null) {
                double ratio = o.us() / r.us();
                double ratioBest = ob.bestUs() / r.bestUs();
                sb.append(String.format(Locale.ROOT, "%-24s %.2fx raw oneDNN (best-call ratio %.2fx), target >= 0.9x:"
                        + " %s", i.label(), ratio, ratioBest,
                        ratio >= 0.9 ? "met" : ratioBest >= 0.9 ? "met on best calls only" : "NOT met"));
                if (r.method().equals("conv3x3Forward") && !Double.isNaN(peak)) {
                    double p = 100 * flops(r) / r.us() / 1e3 / peak;
                    sb.append(String.format(Locale.ROOT, "; %.0f%% of peak, target ~90%%: %s", p,
                            p >= 85 ? "met" : "NOT met"));
                }
                if (!Double.isNaN(i.bytes()) && !Double.isNaN(bw)) {
                    double p = 100 * gbs(r, false) / bw;
                    sb.append(String.format(Locale.ROOT, "; %.0f%% of bandwidth, target >= 70%%: %s", p,
                            p >= 70 ? "met" : "NOT met"));
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    /** GB/s of a ConvBench row (NaN where it counts no bytes), from the median or the best time. */
    static double gbs(Row r, boolean best) {
        ConvBench.Info i = info(r);
        return i == null ? Double.NaN : i.bytes() / (best ? r.bestUs() : r.us()) / 1e3;
    }

    private static String pct(double v, double of) {
        return Double.isNaN(v) || Double.isNaN(of) ? "" : String.format(Locale.ROOT, "%.0f%%", 100 * v / of);
    }

    private static String ratio(Row r, List<Row> rows) {
        return reference(r, rows).map(o -> String.format(Locale.ROOT, "%.2fx", o.us() / r.us())).orElse("");
    }

    private static String ratioBest(Row r, List<Row> rows) {
        return bestReference(r, rows).map(o -> String.format(Locale.ROOT, "%.2fx", o.bestUs() / r.bestUs()))
                .orElse("");
    }

    private static String gf(double g) {
        return Double.isNaN(g) ? "" : String.format(Locale.ROOT, "%.1f", g);
    }

    private static final String LOAD_BEFORE = loadAverage();

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    private static String time(double us) {
        if (us >= 1000) {
            return String.format(Locale.ROOT, "%.3f ms", us / 1000);
        }
        return String.format(Locale.ROOT, "%.3f us", us);
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    String model = line.substring(line.indexOf(':') + 1).trim();
                    return model + (Files.readString(Path.of("/proc/cpuinfo")).contains("avx512f") ? ", AVX-512" : "");
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: leave it out
        }
        return System.getProperty("os.arch");
    }
}
