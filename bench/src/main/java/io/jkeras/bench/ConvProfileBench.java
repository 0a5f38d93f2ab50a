package io.jkeras.bench;

import io.jkeras.backend.Backend;
import io.jkeras.backend.ConvDesc;
import io.jkeras.backend.PoolDesc;
import io.jkeras.ops.ConvOps;
import io.jkeras.ops.GradientTape;
import io.jkeras.ops.Ops;
import io.jkeras.ops.PoolOps;
import io.jkeras.tensor.DType;
import io.jkeras.tensor.Scope;
import io.jkeras.tensor.Tensor;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The ConvBench cases taken apart, to see where a layer loses to the raw oneDNN call: the backend primitive alone
 * on preallocated tensors (libjkeras's per-call work: descriptor check, cache look-up, the weights reordered from
 * Keras's layout on every call), the op (+ its output allocation), the pieces of the backward pass, and the cost
 * of allocating and first touching an output of each size. Not part of the default report ({@code Report
 * ConvProfile} or the JMH CLI).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = Data.HOST_DEFAULT)
public class ConvProfileBench {
    /** A convolution's tensors in Keras layouts, preallocated, and its descriptor. */
    static class ConvCase {
        ConvDesc d;
        Tensor x, w, b, y, dy, dx, dw, db;
        Backend be;

        void init(RawConv.Geometry g, boolean bias) {
            d = new ConvDesc(g.spatial(), false, g.batch(), g.inC(), g.outC(), g.groups(), g.in(), g.out(),
                    g.kernel(), g.stride(), ones(g.spatial()), g.padL(), g.padR());
            x = Data.uniform(1, d.inputShape());
            w = Data.uniform(2, d.kernelShape());
            b = bias ? Data.uniform(3, g.outC()) : null;
            y = Tensor.zeros(d.outputShape());
            dy = Data.uniform(4, d.outputShape());
            dx = Tensor.zeros(d.inputShape());
            dw = Tensor.zeros(d.kernelShape());
            db = bias ? Tensor.zeros(g.outC()) : null;
            be = x.backend();
        }

        void close() {
            Data.closeAll(x, w, b, y, dy, dx, dw, db);
        }

        static long[] ones(int n) {
            long[] a = new long[n];
            java.util.Arrays.fill(a, 1);
            return a;
        }
    }

    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class Conv3x3 {
        final ConvCase c = new ConvCase();

        @Setup(Level.Trial)
        public void setup() {
            c.init(ConvBench.CONV3X3, true);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            c.close();
        }
    }

    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class Depthwise {
        final ConvCase c = new ConvCase();

        @Setup(Level.Trial)
        public void setup() {
            c.init(ConvBench.DEPTHWISE, true);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            c.close();
        }
    }

    /** The convolution the Conv2DTranspose transposes (56 x 56 -> 28 x 28), no bias. */
    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class Transposed {
        final ConvCase c = new ConvCase();
        Tensor bias;

        @Setup(Level.Trial)
        public void setup() {
            c.init(ConvBench.TRANSPOSE.transposed(), false);
            bias = Data.uniform(5, ConvBench.TRANSPOSE.outC());
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            c.close();
            bias.close();
        }
    }

    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class Pool {
        PoolDesc d;
        Tensor x, y, dy, dx, ws;
        Backend be;

        @Setup(Level.Trial)
        public void setup() {
            long n = ConvBench.POOL_N, h = ConvBench.POOL_H, w = ConvBench.POOL_W, c = ConvBench.POOL_C;
            long k = ConvBench.POOL_K;
            d = new PoolDesc(2, false, PoolDesc.Algorithm.MAX, n, c, new long[] {h, w}, new long[] {h / k, w / k},
                    new long[] {k, k}, new long[] {k, k}, new long[2], new long[2]);
            x = Data.uniform(1, d.inputShape());
            y = Tensor.zeros(d.outputShape());
            dy = Data.uniform(2, d.outputShape());
            dx = Tensor.zeros(d.inputShape());
            be = x.backend();
            ws = Tensor.empty(be, DType.INT32, (be.poolWorkspaceBytes(d) + 3) / 4);
            be.poolForward(d, x, y, ws);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            Data.closeAll(x, y, dy, dx, ws);
        }
    }

    /** A float buffer of the given size in MiB, preallocated, for the allocation pieces. */
    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class Buffer {
        @Param({"24.5", "49", "98"})
        public double mib;

        Tensor t;
        long n;

        @Setup(Level.Trial)
        public void setup() {
            n = (long) (mib * (1 << 20) / 4);
            t = Tensor.zeros(n);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            t.close();
        }
    }

    /** Raw oneDNN Conv2D 3x3 primitives, weights 64-byte aligned, and the same with the weights 16 bytes off. */
    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class Raw3x3 {
        RawConv aligned, misaligned;

        @Setup(Level.Trial)
        public void setup() {
            aligned = RawConv.conv(ConvBench.CONV3X3, true, true);
            misaligned = RawConv.convMisaligned(ConvBench.CONV3X3, true, true, 16);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            aligned.close();
            misaligned.close();
        }
    }

    // ---------------------------------------------------------------------------------------- Conv2D 3x3

    /** Raw forward-inference primitive (the ConvBench reference). */
    @Benchmark
    public void conv3x3RawInference(Raw3x3 r, Blackhole bh) {
        bh.consume(r.aligned.forward());
    }

    /** Raw forward-training primitive: the propagation kind libjkeras uses for every forward. */
    @Benchmark
    public void conv3x3RawTraining(Raw3x3 r, Blackhole bh) {
        bh.consume(r.aligned.forwardTraining());
    }

    /** Raw forward-inference primitive with its reordered weights 16 bytes past a 64-byte boundary. */
    @Benchmark
    public void conv3x3RawInferenceMisalignedWeights(Raw3x3 r, Blackhole bh) {
        bh.consume(r.misaligned.forward());
    }

    /** Backend.convForward into a preallocated output: libjkeras's per-call work plus the primitive. */
    @Benchmark
    public void conv3x3BackendForward(Conv3x3 s, Blackhole bh) {
        s.c.be.convForward(s.c.d, s.c.x, s.c.w, s.c.b, s.c.y);
        bh.consume(s.c.y);
    }

    /** ConvOps.conv: the backend call plus the output allocation (freed with the scope). */
    @Benchmark
    public void conv3x3OpForward(Conv3x3 s, Blackhole bh) {
        try (Scope scope = Scope.open()) {
            bh.consume(ConvOps.conv(s.c.x, s.c.w, s.c.b, s.c.d));
        }
    }

    @Benchmark
    public void conv3x3BackendBackwardData(Conv3x3 s, Blackhole bh) {
        s.c.be.convBackwardData(s.c.d, s.c.dy, s.c.w, s.c.dx);
        bh.consume(s.c.dx);
    }

    @Benchmark
    public void conv3x3BackendBackwardWeights(Conv3x3 s, Blackhole bh) {
        s.c.be.convBackwardWeights(s.c.d, s.c.x, s.c.dy, s.c.dw, s.c.db);
        bh.consume(s.c.dw);
    }

    /** loss = sum(y) and its gradient, ones broadcast to y's shape: what the layer's fwd+bwd adds. */
    @Benchmark
    public void conv3x3SumAndOnes(Conv3x3 s, Blackhole bh) {
        try (Scope scope = Scope.open()) {
            bh.consume(Ops.sum(s.c.y));
            bh.consume(Ops.broadcastTo(Tensor.scalar(1f), s.c.y.shape()));
        }
    }

    /** The op's forward + backward under a tape (input, kernel, bias watched), the target's gradient given. */
    @Benchmark
    public void conv3x3OpForwardBackward(Conv3x3 s, Blackhole bh) {
        try (Scope scope = Scope.open(); GradientTape tape = new GradientTape()) {
            tape.watch(s.c.x, s.c.w, s.c.b);
            Tensor y = ConvOps.conv(s.c.x, s.c.w, s.c.b, s.c.d);
            bh.consume(tape.gradient(y, List.of(s.c.x, s.c.w, s.c.b), s.c.dy));
        }
    }

    // ---------------------------------------------------------------------------------------- depthwise

    @Benchmark
    public void depthwiseBackendForward(Depthwise s, Blackhole bh) {
        s.c.be.convForward(s.c.d, s.c.x, s.c.w, s.c.b, s.c.y);
        bh.consume(s.c.y);
    }

    @Benchmark
    public void depthwiseOpForward(Depthwise s, Blackhole bh) {
        try (Scope scope = Scope.open()) {
            bh.consume(ConvOps.conv(s.c.x, s.c.w, s.c.b, s.c.d));
        }
    }

    // ---------------------------------------------------------------------------------------- transposed

    /** The transposed convolution as jkeras runs it: backward data of the transposed conv, preallocated. */
    @Benchmark
    public void transposeBackendBackwardData(Transposed s, Blackhole bh) {
        s.c.be.convBackwardData(s.c.d, s.c.y, s.c.w, s.c.x);
        bh.consume(s.c.x);
    }

    /** ConvOps.convTranspose without bias (output allocated). */
    @Benchmark
    public void transposeOpNoBias(Transposed s, Blackhole bh) {
        try (Scope scope = Scope.open()) {
            bh.consume(ConvOps.convTranspose(s.c.y, s.c.w, null, s.c.d));
        }
    }

    /** ConvOps.convTranspose with the bias: the transposed convolution, then a separate bias add. */
    @Benchmark
    public void transposeOpBias(Transposed s, Blackhole bh) {
        try (Scope scope = Scope.open()) {
            bh.consume(ConvOps.convTranspose(s.c.y, s.c.w, s.bias, s.c.d));
        }
    }

    /** Backward data into a preallocated output, then the bias add on it: the two passes without allocation. */
    @Benchmark
    public void transposeBackendThenBiasAdd(Transposed s, Blackhole bh) {
        s.c.be.convBackwardData(s.c.d, s.c.y, s.c.w, s.c.x);
        try (Scope scope = Scope.open()) {
            bh.consume(Ops.biasAdd(s.c.x, s.bias));
        }
    }

    /** The separate bias add on the transposed convolution's (32, 56, 56, 64) output. */
    @Benchmark
    public void transposeBiasAdd(Transposed s, Blackhole bh) {
        try (Scope scope = Scope.open()) {
            bh.consume(Ops.biasAdd(s.c.x, s.bias));
        }
    }

    // ---------------------------------------------------------------------------------------- pooling

    @Benchmark
    public void poolBackendForward(Pool s, Blackhole bh) {
        s.be.poolForward(s.d, s.x, s.y, s.ws);
        bh.consume(s.y);
    }

    @Benchmark
    public void poolBackendBackward(Pool s, Blackhole bh) {
        s.be.poolBackward(s.d, s.x, s.y, s.dy, s.ws, s.dx);
        bh.consume(s.dx);
    }

    @Benchmark
    public void poolOpForward(Pool s, Blackhole bh) {
        try (Scope scope = Scope.open()) {
            bh.consume(PoolOps.pool(s.x, s.d));
        }
    }

    @Benchmark
    public void poolOpForwardBackward(Pool s, Blackhole bh) {
        try (Scope scope = Scope.open(); GradientTape tape = new GradientTape()) {
            tape.watch(s.x);
            Tensor y = PoolOps.pool(s.x, s.d);
            bh.consume(tape.gradient(y, List.of(s.x), s.dy));
        }
    }

    // ---------------------------------------------------------------------------------------- memory

    /** Backend.fill over a preallocated buffer: writing the bytes, pages already mapped. */
    @Benchmark
    public void fillPreallocated(Buffer s, Blackhole bh) {
        s.t.backend().fill(s.t, 1f);
        bh.consume(s.t);
    }

    /** The same into a fresh allocation (freed with the scope): adds the allocator and the first-touch faults. */
    @Benchmark
    public void fillFresh(Buffer s, Blackhole bh) {
        try (Scope scope = Scope.open()) {
            Tensor t = Tensor.empty(s.t.backend(), DType.FLOAT32, s.n);
            t.backend().fill(t, 1f);
            bh.consume(t);
        }
    }
}
