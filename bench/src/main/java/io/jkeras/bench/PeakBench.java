package io.jkeras.bench;

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
 * The machine's fp32 matrix-multiply peak as oneDNN reaches it: raw oneDNN (not jkeras) on row-major
 * M x K times K x N, through dnnl_sgemm and through a matmul primitive created once in setup.
 * FLOPs per call: 2 * M * N * K.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = Data.HOST_DEFAULT)
@State(org.openjdk.jmh.annotations.Scope.Thread)
public class PeakBench {
    /** M x K x N. */
    @Param({"256x1024x1024", "1024x1024x1024"})
    public String shape;

    private long m, k, n;
    private Tensor a, b, c;
    private FloatPointer pa, pb, pc;
    private RawOneDnn.Matmul primitive;

    @Setup(Level.Trial)
    public void setup() {
        RawOneDnn.load();
        String[] p = shape.split("x");
        m = Long.parseLong(p[0]);
        k = Long.parseLong(p[1]);
        n = Long.parseLong(p[2]);
        a = Data.uniform(1, m, k);
        b = Data.uniform(2, k, n);
        c = Tensor.zeros(m, n);
        pa = Data.view(a.address(), m * k);
        pb = Data.view(b.address(), k * n);
        pc = Data.view(c.address(), m * n);
        primitive = new RawOneDnn.Matmul(m, n, k, false, false, a.address(), b.address(), 0, false, c.address());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        primitive.close();
        Data.closeAll(a, b, c);
    }

    /** Raw dnnl_sgemm('N', 'N'). */
    @Benchmark
    public void sgemm(Blackhole bh) {
        bh.consume(RawOneDnn.sgemm(false, false, m, n, k, pa, pb, pc));
    }

    /** Raw oneDNN matmul primitive (created in setup), executed and waited for. */
    @Benchmark
    public void matmulPrimitive(Blackhole bh) {
        bh.consume(primitive.execute());
    }
}
