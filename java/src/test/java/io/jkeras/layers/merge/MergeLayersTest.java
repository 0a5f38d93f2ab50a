package io.jkeras.layers.merge;

import static io.jkeras.layers.merge.GradientChecks.size;
import static io.jkeras.layers.merge.GradientChecks.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.layers.KerasTensor;
import io.jkeras.layers.Layer;
import io.jkeras.layers.Layers;
import io.jkeras.layers.core.Masking;
import io.jkeras.models.Input;
import io.jkeras.models.Model;
import io.jkeras.saving.Json;
import io.jkeras.tensor.Scope;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import io.jkeras.testing.Golden;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleBinaryOperator;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The merge layers against slow loops, their shape and mask rules, errors, configs and functional forms. */
class MergeLayersTest {
    private Scope scope;

    @BeforeEach
    void open() {
        scope = Scope.open();
    }

    @AfterEach
    void close() {
        scope.close();
    }

    // ------------------------------------------------------------------------------------------- references

    /** Keras's rule: size-1 axes inserted after the batch axis up to rank r. */
    private static long[] expanded(long[] s, int r) {
        long[] out = new long[r];
        Arrays.fill(out, 1);
        out[0] = s[0];
        System.arraycopy(s, 1, out, r - s.length + 1, s.length - 1);
        return out;
    }

    /** fold(op) over the inputs, broadcast per element with explicit index arithmetic. */
    static float[] elementwise(List<float[]> xs, List<long[]> shapes, DoubleBinaryOperator op, long[] outShape) {
        int r = outShape.length;
        int n = size(outShape);
        float[] out = new float[n];
        int[] idx = new int[r];
        for (int f = 0; f < n; f++) {
            int rem = f;
            for (int d = r - 1; d >= 0; d--) {
                idx[d] = (int) (rem % outShape[d]);
                rem /= (int) outShape[d];
            }
            double acc = 0;
            for (int k = 0; k < xs.size(); k++) {
                long[] s = expanded(shapes.get(k), r);
                int off = 0;
                for (int d = 0; d < r; d++) {
                    off = off * (int) s[d] + (s[d] == 1 ? 0 : idx[d]);
                }
                double v = xs.get(k)[off];
                acc = k == 0 ? v : op.applyAsDouble(acc, v);
            }
            out[f] = (float) acc;
        }
        return out;
    }

    private static List<Tensor> tensors(List<float[]> xs, List<long[]> shapes) {
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < xs.size(); i++) {
            out.add(Tensor.of(xs.get(i), shapes.get(i)));
        }
        return out;
    }

    /** Inputs whose broadcast values are pairwise at least 0.05 apart (no ties for max / min). */
    private static List<float[]> noTies(List<long[]> shapes, long[] out, long seed) {
        for (long s = seed;; s++) {
            List<float[]> xs = new ArrayList<>();
            for (int i = 0; i < shapes.size(); i++) {
                xs.add(uniform(s * 13 + i, size(shapes.get(i)), -2, 2));
            }
            boolean ok = true;
            for (int i = 0; i < shapes.size() && ok; i++) {
                for (int j = i + 1; j < shapes.size() && ok; j++) {
                    float[] d = elementwise(List.of(xs.get(i), xs.get(j)), List.of(shapes.get(i), shapes.get(j)),
                            (a, b) -> Math.abs(a - b), out);
                    for (float v : d) {
                        ok &= v > 0.05f;
                    }
                }
            }
            if (ok) {
                return xs;
            }
        }
    }

    private record Case(String name, Supplier<Layer> make, DoubleBinaryOperator op, boolean average) {
    }

    private static final List<Case> ELEMENTWISE = List.of(
            new Case("Add", Add::new, Double::sum, false),
            new Case("Multiply", Multiply::new, (a, b) -> a * b, false),
            new Case("Average", Average::new, Double::sum, true),
            new Case("Maximum", Maximum::new, Math::max, false),
            new Case("Minimum", Minimum::new, Math::min, false));

    // --------------------------------------------------------------------------------------- elementwise

    @Test
    void elementwiseMergesBroadcastAndExpandRanksAsKeras() {
        List<long[]> shapes = List.of(new long[] {2, 3, 4}, new long[] {2, 1, 4}, new long[] {2, 4});
        long[] out = {2, 3, 4};
        List<float[]> xs = noTies(shapes, out, 1);
        for (Case c : ELEMENTWISE) {
            Layer layer = c.make().get();
            Tensor y = layer.apply(tensors(xs, shapes)).get(0);
            float[] want = elementwise(xs, shapes, c.op(), out);
            if (c.average()) {
                for (int i = 0; i < want.length; i++) {
                    want[i] /= 3f;
                }
            }
            assertArrayEquals(out, y.shape(), c.name());
            Golden.assertClose(c.name(), want, y.toFloatArray(), 1e-6);
            List<Shape> sym = layer.computeOutputShape(List.of(Shape.of(-1, 3, 4), Shape.of(-1, 1, 4), Shape.of(-1, 4)));
            assertEquals(Shape.of(-1, 3, 4), sym.get(0), c.name() + " symbolic shape");
        }
    }

    @Test
    void subtractIsTheDifferenceOfExactlyTwoInputs() {
        List<long[]> shapes = List.of(new long[] {2, 3}, new long[] {2, 1});
        List<float[]> xs = List.of(uniform(1, 6, -2, 2), uniform(2, 2, -2, 2));
        Tensor y = new Subtract().apply(tensors(xs, shapes)).get(0);
        Golden.assertClose("subtract", elementwise(xs, shapes, (a, b) -> a - b, new long[] {2, 3}), y.toFloatArray(),
                1e-6);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Subtract().apply(List.of(Tensor.ones(2, 3), Tensor.ones(2, 3), Tensor.ones(2, 3))));
        assertTrue(e.getMessage().contains("exactly 2 inputs"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Subtract().apply(Tensor.ones(2, 3)));
        assertTrue(e.getMessage().contains("exactly 2 inputs"), e.getMessage());
    }

    @Test
    void shapeRulesWithUnknownDimensions() {
        Add add = new Add();
        assertEquals(Shape.of(-1, -1, 4), add.computeOutputShape(List.of(Shape.of(-1, -1, 4), Shape.of(-1, 3, 4)))
                .get(0));
        assertEquals(Shape.of(2, 3), add.computeOutputShape(List.of(Shape.of(2, 3), Shape.of(-1, 3))).get(0));
        assertEquals(Shape.of(-1, 5, 3), add.computeOutputShape(List.of(Shape.of(-1, 5, 1), Shape.of(-1, 3))).get(0));
    }

    @Test
    void errorsNameTheProblem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Add().apply(Tensor.ones(2, 3)));
        assertTrue(e.getMessage().contains("at least 2 inputs. Got 1 input"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new Add().apply(List.of(Tensor.ones(2, 3), Tensor.ones(2, 4))));
        assertTrue(e.getMessage().contains("could not be broadcast"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new Multiply().apply(List.of(Tensor.ones(2, 3), Tensor.ones(1, 3))));
        assertTrue(e.getMessage().contains("different batch sizes"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new Concatenate(1).apply(List.of(Tensor.ones(2, 3, 4), Tensor.ones(2, 3, 5))));
        assertTrue(e.getMessage().contains("matching shapes except for the concat axis"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new Concatenate(3).apply(List.of(Tensor.ones(2, 3), Tensor.ones(2, 3))));
        assertTrue(e.getMessage().contains("axis 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new Dot(1).apply(List.of(Tensor.ones(2, 3), Tensor.ones(2, 4))));
        assertTrue(e.getMessage().contains("Dimension incompatibility 3 != 4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new Dot(1).apply(List.of(Tensor.ones(2, 3), Tensor.ones(2, 3), Tensor.ones(2, 3))));
        assertTrue(e.getMessage().contains("list of 2 inputs"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new Dot(0).apply(List.of(Tensor.ones(2, 3), Tensor.ones(2, 3))));
        assertTrue(e.getMessage().contains("non-batch axis"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Layers.deserialize(Map.of("class_name", "Dot",
                "config", Map.of("axes", List.of(1, 2, 3)))));
        assertTrue(e.getMessage().contains("two elements"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Layers.deserialize(Map.of("class_name", "Add",
                "config", Map.of("axis", 1))));
        assertTrue(e.getMessage().contains("unknown argument"), e.getMessage());
    }

    // ---------------------------------------------------------------------------------------------- masks

    private static Tensor mask(float... v) {
        return Tensor.of(v, 2, v.length / 2);
    }

    @Test
    void elementwiseMasksAreAnded() {
        List<Tensor> xs = List.of(Tensor.ones(2, 3, 4), Tensor.ones(2, 3, 4), Tensor.ones(2, 3, 4));
        Tensor m1 = mask(1, 1, 0, 1, 0, 1);
        Tensor m3 = mask(0, 1, 1, 1, 1, 1);
        Layer.Outputs o = new Add().invoke(xs, Arrays.asList(m1, null, m3), false);
        assertArrayEquals(new float[] {0, 1, 0, 1, 0, 1}, o.masks().get(0).toFloatArray());
        assertNull(new Add().invoke(xs, Arrays.asList(null, null, null), false).masks().get(0));
        assertNull(new Add().invoke(xs, null, false).masks().get(0));
    }

    @Test
    void concatenateMasksFollowKeras() {
        // along the features: a mask per timestep survives where every masked input keeps the step
        List<Tensor> xs = List.of(Tensor.ones(2, 3, 4), Tensor.ones(2, 3, 2));
        Tensor m1 = mask(1, 0, 1, 1, 1, 0);
        Layer.Outputs o = new Concatenate().invoke(xs, Arrays.asList(m1, null), false);
        assertArrayEquals(new long[] {2, 3}, o.masks().get(0).shape());
        assertArrayEquals(new float[] {1, 0, 1, 1, 1, 0}, o.masks().get(0).toFloatArray());
        // along time: the masks are joined, an unmasked input counts as all ones
        List<Tensor> ts = List.of(Tensor.ones(2, 3, 4), Tensor.ones(2, 2, 4));
        Layer.Outputs t = new Concatenate(1).invoke(ts, Arrays.asList(m1, null), false);
        assertArrayEquals(new long[] {2, 5}, t.masks().get(0).shape());
        assertArrayEquals(new float[] {1, 0, 1, 1, 1, 1, 1, 0, 1, 1}, t.masks().get(0).toFloatArray());
        assertNull(new Dot(2).invoke(List.of(Tensor.ones(2, 3, 4), Tensor.ones(2, 3, 4)), Arrays.asList(m1, m1), false)
                .masks().get(0));
    }

    @Test
    void masksFlowThroughAFunctionalGraph() {
        KerasTensor a = Input.create(3, 2);
        KerasTensor b = Input.create(3, 2);
        KerasTensor ma = new Masking(0.0).apply(a);
        KerasTensor mb = new Masking(0.0).apply(b);
        Model m = new Model(List.of(a, b), List.of(Merge.add(ma, mb)));
        float[] av = {1, 1, 0, 0, 2, 2, 3, 3, 0, 0, 1, 1};
        float[] bv = {1, 1, 1, 1, 0, 0, 3, 3, 1, 1, 1, 1};
        Layer.Outputs o = m.invoke(List.of(Tensor.of(av, 2, 3, 2), Tensor.of(bv, 2, 3, 2)), null, false);
        assertArrayEquals(new float[] {1, 0, 0, 1, 0, 1}, o.masks().get(0).toFloatArray());
    }

    // ------------------------------------------------------------------------------------------ concatenate

    @Test
    void concatenateJoinsAlongTheAxis() {
        float[] a = uniform(3, 6, -1, 1), b = uniform(4, 2, -1, 1), c = uniform(5, 8, -1, 1);
        Tensor y = new Concatenate(1).apply(List.of(Tensor.of(a, 2, 3), Tensor.of(b, 2, 1), Tensor.of(c, 2, 4))).get(0);
        float[] want = new float[16];
        for (int r = 0; r < 2; r++) {
            int o = r * 8;
            for (int j = 0; j < 3; j++) {
                want[o++] = a[r * 3 + j];
            }
            want[o++] = b[r];
            for (int j = 0; j < 4; j++) {
                want[o++] = c[r * 4 + j];
            }
        }
        assertArrayEquals(new long[] {2, 8}, y.shape());
        assertArrayEquals(want, y.toFloatArray());
        Concatenate cat = new Concatenate(-2);
        assertEquals(Shape.of(-1, -1, 4), cat.computeOutputShape(List.of(Shape.of(-1, 3, 4), Shape.of(-1, -1, 4))).get(0));
        assertEquals(Shape.of(-1, 7, 4), cat.computeOutputShape(List.of(Shape.of(-1, 3, 4), Shape.of(2, 4, -1))).get(0)
                .withDim(0, -1));
    }

    // ------------------------------------------------------------------------------------------------- dot

    /** Per-sample contraction of x's axis ax with y's axis ay, output as Keras's batch_dot orders it. */
    static float[] batchDot(float[] x, long[] sx, float[] y, long[] sy, int ax, int ay) {
        List<Integer> rx = new ArrayList<>(), ry = new ArrayList<>();
        for (int d = 1; d < sx.length; d++) {
            if (d != ax) {
                rx.add(d);
            }
        }
        for (int d = 1; d < sy.length; d++) {
            if (d != ay) {
                ry.add(d);
            }
        }
        long[] inner = new long[rx.size() + ry.size()];
        for (int i = 0; i < rx.size(); i++) {
            inner[i] = sx[rx.get(i)];
        }
        for (int i = 0; i < ry.size(); i++) {
            inner[rx.size() + i] = sy[ry.get(i)];
        }
        int per = size(inner);
        int batch = (int) sx[0];
        long[] stx = strides(sx), sty = strides(sy);
        float[] out = new float[batch * per];
        int[] idx = new int[inner.length];
        for (int b = 0; b < batch; b++) {
            for (int f = 0; f < per; f++) {
                int rem = f;
                for (int d = inner.length - 1; d >= 0; d--) {
                    idx[d] = (int) (rem % inner[d]);
                    rem /= (int) inner[d];
                }
                double s = 0;
                for (int k = 0; k < sx[ax]; k++) {
                    long fx = b * stx[0] + k * stx[ax], fy = b * sty[0] + k * sty[ay];
                    for (int i = 0; i < rx.size(); i++) {
                        fx += idx[i] * stx[rx.get(i)];
                    }
                    for (int i = 0; i < ry.size(); i++) {
                        fy += idx[rx.size() + i] * sty[ry.get(i)];
                    }
                    s += (double) x[(int) fx] * y[(int) fy];
                }
                out[b * per + f] = (float) s;
            }
        }
        return out;
    }

    private static long[] strides(long[] s) {
        long[] st = new long[s.length];
        long acc = 1;
        for (int i = s.length - 1; i >= 0; i--) {
            st[i] = acc;
            acc *= s[i];
        }
        return st;
    }

    private static float[] l2Normalized(float[] x, long[] s, int axis) {
        long[] st = strides(s);
        float[] out = x.clone();
        for (int f = 0; f < x.length; f++) {
            if ((f / st[axis]) % s[axis] != 0) {
                continue;
            }
            double sum = 0;
            for (int k = 0; k < s[axis]; k++) {
                sum += (double) x[(int) (f + k * st[axis])] * x[(int) (f + k * st[axis])];
            }
            double inv = 1 / Math.sqrt(Math.max(sum, 1e-12));
            for (int k = 0; k < s[axis]; k++) {
                out[(int) (f + k * st[axis])] = (float) (x[(int) (f + k * st[axis])] * inv);
            }
        }
        return out;
    }

    private record DotCase(Dot layer, long[] sx, long[] sy, int ax, int ay, boolean normalize, long[] out) {
    }

    private static List<DotCase> dotCases() {
        return List.of(
                new DotCase(new Dot(1), new long[] {2, 5}, new long[] {2, 5}, 1, 1, false, new long[] {2, 1}),
                new DotCase(new Dot(-1, true), new long[] {2, 5}, new long[] {2, 5}, 1, 1, true, new long[] {2, 1}),
                new DotCase(new Dot(new int[] {2, 1}, false), new long[] {2, 3, 4}, new long[] {2, 4, 5}, 2, 1, false,
                        new long[] {2, 3, 5}),
                new DotCase(new Dot(new int[] {1, 2}, true), new long[] {2, 4, 3}, new long[] {2, 5, 4}, 1, 2, true,
                        new long[] {2, 3, 5}),
                new DotCase(new Dot(new int[] {2, 1}, false), new long[] {2, 3, 4}, new long[] {2, 4}, 2, 1, false,
                        new long[] {2, 3}),
                new DotCase(new Dot(new int[] {-1, 2}, false), new long[] {2, 3, 4}, new long[] {2, 2, 4, 3}, 2, 2,
                        false, new long[] {2, 3, 2, 3}));
    }

    @Test
    void dotMatchesAPerSampleLoop() {
        int seed = 10;
        for (DotCase c : dotCases()) {
            float[] x = uniform(seed++, size(c.sx()), -1, 1), y = uniform(seed++, size(c.sy()), -1, 1);
            Tensor out = c.layer().apply(List.of(Tensor.of(x, c.sx()), Tensor.of(y, c.sy()))).get(0);
            float[] xx = c.normalize() ? l2Normalized(x, c.sx(), c.ax()) : x;
            float[] yy = c.normalize() ? l2Normalized(y, c.sy(), c.ay()) : y;
            String name = "dot " + Arrays.toString(c.sx()) + " . " + Arrays.toString(c.sy());
            assertArrayEquals(c.out(), out.shape(), name);
            Golden.assertClose(name, batchDot(xx, c.sx(), yy, c.sy(), c.ax(), c.ay()), out.toFloatArray(), 1e-5);
            Shape sym = c.layer().computeOutputShape(List.of(Shape.of(c.sx()).withDim(0, -1),
                    Shape.of(c.sy()).withDim(0, -1))).get(0);
            assertEquals(Shape.of(c.out()).withDim(0, -1), sym, name + " symbolic");
        }
    }

    // ------------------------------------------------------------------------------------------- gradients

    @Test
    void gradientsMatchFiniteDifferences() {
        List<long[]> shapes = List.of(new long[] {2, 3, 4}, new long[] {2, 1, 4}, new long[] {2, 4});
        List<float[]> xs = noTies(shapes, new long[] {2, 3, 4}, 40);
        for (Case c : ELEMENTWISE) {
            GradientChecks.check(c.name(), c.make().get(), xs, shapes, null, false, 24);
        }
        GradientChecks.check("Subtract", new Subtract(), xs.subList(0, 2), shapes.subList(0, 2), null, false, 24);
        GradientChecks.check("Concatenate", new Concatenate(1),
                List.of(uniform(1, 24, -1, 1), uniform(2, 8, -1, 1)),
                List.of(new long[] {2, 3, 4}, new long[] {2, 1, 4}), null, false, 24);
        int seed = 60;
        for (DotCase c : dotCases()) {
            GradientChecks.check("Dot " + Arrays.toString(c.sx()), c.layer(),
                    List.of(uniform(seed++, size(c.sx()), -1, 1), uniform(seed++, size(c.sy()), -1, 1)),
                    List.of(c.sx(), c.sy()), null, false, 24);
        }
    }

    // ---------------------------------------------------------------------------------------------- configs

    @Test
    void configsRoundTrip() {
        List<Layer> layers = List.of(new Add(), new Subtract(), new Multiply(), new Average(), new Maximum(),
                new Minimum(), new Concatenate(1), new Dot(2, true), new Dot(new int[] {1, -1}, false));
        for (Layer l : layers) {
            Map<String, Object> c = Json.roundTrip(l.getConfig());
            Layer again = Layers.deserialize(Layers.serialize(l));
            assertEquals(l.className(), again.className());
            assertEquals(c, Json.roundTrip(again.getConfig()), l.className());
        }
        assertEquals(List.of("name", "trainable", "dtype", "axes", "normalize"),
                new ArrayList<>(new Dot(new int[] {1, 2}, false).getConfig().keySet()));
        assertEquals(List.of(1, -1), new Dot(new int[] {1, -1}, false).getConfig().get("axes"));
        assertEquals(2, new Dot(2).getConfig().get("axes"));
        assertEquals(List.of("name", "trainable", "dtype", "axis"), new ArrayList<>(new Concatenate().getConfig()
                .keySet()));
        assertEquals(-1, new Concatenate().getConfig().get("axis"));
        assertEquals("add", Layers.deserialize(Map.of("class_name", "Add", "config", Map.of("name", "add")))
                .getName());
        assertTrue(new Average().getName().startsWith("average"));
    }

    // ------------------------------------------------------------------------------------------ functional

    @Test
    void functionalFormsBuildAGraph() {
        KerasTensor a = Input.create(3, 4);
        KerasTensor b = Input.create(3, 4);
        KerasTensor c = Input.create(4);
        KerasTensor sum = Merge.add(a, b);
        KerasTensor diff = Merge.subtract(a, b);
        KerasTensor prod = Merge.multiply(List.of(sum, diff, c));
        KerasTensor avg = Merge.average(prod, a);
        KerasTensor mx = Merge.maximum(avg, b);
        KerasTensor mn = Merge.minimum(List.of(mx, a));
        KerasTensor cat = Merge.concatenate(List.of(mn, a), 1);
        KerasTensor dot = Merge.dot(List.of(cat, cat), 2, true);
        assertEquals(Shape.of(-1, 6, 6), dot.shape());
        assertEquals(Shape.of(-1, 6, 4), cat.shape());
        Model m = new Model(List.of(a, b, c), List.of(dot));
        float[] av = uniform(1, 24, -1, 1), bv = uniform(2, 24, -1, 1), cv = uniform(3, 8, -1, 1);
        Tensor y = m.predict(List.of(Tensor.of(av, 2, 3, 4), Tensor.of(bv, 2, 3, 4), Tensor.of(cv, 2, 4))).get(0);
        // the same with explicit loops
        float[] s = new float[24], mnv = new float[24];
        for (int i = 0; i < 24; i++) {
            int bb = i / 12, f = i % 4;
            float p = (av[i] + bv[i]) * (av[i] - bv[i]) * cv[bb * 4 + f];
            float avg1 = (p + av[i]) / 2f;
            mnv[i] = Math.min(Math.max(avg1, bv[i]), av[i]);
        }
        float[] catv = new float[48];
        for (int bb = 0; bb < 2; bb++) {
            System.arraycopy(mnv, bb * 12, catv, bb * 24, 12);
            System.arraycopy(av, bb * 12, catv, bb * 24 + 12, 12);
        }
        float[] nrm = l2Normalized(catv, new long[] {2, 6, 4}, 2);
        float[] want = batchDot(nrm, new long[] {2, 6, 4}, nrm, new long[] {2, 6, 4}, 2, 2);
        Golden.assertClose("functional merges", want, y.toFloatArray(), 1e-5);
        // and the graph's config deserializes to a model with the same predictions
        Model again = (Model) Layers.deserialize(Layers.serialize(m));
        Tensor y2 = again.predict(List.of(Tensor.of(av, 2, 3, 4), Tensor.of(bv, 2, 3, 4), Tensor.of(cv, 2, 4))).get(0);
        assertArrayEquals(y.toFloatArray(), y2.toFloatArray());
        assertTrue(s.length == 24);
    }

    @Test
    void aSharedMergeLayerServesSeveralNodes() {
        Add add = new Add();
        KerasTensor a = Input.create(2);
        KerasTensor b = Input.create(2);
        KerasTensor s1 = add.apply(a, b);
        KerasTensor s2 = add.apply(s1, a);
        Model m = new Model(List.of(a, b), List.of(s2));
        assertEquals(2, add.inboundNodes().size());
        Tensor y = m.predict(List.of(Tensor.of(new float[] {1, 2}, 1, 2), Tensor.of(new float[] {10, 20}, 1, 2))).get(0);
        assertArrayEquals(new float[] {12, 24}, y.toFloatArray());
    }
}
