package io.jkeras.layers.reshaping;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
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
 * Cropping, ZeroPadding and UpSampling (1 to 3 spatial axes, both data formats, every argument form) against
 * slow loops, forward and backward; configs through {@code Layers.deserialize}; bad input.
 */
class ReshapingLayersTest {
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

    /** Forward and the input gradient for upstream dy. */
    static float[][] run(Layer layer, float[] x, long[] shape, float[] dy) {
        try (Scope s = Scope.open(); GradientTape tape = new GradientTape()) {
            Tensor xt = Tensor.of(x, shape);
            tape.watch(xt);
            Tensor y = layer.invoke(List.of(xt), null, false).tensors().get(0);
            assertArrayEquals(layer.computeOutputShape(Shape.of(shape).withDim(0, Shape.UNKNOWN)).withDim(0,
                    shape[0]).dims(), y.shape(), layer.getName() + ": computeOutputShape");
            Tensor g = tape.gradient(y, List.of(xt), Tensor.of(dy, y.shape())).get(0);
            return new float[][] {y.toFloatArray(), g.toFloatArray()};
        }
    }

    static String fmt(boolean channelsFirst) {
        return channelsFirst ? "channels_first" : "channels_last";
    }

    /** The layer's config map for rank r: data_format only beyond 1-D. */
    static Map<String, Object> config(int rank, String key, Object value, boolean channelsFirst) {
        Map<String, Object> m = map(key, value);
        if (rank > 1) {
            m.put("data_format", fmt(channelsFirst));
        }
        return m;
    }

    /** {sizes, the argument as Keras takes it, the (before, after) pairs it means}. */
    static Object[][] amountForms() {
        return new Object[][] {
            {new long[] {7}, 2, new long[][] {{2, 2}}},
            {new long[] {7}, List.of(1, 3), new long[][] {{1, 3}}},
            {new long[] {7}, List.of(0, 2), new long[][] {{0, 2}}},
            {new long[] {5, 6}, 1, new long[][] {{1, 1}, {1, 1}}},
            {new long[] {5, 6}, List.of(2, 1), new long[][] {{2, 2}, {1, 1}}},
            {new long[] {5, 6}, List.of(List.of(1, 0), List.of(2, 3)), new long[][] {{1, 0}, {2, 3}}},
            {new long[] {5, 4, 6}, 1, new long[][] {{1, 1}, {1, 1}, {1, 1}}},
            {new long[] {5, 4, 6}, List.of(1, 0, 2), new long[][] {{1, 1}, {0, 0}, {2, 2}}},
            {new long[] {5, 4, 6}, List.of(List.of(0, 2), List.of(1, 0), List.of(2, 1)),
                new long[][] {{0, 2}, {1, 0}, {2, 1}}},
        };
    }

    static Stream<Arguments> amounts() {
        List<Arguments> out = new ArrayList<>();
        for (Object[] f : amountForms()) {
            long[] size = (long[]) f[0];
            for (boolean channelsFirst : size.length == 1 ? new boolean[] {false} : new boolean[] {false, true}) {
                out.add(Arguments.of(size.length + "D " + f[1] + (channelsFirst ? " channels_first" : ""), size, f[1],
                        f[2], channelsFirst));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("amounts")
    void croppingMatchesTheLoops(String name, long[] size, Object arg, long[][] pairs, boolean channelsFirst) {
        int r = size.length;
        Layer layer = layer("Cropping" + r + "D", config(r, "cropping", arg, channelsFirst));
        Image in = new Image(2, 3, size, channelsFirst);
        long[] outSize = new long[r];
        for (int i = 0; i < r; i++) {
            outSize[i] = size[i] - pairs[i][0] - pairs[i][1];
        }
        Random rnd = new Random(name.hashCode());
        float[] x = uniform(rnd, in.elements());
        float[] dy = uniform(rnd, in.withSize(outSize).elements());
        float[][] got = run(layer, x, in.shape(), dy);
        assertArrayEquals(PoolingReference.crop(in, pairs, x), got[0], name + " forward");
        assertArrayEquals(PoolingReference.pad(in.withSize(outSize), pairs, dy), got[1], name + " backward");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("amounts")
    void zeroPaddingMatchesTheLoops(String name, long[] size, Object arg, long[][] pairs, boolean channelsFirst) {
        int r = size.length;
        Layer layer = layer("ZeroPadding" + r + "D", config(r, "padding", arg, channelsFirst));
        Image in = new Image(2, 3, size, channelsFirst);
        long[] outSize = new long[r];
        for (int i = 0; i < r; i++) {
            outSize[i] = size[i] + pairs[i][0] + pairs[i][1];
        }
        Random rnd = new Random(name.hashCode());
        float[] x = uniform(rnd, in.elements());
        float[] dy = uniform(rnd, in.withSize(outSize).elements());
        float[][] got = run(layer, x, in.shape(), dy);
        assertArrayEquals(PoolingReference.pad(in, pairs, x), got[0], name + " forward");
        assertArrayEquals(PoolingReference.crop(in.withSize(outSize), pairs, dy), got[1], name + " backward");
    }

    static Stream<Arguments> upsamplings() {
        List<Arguments> out = new ArrayList<>();
        Object[][] forms = {
            {new long[] {7}, 3, new long[] {3}},
            {new long[] {5}, null, new long[] {2}},
            {new long[] {5, 3}, List.of(2, 3), new long[] {2, 3}},
            {new long[] {3, 4}, 3, new long[] {3, 3}},
            {new long[] {3, 2, 4}, List.of(2, 1, 3), new long[] {2, 1, 3}},
            {new long[] {2, 3, 3}, null, new long[] {2, 2, 2}},
        };
        for (Object[] f : forms) {
            long[] size = (long[]) f[0];
            for (boolean channelsFirst : size.length == 1 ? new boolean[] {false} : new boolean[] {false, true}) {
                out.add(Arguments.of(size.length + "D size " + f[1] + (channelsFirst ? " channels_first" : ""), size,
                        f[1], f[2], channelsFirst));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("upsamplings")
    void nearestUpSamplingMatchesTheLoops(String name, long[] size, Object arg, long[] factors,
            boolean channelsFirst) {
        int r = size.length;
        Map<String, Object> c = config(r, "size", arg, channelsFirst);
        if (arg == null) {
            c.remove("size");
        }
        Layer layer = layer("UpSampling" + r + "D", c);
        Image in = new Image(2, 3, size, channelsFirst);
        long[] outSize = new long[r];
        for (int i = 0; i < r; i++) {
            outSize[i] = size[i] * factors[i];
        }
        Random rnd = new Random(name.hashCode());
        float[] x = uniform(rnd, in.elements());
        float[] dy = uniform(rnd, in.withSize(outSize).elements());
        float[][] got = run(layer, x, in.shape(), dy);
        assertArrayEquals(PoolingReference.upsampleNearest(in, factors, x), got[0], name + " forward");
        Golden.assertClose(name + " backward", PoolingReference.upsampleNearestBackward(in, factors, dy), got[1], TOL);
    }

    static Stream<Arguments> bilinears() {
        List<Arguments> out = new ArrayList<>();
        long[][] cases = {{5, 7, 2, 3}, {3, 4, 2, 2}, {4, 3, 3, 1}, {1, 2, 4, 2}, {2, 5, 1, 1}};
        for (long[] c : cases) {
            for (boolean channelsFirst : new boolean[] {false, true}) {
                out.add(Arguments.of(c[0] + "x" + c[1] + " size (" + c[2] + ", " + c[3] + ")"
                        + (channelsFirst ? " channels_first" : ""), c, channelsFirst));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bilinears")
    void bilinearUpSamplingMatchesTheLoops(String name, long[] c, boolean channelsFirst) {
        Layer layer = new UpSampling2D((int) c[2], (int) c[3], fmt(channelsFirst), "bilinear");
        Image in = new Image(2, 3, new long[] {c[0], c[1]}, channelsFirst);
        long outH = c[0] * c[2];
        long outW = c[1] * c[3];
        Random rnd = new Random(name.hashCode());
        float[] x = uniform(rnd, in.elements());
        float[] dy = uniform(rnd, in.withSize(new long[] {outH, outW}).elements());
        float[][] got = run(layer, x, in.shape(), dy);
        Golden.assertClose(name + " forward", PoolingReference.resizeBilinear(in, outH, outW, true, x), got[0], TOL);
        Golden.assertClose(name + " backward", PoolingReference.resizeBilinearBackward(in, outH, outW, true, dy),
                got[1], TOL);
    }

    @Test
    void reshapingInASequentialModel() {
        try (Scope s = Scope.open()) {
            Sequential m = new Sequential(new ZeroPadding2D(1), new UpSampling2D(2), new Cropping2D(1, 2, 0, 3,
                    "channels_last"));
            Tensor y = m.predict(Tensor.ones(2, 3, 4, 5));
            assertArrayEquals(new long[] {2, 7, 9, 5}, y.shape());
            assertArrayEquals(new long[] {-1, 7, 9, 5}, m.computeOutputShape(List.of(Shape.of(-1, 3, 4, 5))).get(0).dims());
        }
    }

    @Test
    void unknownSizesStayUnknown() {
        assertArrayEquals(new long[] {-1, -1, 3}, new Cropping1D(1, 2).computeOutputShape(Shape.of(-1, -1, 3)).dims());
        assertArrayEquals(new long[] {-1, 3, -1, 8}, new ZeroPadding2D(1, 1, 2, 2, "channels_first")
                .computeOutputShape(Shape.of(-1, 3, -1, 4)).dims());
        assertArrayEquals(new long[] {-1, -1, 6, 4, 1}, new UpSampling3D(2)
                .computeOutputShape(Shape.of(-1, -1, 3, 2, 1)).dims());
    }

    // ------------------------------------------------------------------------------------------------ configs

    static Stream<Arguments> configs() {
        return Stream.of(
                Arguments.of("Cropping1D", map(), map("cropping", List.of(1, 1))),
                Arguments.of("Cropping1D", map("cropping", 3), map("cropping", List.of(3, 3))),
                Arguments.of("Cropping1D", map("cropping", List.of(0, 2)), map("cropping", List.of(0, 2))),
                Arguments.of("Cropping2D", map(), map("cropping", List.of(List.of(0, 0), List.of(0, 0)),
                        "data_format", "channels_last")),
                Arguments.of("Cropping2D", map("cropping", 2, "data_format", "channels_first"),
                        map("cropping", List.of(List.of(2, 2), List.of(2, 2)), "data_format", "channels_first")),
                Arguments.of("Cropping2D", map("cropping", List.of(1, 3)), map("cropping",
                        List.of(List.of(1, 1), List.of(3, 3)), "data_format", "channels_last")),
                Arguments.of("Cropping3D", map(), map("cropping", List.of(List.of(1, 1), List.of(1, 1),
                        List.of(1, 1)), "data_format", "channels_last")),
                Arguments.of("Cropping3D", map("cropping", List.of(List.of(0, 1), List.of(2, 0), List.of(1, 1))),
                        map("cropping", List.of(List.of(0, 1), List.of(2, 0), List.of(1, 1)),
                                "data_format", "channels_last")),
                Arguments.of("ZeroPadding1D", map(), map("padding", List.of(1, 1))),
                Arguments.of("ZeroPadding1D", map("padding", List.of(2, 0)), map("padding", List.of(2, 0))),
                Arguments.of("ZeroPadding2D", map(), map("padding", List.of(List.of(1, 1), List.of(1, 1)),
                        "data_format", "channels_last")),
                Arguments.of("ZeroPadding2D", map("padding", List.of(2, 0), "data_format", "channels_first"),
                        map("padding", List.of(List.of(2, 2), List.of(0, 0)), "data_format", "channels_first")),
                Arguments.of("ZeroPadding3D", map("padding", 2), map("padding", List.of(List.of(2, 2),
                        List.of(2, 2), List.of(2, 2)), "data_format", "channels_last")),
                Arguments.of("ZeroPadding3D", map("padding", List.of(List.of(1, 0), List.of(0, 1), List.of(3, 2))),
                        map("padding", List.of(List.of(1, 0), List.of(0, 1), List.of(3, 2)),
                                "data_format", "channels_last")),
                Arguments.of("UpSampling1D", map(), map("size", 2)),
                Arguments.of("UpSampling1D", map("size", 4), map("size", 4)),
                Arguments.of("UpSampling2D", map(), map("size", List.of(2, 2), "data_format", "channels_last",
                        "interpolation", "nearest")),
                Arguments.of("UpSampling2D", map("size", 3, "interpolation", "bilinear", "data_format",
                        "channels_first"), map("size", List.of(3, 3), "data_format", "channels_first",
                        "interpolation", "bilinear")),
                Arguments.of("UpSampling3D", map(), map("size", List.of(2, 2, 2), "data_format", "channels_last")),
                Arguments.of("UpSampling3D", map("size", List.of(1, 2, 3), "data_format", "channels_first"),
                        map("size", List.of(1, 2, 3), "data_format", "channels_first")));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("configs")
    void configRoundTrips(String className, Map<String, Object> given, Map<String, Object> want) {
        Map<String, Object> config = new LinkedHashMap<>(given);
        config.put("name", "r_" + className.toLowerCase());
        Layer layer = layer(className, config);
        assertEquals(className, layer.className());
        Map<String, Object> got = new LinkedHashMap<>(Json.roundTrip(layer.getConfig()));
        assertEquals("r_" + className.toLowerCase(), got.remove("name"));
        assertEquals(true, got.remove("trainable"));
        assertEquals("float32", got.remove("dtype"));
        assertEquals(LayerGoldens.normalize(want), LayerGoldens.normalize(got), className + " config");
        assertEquals(List.copyOf(want.keySet()), List.copyOf(got.keySet()), className + ": Keras's key order");
        Layer again = Layers.deserialize(Json.parseObject(Json.write(Layers.serialize(layer))));
        assertInstanceOf(layer.getClass(), again);
        assertEquals(LayerGoldens.normalize(Json.roundTrip(layer.getConfig())),
                LayerGoldens.normalize(Json.roundTrip(again.getConfig())), className + " round trip");
    }

    @Test
    void javaConstructorsGiveKerasDefaults() {
        assertEquals(List.of(1L, 1L), new Cropping1D().getConfig().get("cropping"));
        assertEquals(List.of(List.of(0L, 0L), List.of(0L, 0L)), new Cropping2D().getConfig().get("cropping"));
        assertEquals(List.of(List.of(1L, 1L), List.of(1L, 1L), List.of(1L, 1L)),
                new Cropping3D().getConfig().get("cropping"));
        assertEquals(List.of(List.of(1L, 1L), List.of(1L, 1L)), new ZeroPadding2D().getConfig().get("padding"));
        assertEquals(2L, new UpSampling1D().getConfig().get("size"));
        assertEquals("nearest", new UpSampling2D().getConfig().get("interpolation"));
        assertEquals(List.of(List.of(1L, 2L), List.of(3L, 4L)),
                new ZeroPadding2D(1, 2, 3, 4, "channels_last").getConfig().get("padding"));
        assertEquals(List.of(List.of(0L, 1L), List.of(2L, 3L), List.of(4L, 5L)),
                new Cropping3D(new long[][] {{0, 1}, {2, 3}, {4, 5}}, "channels_first").getConfig().get("cropping"));
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
            // negative amounts
            assertMessage(() -> layer("Cropping1D", map("cropping", List.of(-1, 2))), "Cropping1D", "cropping",
                    "negative", "[-1, 2]");
            assertMessage(() -> layer("Cropping2D", map("cropping", -1)), "Cropping2D", "cropping", "negative");
            assertMessage(() -> layer("Cropping3D", map("cropping", List.of(List.of(1, 1), List.of(0, -2),
                    List.of(0, 0)))), "Cropping3D", "cropping", "negative");
            assertMessage(() -> layer("ZeroPadding1D", map("padding", -1)), "ZeroPadding1D", "padding", "negative");
            assertMessage(() -> layer("ZeroPadding2D", map("padding", List.of(List.of(0, 0), List.of(-3, 1)))),
                    "ZeroPadding2D", "padding", "negative");
            assertMessage(() -> layer("ZeroPadding3D", map("padding", List.of(1, -1, 1))), "ZeroPadding3D",
                    "padding", "negative");
            // malformed forms
            assertMessage(() -> layer("Cropping2D", map("cropping", List.of(1, 2, 3))), "Cropping2D", "cropping",
                    "tuple of 2");
            assertMessage(() -> layer("ZeroPadding1D", map("padding", List.of(1, 2, 3))), "ZeroPadding1D", "padding");
            assertMessage(() -> layer("ZeroPadding2D", map("padding", 1.5)), "ZeroPadding2D", "padding", "integers");
            // cropping as large as the input
            Layer c1 = layer("Cropping1D", map("name", "crop1", "cropping", List.of(2, 3)));
            assertMessage(() -> c1.apply(Tensor.zeros(2, 5, 3)), "Cropping1D crop1", "cropping", "[2, 3]",
                    "removes 5 of the 5 steps", "(2, 5, 3)");
            assertMessage(() -> c1.computeOutputShape(Shape.of(-1, 4, 3)), "Cropping1D crop1", "cropping",
                    "(None, 4, 3)");
            Layer c2 = layer("Cropping2D", map("name", "crop2", "cropping", List.of(List.of(0, 0), List.of(4, 4)),
                    "data_format", "channels_first"));
            assertMessage(() -> c2.apply(Tensor.zeros(1, 2, 9, 7)), "Cropping2D crop2", "cropping",
                    "removes 8 of the 7 columns", "(1, 2, 9, 7)");
            Layer c3 = layer("Cropping3D", map("name", "crop3", "cropping", 2));
            assertMessage(() -> c3.apply(Tensor.zeros(1, 5, 4, 5, 1)), "Cropping3D crop3", "cropping", "dim2",
                    "(1, 5, 4, 5, 1)");
            // up-sampling arguments
            assertMessage(() -> layer("UpSampling1D", map("size", 0)), "UpSampling1D", "size");
            assertMessage(() -> layer("UpSampling2D", map("size", List.of(2, -1))), "UpSampling2D", "size", "[2, -1]");
            assertMessage(() -> layer("UpSampling2D", map("interpolation", "bicubic")), "UpSampling2D",
                    "interpolation", "bicubic");
            assertMessage(() -> layer("UpSampling3D", map("interpolation", "bilinear")), "UpSampling3D",
                    "interpolation");
            assertMessage(() -> layer("ZeroPadding1D", map("data_format", "channels_first")), "ZeroPadding1D",
                    "data_format");
            assertMessage(() -> layer("Cropping2D", map("data_format", "NCHW")), "Cropping2D", "data_format", "NCHW");
            // wrong rank
            Layer up = layer("UpSampling2D", map("name", "up_rank"));
            assertMessage(() -> up.apply(Tensor.zeros(2, 4, 4)), "up_rank", "ndim=4", "ndim=3", "(2, 4, 4)");
            Layer zp = layer("ZeroPadding1D", map("name", "zp_rank"));
            assertMessage(() -> zp.apply(Tensor.zeros(2, 4, 4, 1)), "zp_rank", "ndim=3", "(2, 4, 4, 1)");
            Layer cr = layer("Cropping3D", map("name", "cr_rank"));
            assertMessage(() -> cr.apply(Tensor.zeros(2, 4, 4, 1)), "cr_rank", "ndim=5");
        }
    }
}
