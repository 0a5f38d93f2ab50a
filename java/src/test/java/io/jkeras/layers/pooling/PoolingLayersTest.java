package io.jkeras.layers.pooling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.layers.Layer;
import io.jkeras.layers.Layers;
import io.jkeras.models.Sequential;
import io.jkeras.ops.GradientTape;
import io.jkeras.saving.Json;
import io.jkeras.tensor.Scope;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import io.jkeras.testing.Golden;
import io.jkeras.testing.LayerGoldens;
import io.jkeras.testing.PoolingReference;
import io.jkeras.testing.PoolingReference.Image;
import io.jkeras.testing.PoolingReference.Pool;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The pooling layers against slow loops (both data formats, 1 to 3 spatial axes, odd sizes, strides above and
 * below the window, valid and same), global pooling with keepdims and masks, configs through
 * {@code Layers.deserialize} for every class and alias, and bad input.
 */
class PoolingLayersTest {
    private static final double TOL = 1e-5;

    static float[] uniform(Random rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < a.length; i++) {
            a[i] = 4f * rnd.nextFloat() - 2f;
        }
        return a;
    }

    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static Layer layer(String className, Map<String, Object> config) {
        return Layers.deserialize(map("class_name", className, "config", config));
    }

    static List<Long> list(long[] v) {
        return Arrays.stream(v).boxed().toList();
    }

    /** Forward and the input gradient for upstream dy, through the layer's invoke on a tape. */
    static float[][] run(Layer layer, float[] x, long[] shape, float[] dy, Tensor mask) {
        try (Scope s = Scope.open(); GradientTape tape = new GradientTape()) {
            Tensor xt = Tensor.of(x, shape);
            tape.watch(xt);
            Tensor y = layer.invoke(List.of(xt), mask == null ? null : List.of(mask), false).tensors().get(0);
            assertArrayEquals(layer.computeOutputShape(Shape.of(shape).withDim(0, Shape.UNKNOWN)).withDim(0,
                    shape[0]).dims(), y.shape(), layer.getName() + ": computeOutputShape");
            Tensor g = tape.gradient(y, List.of(xt), Tensor.of(dy, y.shape())).get(0);
            return new float[][] {y.toFloatArray(), g.toFloatArray()};
        }
    }

    // --------------------------------------------------------------------------------------- windowed pooling

    static Stream<Arguments> pools() {
        // {sizes, pool_size, strides (null: pool_size), same}
        Object[][] geometries = {
            {new long[] {9}, new long[] {2}, null, false},
            {new long[] {9}, new long[] {3}, new long[] {2}, true},
            {new long[] {8}, new long[] {2}, new long[] {3}, true},
            {new long[] {7, 9}, new long[] {2, 2}, null, false},
            {new long[] {7, 9}, new long[] {3, 3}, new long[] {2, 2}, true},
            {new long[] {6, 5}, new long[] {3, 2}, new long[] {1, 3}, true},
            {new long[] {5, 7}, new long[] {2, 3}, new long[] {2, 1}, false},
            {new long[] {5, 7, 5}, new long[] {2, 2, 2}, null, false},
            {new long[] {5, 4, 5}, new long[] {3, 3, 2}, new long[] {2, 1, 3}, true},
            {new long[] {3, 5, 4}, new long[] {3, 2, 2}, new long[] {1, 2, 1}, false},
        };
        List<Arguments> out = new ArrayList<>();
        for (Object[] g : geometries) {
            long[] size = (long[]) g[0];
            for (boolean max : new boolean[] {true, false}) {
                for (boolean channelsFirst : new boolean[] {false, true}) {
                    String cls = (max ? "MaxPooling" : "AveragePooling") + size.length + "D";
                    String name = cls + " " + Arrays.toString(size) + " pool" + Arrays.toString((long[]) g[1])
                            + " strides" + (g[2] == null ? "=None" : Arrays.toString((long[]) g[2]))
                            + ((boolean) g[3] ? " same" : " valid") + (channelsFirst ? " channels_first" : "");
                    out.add(Arguments.of(name, cls, size, g[1], g[2], g[3], channelsFirst));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pools")
    void poolingMatchesTheLoops(String name, String cls, long[] size, long[] pool, long[] strides, boolean same,
            boolean channelsFirst) {
        Map<String, Object> config = map("pool_size", list(pool), "strides", strides == null ? null : list(strides),
                "padding", same ? "same" : "valid", "data_format", channelsFirst ? "channels_first" : "channels_last");
        Layer layer = layer(cls, config);
        Pool p = new Pool(new Image(2, 3, size, channelsFirst), pool, strides == null ? pool : strides, same,
                cls.startsWith("Max"));
        Random rnd = new Random(name.hashCode());
        float[] x = uniform(rnd, p.in().elements());
        float[] dy = uniform(rnd, p.out().elements());
        float[][] got = run(layer, x, p.in().shape(), dy, null);
        Golden.assertClose(name + " forward", PoolingReference.poolForward(p, x), got[0], TOL);
        Golden.assertClose(name + " backward", PoolingReference.poolBackward(p, x, dy), got[1], TOL);
    }

    @Test
    void maxPoolingTiesRouteToTheFirstMaximumThroughTheLayer() {
        // Overlapping 3x3 windows of all-equal values, same padding: every window's first valid element wins.
        for (boolean channelsFirst : new boolean[] {false, true}) {
            Layer layer = new MaxPooling2D(3, 1, "same", channelsFirst ? "channels_first" : "channels_last");
            Pool p = new Pool(new Image(1, 2, new long[] {4, 5}, channelsFirst), new long[] {3, 3}, new long[] {1, 1},
                    true, true);
            float[] x = new float[p.in().elements()];
            Arrays.fill(x, 1f);
            float[] dy = new float[p.out().elements()];
            Arrays.fill(dy, 1f);
            float[] dx = run(layer, x, p.in().shape(), dy, null)[1];
            assertArrayEquals(PoolingReference.poolBackward(p, x, dy), dx);
            // The top-left input is the first element of the four windows around it.
            assertEquals(4f, dx[0]);
        }
    }

    @Test
    void stridesDefaultToThePoolSize() {
        Layer l = new AveragePooling2D(3);
        assertEquals(List.of(3L, 3L), l.getConfig().get("strides"));
        assertArrayEquals(new long[] {-1, 3, 2, 4}, l.computeOutputShape(Shape.of(-1, 9, 8, 4)).dims());
        assertEquals(List.of(2L), new MaxPooling1D().getConfig().get("strides"));
        assertEquals(List.of(2L, 2L, 2L), new MaxPooling3D().getConfig().get("pool_size"));
        // unknown spatial sizes stay unknown
        assertArrayEquals(new long[] {-1, -1, 4}, new MaxPooling1D().computeOutputShape(Shape.of(-1, -1, 4)).dims());
    }

    // ----------------------------------------------------------------------------------------- global pooling

    static Stream<Arguments> globals() {
        List<Arguments> out = new ArrayList<>();
        long[][] sizes = {{7}, {5, 3}, {3, 4, 2}};
        for (long[] size : sizes) {
            for (boolean max : new boolean[] {true, false}) {
                for (boolean channelsFirst : new boolean[] {false, true}) {
                    for (boolean keepdims : new boolean[] {false, true}) {
                        String cls = (max ? "GlobalMaxPooling" : "GlobalAveragePooling") + size.length + "D";
                        out.add(Arguments.of(cls + (channelsFirst ? " channels_first" : "")
                                + (keepdims ? " keepdims" : ""), cls, size, channelsFirst, keepdims));
                    }
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("globals")
    void globalPoolingMatchesTheLoops(String name, String cls, long[] size, boolean channelsFirst, boolean keepdims) {
        Layer layer = layer(cls, map("data_format", channelsFirst ? "channels_first" : "channels_last",
                "keepdims", keepdims));
        boolean max = cls.contains("Max");
        // A pool over the whole extent is global pooling; its output is (N, C) or (N, 1.., C) / (N, C, 1..).
        Pool p = new Pool(new Image(2, 3, size, channelsFirst), size, size, false, max);
        Random rnd = new Random(name.hashCode());
        float[] x = uniform(rnd, p.in().elements());
        float[] dy = uniform(rnd, p.out().elements());
        float[][] got = run(layer, x, p.in().shape(), dy, null);
        Shape expected = keepdims ? Shape.of(p.out().shape()) : Shape.of(2, 3);
        assertArrayEquals(expected.withDim(0, Shape.UNKNOWN).dims(),
                layer.computeOutputShape(Shape.of(p.in().shape()).withDim(0, Shape.UNKNOWN)).dims(), name);
        // (N, C, 1...) and (N, 1..., C) hold the values in the same order as (N, C)
        Golden.assertClose(name + " forward", PoolingReference.poolForward(p, x), got[0], TOL);
        Golden.assertClose(name + " backward", PoolingReference.poolBackward(p, x, dy), got[1], TOL);
    }

    @Test
    void globalAveragePooling1DLeavesMaskedStepsOut() {
        for (boolean channelsFirst : new boolean[] {false, true}) {
            for (boolean keepdims : new boolean[] {false, true}) {
                Layer layer = new GlobalAveragePooling1D(channelsFirst ? "channels_first" : "channels_last", keepdims);
                long batch = 2, steps = 5, ch = 3;
                Image in = new Image(batch, ch, new long[] {steps}, channelsFirst);
                Random rnd = new Random(7);
                float[] x = uniform(rnd, in.elements());
                float[] mask = {1, 0, 1, 1, 0, 0, 1, 1, 1, 1};
                float[] dy = uniform(rnd, (int) (batch * ch));
                float[] want = new float[(int) (batch * ch)];
                float[] wantDx = new float[in.elements()];
                for (int n = 0; n < batch; n++) {
                    int count = 0;
                    for (int t = 0; t < steps; t++) {
                        count += (int) mask[n * (int) steps + t];
                    }
                    for (int c = 0; c < ch; c++) {
                        double sum = 0;
                        for (int t = 0; t < steps; t++) {
                            int at = in.at(n, c, new long[] {t});
                            sum += x[at] * mask[n * (int) steps + t];
                            wantDx[at] = mask[n * (int) steps + t] * dy[n * (int) ch + c] / count;
                        }
                        want[n * (int) ch + c] = (float) (sum / count);
                    }
                }
                try (Scope s = Scope.open()) {
                    float[][] got = run(layer, x, in.shape(), dy, Tensor.of(mask, batch, steps));
                    String what = "masked GlobalAveragePooling1D" + (channelsFirst ? " channels_first" : "")
                            + (keepdims ? " keepdims" : "");
                    Golden.assertClose(what, want, got[0], TOL);
                    Golden.assertClose(what + " backward", wantDx, got[1], TOL);
                    assertNull(layer.computeMask(Tensor.of(x, in.shape()), Tensor.of(mask, batch, steps)),
                            "the mask stops at global pooling");
                }
            }
        }
    }

    @Test
    void globalMaxPoolingRejectsAMask() {
        try (Scope s = Scope.open()) {
            Layer layer = new GlobalMaxPooling1D();
            Tensor x = Tensor.zeros(1, 3, 2);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> layer.invoke(List.of(x), List.of(Tensor.ones(1, 3)), false));
            assertTrue(e.getMessage().contains(layer.getName()) && e.getMessage().contains("masking"), e.getMessage());
        }
    }

    @Test
    void poolingInASequentialModel() {
        try (Scope s = Scope.open()) {
            Sequential m = new Sequential(new MaxPooling2D(), new AveragePooling2D(2, 1, "same"),
                    new GlobalMaxPooling2D());
            Tensor y = m.predict(Tensor.ones(3, 8, 6, 4));
            assertArrayEquals(new long[] {3, 4}, y.shape());
            assertArrayEquals(new float[] {1, 1, 1, 1}, Arrays.copyOf(y.toFloatArray(), 4));
        }
    }

    // ------------------------------------------------------------------------------------------------ configs

    static Stream<Arguments> configs() {
        return Stream.of(
                Arguments.of("MaxPooling1D", "MaxPooling1D", map("pool_size", 3, "strides", 1, "padding", "same",
                        "data_format", "channels_first"), map("strides", List.of(1), "pool_size", List.of(3),
                        "padding", "same", "data_format", "channels_first")),
                Arguments.of("MaxPool1D", "MaxPooling1D", map(), map("strides", List.of(2), "pool_size", List.of(2),
                        "padding", "valid", "data_format", "channels_last")),
                Arguments.of("AveragePooling1D", "AveragePooling1D", map("pool_size", List.of(4)),
                        map("strides", List.of(4), "pool_size", List.of(4), "padding", "valid",
                                "data_format", "channels_last")),
                Arguments.of("AvgPool1D", "AveragePooling1D", map("strides", 2, "pool_size", 3), map("strides",
                        List.of(2), "pool_size", List.of(3), "padding", "valid", "data_format", "channels_last")),
                Arguments.of("MaxPooling2D", "MaxPooling2D", map("pool_size", List.of(3, 2), "strides", null),
                        map("pool_size", List.of(3, 2), "padding", "valid", "strides", List.of(3, 2),
                                "data_format", "channels_last")),
                Arguments.of("MaxPool2D", "MaxPooling2D", map("padding", "same", "data_format", "channels_first"),
                        map("pool_size", List.of(2, 2), "padding", "same", "strides", List.of(2, 2),
                                "data_format", "channels_first")),
                Arguments.of("AveragePooling2D", "AveragePooling2D", map("pool_size", 3, "strides", List.of(1, 2)),
                        map("pool_size", List.of(3, 3), "padding", "valid", "strides", List.of(1, 2),
                                "data_format", "channels_last")),
                Arguments.of("AvgPool2D", "AveragePooling2D", map(), map("pool_size", List.of(2, 2), "padding",
                        "valid", "strides", List.of(2, 2), "data_format", "channels_last")),
                Arguments.of("MaxPooling3D", "MaxPooling3D", map("pool_size", List.of(1, 2, 3)),
                        map("pool_size", List.of(1, 2, 3), "padding", "valid", "strides", List.of(1, 2, 3),
                                "data_format", "channels_last")),
                Arguments.of("MaxPool3D", "MaxPooling3D", map("strides", 1, "padding", "same"),
                        map("pool_size", List.of(2, 2, 2), "padding", "same", "strides", List.of(1, 1, 1),
                                "data_format", "channels_last")),
                Arguments.of("AveragePooling3D", "AveragePooling3D", map("data_format", "channels_first"),
                        map("pool_size", List.of(2, 2, 2), "padding", "valid", "strides", List.of(2, 2, 2),
                                "data_format", "channels_first")),
                Arguments.of("AvgPool3D", "AveragePooling3D", map("pool_size", 3), map("pool_size", List.of(3, 3, 3),
                        "padding", "valid", "strides", List.of(3, 3, 3), "data_format", "channels_last")),
                Arguments.of("GlobalMaxPooling1D", "GlobalMaxPooling1D", map(), map("data_format", "channels_last",
                        "keepdims", false)),
                Arguments.of("GlobalMaxPool1D", "GlobalMaxPooling1D", map("keepdims", true),
                        map("data_format", "channels_last", "keepdims", true)),
                Arguments.of("GlobalMaxPooling2D", "GlobalMaxPooling2D", map("data_format", "channels_first"),
                        map("data_format", "channels_first", "keepdims", false)),
                Arguments.of("GlobalMaxPool2D", "GlobalMaxPooling2D", map(), map("data_format", "channels_last",
                        "keepdims", false)),
                Arguments.of("GlobalMaxPooling3D", "GlobalMaxPooling3D", map(), map("data_format", "channels_last",
                        "keepdims", false)),
                Arguments.of("GlobalMaxPool3D", "GlobalMaxPooling3D", map("keepdims", true),
                        map("data_format", "channels_last", "keepdims", true)),
                Arguments.of("GlobalAveragePooling1D", "GlobalAveragePooling1D", map("data_format", "channels_first"),
                        map("data_format", "channels_first", "keepdims", false)),
                Arguments.of("GlobalAvgPool1D", "GlobalAveragePooling1D", map(), map("data_format", "channels_last",
                        "keepdims", false)),
                Arguments.of("GlobalAveragePooling2D", "GlobalAveragePooling2D", map("keepdims", true),
                        map("data_format", "channels_last", "keepdims", true)),
                Arguments.of("GlobalAvgPool2D", "GlobalAveragePooling2D", map(), map("data_format", "channels_last",
                        "keepdims", false)),
                Arguments.of("GlobalAveragePooling3D", "GlobalAveragePooling3D", map(),
                        map("data_format", "channels_last", "keepdims", false)),
                Arguments.of("GlobalAvgPool3D", "GlobalAveragePooling3D", map("data_format", "channels_first"),
                        map("data_format", "channels_first", "keepdims", false)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void configRoundTrips(String registered, String className, Map<String, Object> given, Map<String, Object> want) {
        Map<String, Object> config = new LinkedHashMap<>(given);
        config.put("name", "p_" + registered.toLowerCase());
        Layer layer = layer(registered, config);
        assertEquals(className, layer.className(), registered + " is " + className);
        Map<String, Object> got = new LinkedHashMap<>(Json.roundTrip(layer.getConfig()));
        assertEquals("p_" + registered.toLowerCase(), got.remove("name"));
        assertEquals(true, got.remove("trainable"));
        assertEquals("float32", got.remove("dtype"));
        assertEquals(LayerGoldens.normalize(want), LayerGoldens.normalize(got), registered + " config");
        assertEquals(List.copyOf(want.keySet()), List.copyOf(got.keySet()), registered + ": Keras's key order");
        Layer again = Layers.deserialize(Json.parseObject(Json.write(Layers.serialize(layer))));
        assertInstanceOf(layer.getClass(), again);
        assertEquals(LayerGoldens.normalize(Json.roundTrip(layer.getConfig())),
                LayerGoldens.normalize(Json.roundTrip(again.getConfig())), registered + " round trip");
    }

    // ------------------------------------------------------------------------------------------------- errors

    private static void assertMessage(Runnable r, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message \"" + e.getMessage() + "\" should name " + p);
        }
    }

    @Test
    void badInputGivesClearErrors() {
        try (Scope s = Scope.open()) {
            // a pool larger than the input with valid padding
            Layer big = layer("MaxPooling2D", map("name", "mp", "pool_size", 5));
            assertMessage(() -> big.apply(Tensor.zeros(1, 4, 6, 2)), "MaxPooling2D mp", "pool_size", "[5, 5]",
                    "(4)", "(1, 4, 6, 2)");
            assertMessage(() -> big.computeOutputShape(Shape.of(-1, 4, 6, 2)), "MaxPooling2D", "pool_size",
                    "(None, 4, 6, 2)");
            // the same pool with same padding is fine
            Tensor y = layer("MaxPooling2D", map("pool_size", 5, "padding", "same")).apply(Tensor.zeros(1, 4, 6, 2));
            assertArrayEquals(new long[] {1, 1, 2, 2}, y.shape());
            Layer big1 = layer("AveragePooling1D", map("name", "ap", "pool_size", 4));
            assertMessage(() -> big1.apply(Tensor.zeros(2, 3, 5)), "AveragePooling1D ap", "pool_size", "(2, 3, 5)");
            Layer big3 = layer("MaxPooling3D", map("name", "mp3", "data_format", "channels_first"));
            assertMessage(() -> big3.apply(Tensor.zeros(1, 2, 3, 1, 3)), "MaxPooling3D mp3", "pool_size",
                    "spatial axis 1", "(1, 2, 3, 1, 3)");
            // stride 0, pool 0, negative
            assertMessage(() -> layer("MaxPooling2D", map("strides", List.of(0, 1))), "MaxPooling2D", "strides",
                    "[0, 1]");
            assertMessage(() -> layer("AveragePooling3D", map("pool_size", 0)), "AveragePooling3D", "pool_size");
            assertMessage(() -> layer("MaxPooling1D", map("strides", -2)), "MaxPooling1D", "strides");
            assertMessage(() -> layer("MaxPooling2D", map("pool_size", List.of(2, 2, 2))), "MaxPooling2D",
                    "pool_size");
            // padding and data_format values, unknown keys
            assertMessage(() -> layer("MaxPooling1D", map("padding", "causal")), "MaxPooling1D", "padding", "causal");
            assertMessage(() -> layer("AveragePooling2D", map("data_format", "NHWC")), "AveragePooling2D",
                    "data_format", "NHWC");
            assertMessage(() -> layer("GlobalMaxPooling2D", map("data_format", "nchw")), "GlobalMaxPooling2D",
                    "data_format");
            assertMessage(() -> layer("MaxPooling2D", map("kernel_size", 2)), "MaxPooling2D", "kernel_size");
            // wrong rank
            Layer mp = layer("MaxPooling2D", map("name", "mp_rank"));
            assertMessage(() -> mp.apply(Tensor.zeros(2, 4, 4)), "mp_rank", "ndim=4", "ndim=3", "(2, 4, 4)");
            Layer gp = layer("GlobalAveragePooling3D", map("name", "gap3"));
            assertMessage(() -> gp.apply(Tensor.zeros(2, 4, 4, 1)), "gap3", "ndim=5", "(2, 4, 4, 1)");
            Layer gap1 = new GlobalAveragePooling1D();
            assertMessage(() -> gap1.invoke(List.of(Tensor.zeros(2, 4, 3)), List.of(Tensor.ones(2, 5)), false),
                    "GlobalAveragePooling1D", "mask", "(2, 5)", "(2, 4, 3)");
        }
    }
}
