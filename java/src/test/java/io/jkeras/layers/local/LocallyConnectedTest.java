package io.jkeras.layers.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.layers.Layer;
import io.jkeras.layers.Layers;
import io.jkeras.saving.Json;
import io.jkeras.tensor.Scope;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import io.jkeras.testing.Golden;
import io.jkeras.testing.LayerGradientCheck;
import io.jkeras.testing.Layouts;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * LocallyConnected1D / 2D against slow loops written from Keras's definitions (backend.local_conv for mode 1,
 * conv_connected_inputs / the 0/1 mask for modes 2 and 3, conv_kernel_idxs sorted for mode 3, bias_add's
 * reshape for channels_first), in both data formats with odd sizes and strides; the three implementation modes
 * given the same connection weights in their own layouts give the same outputs; central-difference gradients
 * for input, kernel and bias; config round trips and key sets; bad arguments and inputs.
 */
class LocallyConnectedTest {
    /** A geometry: rank, channels_last input shape (N, spatial..., C), filters, kernel, strides, padding. */
    record Geo(String name, long[] input, int filters, long[] kernel, long[] strides, String padding) {
        int rank() {
            return kernel.length;
        }

        long n() {
            return input[0];
        }

        long c() {
            return input[input.length - 1];
        }

        long[] in() {
            return Arrays.copyOfRange(input, 1, rank() + 1);
        }

        long[] out() {
            long[] o = new long[rank()];
            for (int i = 0; i < rank(); i++) {
                long in = input[i + 1];
                o[i] = padding.equals("valid") ? (in - kernel[i] + strides[i]) / strides[i]
                        : (in + strides[i] - 1) / strides[i];
            }
            return o;
        }

        /** Keras's conv_connected_inputs: {start, end} on axis d for output index p. */
        long[] window(int d, long p) {
            long left = kernel[d] / 2;
            long right = kernel[d] - left;
            long center = p * strides[d] + (padding.equals("valid") ? left : 0);
            return new long[] {Math.max(0, center - left), Math.min(input[d + 1], center + right)};
        }

        String cls() {
            return "LocallyConnected" + rank() + "D";
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static long prod(long[] v) {
        long p = 1;
        for (long x : v) {
            p *= x;
        }
        return p;
    }

    static List<Geo> geometries() {
        return List.of(
                new Geo("1d_k3_s1_valid", new long[] {2, 7, 3}, 4, new long[] {3}, new long[] {1}, "valid"),
                new Geo("1d_k2_s3_valid", new long[] {2, 9, 2}, 3, new long[] {2}, new long[] {3}, "valid"),
                new Geo("1d_k4_s2_valid", new long[] {1, 10, 3}, 2, new long[] {4}, new long[] {2}, "valid"),
                new Geo("2d_k3x2_s1_valid", new long[] {2, 5, 4, 3}, 2, new long[] {3, 2}, new long[] {1, 1}, "valid"),
                new Geo("2d_k2_s2x3_valid", new long[] {2, 7, 8, 2}, 3, new long[] {2, 2}, new long[] {2, 3}, "valid"),
                new Geo("1d_k3_s2_same", new long[] {2, 7, 2}, 3, new long[] {3}, new long[] {2}, "same"),
                new Geo("1d_k4_s1_same", new long[] {1, 6, 2}, 2, new long[] {4}, new long[] {1}, "same"),
                new Geo("2d_k3x2_s2x1_same", new long[] {2, 5, 4, 2}, 2, new long[] {3, 2}, new long[] {2, 1}, "same"));
    }

    // --------------------------------------------------------------------------- the dense connection weights

    /**
     * Random connection weights W[in position][c][out position][f] (flat spatial positions), zero where Keras's
     * conv_connected_inputs does not connect the positions.
     */
    static double[] connections(Geo g, Random rnd) {
        long nin = prod(g.in()), nout = prod(g.out()), c = g.c(), f = g.filters();
        double[] w = new double[(int) (nin * c * nout * f)];
        for (long o = 0; o < nout; o++) {
            for (long i : connectedInputs(g, o)) {
                for (long ch = 0; ch < c; ch++) {
                    for (long fo = 0; fo < f; fo++) {
                        w[(int) (((i * c + ch) * nout + o) * f + fo)] = (float) (2 * rnd.nextDouble() - 1);
                    }
                }
            }
        }
        return w;
    }

    /** The flat input positions output position o reads, row-major over the window. */
    static List<Long> connectedInputs(Geo g, long o) {
        long[] out = g.out();
        long[][] r = new long[g.rank()][];
        long rest = o;
        for (int d = g.rank() - 1; d >= 0; d--) {
            r[d] = g.window(d, rest % out[d]);
            rest /= out[d];
        }
        List<Long> l = new ArrayList<>();
        if (g.rank() == 1) {
            for (long a = r[0][0]; a < r[0][1]; a++) {
                l.add(a);
            }
        } else {
            for (long a = r[0][0]; a < r[0][1]; a++) {
                for (long b = r[1][0]; b < r[1][1]; b++) {
                    l.add(a * g.input()[2] + b);
                }
            }
        }
        return l;
    }

    /** Mode 1's kernel (P, patch, F) from valid connection weights; patch (k..., c) or (c, k...). */
    static float[] mode1(Geo g, double[] w, boolean first) {
        long nout = prod(g.out()), c = g.c(), f = g.filters(), window = prod(g.kernel());
        long nin = prod(g.in());
        float[] k = new float[(int) (nout * window * c * f)];
        for (long o = 0; o < nout; o++) {
            List<Long> ins = connectedInputs(g, o);
            assertEquals(window, ins.size(), "valid windows are full");
            for (int kk = 0; kk < window; kk++) {
                long i = ins.get(kk);
                for (long ch = 0; ch < c; ch++) {
                    long patch = first ? ch * window + kk : kk * c + ch;
                    for (long fo = 0; fo < f; fo++) {
                        k[(int) ((o * window * c + patch) * f + fo)] = (float) w[(int) (((i * c + ch) * nout + o) * f + fo)];
                    }
                }
            }
        }
        assertTrue(nin > 0);
        return k;
    }

    /**
     * Mode 2's dense kernel: (in..., c, out..., f) or (c, in..., f, out...); entries outside the connections get
     * garbage, which the layer's mask must remove.
     */
    static float[] mode2(Geo g, double[] w, boolean first, Random rnd) {
        long nin = prod(g.in()), nout = prod(g.out()), c = g.c(), f = g.filters();
        float[] k = new float[(int) (nin * c * nout * f)];
        for (long i = 0; i < nin; i++) {
            for (long ch = 0; ch < c; ch++) {
                for (long o = 0; o < nout; o++) {
                    for (long fo = 0; fo < f; fo++) {
                        double v = w[(int) (((i * c + ch) * nout + o) * f + fo)];
                        if (v == 0) {
                            v = 50 + rnd.nextDouble();
                        }
                        int at = (int) (first ? ((ch * nin + i) * f + fo) * nout + o : ((i * c + ch) * nout + o) * f + fo);
                        k[at] = (float) v;
                    }
                }
            }
        }
        return k;
    }

    /** Mode 3's vector: the connection weights in the order of Keras's sorted conv_kernel_idxs. */
    static float[] mode3(Geo g, double[] w, boolean first) {
        long nin = prod(g.in()), nout = prod(g.out()), c = g.c(), f = g.filters();
        List<long[]> entries = new ArrayList<>(); // {out_idx, in_idx, in position, channel, out position, filter}
        for (long o = 0; o < nout; o++) {
            for (long i : connectedInputs(g, o)) {
                for (long ch = 0; ch < c; ch++) {
                    for (long fo = 0; fo < f; fo++) {
                        long outIdx = first ? fo * nout + o : o * f + fo;
                        long inIdx = first ? ch * nin + i : i * c + ch;
                        entries.add(new long[] {outIdx, inIdx, i, ch, o, fo});
                    }
                }
            }
        }
        entries.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        float[] v = new float[entries.size()];
        for (int j = 0; j < v.length; j++) {
            long[] e = entries.get(j);
            v[j] = (float) w[(int) (((e[2] * c + e[3]) * nout + e[4]) * f + e[5])];
        }
        return v;
    }

    /** The reference output (N, out..., F) channels_last, before conversion; bias as Keras's bias_add adds it. */
    static float[] reference(Geo g, float[] xLast, double[] w, float[] bias, boolean first, String activation) {
        long n = g.n(), nin = prod(g.in()), nout = prod(g.out()), c = g.c(), f = g.filters();
        float[] y = new float[(int) (n * nout * f)];
        for (long b = 0; b < n; b++) {
            for (long o = 0; o < nout; o++) {
                for (long fo = 0; fo < f; fo++) {
                    double acc = 0;
                    for (long i : connectedInputs(g, o)) {
                        for (long ch = 0; ch < c; ch++) {
                            acc += (double) xLast[(int) ((b * nin + i) * c + ch)]
                                    * w[(int) (((i * c + ch) * nout + o) * f + fo)];
                        }
                    }
                    if (bias != null) {
                        // channels_last: bias[o, f]; channels_first: the bias memory read as (F, out...)
                        acc += bias[(int) (first ? fo * nout + o : o * f + fo)];
                    }
                    y[(int) ((b * nout + o) * f + fo)] = (float) ("tanh".equals(activation) ? Math.tanh(acc) : acc);
                }
            }
        }
        return y;
    }

    // ------------------------------------------------------------------------------------------------ runs

    static Stream<Arguments> runs() {
        List<Arguments> out = new ArrayList<>();
        for (Geo g : geometries()) {
            for (String df : List.of("channels_last", "channels_first")) {
                for (int impl = 1; impl <= 3; impl++) {
                    if (impl == 1 && g.padding().equals("same")) {
                        continue;
                    }
                    out.add(Arguments.of(g, df, impl));
                }
            }
        }
        return out.stream();
    }

    static Map<String, Object> config(Geo g, String df, int impl, boolean bias, String activation) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("filters", g.filters());
        m.put("kernel_size", Arrays.stream(g.kernel()).boxed().toList());
        m.put("strides", Arrays.stream(g.strides()).boxed().toList());
        m.put("padding", g.padding());
        m.put("data_format", df);
        m.put("implementation", impl);
        m.put("use_bias", bias);
        m.put("activation", activation);
        return m;
    }

    static long[] inputShape(Geo g, boolean first) {
        return first ? Layouts.firstShape(g.input()) : g.input();
    }

    /** The layer built for the geometry with the given connection weights and bias in mode impl's layout. */
    static Layer layer(Geo g, String df, int impl, double[] w, float[] bias, String activation) {
        boolean first = df.equals("channels_first");
        Layer l = Layers.deserialize(Map.of("class_name", g.cls(), "config", config(g, df, impl, bias != null,
                activation)));
        l.build(Shape.of(inputShape(g, first)).withDim(0, Shape.UNKNOWN));
        float[] k = switch (impl) {
            case 1 -> mode1(g, w, first);
            case 2 -> mode2(g, w, first, new Random(7));
            default -> mode3(g, w, first);
        };
        long[] kshape = l.weightVariables().get(0).value().shape();
        long[] want = switch (impl) {
            case 1 -> new long[] {prod(g.out()), prod(g.kernel()) * g.c(), g.filters()};
            case 2 -> first ? concat(new long[] {g.c()}, g.in(), new long[] {g.filters()}, g.out())
                    : concat(g.in(), new long[] {g.c()}, g.out(), new long[] {g.filters()});
            default -> new long[] {k.length};
        };
        assertArrayEquals(want, kshape, g.name() + " mode " + impl + ": Keras's kernel shape");
        List<Tensor> ws = new ArrayList<>(List.of(Tensor.of(k, kshape)));
        if (bias != null) {
            long[] bshape = concat(g.out(), new long[] {g.filters()});
            assertArrayEquals(bshape, l.weightVariables().get(1).value().shape(), g.name() + ": bias shape");
            ws.add(Tensor.of(bias, bshape));
        }
        l.setWeights(ws);
        return l;
    }

    static long[] concat(long[]... parts) {
        return Arrays.stream(parts).flatMapToLong(Arrays::stream).toArray();
    }

    @ParameterizedTest(name = "{0} {1} implementation {2}")
    @MethodSource("runs")
    void matchesTheLoopReference(Geo g, String df, int impl) {
        boolean first = df.equals("channels_first");
        Random rnd = new Random(g.name().hashCode() + impl);
        double[] w = connections(g, rnd);
        float[] bias = Layouts.uniform(rnd, concat(g.out(), new long[] {g.filters()}), -1f, 1f);
        float[] x = Layouts.uniform(rnd, g.input(), -2f, 2f);
        try (Scope s = Scope.open()) {
            Layer l = layer(g, df, impl, w, bias, "tanh");
            Tensor y = l.apply(Tensor.of(first ? Layouts.toChannelsFirst(x, g.input()) : x, inputShape(g, first)));
            long[] outLast = concat(new long[] {g.n()}, g.out(), new long[] {g.filters()});
            long[] want = first ? Layouts.firstShape(outLast) : outLast;
            assertArrayEquals(want, y.shape(), g.name() + ": output shape");
            assertEquals(Shape.of(want).withDim(0, Shape.UNKNOWN),
                    l.computeOutputShape(Shape.of(inputShape(g, first)).withDim(0, Shape.UNKNOWN)));
            float[] got = first ? Layouts.toChannelsLast(y.toFloatArray(), y.shape()) : y.toFloatArray();
            Golden.assertClose(g.name() + " " + df + " mode " + impl, reference(g, x, w, bias, first, "tanh"), got,
                    1e-5);
        }
    }

    @ParameterizedTest(name = "{0} {1} implementation {2}")
    @MethodSource("runs")
    void gradientsMatchFiniteDifferences(Geo g, String df, int impl) {
        boolean first = df.equals("channels_first");
        Random rnd = new Random(g.name().hashCode() + 10 * impl);
        double[] w = connections(g, rnd);
        float[] bias = Layouts.uniform(rnd, concat(g.out(), new long[] {g.filters()}), -1f, 1f);
        float[] x = Layouts.uniform(rnd, g.input(), -2f, 2f);
        try (Scope s = Scope.open()) {
            Layer l = layer(g, df, impl, w, bias, null);
            LayerGradientCheck.check(g.name() + " " + df + " mode " + impl, l,
                    first ? Layouts.toChannelsFirst(x, g.input()) : x, inputShape(g, first), 40);
        }
    }

    /** Mode 2's masked-out kernel entries get no gradient (Keras multiplies the kernel by the mask). */
    @Test
    void maskedEntriesGetZeroGradient() {
        Geo g = geometries().get(1);
        try (Scope s = Scope.open(); io.jkeras.ops.GradientTape tape = new io.jkeras.ops.GradientTape()) {
            Layer l = layer(g, "channels_last", 2, connections(g, new Random(3)), null, null);
            Tensor k = l.weightVariables().get(0).value();
            tape.watch(k);
            Tensor y = l.invoke(List.of(Tensor.ones(g.input())), null, false).tensors().get(0);
            float[] grad = tape.gradient(io.jkeras.ops.Ops.sum(y), List.of(k)).get(0).toFloatArray();
            float[] kv = k.toFloatArray();
            int masked = 0;
            for (int i = 0; i < kv.length; i++) {
                if (kv[i] >= 50) { // the garbage mode2 wrote outside the connections
                    masked++;
                    assertEquals(0f, grad[i], "masked entry " + i);
                }
            }
            assertTrue(masked > 0);
        }
    }

    // ---------------------------------------------------------------------------------------------- config

    @Test
    void configKeysRoundTripAndConstructors() {
        Set<String> keys = new TreeSet<>(List.of("name", "trainable", "dtype", "filters", "kernel_size", "strides",
                "padding", "data_format", "activation", "use_bias", "kernel_initializer", "bias_initializer",
                "kernel_regularizer", "bias_regularizer", "activity_regularizer", "kernel_constraint",
                "bias_constraint", "implementation"));
        for (Layer l : List.of(new LocallyConnected1D(4, 3), new LocallyConnected2D(4, 3, 2, "relu"),
                Layers.deserialize(Map.of("class_name", "LocallyConnected2D", "config", Map.of("filters", 2,
                        "kernel_size", List.of(2, 3), "padding", "same", "implementation", 3, "data_format",
                        "channels_first", "kernel_regularizer", Map.of("class_name", "L1L2", "config",
                                Map.of("l1", 0.01, "l2", 0.0))))))) {
            assertEquals(keys, new TreeSet<>(l.getConfig().keySet()), l.className());
            Map<String, Object> before = Json.roundTrip(l.getConfig());
            Layer back = Layers.deserialize(Json.parseObject(Json.write(Layers.serialize(l))));
            assertEquals(l.getClass(), back.getClass());
            assertEquals(before, Json.roundTrip(back.getConfig()), l.className());
        }
        Map<String, Object> c = Json.roundTrip(new LocallyConnected1D(4, 3).getConfig());
        assertEquals(1, c.get("implementation"));
        assertEquals("valid", c.get("padding"));
        assertEquals(List.of(1), c.get("strides"));
        assertEquals("channels_last", c.get("data_format"));
    }

    // ---------------------------------------------------------------------------------------------- errors

    private static void fails(Runnable r, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message lacks \"" + f + "\": " + e.getMessage());
        }
    }

    private static Layer make(String cls, Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return Layers.deserialize(Map.of("class_name", cls, "config", m));
    }

    @Test
    void badArgumentsAndInputs() {
        fails(() -> make("LocallyConnected1D", "filters", 2, "kernel_size", 3, "padding", "same"),
                "Invalid border mode for LocallyConnected1D", "implementation is 1", "same");
        fails(() -> make("LocallyConnected2D", "filters", 2, "kernel_size", 3, "padding", "same",
                "implementation", 1), "Invalid border mode for LocallyConnected2D");
        fails(() -> make("LocallyConnected2D", "filters", 2, "kernel_size", 3, "implementation", 4),
                "LocallyConnected2D", "implementation", "4");
        fails(() -> make("LocallyConnected1D", "filters", 2, "kernel_size", 3, "strides", 0), "LocallyConnected1D",
                "strides", "[0]");
        fails(() -> make("LocallyConnected2D", "filters", 2, "kernel_size", List.of(3, 0)), "LocallyConnected2D",
                "kernel_size");
        fails(() -> make("LocallyConnected2D", "filters", 0, "kernel_size", 3), "filters");
        fails(() -> make("LocallyConnected1D", "filters", 2, "kernel_size", 3, "padding", "causal"), "padding",
                "causal");
        fails(() -> make("LocallyConnected1D", "filters", 2, "kernel_size", 3, "dilation_rate", 2), "dilation_rate");
        // kernel larger than the input
        fails(() -> make("LocallyConnected2D", "filters", 2, "kernel_size", List.of(3, 5), "name", "lc")
                .build(Shape.of(-1, 6, 4, 2)), "lc", "<= 0", "(None, 6, 4, 2)", "[3, 5]");
        // unknown spatial dimensions: per-position weights need them
        fails(() -> make("LocallyConnected1D", "filters", 2, "kernel_size", 3, "name", "lc1")
                .build(Shape.of(-1, -1, 2)), "lc1", "fully-defined", "(None, None, 2)");
        // wrong rank
        fails(() -> {
            try (Scope s = Scope.open()) {
                make("LocallyConnected2D", "filters", 2, "kernel_size", 2, "name", "lc2").apply(Tensor.zeros(1, 5, 3));
            }
        }, "lc2", "expected ndim=4, found ndim=3");
        // another spatial size than the one it was built for
        Layer l = make("LocallyConnected1D", "filters", 2, "kernel_size", 2, "name", "lc3");
        try (Scope s = Scope.open()) {
            l.apply(Tensor.zeros(1, 5, 3));
        }
        fails(() -> {
            try (Scope s = Scope.open()) {
                l.apply(Tensor.zeros(1, 6, 3));
            }
        }, "lc3", "[5]", "(1, 6, 3)");
    }
}
