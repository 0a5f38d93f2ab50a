package io.jkeras.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.backend.NativeException;
import io.jkeras.backend.PoolDesc;
import io.jkeras.tensor.Scope;
import io.jkeras.tensor.Tensor;
import io.jkeras.testing.Golden;
import io.jkeras.testing.PoolingReference;
import io.jkeras.testing.PoolingReference.Image;
import io.jkeras.testing.PoolingReference.Pool;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link PoolOps} against the slow loops of {@link PoolingReference} (forward and backward, both data formats,
 * 1 to 3 spatial axes, odd sizes, strides above and below the window, valid and same), max pooling's tie rule,
 * central differences for every op, and the errors.
 */
class PoolOpsTest {
    private static final double TOL = 1e-5;

    static float[] uniform(Random rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < a.length; i++) {
            a[i] = 4f * rnd.nextFloat() - 2f;
        }
        return a;
    }

    /** n distinct values 0.05 apart, shuffled: max pooling without ties or near-ties, for finite differences. */
    static float[] distinct(Random rnd, int n) {
        List<Float> v = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            v.add(-1f + 0.05f * i);
        }
        java.util.Collections.shuffle(v, rnd);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = v.get(i);
        }
        return a;
    }

    /** The descriptor of a reference geometry (Keras's padding split, computed independently of the layers). */
    static PoolDesc desc(Pool p) {
        int r = p.k().length;
        Image out = p.out();
        long[] pb = new long[r];
        long[] pe = new long[r];
        for (int i = 0; i < r; i++) {
            long in = p.in().size()[i];
            pb[i] = PoolingReference.padBefore(in, p.k()[i], p.s()[i], p.same());
            pe[i] = p.same() ? Math.max((out.size()[i] - 1) * p.s()[i] + p.k()[i] - in, 0) - pb[i] : 0;
        }
        return new PoolDesc(r, p.in().channelsFirst(), p.max() ? PoolDesc.Algorithm.MAX : PoolDesc.Algorithm.AVG,
                p.in().batch(), p.in().channels(), p.in().size(), out.size(), p.k(), p.s(), pb, pe);
    }

    /** {sizes, window, strides, same} geometries over 1 to 3 spatial axes. */
    static List<Object[]> geometries() {
        return List.of(
                new Object[] {new long[] {7}, new long[] {2}, new long[] {2}, false},
                new Object[] {new long[] {7}, new long[] {3}, new long[] {2}, true},
                new Object[] {new long[] {5}, new long[] {3}, new long[] {1}, true},
                new Object[] {new long[] {9}, new long[] {2}, new long[] {3}, true},
                new Object[] {new long[] {7, 5}, new long[] {2, 2}, new long[] {2, 2}, false},
                new Object[] {new long[] {7, 5}, new long[] {3, 3}, new long[] {2, 2}, true},
                new Object[] {new long[] {6, 7}, new long[] {3, 2}, new long[] {1, 2}, true},
                new Object[] {new long[] {5, 5}, new long[] {2, 2}, new long[] {3, 3}, true},
                new Object[] {new long[] {5, 6}, new long[] {3, 1}, new long[] {1, 3}, false},
                new Object[] {new long[] {5, 4, 3}, new long[] {2, 2, 2}, new long[] {2, 2, 2}, false},
                new Object[] {new long[] {5, 4, 3}, new long[] {3, 2, 2}, new long[] {2, 1, 2}, true},
                new Object[] {new long[] {3, 5, 4}, new long[] {2, 3, 3}, new long[] {1, 1, 1}, true});
    }

    static Stream<Arguments> pools() {
        List<Arguments> out = new ArrayList<>();
        for (Object[] g : geometries()) {
            for (boolean channelsFirst : new boolean[] {false, true}) {
                for (boolean max : new boolean[] {true, false}) {
                    long[] size = (long[]) g[0];
                    String name = (max ? "max" : "avg") + " " + Arrays.toString(size) + " k" + Arrays.toString((long[]) g[1])
                            + " s" + Arrays.toString((long[]) g[2]) + (((boolean) g[3]) ? " same" : " valid")
                            + (channelsFirst ? " channels_first" : " channels_last");
                    out.add(Arguments.of(name, new Pool(new Image(2, 3, size, channelsFirst), (long[]) g[1],
                            (long[]) g[2], (boolean) g[3], max)));
                }
            }
        }
        return out.stream();
    }

    /** Forward, and the tape's gradient for upstream dy, of pooling p at x. */
    static float[][] run(Pool p, float[] x, float[] dy) {
        try (Scope s = Scope.open(); GradientTape tape = new GradientTape()) {
            Tensor xt = Tensor.of(x, p.in().shape());
            tape.watch(xt);
            Tensor y = PoolOps.pool(xt, desc(p));
            assertArrayEquals(p.out().shape(), y.shape(), "output shape");
            Tensor g = tape.gradient(y, List.of(xt), Tensor.of(dy, y.shape())).get(0);
            return new float[][] {y.toFloatArray(), g.toFloatArray()};
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pools")
    void poolMatchesTheLoops(String name, Pool p) {
        Random rnd = new Random(name.hashCode());
        float[] x = uniform(rnd, p.in().elements());
        float[] dy = uniform(rnd, p.out().elements());
        float[][] got = run(p, x, dy);
        Golden.assertClose(name + " forward", PoolingReference.poolForward(p, x), got[0], TOL);
        Golden.assertClose(name + " backward", PoolingReference.poolBackward(p, x, dy), got[1], TOL);
    }

    /** Inputs drawn from {0, 1} (most windows tie), and all-equal inputs: the first maximum takes the gradient. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("pools")
    void maxPoolTiesGoToTheFirstMaximum(String name, Pool p) {
        if (!p.max()) {
            return;
        }
        for (long channels : new long[] {1, 16, 17}) {
            Pool q = new Pool(new Image(2, channels, p.in().size(), p.in().channelsFirst()), p.k(), p.s(), p.same(),
                    true);
            Random rnd = new Random(name.hashCode() + channels);
            float[] x = new float[q.in().elements()];
            for (int i = 0; i < x.length; i++) {
                x[i] = rnd.nextInt(2);
            }
            float[] dy = uniform(rnd, q.out().elements());
            Golden.assertClose(name + " C=" + channels + " ties", PoolingReference.poolBackward(q, x, dy),
                    run(q, x, dy)[1], TOL);
            float[] same = new float[x.length];
            Arrays.fill(same, -0.5f);
            Golden.assertClose(name + " C=" + channels + " all equal", PoolingReference.poolBackward(q, same, dy),
                    run(q, same, dy)[1], TOL);
        }
    }

    @Test
    void maxPoolTieRoutingByHand() {
        // windows of 2, stride 1: [1, 3] picks index 1, the tie [3, 3] its first (1), [3, 2] index 2
        Pool p = new Pool(new Image(1, 1, new long[] {4}, false), new long[] {2}, new long[] {1}, false, true);
        float[][] got = run(p, new float[] {1, 3, 3, 2}, new float[] {1, 10, 100});
        assertArrayEquals(new float[] {3, 3, 3}, got[0]);
        assertArrayEquals(new float[] {0, 11, 100, 0}, got[1]);
        // 2x2 windows of equal values: the top-left element of each
        Pool q = new Pool(new Image(1, 1, new long[] {2, 4}, true), new long[] {2, 2}, new long[] {2, 2}, false, true);
        float[][] g2 = run(q, new float[] {5, 5, 7, 6, 5, 5, 6, 7}, new float[] {1, 2});
        assertArrayEquals(new float[] {1, 0, 2, 0, 0, 0, 0, 0}, g2[1]);
    }

    @Test
    void averagePoolingDoesNotCountPadding() {
        // 3 ones, window 3, stride 1, same: edges average 2 values, not 3
        Pool p = new Pool(new Image(1, 1, new long[] {3}, false), new long[] {3}, new long[] {1}, true, false);
        float[][] got = run(p, new float[] {3, 6, 9}, new float[] {1, 1, 1});
        assertArrayEquals(new float[] {4.5f, 6, 7.5f}, got[0], 1e-6f);
        assertArrayEquals(new float[] {1f / 2 + 1f / 3, 1f / 2 + 1f / 3 + 1f / 2, 1f / 3 + 1f / 2}, got[1], 1e-6f);
    }

    @Test
    void emptyBatchPools() {
        try (Scope s = Scope.open()) {
            Pool p = new Pool(new Image(0, 3, new long[] {4, 4}, false), new long[] {2, 2}, new long[] {2, 2}, false,
                    true);
            Tensor y = PoolOps.pool(Tensor.zeros(0, 4, 4, 3), desc(p));
            assertArrayEquals(new long[] {0, 2, 2, 3}, y.shape());
        }
    }

    @Test
    void poolFreesItsWorkspace() {
        long before = io.jkeras.backend.Backends.defaultBackend().allocatedBytes();
        Pool p = new Pool(new Image(2, 5, new long[] {9, 9}, false), new long[] {3, 3}, new long[] {2, 2}, true, true);
        Random rnd = new Random(3);
        run(p, uniform(rnd, p.in().elements()), uniform(rnd, p.out().elements()));
        assertEquals(before, io.jkeras.backend.Backends.defaultBackend().allocatedBytes(), "bytes held after the scope");
    }

    // ------------------------------------------------------------------------------------------------ resizing

    static Stream<Arguments> resizes() {
        List<Arguments> out = new ArrayList<>();
        long[][] sizes = {{3, 4, 6, 8}, {5, 3, 7, 5}, {4, 5, 12, 15}, {7, 6, 3, 4}, {1, 1, 2, 3}, {4, 4, 4, 4}};
        for (long[] s : sizes) {
            for (boolean channelsFirst : new boolean[] {false, true}) {
                for (boolean halfPixel : new boolean[] {true, false}) {
                    out.add(Arguments.of(s[0] + "x" + s[1] + "->" + s[2] + "x" + s[3]
                            + (channelsFirst ? " channels_first" : " channels_last") + (halfPixel ? " half_pixel" : " tf1"),
                            new Image(2, 3, new long[] {s[0], s[1]}, channelsFirst), s[2], s[3], halfPixel));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("resizes")
    void resizeBilinearMatchesTheLoops(String name, Image in, long outH, long outW, boolean halfPixel) {
        Random rnd = new Random(name.hashCode());
        float[] x = uniform(rnd, in.elements());
        Image out = in.withSize(new long[] {outH, outW});
        float[] dy = uniform(rnd, out.elements());
        try (Scope s = Scope.open(); GradientTape tape = new GradientTape()) {
            Tensor xt = Tensor.of(x, in.shape());
            tape.watch(xt);
            Tensor y = PoolOps.resizeBilinear(xt, outH, outW, in.channelsFirst(), halfPixel);
            assertArrayEquals(out.shape(), y.shape());
            Golden.assertClose(name + " forward", PoolingReference.resizeBilinear(in, outH, outW, halfPixel, x),
                    y.toFloatArray(), TOL);
            Tensor g = tape.gradient(y, List.of(xt), Tensor.of(dy, y.shape())).get(0);
            Golden.assertClose(name + " backward",
                    PoolingReference.resizeBilinearBackward(in, outH, outW, halfPixel, dy), g.toFloatArray(), TOL);
        }
    }

    @Test
    void resizeBilinearByHand() {
        // 1x2 -> 1x4 with half-pixel centres: samples at -0.25, 0.25, 0.75, 1.25 -> 0, 0.25, 0.75, 1 of the way
        try (Scope s = Scope.open()) {
            Tensor y = PoolOps.resizeBilinear(Tensor.of(new float[] {0, 4}, 1, 1, 2, 1), 1, 4, false, true);
            assertArrayEquals(new float[] {0, 1, 3, 4}, y.toFloatArray(), 1e-6f);
            Tensor legacy = PoolOps.resizeBilinear(Tensor.of(new float[] {0, 4}, 1, 1, 2, 1), 1, 4, false, false);
            assertArrayEquals(new float[] {0, 2, 4, 4}, legacy.toFloatArray(), 1e-6f);
        }
    }

    // ------------------------------------------------------------------------------ padding, cropping, repeats

    @Test
    void padCropAndRepeatMatchTheLoops() {
        Random rnd = new Random(11);
        for (boolean channelsFirst : new boolean[] {false, true}) {
            for (long[] size : new long[][] {{5}, {3, 4}, {3, 2, 4}}) {
                Image in = new Image(2, 3, size, channelsFirst);
                int r = size.length;
                long[][] pads = new long[r][2];
                long[][] crops = new long[r][2];
                long[] factors = new long[r];
                for (int i = 0; i < r; i++) {
                    pads[i] = new long[] {i % 2, 2 - i % 2 + i};
                    crops[i] = new long[] {size[i] > 2 ? 1 : 0, i == 0 ? 1 : 0};
                    factors[i] = 2 + i % 2;
                }
                long[] before = new long[r + 2];
                long[] after = new long[r + 2];
                long[] cb = new long[r + 2];
                long[] ce = new long[r + 2];
                long[] reps = new long[r + 2];
                Arrays.fill(reps, 1);
                for (int i = 0; i < r; i++) {
                    int a = channelsFirst ? 2 + i : 1 + i;
                    before[a] = pads[i][0];
                    after[a] = pads[i][1];
                    cb[a] = crops[i][0];
                    ce[a] = crops[i][1];
                    reps[a] = factors[i];
                }
                String what = Arrays.toString(size) + (channelsFirst ? " channels_first" : " channels_last");
                float[] x = uniform(rnd, in.elements());
                try (Scope s = Scope.open(); GradientTape tape = new GradientTape()) {
                    Tensor xt = Tensor.of(x, in.shape());
                    tape.watch(xt);
                    Tensor padded = PoolOps.pad(xt, before, after);
                    assertArrayEquals(PoolingReference.pad(in, pads, x), padded.toFloatArray(), what + " pad");
                    Tensor cropped = PoolOps.crop(xt, cb, ce);
                    assertArrayEquals(PoolingReference.crop(in, crops, x), cropped.toFloatArray(), what + " crop");
                    Tensor repeated = PoolOps.repeatElements(xt, reps);
                    assertArrayEquals(PoolingReference.upsampleNearest(in, factors, x), repeated.toFloatArray(),
                            what + " repeat");
                    float[] dy = uniform(rnd, (int) repeated.size());
                    Tensor g = tape.gradient(repeated, List.of(xt), Tensor.of(dy, repeated.shape())).get(0);
                    Golden.assertClose(what + " repeat backward",
                            PoolingReference.upsampleNearestBackward(in, factors, dy), g.toFloatArray(), TOL);
                    float[] dp = uniform(rnd, (int) padded.size());
                    Tensor gp = tape.gradient(padded, List.of(xt), Tensor.of(dp, padded.shape())).get(0);
                    Image pin = in.withSize(spatial(padded.shape(), r, channelsFirst));
                    assertArrayEquals(PoolingReference.crop(pin, pads, dp), gp.toFloatArray(), what + " pad backward");
                }
            }
        }
    }

    private static long[] spatial(long[] shape, int r, boolean channelsFirst) {
        return Arrays.copyOfRange(shape, channelsFirst ? 2 : 1, (channelsFirst ? 2 : 1) + r);
    }

    @Test
    void noOpPaddingAndRepeatReturnTheInput() {
        try (Scope s = Scope.open()) {
            Tensor x = Tensor.zeros(2, 3);
            assertSame(x, PoolOps.pad(x, new long[2], new long[2]));
            assertSame(x, PoolOps.repeatElements(x, new long[] {1, 1}));
        }
    }

    @Test
    void repeatOfARank5TensorOnThreeAxes() {
        // UpSampling3D's case: 5 axes, 3 repeated, fits the native copy's rank limit
        Image in = new Image(2, 2, new long[] {2, 3, 2}, false);
        Random rnd = new Random(5);
        float[] x = uniform(rnd, in.elements());
        try (Scope s = Scope.open()) {
            Tensor y = PoolOps.repeatElements(Tensor.of(x, in.shape()), new long[] {1, 2, 3, 2, 1});
            assertArrayEquals(PoolingReference.upsampleNearest(in, new long[] {2, 3, 2}, x), y.toFloatArray());
        }
    }

    // ------------------------------------------------------------------------------------ finite differences

    static GradientCheckTest.Case fd(String name, long[] shape, float[] data, Function<Tensor, Tensor> f) {
        return new GradientCheckTest.Case(name, List.of(new GradientCheckTest.In(shape, data)),
                xs -> f.apply(xs.get(0)), GradientCheckTest.EPS);
    }

    static Stream<GradientCheckTest.Case> finiteDifferenceCases() {
        List<GradientCheckTest.Case> cases = new ArrayList<>();
        Random rnd = new Random(42);
        for (boolean channelsFirst : new boolean[] {false, true}) {
            String fmt = channelsFirst ? " channels_first" : " channels_last";
            for (boolean max : new boolean[] {true, false}) {
                for (Pool p : new Pool[] {
                    new Pool(new Image(2, 2, new long[] {7}, channelsFirst), new long[] {3}, new long[] {2}, true, max),
                    new Pool(new Image(1, 2, new long[] {5, 4}, channelsFirst), new long[] {3, 2}, new long[] {2, 1},
                            true, max),
                    new Pool(new Image(1, 2, new long[] {3, 4, 3}, channelsFirst), new long[] {2, 2, 2},
                            new long[] {1, 2, 2}, false, max)}) {
                    cases.add(fd((max ? "max_pool " : "avg_pool ") + Arrays.toString(p.in().size()) + fmt,
                            p.in().shape(), distinct(rnd, p.in().elements()), x -> PoolOps.pool(x, desc(p))));
                }
            }
            Image img = new Image(2, 2, new long[] {3, 4}, channelsFirst);
            cases.add(fd("resize_bilinear up" + fmt, img.shape(), uniform(rnd, img.elements()),
                    x -> PoolOps.resizeBilinear(x, 7, 8, channelsFirst, true)));
            cases.add(fd("resize_bilinear down" + fmt, img.shape(), uniform(rnd, img.elements()),
                    x -> PoolOps.resizeBilinear(x, 2, 3, channelsFirst, true)));
        }
        cases.add(fd("pad", new long[] {2, 3, 2}, uniform(rnd, 12),
                x -> PoolOps.pad(x, new long[] {0, 1, 0}, new long[] {0, 2, 1})));
        cases.add(fd("crop", new long[] {2, 5, 3}, uniform(rnd, 30),
                x -> PoolOps.crop(x, new long[] {0, 1, 1}, new long[] {0, 2, 0})));
        cases.add(fd("repeat_elements", new long[] {2, 3, 2}, uniform(rnd, 12),
                x -> PoolOps.repeatElements(x, new long[] {1, 3, 2})));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("finiteDifferenceCases")
    void gradientsMatchFiniteDifferences(GradientCheckTest.Case c) {
        GradientCheckTest.check(c);
    }

    // ------------------------------------------------------------------------------------------------ errors

    @Test
    void errorsNameTheOpAndShapes() {
        try (Scope s = Scope.open()) {
            Pool p = new Pool(new Image(1, 2, new long[] {4, 4}, false), new long[] {2, 2}, new long[] {2, 2}, false,
                    true);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> PoolOps.pool(Tensor.zeros(1, 4, 4, 3), desc(p)));
            assertTrue(e.getMessage().contains("max_pool") && e.getMessage().contains("(1, 4, 4, 3)")
                    && e.getMessage().contains("(1, 4, 4, 2)"), e.getMessage());
            PoolDesc bad = new PoolDesc(2, false, PoolDesc.Algorithm.AVG, 1, 2, new long[] {4, 4}, new long[] {4, 4},
                    new long[] {2, 2}, new long[] {1, 1}, new long[] {2, 0}, new long[] {0, 1});
            NativeException ne = assertThrows(NativeException.class, () -> PoolOps.pool(Tensor.zeros(1, 4, 4, 2), bad));
            assertTrue(ne.getMessage().contains("pool_forward") && ne.getMessage().contains("smaller than the window"),
                    ne.getMessage());
            PoolDesc wrongOut = new PoolDesc(1, false, PoolDesc.Algorithm.MAX, 1, 1, new long[] {4}, new long[] {3},
                    new long[] {2}, new long[] {2}, new long[] {0}, new long[] {0});
            ne = assertThrows(NativeException.class, () -> PoolOps.pool(Tensor.zeros(1, 4, 1), wrongOut));
            assertTrue(ne.getMessage().contains("do not give 3 outputs"), ne.getMessage());
            PoolDesc zeroStride = new PoolDesc(1, false, PoolDesc.Algorithm.MAX, 1, 1, new long[] {4}, new long[] {3},
                    new long[] {2}, new long[] {0}, new long[] {0}, new long[] {0});
            ne = assertThrows(NativeException.class, () -> PoolOps.pool(Tensor.zeros(1, 4, 1), zeroStride));
            assertTrue(ne.getMessage().contains("strides must be positive"), ne.getMessage());

            e = assertThrows(IllegalArgumentException.class,
                    () -> PoolOps.resizeBilinear(Tensor.zeros(2, 3, 4), 4, 4, false, true));
            assertTrue(e.getMessage().contains("resize_bilinear") && e.getMessage().contains("(2, 3, 4)"),
                    e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> PoolOps.resizeBilinear(Tensor.zeros(1, 3, 4, 1), 0, 4, false, true));
            assertTrue(e.getMessage().contains("positive"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> PoolOps.pad(Tensor.zeros(2, 3), new long[] {0, -1}, new long[] {0, 0}));
            assertTrue(e.getMessage().contains("pad") && e.getMessage().contains("negative"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> PoolOps.crop(Tensor.zeros(2, 3), new long[] {0, 2}, new long[] {0, 1}));
            assertTrue(e.getMessage().contains("crop") && e.getMessage().contains("(2, 3)"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> PoolOps.repeatElements(Tensor.zeros(2, 3), new long[] {1, 0}));
            assertTrue(e.getMessage().contains("repeat_elements") && e.getMessage().contains("positive"),
                    e.getMessage());
        }
    }
}
