package io.jkeras.bench;

import io.jkeras.backend.cpu.CpuNative;
import io.jkeras.layers.core.Dense;
import io.jkeras.tensor.Scope;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
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
 * Per-call overhead: Dense(16) on a (1, 16) input, where the arithmetic (512 FLOPs) is negligible and the time is
 * the framework's (Java dispatch, shape checks, allocation, JNI, oneDNN's own call overhead). Next to it, in the
 * same run: the raw dnnl_sgemm of the same 1 x 16 x 16 product and libjkeras's jk_gemm called straight through
 * JNI (no ops, no tensors), to tell the layers' cost from the native calls'.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = Data.HOST_DEFAULT)
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
public class TinyDenseBench {
    static final long M = 1, K = 16, N = 16;

    @Param({"linear", "relu"})
    public String activation;

    private Dense dense;
    private Tensor x, w, y, kernel, bias;
    private FloatPointer px, pw, py;

    @Setup(Level.Trial)
    public void setup() {
        RawOneDnn.load();
        dense = new Dense((int) N, activation);
        dense.build(Shape.of(M, K));
        kernel = dense.weightVariables().get(0).value();
        bias = dense.weightVariables().get(1).value();
        x = Data.uniform(1, M, K);
        w = Data.uniform(2, K, N);
        y = Tensor.zeros(M, N);
        px = Data.view(x.address(), M * K);
        pw = Data.view(w.address(), K * N);
        py = Data.view(y.address(), M * N);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        Data.closeAll(x, w, y, kernel, bias);
    }

    /** Dense.apply on (1, 16), output freed with the scope. */
    @Benchmark
    public void tinyDenseForward(Blackhole bh) {
        try (Scope scope = Scope.open()) {
            bh.consume(dense.apply(x));
        }
    }

    /** Raw dnnl_sgemm of 1 x 16 x 16 into a preallocated output. */
    @Benchmark
    public void tinyRawSgemm(Blackhole bh) {
        bh.consume(RawOneDnn.sgemm(false, false, M, N, K, px, pw, py));
    }

    /** libjkeras's jk_gemm through its JNI binding, into a preallocated output: the floor of any jkeras op. */
    @Benchmark
    public void tinyJkGemm(Blackhole bh) {
        bh.consume(CpuNative.jk_gemm(0, 0, 1, M, N, K, 1f, x.address(), 0, w.address(), 0, 0f, y.address(), 0));
    }
}
