package io.jkeras.bench;

import io.jkeras.layers.Layer;
import io.jkeras.layers.embedding.Embedding;
import io.jkeras.layers.recurrent.GRU;
import io.jkeras.layers.recurrent.LSTM;
import io.jkeras.ops.GradientTape;
import io.jkeras.tensor.Scope;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
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
 * Recurrent layers and Embedding, each next to a raw oneDNN reference of the same shape in the same run.
 * <ul>
 *   <li>LSTM(256, return_sequences) on (64, 50, 128), activation tanh, recurrent_activation sigmoid /
 *       hard_sigmoid: forward ({@code layer.apply}, inference) and forward + backward (GradientTape watching the
 *       input and the weights, loss = Ops.sum(y)); raw reference: a vanilla_lstm primitive ({@link RawRnn}),
 *       forward_inference, and forward_training + backward;</li>
 *   <li>GRU(256, return_sequences) the same, reset_after false (raw: vanilla_gru) and true (raw: lbr_gru);</li>
 *   <li>Embedding(50 000, 128) on (64, 50) int32 ids: forward (a row gather) and forward + backward (the
 *       scatter-add of a given output gradient into a zeroed (50 000, 128) gradient), in GB/s against the
 *       bandwidth reference of ConvBench (the 128 MiB copy).</li>
 * </ul>
 * FLOPs per recurrent forward: 2 * T * N * G * H * (I + H) (G = 4 LSTM, 3 GRU); forward + backward 3 times that.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(value = 1, jvmArgsAppend = Data.HOST_DEFAULT)
public class RnnBench {
    static final long N = 64, T = 50, I = 128, H = 256;
    static final int VOCAB = 50_000, DIM = 128;

    /** The report's view of every benchmark, as ConvBench's. */
    static final Map<String, ConvBench.Info> INFO = new LinkedHashMap<>();

    static {
        double lstm = 2.0 * T * N * 4 * H * (I + H);
        double gru = 2.0 * T * N * 3 * H * (I + H);
        rnn("lstm", "LSTM", lstm, "Raw", "raw vanilla_lstm");
        rnn("gru", "GRU", gru, "Raw", "raw vanilla_gru");
        rnn("gruResetAfter", "GRU reset_after", gru, "Raw", "raw lbr_gru");
        double ids = 4.0 * N * T, rows = 4.0 * N * T * DIM;
        INFO.put("embeddingForward", new ConvBench.Info("Embedding 50000x128 fwd", Double.NaN, ids + 2 * rows,
                "embedding.fwd", false, false));
        INFO.put("embeddingForwardBackward", new ConvBench.Info("Embedding 50000x128 fwd+bwd", Double.NaN,
                2 * ids + 3 * rows + 4.0 * VOCAB * DIM, "embedding.fwdbwd", false, false));
    }

    private static void rnn(String m, String label, double flops, String raw, String rawLabel) {
        String base = m.equals("gruResetAfter") ? "gruLbr" : m;
        INFO.put(base + raw + "Forward", new ConvBench.Info(label + " fwd: " + rawLabel, flops, Double.NaN,
                m + ".fwd", true, false));
        INFO.put(m + "Forward", new ConvBench.Info(label + " fwd", flops, Double.NaN, m + ".fwd", false, false));
        INFO.put(base + raw + "ForwardBackward", new ConvBench.Info(label + " fwd+bwd: " + rawLabel, 3 * flops,
                Double.NaN, m + ".fwdbwd", true, false));
        INFO.put(m + "ForwardBackward", new ConvBench.Info(label + " fwd+bwd", 3 * flops, Double.NaN,
                m + ".fwdbwd", false, false));
    }

    /** A built recurrent layer on (N, T, I), its input, and what the tape watches (input and weights). */
    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public abstract static class RnnState extends ConvBench.LayerState {
        @Param({"sigmoid", "hard_sigmoid"})
        public String recurrentActivation;

        abstract Layer make(Map<String, Object> config);

        @Setup(Level.Trial)
        public void setup() {
            init(make(config(H, recurrentActivation)), new long[] {N, T, I});
            check(new long[] {N, T, H});
        }
    }

    /** The Keras config of the benchmarked recurrent layers: units, return_sequences, tanh, the given gates. */
    static Map<String, Object> config(long units, String recurrentActivation) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("units", Math.toIntExact(units));
        c.put("return_sequences", true);
        c.put("activation", "tanh");
        c.put("recurrent_activation", recurrentActivation);
        return c;
    }

    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class Lstm extends RnnState {
        @Override
        Layer make(Map<String, Object> c) {
            return LSTM.fromConfig(c);
        }
    }

    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class Gru extends RnnState {
        @Override
        Layer make(Map<String, Object> c) {
            c.put("reset_after", false);
            return GRU.fromConfig(c);
        }
    }

    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class GruResetAfter extends RnnState {
        @Override
        Layer make(Map<String, Object> c) {
            c.put("reset_after", true);
            return GRU.fromConfig(c);
        }
    }

    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public abstract static class RawState {
        RawRnn raw;

        abstract RawRnn.Kind kind();

        @Setup(Level.Trial)
        public void setup() {
            raw = new RawRnn(kind(), N, T, I, H, true);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            raw.close();
        }
    }

    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class RawLstm extends RawState {
        @Override
        RawRnn.Kind kind() {
            return RawRnn.Kind.LSTM;
        }
    }

    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class RawGru extends RawState {
        @Override
        RawRnn.Kind kind() {
            return RawRnn.Kind.GRU;
        }
    }

    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class RawLbrGru extends RawState {
        @Override
        RawRnn.Kind kind() {
            return RawRnn.Kind.LBR_GRU;
        }
    }

    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class Emb {
        Embedding layer;
        Tensor ids, dy, table;

        @Setup(Level.Trial)
        public void setup() {
            layer = new Embedding(VOCAB, DIM);
            layer.build(Shape.of(N, T));
            table = layer.weightVariables().get(0).value();
            int[] v = new int[(int) (N * T)];
            SplittableRandom r = new SplittableRandom(31);
            for (int i = 0; i < v.length; i++) {
                v[i] = r.nextInt(VOCAB);
            }
            ids = Tensor.ofInts(v, N, T);
            dy = Data.uniform(32, N, T, DIM);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            Data.closeAll(ids, dy, table);
        }
    }

    // ----------------------------------------------------------------------------------------------- LSTM

    @Benchmark
    public int lstmRawForward(RawLstm s) {
        return s.raw.forward();
    }

    @Benchmark
    public void lstmForward(Lstm s, Blackhole bh) {
        bh.consume(ConvBench.forward(s));
    }

    @Benchmark
    public int lstmRawForwardBackward(RawLstm s) {
        return s.raw.forwardBackward();
    }

    @Benchmark
    public void lstmForwardBackward(Lstm s, Blackhole bh) {
        bh.consume(ConvBench.forwardBackwardSum(s));
    }

    // ------------------------------------------------------------------------------------- GRU (reset_after)

    @Benchmark
    public int gruRawForward(RawGru s) {
        return s.raw.forward();
    }

    @Benchmark
    public void gruForward(Gru s, Blackhole bh) {
        bh.consume(ConvBench.forward(s));
    }

    @Benchmark
    public int gruRawForwardBackward(RawGru s) {
        return s.raw.forwardBackward();
    }

    @Benchmark
    public void gruForwardBackward(Gru s, Blackhole bh) {
        bh.consume(ConvBench.forwardBackwardSum(s));
    }

    @Benchmark
    public int gruLbrRawForward(RawLbrGru s) {
        return s.raw.forward();
    }

    @Benchmark
    public void gruResetAfterForward(GruResetAfter s, Blackhole bh) {
        bh.consume(ConvBench.forward(s));
    }

    @Benchmark
    public int gruLbrRawForwardBackward(RawLbrGru s) {
        return s.raw.forwardBackward();
    }

    @Benchmark
    public void gruResetAfterForwardBackward(GruResetAfter s, Blackhole bh) {
        bh.consume(ConvBench.forwardBackwardSum(s));
    }

    // ------------------------------------------------------------------------------------------ Embedding

    @Benchmark
    public Object embeddingForward(Emb s) {
        try (Scope scope = Scope.open()) {
            return s.layer.apply(s.ids);
        }
    }

    @Benchmark
    public Object embeddingForwardBackward(Emb s) {
        try (Scope scope = Scope.open(); GradientTape tape = new GradientTape()) {
            tape.watch(s.table);
            Tensor y = s.layer.invoke(List.of(s.ids), null, true).tensors().get(0);
            return tape.gradient(y, List.of(s.table), s.dy);
        }
    }
}
