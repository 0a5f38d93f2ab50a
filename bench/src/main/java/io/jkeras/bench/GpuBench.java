package io.jkeras.bench;

import io.jkeras.layers.Layer;
import io.jkeras.layers.core.Dense;
import io.jkeras.layers.recurrent.GRU;
import io.jkeras.layers.recurrent.LSTM;
import io.jkeras.tensor.Tensor;
import java.util.LinkedHashMap;
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

/**
 * Layers on the CUDA backend (device 0), each next to raw cuDNN / cuBLAS calls of the same shape made directly
 * through the presets in the same run ({@link RawCuda}, {@link RawCudnnConv}, {@link RawCudnnRnn}); both sides
 * wait for their stream at the end of every call, and both run full float32 (TF32 only with
 * {@code -Djkeras.cuda.tf32=true}, on both).
 * <ul>
 *   <li>Conv2D(64, 3, same) on (32, 56, 56, 64), forward ({@code layer.apply}) and forward + backward (tape
 *       watching input, kernel, bias; loss = Ops.sum(y)); raw: cudnnConvolutionForward + cudnnAddTensor, and
 *       the backward-data, backward-filter and backward-bias calls; the shapes of ConvBench;</li>
 *   <li>Conv2D(128, 1) on (32, 28, 28, 256): forward;</li>
 *   <li>LSTM(256, return_sequences, tanh, sigmoid gates) on (64, 100, 256): forward and forward + backward; raw:
 *       cuDNN's CUDNN_LSTM;</li>
 *   <li>GRU(256, reset_after=True, the same) on (64, 100, 256); raw: CUDNN_GRU;</li>
 *   <li>Dense(4096) on (1024, 4096), linear: forward and forward + backward; raw: cublasSgemm (the product only,
 *       as DenseBench's reference), three of them for forward + backward.</li>
 * </ul>
 * FLOPs as in the CPU tables: 2 * N * OH * OW * OC * KH * KW * IC per convolution, 2 * T * N * G * H * (I + H) per
 * recurrent forward (G = 4 LSTM, 3 GRU), 2 * M * N * K per product; forward + backward 3 times that.
 * Fails in setup, saying why, where the CUDA backend is unavailable: {@code Report} skips it there.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = Data.HOST_DEFAULT)
public class GpuBench {
    static final long RNN_N = 64, RNN_T = 100, RNN_I = 256, RNN_H = 256;
    static final long DENSE_M = 1024, DENSE_K = 4096, DENSE_N = 4096;

    /** The report's view of every benchmark, as ConvBench's. */
    static final Map<String, ConvBench.Info> INFO = new LinkedHashMap<>();

    static {
        pair("conv3x3", "Forward", "Conv2D 3x3 fwd", ConvBench.CONV3X3.flops(), "raw cuDNN");
        pair("conv3x3", "ForwardBackward", "Conv2D 3x3 fwd+bwd", 3 * ConvBench.CONV3X3.flops(), "raw cuDNN");
        pair("conv1x1", "Forward", "Conv2D 1x1 fwd", ConvBench.CONV1X1.flops(), "raw cuDNN");
        double lstm = 2.0 * RNN_T * RNN_N * 4 * RNN_H * (RNN_I + RNN_H);
        double gru = 2.0 * RNN_T * RNN_N * 3 * RNN_H * (RNN_I + RNN_H);
        pair("lstm", "Forward", "LSTM fwd", lstm, "raw cuDNN LSTM");
        pair("lstm", "ForwardBackward", "LSTM fwd+bwd", 3 * lstm, "raw cuDNN LSTM");
        pair("gru", "Forward", "GRU reset_after fwd", gru, "raw cuDNN GRU");
        pair("gru", "ForwardBackward", "GRU reset_after fwd+bwd", 3 * gru, "raw cuDNN GRU");
        double dense = Data.matmulFlops(DENSE_M, DENSE_N, DENSE_K);
        pair("dense", "Forward", "Dense 4096 fwd", dense, "raw cublasSgemm");
        pair("dense", "ForwardBackward", "Dense 4096 fwd+bwd", 3 * dense, "raw cublasSgemm x3");
    }

    /** A jkeras row {@code <base><what>} and its raw row {@code <base>Raw<what>}, compared as one group. */
    private static void pair(String base, String what, String label, double flops, String rawLabel) {
        String group = base + "." + what;
        INFO.put(base + "Raw" + what, new ConvBench.Info(label + ": " + rawLabel, flops, Double.NaN, group, true,
                false));
        INFO.put(base + what, new ConvBench.Info(label, flops, Double.NaN, group, false, false));
    }

    // ------------------------------------------------------------------------------------------ jkeras states

    /** ConvBench's Conv2D 3x3 state, on the GPU. */
    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class Conv3x3 extends ConvBench.Conv3x3 {
        @Override
        void place() {
            Gpu.place(this);
        }
    }

    /** ConvBench's Conv2D 1x1 state, on the GPU. */
    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class Conv1x1 extends ConvBench.Conv1x1 {
        @Override
        void place() {
            Gpu.place(this);
        }
    }

    /** A layer built on the host and moved to the GPU with its input. */
    public abstract static class OnGpu extends ConvBench.LayerState {
        @Override
        void place() {
            Gpu.place(this);
        }
    }

    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class Lstm extends OnGpu {
        @Setup(Level.Trial)
        public void setup() {
            init(LSTM.fromConfig(RnnBench.config(RNN_H, "sigmoid")), new long[] {RNN_N, RNN_T, RNN_I});
            check(new long[] {RNN_N, RNN_T, RNN_H});
        }
    }

    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class Gru extends OnGpu {
        @Setup(Level.Trial)
        public void setup() {
            Map<String, Object> c = RnnBench.config(RNN_H, "sigmoid");
            c.put("reset_after", true);
            Layer l = GRU.fromConfig(c);
            init(l, new long[] {RNN_N, RNN_T, RNN_I});
            check(new long[] {RNN_N, RNN_T, RNN_H});
        }
    }

    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class Dense4096 extends OnGpu {
        @Setup(Level.Trial)
        public void setup() {
            init(new Dense((int) DENSE_N, "linear"), new long[] {DENSE_M, DENSE_K});
            check(new long[] {DENSE_M, DENSE_N});
        }
    }

    // ------------------------------------------------------------------------------------------ raw states

    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class RawConv3x3 {
        RawCudnnConv raw;

        @Setup(Level.Trial)
        public void setup() {
            raw = new RawCudnnConv(ConvBench.CONV3X3, true);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            raw.close();
        }
    }

    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class RawConv1x1 {
        RawCudnnConv raw;

        @Setup(Level.Trial)
        public void setup() {
            raw = new RawCudnnConv(ConvBench.CONV1X1, false);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            raw.close();
        }
    }

    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public abstract static class RawRecurrence {
        RawCudnnRnn raw;

        abstract RawCudnnRnn.Kind kind();

        @Setup(Level.Trial)
        public void setup() {
            raw = new RawCudnnRnn(kind(), RNN_N, RNN_T, RNN_I, RNN_H, true);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            raw.close();
        }
    }

    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class RawLstm extends RawRecurrence {
        @Override
        RawCudnnRnn.Kind kind() {
            return RawCudnnRnn.Kind.LSTM;
        }
    }

    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class RawGru extends RawRecurrence {
        @Override
        RawCudnnRnn.Kind kind() {
            return RawCudnnRnn.Kind.GRU;
        }
    }

    /** The Dense reference's buffers: x (M, K), w (K, N), y, dy (M, N), dx (M, K), dw (K, N). */
    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class RawDense {
        RawCuda cu;
        Tensor x, w, y, dy, dx, dw;

        @Setup(Level.Trial)
        public void setup() {
            cu = RawCuda.get();
            x = Gpu.uniform(1, DENSE_M, DENSE_K);
            w = Gpu.uniform(2, DENSE_K, DENSE_N);
            dy = Gpu.uniform(4, DENSE_M, DENSE_N);
            y = Gpu.zeros(DENSE_M, DENSE_N);
            dx = Gpu.zeros(DENSE_M, DENSE_K);
            dw = Gpu.zeros(DENSE_K, DENSE_N);
            Gpu.sync();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            Data.closeAll(x, w, y, dy, dx, dw);
        }
    }

    // ------------------------------------------------------------------------------------------ Conv2D

    @Benchmark
    public int conv3x3RawForward(RawConv3x3 r) {
        return r.raw.forward();
    }

    @Benchmark
    public Object conv3x3Forward(Conv3x3 s) {
        return Gpu.forward(s);
    }

    @Benchmark
    public int conv3x3RawForwardBackward(RawConv3x3 r) {
        return r.raw.forwardBackward();
    }

    @Benchmark
    public Object conv3x3ForwardBackward(Conv3x3 s) {
        return Gpu.forwardBackwardSum(s);
    }

    @Benchmark
    public int conv1x1RawForward(RawConv1x1 r) {
        return r.raw.forward();
    }

    @Benchmark
    public Object conv1x1Forward(Conv1x1 s) {
        return Gpu.forward(s);
    }

    // ------------------------------------------------------------------------------------------ LSTM, GRU

    @Benchmark
    public int lstmRawForward(RawLstm r) {
        return r.raw.forward();
    }

    @Benchmark
    public Object lstmForward(Lstm s) {
        return Gpu.forward(s);
    }

    @Benchmark
    public int lstmRawForwardBackward(RawLstm r) {
        return r.raw.forwardBackward();
    }

    @Benchmark
    public Object lstmForwardBackward(Lstm s) {
        return Gpu.forwardBackwardSum(s);
    }

    @Benchmark
    public int gruRawForward(RawGru r) {
        return r.raw.forward();
    }

    @Benchmark
    public Object gruForward(Gru s) {
        return Gpu.forward(s);
    }

    @Benchmark
    public int gruRawForwardBackward(RawGru r) {
        return r.raw.forwardBackward();
    }

    @Benchmark
    public Object gruForwardBackward(Gru s) {
        return Gpu.forwardBackwardSum(s);
    }

    // ------------------------------------------------------------------------------------------ Dense

    /** Y = X W by one cublasSgemm. */
    @Benchmark
    public int denseRawForward(RawDense r) {
        r.cu.sgemm(false, false, DENSE_M, DENSE_N, DENSE_K, r.x, r.w, r.y);
        return r.cu.sync();
    }

    @Benchmark
    public Object denseForward(Dense4096 s) {
        return Gpu.forward(s);
    }

    /** Y = X W, dX = dY W^T, dW = X^T dY: three cublasSgemm calls. */
    @Benchmark
    public int denseRawForwardBackward(RawDense r) {
        r.cu.sgemm(false, false, DENSE_M, DENSE_N, DENSE_K, r.x, r.w, r.y);
        r.cu.sgemm(false, true, DENSE_M, DENSE_K, DENSE_N, r.dy, r.w, r.dx);
        r.cu.sgemm(true, false, DENSE_K, DENSE_N, DENSE_M, r.x, r.dy, r.dw);
        return r.cu.sync();
    }

    @Benchmark
    public Object denseForwardBackward(Dense4096 s) {
        return Gpu.forwardBackwardSum(s);
    }
}
