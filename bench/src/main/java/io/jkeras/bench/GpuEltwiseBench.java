package io.jkeras.bench;

import io.jkeras.backend.BinaryOp;
import io.jkeras.backend.UnaryOp;
import io.jkeras.backend.cuda.CudaBackend;
import io.jkeras.ops.Ops;
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
 * Memory bandwidth of our own CUDA kernels (libjkeras_cuda) on 64 Mi floats (256 MiB) shaped (65536, 1024), in
 * GB/s against the device's copy bandwidth measured in the same run: a raw {@code cudaMemcpyAsync} device to device
 * of the same 256 MiB on the raw stream ({@link RawCuda}), waited for.
 * <ul>
 *   <li>{@code relu}, {@code hardSigmoid}: Ops.relu / Ops.hardSigmoid (unary forward);</li>
 *   <li>{@code addBroadcast}: Ops.add of x (65536, 1024) and a (1024) row broadcast over it;</li>
 *   <li>{@code softmax}: Ops.softmax over the last axis (65536 rows of 1024);</li>
 * </ul>
 * each as an op (its output allocated from the stream-ordered pool and freed in a scope closed inside the call) and
 * as the bare backend primitive into a preallocated output ({@code backend*}: the kernel alone); plus
 * {@code copyBackend}, our Backend.copy of the same bytes. Bytes counted: what must cross the memory bus once,
 * input read + output written (2 x 256 MiB; the add's 4 KiB row not counted), the copy's source + destination the
 * same. Every call ends with a wait for its stream.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = Data.HOST_DEFAULT)
public class GpuEltwiseBench {
    static final long ROWS = 65536, COLS = 1024, ELEMS = ROWS * COLS;
    /** Bytes every row here moves: one read and one write of 64 Mi floats. */
    static final double BYTES = 2.0 * 4 * ELEMS;

    /** The report's view of every benchmark, as ConvBench's: bytes, and the copy as the bandwidth reference. */
    static final Map<String, ConvBench.Info> INFO = new LinkedHashMap<>();

    static {
        INFO.put("copyRaw", new ConvBench.Info("copy 256 MiB: raw cudaMemcpyAsync", Double.NaN, BYTES, "copy", true,
                true));
        INFO.put("copyBackend", new ConvBench.Info("copy 256 MiB: Backend.copy", Double.NaN, BYTES, "copy", false,
                true));
        kernel("relu", "relu");
        kernel("hardSigmoid", "hard_sigmoid");
        kernel("addBroadcast", "add (65536,1024)+(1024)");
        kernel("softmax", "softmax, last axis");
    }

    private static void kernel(String method, String label) {
        String backend = "backend" + Character.toUpperCase(method.charAt(0)) + method.substring(1);
        INFO.put(method, new ConvBench.Info(label + ": op", Double.NaN, BYTES, method, false, false));
        INFO.put(backend, new ConvBench.Info(label + ": kernel", Double.NaN, BYTES, method, false, false));
    }

    /** x (65536, 1024) and a (1024) row on the GPU, an output of x's size, and both backends' handles. */
    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class Buffers {
        CudaBackend be;
        RawCuda cu;
        Tensor x, row, out;

        @Setup(Level.Trial)
        public void setup() {
            be = Gpu.backend();
            cu = RawCuda.get();
            x = Gpu.uniform(41, ROWS, COLS);
            row = Gpu.uniform(42, COLS);
            out = Gpu.zeros(ROWS, COLS);
            Gpu.sync();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            Data.closeAll(x, row, out);
        }
    }

    // ------------------------------------------------------------------------------------------ the reference

    @Benchmark
    public int copyRaw(Buffers b) {
        b.cu.copy(b.x, b.out);
        return b.cu.sync();
    }

    @Benchmark
    public Object copyBackend(Buffers b) {
        b.be.copy(b.x, b.out);
        b.be.synchronize();
        return b.out;
    }

    // ------------------------------------------------------------------------------------------ ops

    @Benchmark
    public Object relu(Buffers b) {
        return Gpu.op(() -> Ops.relu(b.x));
    }

    @Benchmark
    public Object hardSigmoid(Buffers b) {
        return Gpu.op(() -> Ops.hardSigmoid(b.x));
    }

    @Benchmark
    public Object addBroadcast(Buffers b) {
        return Gpu.op(() -> Ops.add(b.x, b.row));
    }

    @Benchmark
    public Object softmax(Buffers b) {
        return Gpu.op(() -> Ops.softmax(b.x, -1));
    }

    // ------------------------------------------------------------------------------------------ kernels alone

    @Benchmark
    public Object backendRelu(Buffers b) {
        b.be.unary(UnaryOp.RELU, 0f, Float.NaN, 0f, b.x, b.out);  // Ops.relu's parameters
        b.be.synchronize();
        return b.out;
    }

    @Benchmark
    public Object backendHardSigmoid(Buffers b) {
        b.be.unary(UnaryOp.HARD_SIGMOID, 0f, 0f, 0f, b.x, b.out);
        b.be.synchronize();
        return b.out;
    }

    @Benchmark
    public Object backendAddBroadcast(Buffers b) {
        long[] shape = {ROWS, COLS};
        b.be.binary(BinaryOp.ADD, shape, b.x, new long[] {COLS, 1}, b.row, new long[] {0, 1}, b.out);
        b.be.synchronize();
        return b.out;
    }

    @Benchmark
    public Object backendSoftmax(Buffers b) {
        b.be.softmax(b.x, b.out, ROWS, COLS, 1);
        b.be.synchronize();
        return b.out;
    }
}
