package io.jkeras.bench;

import io.jkeras.layers.Layer;
import io.jkeras.layers.conv.Conv1D;
import io.jkeras.layers.conv.Conv2D;
import io.jkeras.layers.conv.Conv2DTranspose;
import io.jkeras.layers.conv.DepthwiseConv2D;
import io.jkeras.layers.pooling.MaxPooling2D;
import io.jkeras.ops.GradientTape;
import io.jkeras.ops.Ops;
import io.jkeras.tensor.Scope;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Convolution and pooling layers, each next to a raw oneDNN primitive of the same shape called directly in the
 * same run ({@link RawConv}, {@link RawPool}: created in setup, channels_last activations, weights reordered once
 * into the primitive's preferred layout, bias fused), and a memory-bandwidth reference for the memory-bound ones.
 * <ul>
 *   <li>Conv2D(64, 3, same) on (32, 56, 56, 64): forward ({@code layer.apply}, training = false) and forward +
 *       backward (GradientTape watching input, kernel and bias; loss = Ops.sum(y)); the raw reference for the
 *       latter is forward-training + backward-data + backward-weights (with the bias gradient);</li>
 *   <li>Conv2D(128, 1) on (32, 28, 28, 256): forward;</li>
 *   <li>DepthwiseConv2D(3, same) on (32, 112, 112, 32): forward, also in GB/s (input + output + kernel);</li>
 *   <li>Conv2DTranspose(64, 3, strides 2, same) on (32, 28, 28, 64) -> (32, 56, 56, 64): forward; two raw
 *       references: a deconvolution primitive with the bias fused, and the backward-data primitive of the
 *       convolution it transposes (what jkeras calls) without bias;</li>
 *   <li>Conv1D(128, 5, same) on (64, 200, 128): forward and forward + backward;</li>
 *   <li>MaxPooling2D(2) on (32, 112, 112, 64): forward and forward + backward (the target's gradient given, no
 *       loss), in GB/s; raw references: forward inference (no workspace), forward training (writes the
 *       workspace), training + backward;</li>
 *   <li>memory bandwidth: a 128 MiB copy by a raw oneDNN reorder (parallel) and by jkeras's Backend.copy.</li>
 * </ul>
 * FLOPs per convolution: 2 * N * OH * OW * OC * KH * KW * IC / groups (a transposed convolution counts the
 * convolution it transposes: its input is the small side); forward + backward counts 3 times that.
 * Every jkeras call runs in a {@link Scope} closed inside the measured method.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(value = 1, jvmArgsAppend = Data.HOST_DEFAULT)
public class ConvBench {
    static final RawConv.Geometry CONV3X3 = new RawConv.Geometry(2, 32, 64, 64, 1, l(56, 56), l(56, 56), l(3, 3),
            l(1, 1), l(1, 1), l(1, 1));
    static final RawConv.Geometry CONV1X1 = new RawConv.Geometry(2, 32, 256, 128, 1, l(28, 28), l(28, 28),
            l(1, 1), l(1, 1), l(0, 0), l(0, 0));
    static final RawConv.Geometry DEPTHWISE = new RawConv.Geometry(2, 32, 32, 32, 32, l(112, 112), l(112, 112),
            l(3, 3), l(1, 1), l(1, 1), l(1, 1));
    /** The transposed convolution, small side (28 x 28) in, large side (56 x 56) out; padding on the large side. */
    static final RawConv.Geometry TRANSPOSE = new RawConv.Geometry(2, 32, 64, 64, 1, l(28, 28), l(56, 56), l(3, 3),
            l(2, 2), l(0, 0), l(1, 1));
    static final RawConv.Geometry CONV1D = new RawConv.Geometry(1, 64, 128, 128, 1, l(200), l(200), l(5), l(1),
            l(2), l(2));
    static final long POOL_N = 32, POOL_H = 112, POOL_W = 112, POOL_C = 64, POOL_K = 2;
    /** Elements of each buffer of the bandwidth reference: 32 Mi floats, 128 MiB. */
    static final long COPY_ELEMS = 32L << 20;

    private static long[] l(long... v) {
        return v;
    }

    /**
     * How the report reads a row: its label, the work of one call (FLOPs, bytes; NaN where not counted), the
     * group whose fastest raw row is its reference, whether it is raw oneDNN, whether it is a bandwidth reference.
     */
    record Info(String label, double flops, double bytes, String group, boolean raw, boolean bandwidth) {
    }

    /** Every benchmark of this class, in report order. */
    static final Map<String, Info> INFO = new LinkedHashMap<>();

    static {
        double c3 = CONV3X3.flops();
        info("conv3x3RawForward", "Conv2D 3x3 fwd: raw oneDNN", c3, Double.NaN, "conv3x3.fwd", true);
        info("conv3x3Forward", "Conv2D 3x3 fwd", c3, Double.NaN, "conv3x3.fwd", false);
        info("conv3x3RawForwardBackward", "Conv2D 3x3 fwd+bwd: raw oneDNN", 3 * c3, Double.NaN, "conv3x3.fwdbwd",
                true);
        info("conv3x3ForwardBackward", "Conv2D 3x3 fwd+bwd", 3 * c3, Double.NaN, "conv3x3.fwdbwd", false);
        double c1 = CONV1X1.flops();
        info("conv1x1RawForward", "Conv2D 1x1 fwd: raw oneDNN", c1, Double.NaN, "conv1x1.fwd", true);
        info("conv1x1Forward", "Conv2D 1x1 fwd", c1, Double.NaN, "conv1x1.fwd", false);
        double dw = DEPTHWISE.flops();
        double dwBytes = 4.0 * (DEPTHWISE.inElems() + DEPTHWISE.outElems() + DEPTHWISE.kernelElems());
        info("depthwiseRawForward", "DepthwiseConv2D 3x3 fwd: raw oneDNN", dw, dwBytes, "depthwise.fwd", true);
        info("depthwiseForward", "DepthwiseConv2D 3x3 fwd", dw, dwBytes, "depthwise.fwd", false);
        double tr = TRANSPOSE.transposed().flops();
        info("transposeRawDeconvolution", "Conv2DTranspose fwd: raw deconvolution", tr, Double.NaN,
                "transpose.fwd", true);
        info("transposeRawBackwardData", "Conv2DTranspose fwd: raw conv bwd-data", tr, Double.NaN, "transpose.fwd",
                true);
        info("transposeForward", "Conv2DTranspose fwd", tr, Double.NaN, "transpose.fwd", false);
        double c1d = CONV1D.flops();
        info("conv1dRawForward", "Conv1D k5 fwd: raw oneDNN", c1d, Double.NaN, "conv1d.fwd", true);
        info("conv1dForward", "Conv1D k5 fwd", c1d, Double.NaN, "conv1d.fwd", false);
        info("conv1dRawForwardBackward", "Conv1D k5 fwd+bwd: raw oneDNN", 3 * c1d, Double.NaN, "conv1d.fwdbwd",
                true);
        info("conv1dForwardBackward", "Conv1D k5 fwd+bwd", 3 * c1d, Double.NaN, "conv1d.fwdbwd", false);
        long pin = POOL_N * POOL_H * POOL_W * POOL_C;
        long pout = pin / (POOL_K * POOL_K);
        info("maxPoolRawForwardInference", "MaxPooling2D fwd: raw inference", Double.NaN, 4.0 * (pin + pout),
                "pool.fwd", true);
        info("maxPoolRawForwardTraining", "MaxPooling2D fwd: raw training", Double.NaN, 4.0 * (pin + pout),
                "pool.fwd", true);
        info("maxPoolForward", "MaxPooling2D fwd", Double.NaN, 4.0 * (pin + pout), "pool.fwd", false);
        info("maxPoolRawForwardBackward", "MaxPooling2D fwd+bwd: raw oneDNN", Double.NaN, 8.0 * (pin + pout),
                "pool.fwdbwd", true);
        info("maxPoolForwardBackward", "MaxPooling2D fwd+bwd", Double.NaN, 8.0 * (pin + pout), "pool.fwdbwd",
                false);
        INFO.put("bandwidthRawReorder", new Info("copy 128 MiB: raw oneDNN reorder", Double.NaN, 8.0 * COPY_ELEMS,
                "bandwidth", true, true));
        INFO.put("bandwidthBackendCopy", new Info("copy 128 MiB: Backend.copy", Double.NaN, 8.0 * COPY_ELEMS,
                "bandwidth", false, true));
    }

    private static void info(String method, String label, double flops, double bytes, String group, boolean raw) {
        INFO.put(method, new Info(label, flops, bytes, group, raw, false));
    }

    /**
     * A built layer, its input, and the tensors a GradientTape watches (input and weights), on the host unless a
     * subclass's {@link #place} moves them (the GPU benchmarks' states).
     */
    public abstract static class LayerState {
        Layer layer;
        Tensor x;
        List<Tensor> sources;

        void init(Layer l, long[] inShape) {
            layer = l;
            layer.build(Shape.of(inShape));
            x = Data.uniform(1, inShape);
            sources = new ArrayList<>();
            sources.add(x);
            layer.weightVariables().forEach(w -> sources.add(w.value()));
            place();
        }

        /** Moves the layer and its input where the benchmark runs them, after init: nothing here (the host). */
        void place() {
        }

        void check(long[] outShape) {
            try (Scope scope = Scope.open()) {
                long[] got = layer.apply(x).shape();
                if (!Arrays.equals(got, outShape)) {
                    throw new IllegalStateException(layer.getName() + ": output " + Arrays.toString(got)
                            + ", expected " + Arrays.toString(outShape));
                }
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            Data.closeAll(sources.toArray(new Tensor[0]));
        }
    }

    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class Conv3x3 extends LayerState {
        @Setup(Level.Trial)
        public void setup() {
            init(Conv2D.fromConfig(Map.of("filters", 64, "kernel_size", 3, "padding", "same")), CONV3X3.inShape());
            check(CONV3X3.outShape());
        }
    }

    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class Conv1x1 extends LayerState {
        @Setup(Level.Trial)
        public void setup() {
            init(Conv2D.fromConfig(Map.of("filters", 128, "kernel_size", 1)), CONV1X1.inShape());
            check(CONV1X1.outShape());
        }
    }

    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class Depthwise extends LayerState {
        @Setup(Level.Trial)
        public void setup() {
            init(new DepthwiseConv2D(3, 1, "same", 1, null), DEPTHWISE.inShape());
            check(DEPTHWISE.outShape());
        }
    }

    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class Transpose extends LayerState {
        @Setup(Level.Trial)
        public void setup() {
            init(new Conv2DTranspose(64, 3, 2, "same", null), TRANSPOSE.inShape());
            check(TRANSPOSE.outShape());
        }
    }

    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class Conv1d extends LayerState {
        @Setup(Level.Trial)
        public void setup() {
            init(Conv1D.fromConfig(Map.of("filters", 128, "kernel_size", 5, "padding", "same")), CONV1D.inShape());
            check(CONV1D.outShape());
        }
    }

    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class Pool extends LayerState {
        Tensor dy;

        @Setup(Level.Trial)
        public void setup() {
            init(new MaxPooling2D(2), new long[] {POOL_N, POOL_H, POOL_W, POOL_C});
            long[] out = {POOL_N, POOL_H / 2, POOL_W / 2, POOL_C};
            check(out);
            dy = Data.uniform(2, out);
            sources.add(dy);  // closed with the rest; never watched
        }
    }

    /** Raw oneDNN primitives of each geometry (created lazily by the benchmark that needs them). */
    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class RawConv3x3 {
        RawConv raw;

        @Setup(Level.Trial)
        public void setup() {
            raw = RawConv.conv(CONV3X3, true, true);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            raw.close();
        }
    }

    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class RawConv1x1 {
        RawConv raw;

        @Setup(Level.Trial)
        public void setup() {
            raw = RawConv.conv(CONV1X1, true, false);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            raw.close();
        }
    }

    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class RawDepthwise {
        RawConv raw;

        @Setup(Level.Trial)
        public void setup() {
            raw = RawConv.conv(DEPTHWISE, true, false);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            raw.close();
        }
    }

    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class RawDeconv {
        RawConv raw;

        @Setup(Level.Trial)
        public void setup() {
            raw = RawConv.deconv(TRANSPOSE, true);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            raw.close();
        }
    }

    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class RawTransposedConv {
        RawConv raw;

        @Setup(Level.Trial)
        public void setup() {
            raw = RawConv.conv(TRANSPOSE.transposed(), false, true);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            raw.close();
        }
    }

    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class RawConv1d {
        RawConv raw;

        @Setup(Level.Trial)
        public void setup() {
            raw = RawConv.conv(CONV1D, true, true);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            raw.close();
        }
    }

    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class RawMaxPool {
        RawPool raw;

        @Setup(Level.Trial)
        public void setup() {
            raw = new RawPool(POOL_N, POOL_H, POOL_W, POOL_C, POOL_K, POOL_K);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            raw.close();
        }
    }

    /** Two 128 MiB buffers (pages touched in setup) and a raw oneDNN reorder between them. */
    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class Copy {
        Tensor src, dst;
        org.bytedeco.dnnl.dnnl_memory_desc md;
        RawOneDnn.Prim reorder;

        @Setup(Level.Trial)
        public void setup() {
            RawOneDnn.load();
            src = Tensor.full(1f, COPY_ELEMS);
            dst = Tensor.zeros(COPY_ELEMS);
            md = RawOneDnn.md(new long[] {COPY_ELEMS}, org.bytedeco.dnnl.global.dnnl.dnnl_a);
            org.bytedeco.dnnl.dnnl_primitive_desc pd = new org.bytedeco.dnnl.dnnl_primitive_desc();
            RawOneDnn.check(org.bytedeco.dnnl.global.dnnl.dnnl_reorder_primitive_desc_create(pd, md,
                    RawOneDnn.Engine.ENGINE, md, RawOneDnn.Engine.ENGINE, null), "reorder pd");
            reorder = new RawOneDnn.Prim(pd, "reorder");
            reorder.bind(org.bytedeco.dnnl.global.dnnl.DNNL_ARG_FROM, md, src.address())
                    .bind(org.bytedeco.dnnl.global.dnnl.DNNL_ARG_TO, md, dst.address());
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            reorder.close();
            org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_destroy(md);
            Data.closeAll(src, dst);
        }
    }

    // ------------------------------------------------------------------------------------------ helpers

    /** layer.apply(x) (training = false) in a scope closed before returning; returns the (closed) output. */
    static Object forward(LayerState s) {
        try (Scope scope = Scope.open()) {
            return s.layer.apply(s.x);
        }
    }

    /** Forward under a GradientTape watching input and weights, loss = sum(y), then the gradients. */
    static Object forwardBackwardSum(LayerState s) {
        try (Scope scope = Scope.open(); GradientTape tape = new GradientTape()) {
            tape.watch(s.sources);
            Tensor y = s.layer.invoke(List.of(s.x), null, true).tensors().get(0);
            Tensor loss = Ops.sum(y);
            return tape.gradient(loss, s.sources);
        }
    }

    /** Forward under a GradientTape watching the input, then its gradient for the given output gradient dy. */
    static Object forwardBackwardGiven(Pool s) {
        try (Scope scope = Scope.open(); GradientTape tape = new GradientTape()) {
            tape.watch(s.x);
            Tensor y = s.layer.invoke(List.of(s.x), null, true).tensors().get(0);
            return tape.gradient(y, List.of(s.x), s.dy);
        }
    }

    private static void forward(LayerState s, Blackhole bh) {
        bh.consume(forward(s));
    }

    private static void forwardBackwardSum(LayerState s, Blackhole bh) {
        bh.consume(forwardBackwardSum(s));
    }

    // ------------------------------------------------------------------------------------ Conv2D 3x3

    @Benchmark
    public void conv3x3RawForward(RawConv3x3 r, Blackhole bh) {
        bh.consume(r.raw.forward());
    }

    @Benchmark
    public void conv3x3Forward(Conv3x3 s, Blackhole bh) {
        forward(s, bh);
    }

    @Benchmark
    public void conv3x3RawForwardBackward(RawConv3x3 r, Blackhole bh) {
        bh.consume(r.raw.forwardBackward());
    }

    @Benchmark
    public void conv3x3ForwardBackward(Conv3x3 s, Blackhole bh) {
        forwardBackwardSum(s, bh);
    }

    // ------------------------------------------------------------------------------------ Conv2D 1x1

    @Benchmark
    public void conv1x1RawForward(RawConv1x1 r, Blackhole bh) {
        bh.consume(r.raw.forward());
    }

    @Benchmark
    public void conv1x1Forward(Conv1x1 s, Blackhole bh) {
        forward(s, bh);
    }

    // ------------------------------------------------------------------------------------ DepthwiseConv2D

    @Benchmark
    public void depthwiseRawForward(RawDepthwise r, Blackhole bh) {
        bh.consume(r.raw.forward());
    }

    @Benchmark
    public void depthwiseForward(Depthwise s, Blackhole bh) {
        forward(s, bh);
    }

    // ------------------------------------------------------------------------------------ Conv2DTranspose

    @Benchmark
    public void transposeRawDeconvolution(RawDeconv r, Blackhole bh) {
        bh.consume(r.raw.forward());
    }

    @Benchmark
    public void transposeRawBackwardData(RawTransposedConv r, Blackhole bh) {
        bh.consume(r.raw.backwardData());
    }

    @Benchmark
    public void transposeForward(Transpose s, Blackhole bh) {
        forward(s, bh);
    }

    // ------------------------------------------------------------------------------------ Conv1D

    @Benchmark
    public void conv1dRawForward(RawConv1d r, Blackhole bh) {
        bh.consume(r.raw.forward());
    }

    @Benchmark
    public void conv1dForward(Conv1d s, Blackhole bh) {
        forward(s, bh);
    }

    @Benchmark
    public void conv1dRawForwardBackward(RawConv1d r, Blackhole bh) {
        bh.consume(r.raw.forwardBackward());
    }

    @Benchmark
    public void conv1dForwardBackward(Conv1d s, Blackhole bh) {
        forwardBackwardSum(s, bh);
    }

    // ------------------------------------------------------------------------------------ MaxPooling2D

    @Benchmark
    public void maxPoolRawForwardInference(RawMaxPool r, Blackhole bh) {
        bh.consume(r.raw.forwardInference());
    }

    @Benchmark
    public void maxPoolRawForwardTraining(RawMaxPool r, Blackhole bh) {
        bh.consume(r.raw.forwardTraining());
    }

    @Benchmark
    public void maxPoolForward(Pool s, Blackhole bh) {
        forward(s, bh);
    }

    @Benchmark
    public void maxPoolRawForwardBackward(RawMaxPool r, Blackhole bh) {
        bh.consume(r.raw.forwardBackward());
    }

    /** Forward under a GradientTape watching the input, then the input's gradient for a given output gradient. */
    @Benchmark
    public void maxPoolForwardBackward(Pool s, Blackhole bh) {
        bh.consume(forwardBackwardGiven(s));
    }

    // ------------------------------------------------------------------------------------ memory bandwidth

    @Benchmark
    public void bandwidthRawReorder(Copy c, Blackhole bh) {
        bh.consume(c.reorder.execute());
    }

    @Benchmark
    public void bandwidthBackendCopy(Copy c, Blackhole bh) {
        c.src.backend().copy(c.src, c.dst);
        bh.consume(c.dst);
    }
}
