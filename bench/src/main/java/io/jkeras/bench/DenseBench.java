package io.jkeras.bench;

import io.jkeras.layers.core.Dense;
import io.jkeras.ops.GradientTape;
import io.jkeras.ops.Ops;
import io.jkeras.tensor.Scope;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.FloatPointer;
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
 * Dense(1024) on a (256, 1024) batch, next to raw oneDNN doing the same matrix products in the same run.
 * <ul>
 *   <li>forward: {@code y = act(x W + b)}; FLOPs counted: 2 * M * N * K of the product (M = 256, K = N = 1024);
 *       the bias add and activation are not counted, so their cost shows as a lower GFLOP/s;</li>
 *   <li>forward + backward: the forward, then {@code dX = dY W^T} and {@code dW = X^T dY}: 3 products of the same
 *       size, 3 * 2 * M * N * K FLOPs (bias gradient, loss and activation gradient not counted).</li>
 * </ul>
 * Every jkeras call runs in a {@link Scope} closed at the end of the call, so its temporaries are freed inside the
 * measured time, as a training step would.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = Data.HOST_DEFAULT)
public class DenseBench {
    static final long M = 256, K = 1024, N = 1024;

    /** Buffers and primitives of the raw oneDNN reference. */
    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class Raw {
        Tensor x, w, bias, y, dy, dx, dw;
        FloatPointer px, pw, py, pdy, pdx, pdw;
        RawOneDnn.Matmul fwd, fwdBiasRelu, bwdData, bwdWeights;

        @Setup(Level.Trial)
        public void setup() {
            RawOneDnn.load();
            x = Data.uniform(1, M, K);
            w = Data.uniform(2, K, N);
            bias = Data.uniform(3, N);
            dy = Data.uniform(4, M, N);
            y = Tensor.zeros(M, N);
            dx = Tensor.zeros(M, K);
            dw = Tensor.zeros(K, N);
            px = Data.view(x.address(), M * K);
            pw = Data.view(w.address(), K * N);
            py = Data.view(y.address(), M * N);
            pdy = Data.view(dy.address(), M * N);
            pdx = Data.view(dx.address(), M * K);
            pdw = Data.view(dw.address(), K * N);
            fwd = new RawOneDnn.Matmul(M, N, K, false, false, x.address(), w.address(), 0, false, y.address());
            fwdBiasRelu = new RawOneDnn.Matmul(M, N, K, false, false, x.address(), w.address(), bias.address(), true,
                    y.address());
            // dX (M x K) = dY (M x N) W^T (N x K)
            bwdData = new RawOneDnn.Matmul(M, K, N, false, true, dy.address(), w.address(), 0, false, dx.address());
            // dW (K x N) = X^T (K x M) dY (M x N)
            bwdWeights = new RawOneDnn.Matmul(K, N, M, true, false, x.address(), dy.address(), 0, false,
                    dw.address());
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            fwd.close();
            fwdBiasRelu.close();
            bwdData.close();
            bwdWeights.close();
            Data.closeAll(x, w, bias, y, dy, dx, dw);
        }
    }

    /** A built Dense(1024, activation) and its (256, 1024) input. */
    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class Layer1024 {
        @Param({"linear", "relu"})
        public String activation;

        Dense dense;
        Tensor x, kernel, bias;
        List<Tensor> sources;

        @Setup(Level.Trial)
        public void setup() {
            dense = new Dense((int) N, activation);
            dense.build(Shape.of(M, K));
            kernel = dense.weightVariables().get(0).value();
            bias = dense.weightVariables().get(1).value();
            x = Data.uniform(1, M, K);
            sources = List.of(x, kernel, bias);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            Data.closeAll(x, kernel, bias);
        }
    }

    // ------------------------------------------------------------------------------------ raw oneDNN reference

    /** Raw dnnl_sgemm, Y = X W. */
    @Benchmark
    public void rawSgemmForward(Raw r, Blackhole bh) {
        bh.consume(RawOneDnn.sgemm(false, false, M, N, K, r.px, r.pw, r.py));
    }

    /** Raw oneDNN matmul primitive, Y = X W. */
    @Benchmark
    public void rawPrimitiveForward(Raw r, Blackhole bh) {
        bh.consume(r.fwd.execute());
    }

    /** Raw oneDNN matmul primitive with the bias and a relu post-op fused: what a fused Dense(relu) could cost. */
    @Benchmark
    public void rawPrimitiveForwardBiasRelu(Raw r, Blackhole bh) {
        bh.consume(r.fwdBiasRelu.execute());
    }

    /** Raw dnnl_sgemm x 3: Y = X W, dX = dY W^T, dW = X^T dY. */
    @Benchmark
    public void rawSgemmForwardBackward(Raw r, Blackhole bh) {
        bh.consume(RawOneDnn.sgemm(false, false, M, N, K, r.px, r.pw, r.py));
        bh.consume(RawOneDnn.sgemm(false, true, M, K, N, r.pdy, r.pw, r.pdx));
        bh.consume(RawOneDnn.sgemm(true, false, K, N, M, r.px, r.pdy, r.pdw));
    }

    /** Raw oneDNN matmul primitives x 3: Y = X W, dX = dY W^T, dW = X^T dY. */
    @Benchmark
    public void rawPrimitiveForwardBackward(Raw r, Blackhole bh) {
        bh.consume(r.fwd.execute());
        bh.consume(r.bwdData.execute());
        bh.consume(r.bwdWeights.execute());
    }

    // ------------------------------------------------------------------------------------------------ jkeras

    /** Dense.apply (inference, training=false); the output is freed with the scope. */
    @Benchmark
    public void denseForward(Layer1024 s, Blackhole bh) {
        try (Scope scope = Scope.open()) {
            bh.consume(s.dense.apply(s.x));
        }
    }

    /** Forward under a GradientTape watching input, kernel and bias, loss = sum(y), then tape.gradient. */
    @Benchmark
    public void denseForwardBackward(Layer1024 s, Blackhole bh) {
        try (Scope scope = Scope.open(); GradientTape tape = new GradientTape()) {
            tape.watch(s.sources);
            Tensor y = s.dense.invoke(List.of(s.x), null, true).tensors().get(0);
            Tensor loss = Ops.sum(y);
            bh.consume(tape.gradient(loss, s.sources));
        }
    }
}
