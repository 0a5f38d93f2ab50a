package io.jkeras.bench;

import io.jkeras.backend.Backend;
import io.jkeras.backend.UnaryOp;
import io.jkeras.ops.GradientTape;
import io.jkeras.layers.core.Dense;
import io.jkeras.ops.Ops;
import io.jkeras.tensor.DType;
import io.jkeras.tensor.Scope;
import io.jkeras.tensor.Shape;
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
 * Where a Dense(relu) forward spends its time, piece by piece, at the tiny (1 x 16 -> 16) and the large
 * (256 x 1024 -> 1024) size: the backend gemm alone on preallocated tensors, one output allocation and free,
 * each op (matmul, bias add, relu) alone, the three composed by hand (what Dense.call does), and Dense.apply;
 * then the backward pieces: the two transposed gemms of the matmul gradient, the relu derivative kernel, the
 * broadcast of the loss gradient to the output's shape, the bias gradient (a sum over the batch), and the whole
 * forward + backward under a GradientTape.
 * Not part of the default report (run it with {@code Report Profile} or the JMH CLI).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = Data.HOST_DEFAULT)
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
public class DenseProfileBench {
    /** batch x input x units. */
    @Param({"1x16x16", "256x1024x1024"})
    public String shape;

    private long m, k, n;
    private Dense dense;
    private Tensor x, kernel, bias, y0, out, dx, dw, one;
    private List<Tensor> sources;
    private Backend backend;

    @Setup(Level.Trial)
    public void setup() {
        String[] p = shape.split("x");
        m = Long.parseLong(p[0]);
        k = Long.parseLong(p[1]);
        n = Long.parseLong(p[2]);
        dense = new Dense((int) n, "relu");
        dense.build(Shape.of(m, k));
        kernel = dense.weightVariables().get(0).value();
        bias = dense.weightVariables().get(1).value();
        x = Data.uniform(1, m, k);
        y0 = Data.uniform(2, m, n);
        out = Tensor.zeros(m, n);
        dx = Tensor.zeros(m, k);
        dw = Tensor.zeros(k, n);
        one = Tensor.ones(1, 1);
        sources = List.of(x, kernel, bias);
        backend = x.backend();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        Data.closeAll(x, kernel, bias, y0, out, dx, dw, one);
    }

    /** Backend.gemm (JNI to jk_gemm, dnnl_sgemm) into a preallocated output: the floor. */
    @Benchmark
    public void backendGemm(Blackhole bh) {
        backend.gemm(false, false, 1, m, n, k, 1f, x, 0, kernel, 0, 0f, out, 0);
        bh.consume(out);
    }

    /** Scope open, one (m, n) float32 tensor allocated, scope close (frees it). */
    @Benchmark
    public void allocFree(Blackhole bh) {
        try (Scope scope = Scope.open()) {
            bh.consume(Tensor.empty(backend, DType.FLOAT32, m, n));
        }
    }

    @Benchmark
    public void opMatmul(Blackhole bh) {
        try (Scope scope = Scope.open()) {
            bh.consume(Ops.matmul(x, kernel));
        }
    }

    @Benchmark
    public void opBiasAdd(Blackhole bh) {
        try (Scope scope = Scope.open()) {
            bh.consume(Ops.biasAdd(y0, bias));
        }
    }

    @Benchmark
    public void opRelu(Blackhole bh) {
        try (Scope scope = Scope.open()) {
            bh.consume(Ops.relu(y0));
        }
    }

    /** relu(biasAdd(matmul(x, W), b)): Dense.call's ops without the layer around them. */
    @Benchmark
    public void opsComposed(Blackhole bh) {
        try (Scope scope = Scope.open()) {
            bh.consume(Ops.relu(Ops.biasAdd(Ops.matmul(x, kernel), bias)));
        }
    }

    @Benchmark
    public void denseApply(Blackhole bh) {
        try (Scope scope = Scope.open()) {
            bh.consume(dense.apply(x));
        }
    }

    // ------------------------------------------------------------------------------------------------ backward

    /** dX (m x k) = dY (m x n) W^T: Backend.gemm with transB into a preallocated output. */
    @Benchmark
    public void backendGemmNT(Blackhole bh) {
        backend.gemm(false, true, 1, m, k, n, 1f, y0, 0, kernel, 0, 0f, dx, 0);
        bh.consume(dx);
    }

    /** dW (k x n) = X^T dY (m x n): Backend.gemm with transA into a preallocated output. */
    @Benchmark
    public void backendGemmTN(Blackhole bh) {
        backend.gemm(true, false, 1, k, n, m, 1f, x, 0, y0, 0, 0f, dw, 0);
        bh.consume(dw);
    }

    /** The relu derivative kernel (dx = dy * relu'(x)) into a preallocated output. */
    @Benchmark
    public void backendReluBackward(Blackhole bh) {
        backend.unaryBackward(UnaryOp.RELU, 0f, Float.NaN, 0f, y0, y0, y0, out);
        bh.consume(out);
    }

    /** The loss gradient (ones, shape (1, 1)) broadcast to (m, n): what sum's backward does first. */
    @Benchmark
    public void opBroadcastTo(Blackhole bh) {
        try (Scope scope = Scope.open()) {
            bh.consume(Ops.broadcastTo(one, new long[] {m, n}));
        }
    }

    /** The bias gradient: a sum over the batch axis. */
    @Benchmark
    public void opSumAxis0(Blackhole bh) {
        try (Scope scope = Scope.open()) {
            bh.consume(Ops.sum(y0, new int[] {0}, false));
        }
    }

    /** Dense(relu) forward (invoke) + loss = sum(y) + tape.gradient w.r.t. input, kernel and bias. */
    @Benchmark
    public void denseForwardBackward(Blackhole bh) {
        try (Scope scope = Scope.open(); GradientTape tape = new GradientTape()) {
            tape.watch(sources);
            Tensor y = dense.invoke(List.of(x), null, true).tensors().get(0);
            bh.consume(tape.gradient(Ops.sum(y), sources));
        }
    }
}
