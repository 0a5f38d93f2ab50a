package io.jkeras.layers.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every convolution layer against {@link ConvReference}'s loops, in both data formats, with odd sizes, strides,
 * dilation, valid / same / causal padding, groups, depth multipliers and output_padding; weights in Keras's
 * shapes (checked), random and non-zero bias; then central-difference gradients for the input and every weight.
 */
class ConvFamilyReferenceTest {
    /** A layer case: Keras class, config (data_format added per run), channels_last input shape. */
    record Case(String name, String className, Map<String, Object> config, long[] input) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Map<String, Object> cfg(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static Case c(String name, String cls, long[] input, Object... kv) {
        return new Case(name, cls, cfg(kv), input);
    }

    private static long[] s(long... v) {
        return v;
    }

    static List<Case> cases() {
        List<Case> l = new ArrayList<>();
        // Conv (the lead's layers, covered here too: 3-D in particular)
        l.add(c("conv1d_k3_s2_valid", "Conv1D", s(2, 9, 3), "filters", 4, "kernel_size", 3, "strides", 2));
        l.add(c("conv1d_k2_d2_causal", "Conv1D", s(2, 7, 3), "filters", 2, "kernel_size", 2, "dilation_rate", 2,
                "padding", "causal"));
        l.add(c("conv1d_k4_same_groups2", "Conv1D", s(2, 7, 4), "filters", 6, "kernel_size", 4, "padding", "same",
                "groups", 2));
        l.add(c("conv2d_k3x2_s2x1_same", "Conv2D", s(2, 7, 5, 3), "filters", 4, "kernel_size", List.of(3, 2),
                "strides", List.of(2, 1), "padding", "same"));
        l.add(c("conv2d_k2_d2_valid", "Conv2D", s(1, 6, 7, 2), "filters", 3, "kernel_size", 2, "dilation_rate", 2));
        l.add(c("conv3d_k2x3x2_s2_same", "Conv3D", s(2, 5, 4, 5, 2), "filters", 3, "kernel_size", List.of(2, 3, 2),
                "strides", 2, "padding", "same"));
        l.add(c("conv3d_k2_d2_valid", "Conv3D", s(1, 5, 4, 5, 2), "filters", 2, "kernel_size", 2,
                "dilation_rate", List.of(2, 1, 2)));
        // Separable
        l.add(c("separable1d_k3_s2_same_dm2", "SeparableConv1D", s(2, 9, 3), "filters", 4, "kernel_size", 3,
                "strides", 2, "padding", "same", "depth_multiplier", 2));
        l.add(c("separable1d_k3_d2_causal", "SeparableConv1D", s(2, 8, 2), "filters", 3, "kernel_size", 3,
                "dilation_rate", 2, "padding", "causal"));
        l.add(c("separable2d_k3_d2_valid_dm2", "SeparableConv2D", s(2, 7, 6, 3), "filters", 2, "kernel_size", 3,
                "dilation_rate", 2, "depth_multiplier", 2));
        l.add(c("separable2d_k2x3_s2_same", "SeparableConv2D", s(1, 7, 5, 2), "filters", 3,
                "kernel_size", List.of(2, 3), "strides", 2, "padding", "same", "use_bias", false));
        // Depthwise
        l.add(c("depthwise1d_k3_s2_same_dm2", "DepthwiseConv1D", s(2, 9, 3), "kernel_size", 3, "strides", 2,
                "padding", "same", "depth_multiplier", 2));
        l.add(c("depthwise1d_k2_d3_valid", "DepthwiseConv1D", s(2, 8, 2), "kernel_size", 2, "dilation_rate", 3));
        l.add(c("depthwise2d_k3_s2_valid_dm3", "DepthwiseConv2D", s(2, 7, 8, 2), "kernel_size", 3, "strides", 2,
                "depth_multiplier", 3));
        l.add(c("depthwise2d_k2_d2_same", "DepthwiseConv2D", s(1, 6, 5, 3), "kernel_size", 2, "dilation_rate", 2,
                "padding", "same"));
        l.add(c("depthwise3d_k2_s2_same_dm2", "DepthwiseConv3D", s(2, 5, 4, 3, 2), "kernel_size", 2, "strides", 2,
                "padding", "same", "depth_multiplier", 2));
        l.add(c("depthwise3d_k3x2x2_d2_valid", "DepthwiseConv3D", s(1, 6, 3, 4, 2), "kernel_size", List.of(3, 2, 2),
                "dilation_rate", List.of(2, 1, 2)));
        // Transposed
        l.add(c("conv1d_transpose_k3_s2_same", "Conv1DTranspose", s(2, 5, 3), "filters", 2, "kernel_size", 3,
                "strides", 2, "padding", "same"));
        l.add(c("conv1d_transpose_k4_s3_valid_op1", "Conv1DTranspose", s(2, 4, 2), "filters", 3, "kernel_size", 4,
                "strides", 3, "output_padding", 1));
        l.add(c("conv1d_transpose_k2_s3_valid", "Conv1DTranspose", s(1, 4, 2), "filters", 2, "kernel_size", 2,
                "strides", 3));
        l.add(c("conv1d_transpose_k3_d2_same", "Conv1DTranspose", s(2, 5, 2), "filters", 2, "kernel_size", 3,
                "dilation_rate", 2, "padding", "same"));
        l.add(c("conv1d_transpose_k4_s2_same_op1", "Conv1DTranspose", s(1, 5, 2), "filters", 2, "kernel_size", 4,
                "strides", 2, "padding", "same", "output_padding", 1));
        l.add(c("conv2d_transpose_k3_s2_same_op1", "Conv2DTranspose", s(2, 3, 4, 3), "filters", 2, "kernel_size", 3,
                "strides", 2, "padding", "same", "output_padding", 1));
        l.add(c("conv2d_transpose_k3_s2_same_op0", "Conv2DTranspose", s(2, 3, 4, 3), "filters", 2, "kernel_size", 3,
                "strides", 2, "padding", "same", "output_padding", 0));
        l.add(c("conv2d_transpose_k4x3_s2x3_valid_op", "Conv2DTranspose", s(1, 3, 2, 2), "filters", 3,
                "kernel_size", List.of(4, 3), "strides", List.of(2, 3), "output_padding", List.of(1, 2)));
        l.add(c("conv2d_transpose_k3_d2_valid", "Conv2DTranspose", s(2, 3, 4, 2), "filters", 2, "kernel_size", 3,
                "dilation_rate", 2, "activation", "tanh"));
        l.add(c("conv3d_transpose_k3_s2_same_op1", "Conv3DTranspose", s(1, 2, 3, 2, 2), "filters", 2,
                "kernel_size", 3, "strides", 2, "padding", "same", "output_padding", 1));
        l.add(c("conv3d_transpose_k2x3x2_s213_valid_op", "Conv3DTranspose", s(2, 2, 3, 2, 2), "filters", 2,
                "kernel_size", List.of(2, 3, 2), "strides", List.of(2, 1, 3), "output_padding", List.of(1, 0, 2)));
        l.add(c("conv3d_transpose_k3_d2_same", "Conv3DTranspose", s(1, 3, 2, 3, 2), "filters", 2, "kernel_size", 3,
                "dilation_rate", 2, "padding", "same"));
        return l;
    }

    static Stream<Arguments> runs() {
        List<Arguments> out = new ArrayList<>();
        for (Case k : cases()) {
            out.add(Arguments.of(k, "channels_last"));
            if (!"causal".equals(k.config().get("padding"))) {
                out.add(Arguments.of(k, "channels_first"));
            }
        }
        return out.stream();
    }

    // --------------------------------------------------------------------------------------------- geometry

    private static long[] longs(Object v, int rank, long dflt) {
        long[] out = new long[rank];
        if (v == null) {
            Arrays.fill(out, dflt);
        } else if (v instanceof Number n) {
            Arrays.fill(out, n.longValue());
        } else {
            List<?> l = (List<?>) v;
            for (int i = 0; i < rank; i++) {
                out[i] = ((Number) l.get(i)).longValue();
            }
        }
        return out;
    }

    private static int rankOf(String cls) {
        return cls.contains("1D") ? 1 : cls.contains("2D") ? 2 : 3;
    }

    /** Keras's deconv_output_length, written out again. */
    private static long deconvLength(long in, long k, String padding, Long op, long s, long d) {
        long span = (k - 1) * d + 1;
        if (op == null) {
            return padding.equals("valid") ? in * s + Math.max(span - s, 0) : in * s;
        }
        long pad = padding.equals("same") ? span / 2 : 0;
        return (in - 1) * s + span - 2 * pad + op;
    }

    /** Keras's weight shapes for the case and an input with in channels. */
    static List<long[]> weightShapes(Case k, long[] inLast) {
        int rank = rankOf(k.className());
        Map<String, Object> c = k.config();
        long[] ks = longs(c.get("kernel_size"), rank, 1);
        long in = inLast[inLast.length - 1];
        long filters = c.containsKey("filters") ? ((Number) c.get("filters")).longValue() : 0;
        long dm = c.containsKey("depth_multiplier") ? ((Number) c.get("depth_multiplier")).longValue() : 1;
        long groups = c.containsKey("groups") ? ((Number) c.get("groups")).longValue() : 1;
        boolean bias = !Boolean.FALSE.equals(c.get("use_bias"));
        List<long[]> w = new ArrayList<>();
        String cls = k.className();
        if (cls.startsWith("Separable")) {
            w.add(concat(ks, in, dm));
            long[] ones = new long[rank];
            Arrays.fill(ones, 1);
            w.add(concat(ones, in * dm, filters));
            if (bias) {
                w.add(new long[] {filters});
            }
        } else if (cls.startsWith("Depthwise")) {
            w.add(concat(ks, in, dm));
            if (bias) {
                w.add(new long[] {in * dm});
            }
        } else if (cls.endsWith("Transpose")) {
            w.add(concat(ks, filters, in));
            if (bias) {
                w.add(new long[] {filters});
            }
        } else {
            w.add(concat(ks, in / groups, filters));
            if (bias) {
                w.add(new long[] {filters});
            }
        }
        return w;
    }

    private static long[] concat(long[] a, long... b) {
        long[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    /** The reference output (channels_last) and its shape. */
    static Golden.Array reference(Case k, float[] x, long[] inLast, List<float[]> w) {
        String cls = k.className();
        int rank = rankOf(cls);
        Map<String, Object> c = k.config();
        long n = inLast[0];
        long cin = inLast[rank + 1];
        long[] in = Arrays.copyOfRange(inLast, 1, rank + 1);
        long[] ks = longs(c.get("kernel_size"), rank, 1);
        long[] st = longs(c.get("strides"), rank, 1);
        long[] dil = longs(c.get("dilation_rate"), rank, 1);
        String padding = (String) c.getOrDefault("padding", "valid");
        boolean bias = !Boolean.FALSE.equals(c.get("use_bias"));
        long filters = c.containsKey("filters") ? ((Number) c.get("filters")).longValue() : 0;
        long dm = c.containsKey("depth_multiplier") ? ((Number) c.get("depth_multiplier")).longValue() : 1;
        long groups = c.containsKey("groups") ? ((Number) c.get("groups")).longValue() : 1;
        long[] out = new long[rank];
        long[] pb = new long[rank];
        float[] y;
        long channels;
        if (cls.endsWith("Transpose")) {
            long[] op = c.containsKey("output_padding") ? longs(c.get("output_padding"), rank, 0) : null;
            for (int i = 0; i < rank; i++) {
                out[i] = deconvLength(in[i], ks[i], padding, op == null ? null : op[i], st[i], dil[i]);
                long[] g = ConvReference.forward(padding, out[i], ks[i], st[i], dil[i]);
                assertEquals(in[i], g[0], k.name() + ": the forward convolution of the transposed output");
                pb[i] = g[1];
            }
            y = ConvReference.convTranspose(x, n, in, cin, w.get(0), ks, filters, bias ? w.get(1) : null, st, dil,
                    pb, out);
            channels = filters;
        } else {
            for (int i = 0; i < rank; i++) {
                long[] g = ConvReference.forward(padding, in[i], ks[i], st[i], dil[i]);
                out[i] = g[0];
                pb[i] = g[1];
            }
            if (cls.startsWith("Depthwise")) {
                y = ConvReference.depthwise(x, n, in, cin, w.get(0), ks, dm, bias ? w.get(1) : null, st, dil, pb, out);
                channels = cin * dm;
            } else if (cls.startsWith("Separable")) {
                float[] mid = ConvReference.depthwise(x, n, in, cin, w.get(0), ks, dm, null, st, dil, pb, out);
                long rows = n;
                for (long o : out) {
                    rows *= o;
                }
                y = ConvReference.pointwise(mid, rows, cin * dm, w.get(1), filters, bias ? w.get(2) : null);
                channels = filters;
            } else {
                y = ConvReference.conv(x, n, in, cin, w.get(0), ks, groups, filters, bias ? w.get(1) : null, st, dil,
                        pb, out);
                channels = filters;
            }
        }
        if ("tanh".equals(c.get("activation"))) {
            for (int i = 0; i < y.length; i++) {
                y[i] = (float) Math.tanh(y[i]);
            }
        }
        long[] shape = new long[rank + 2];
        shape[0] = n;
        System.arraycopy(out, 0, shape, 1, rank);
        shape[rank + 1] = channels;
        return new Golden.Array(shape, y);
    }

    // ------------------------------------------------------------------------------------------------ runs

    /** The layer for the case in the data format, built for its input, with random Keras-shaped weights. */
    static Layer layer(Case k, String dataFormat, List<float[]> weightsOut) {
        Map<String, Object> config = new LinkedHashMap<>(k.config());
        config.put("data_format", dataFormat);
        Layer layer = Layers.deserialize(Map.of("class_name", k.className(), "config", config));
        long[] in = dataFormat.equals("channels_first") ? Layouts.firstShape(k.input()) : k.input();
        layer.build(Shape.of(in).withDim(0, Shape.UNKNOWN));
        List<long[]> shapes = weightShapes(k, k.input());
        assertEquals(shapes.size(), layer.weightVariables().size(), k.name() + ": number of weights");
        Random rnd = new Random(k.name().hashCode());
        List<Tensor> ws = new ArrayList<>();
        for (int i = 0; i < shapes.size(); i++) {
            assertArrayEquals(shapes.get(i), layer.weightVariables().get(i).value().shape(),
                    k.name() + ": Keras's shape of weight " + layer.weightVariables().get(i).name());
            float[] v = Layouts.uniform(rnd, shapes.get(i), -1f, 1f);
            weightsOut.add(v);
            ws.add(Tensor.of(v, shapes.get(i)));
        }
        layer.setWeights(ws);
        return layer;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("runs")
    void matchesTheLoopReference(Case k, String dataFormat) {
        try (Scope scope = Scope.open()) {
            List<float[]> w = new ArrayList<>();
            Layer layer = layer(k, dataFormat, w);
            float[] x = Layouts.uniform(new Random(k.name().hashCode() + 1), k.input(), -2f, 2f);
            Golden.Array want = reference(k, x, k.input(), w);
            boolean first = dataFormat.equals("channels_first");
            long[] inShape = first ? Layouts.firstShape(k.input()) : k.input();
            Tensor y = layer.apply(Tensor.of(first ? Layouts.toChannelsFirst(x, k.input()) : x, inShape));
            long[] wantShape = first ? Layouts.firstShape(want.shape()) : want.shape();
            assertArrayEquals(wantShape, y.shape(), k.name() + " " + dataFormat + ": output shape");
            assertArrayEquals(Shape.of(wantShape).withDim(0, Shape.UNKNOWN).dims(),
                    layer.computeOutputShape(Shape.of(inShape).withDim(0, Shape.UNKNOWN)).dims(),
                    k.name() + ": computeOutputShape");
            float[] got = first ? Layouts.toChannelsLast(y.toFloatArray(), y.shape()) : y.toFloatArray();
            Golden.assertClose(k.name() + " " + dataFormat, want.data(), got, 1e-5);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("runs")
    void gradientsMatchFiniteDifferences(Case k, String dataFormat) {
        try (Scope scope = Scope.open()) {
            Layer layer = layer(k, dataFormat, new ArrayList<>());
            boolean first = dataFormat.equals("channels_first");
            float[] x = Layouts.uniform(new Random(k.name().hashCode() + 2), k.input(), -2f, 2f);
            long[] inShape = first ? Layouts.firstShape(k.input()) : k.input();
            LayerGradientCheck.check(k.name() + " " + dataFormat, layer,
                    first ? Layouts.toChannelsFirst(x, k.input()) : x, inShape, 40);
        }
    }

    /** The configs survive getConfig / JSON / Layers.deserialize. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("runs")
    void configRoundTrips(Case k, String dataFormat) {
        Map<String, Object> config = new LinkedHashMap<>(k.config());
        config.put("data_format", dataFormat);
        Layer layer = Layers.deserialize(Map.of("class_name", k.className(), "config", config));
        Map<String, Object> before = Json.roundTrip(layer.getConfig());
        Layer back = Layers.deserialize(Json.parseObject(Json.write(Layers.serialize(layer))));
        assertEquals(layer.getClass(), back.getClass());
        assertEquals(before, Json.roundTrip(back.getConfig()), k.name() + ": config round trip");
    }
}
