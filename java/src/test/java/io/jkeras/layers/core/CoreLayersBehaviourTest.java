package io.jkeras.layers.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.layers.Layer;
import io.jkeras.models.Sequential;
import io.jkeras.ops.GradientTape;
import io.jkeras.ops.Ops;
import io.jkeras.regularizers.L1L2;
import io.jkeras.tensor.Scope;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import io.jkeras.testing.Golden;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Semantics of the core layers that the TF.js fixtures do not reach: training mode, masks, errors, weights. */
class CoreLayersBehaviourTest {
    private Scope scope;

    @BeforeEach
    void openScope() {
        scope = Scope.open();
    }

    @AfterEach
    void closeScope() {
        scope.close();
    }

    private static Tensor training(Layer layer, Tensor x) {
        return layer.invoke(List.of(x), null, true).tensors().get(0);
    }

    private static Tensor random(long seed, long... shape) {
        Random r = new Random(seed);
        int n = (int) Shape.of(shape).size();
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextDouble() * 4 - 2);
        }
        return Tensor.of(v, shape);
    }

    private static IllegalArgumentException iae(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run);
    }

    private static void assertMessage(Throwable e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage() != null && e.getMessage().contains(p),
                    "message should contain \"" + p + "\": " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------------------------------------ Dropout

    @Nested
    class DropoutTraining {
        @Test
        void dropsAboutRateAndScalesTheRest() {
            double rate = 0.3;
            Tensor x = Tensor.ones(100, 100);
            float[] y = training(new Dropout(rate, null, 123L), x).toFloatArray();
            int zeros = 0;
            float kept = (float) (1 / (1 - rate));
            for (float v : y) {
                if (v == 0f) {
                    zeros++;
                } else {
                    assertEquals(kept, v, 1e-6, "a kept value is scaled by 1 / (1 - rate)");
                }
            }
            // 10,000 Bernoulli(0.3) draws: standard deviation of the fraction 0.0046.
            assertEquals(rate, zeros / 10000.0, 0.02, "fraction zeroed");
            // The expectation is preserved: mean of y close to 1.
            double mean = 0;
            for (float v : y) {
                mean += v;
            }
            assertEquals(1.0, mean / y.length, 0.05);
        }

        @Test
        void keepsTheSignAndMagnitudeOfEachKeptValue() {
            Tensor x = random(1, 50, 40);
            float[] in = x.toFloatArray();
            float[] y = training(new Dropout(0.5, null, 9L), x).toFloatArray();
            for (int i = 0; i < y.length; i++) {
                assertTrue(y[i] == 0f || Math.abs(y[i] - 2 * in[i]) <= 1e-6 * Math.max(1, Math.abs(in[i])),
                        "element " + i + ": " + in[i] + " -> " + y[i]);
            }
        }

        @Test
        void seededLayersDrawTheSameMask() {
            Tensor x = Tensor.ones(30, 30);
            float[] a = training(new Dropout(0.4, null, 77L), x).toFloatArray();
            float[] b = training(new Dropout(0.4, null, 77L), x).toFloatArray();
            assertArrayEquals(a, b, "same seed, same first mask");
            Dropout d = new Dropout(0.4, null, 77L);
            float[] first = training(d, x).toFloatArray();
            float[] second = training(d, x).toFloatArray();
            assertFalse(Arrays.equals(first, second), "a new mask on every training call");
        }

        @Test
        void noiseShapeBroadcastsTheMask() {
            // noise_shape (batch, 1, features): the same pattern on every timestep.
            long batch = 40, steps = 6, features = 10;
            Tensor x = Tensor.ones(batch, steps, features);
            float[] y = training(new Dropout(0.5, new long[] {-1, 1, features}, 5L), x).toFloatArray();
            int zeros = 0;
            for (int b = 0; b < batch; b++) {
                for (int f = 0; f < features; f++) {
                    float v0 = y[(int) ((b * steps) * features + f)];
                    assertTrue(v0 == 0f || v0 == 2f, "value " + v0);
                    if (v0 == 0f) {
                        zeros++;
                    }
                    for (int t = 1; t < steps; t++) {
                        assertEquals(v0, y[(int) ((b * steps + t) * features + f)],
                                "sample " + b + " feature " + f + " step " + t + " differs from step 0");
                    }
                }
            }
            assertEquals(0.5, zeros / (double) (batch * features), 0.1, "fraction of dropped (sample, feature)");
        }

        @Test
        void inferenceIsTheIdentity() {
            Tensor x = random(2, 4, 5);
            Dropout d = new Dropout(0.5, null, 1L);
            assertArrayEquals(x.toFloatArray(), d.apply(x).toFloatArray());
            assertArrayEquals(x.toFloatArray(), d.invoke(List.of(x), null, false).tensors().get(0).toFloatArray());
        }

        @Test
        void rateZeroIsTheIdentityEvenInTraining() {
            Tensor x = random(3, 4, 5);
            assertArrayEquals(x.toFloatArray(), training(new Dropout(0.0, null, 1L), x).toFloatArray());
        }

        @Test
        void gradientFlowsThroughKeptUnitsOnly() {
            Tensor x = random(4, 20, 20);
            try (GradientTape tape = new GradientTape()) {
                tape.watch(x);
                Tensor y = training(new Dropout(0.5, null, 11L), x);
                Tensor g = tape.gradient(Ops.sum(y), List.of(x)).get(0);
                float[] yv = y.toFloatArray();
                float[] gv = g.toFloatArray();
                for (int i = 0; i < yv.length; i++) {
                    assertEquals(yv[i] == 0f ? 0f : 2f, gv[i], 1e-6, "gradient at " + i);
                }
            }
        }
    }

    @Nested
    class SpatialDropoutTraining {
        /** Checks that every (sample, channel) map is all zeros or all 1/(1-rate) and about rate of them drop. */
        private void checkWholeMaps(float[] y, int batch, int channels, int spatial, boolean channelsFirst,
                double rate) {
            float kept = (float) (1 / (1 - rate));
            int dropped = 0;
            for (int b = 0; b < batch; b++) {
                for (int c = 0; c < channels; c++) {
                    float first = Float.NaN;
                    for (int s = 0; s < spatial; s++) {
                        int i = channelsFirst ? (b * channels + c) * spatial + s : (b * spatial + s) * channels + c;
                        if (s == 0) {
                            first = y[i];
                            assertTrue(first == 0f || Math.abs(first - kept) < 1e-6, "value " + first);
                        } else {
                            assertEquals(first, y[i], "sample " + b + " channel " + c + " position " + s
                                    + " differs: the whole feature map must be kept or dropped");
                        }
                    }
                    if (first == 0f) {
                        dropped++;
                    }
                }
            }
            assertEquals(rate, dropped / (double) (batch * channels), 0.08, "fraction of dropped maps");
        }

        @Test
        void spatial2dChannelsLast() {
            Tensor x = Tensor.ones(25, 4, 5, 16);
            Layer l = new SpatialDropout2D(0.5);
            checkWholeMaps(training(l, x).toFloatArray(), 25, 16, 20, false, 0.5);
        }

        @Test
        void spatial2dChannelsFirst() {
            Tensor x = Tensor.ones(25, 16, 4, 5);
            Layer l = new SpatialDropout2D(0.5, "channels_first");
            checkWholeMaps(training(l, x).toFloatArray(), 25, 16, 20, true, 0.5);
        }

        @Test
        void spatial1d() {
            Tensor x = Tensor.ones(25, 7, 16);
            checkWholeMaps(training(new SpatialDropout1D(0.5), x).toFloatArray(), 25, 16, 7, false, 0.5);
        }

        @Test
        void spatial3dBothFormats() {
            checkWholeMaps(training(new SpatialDropout3D(0.5), Tensor.ones(20, 2, 3, 2, 20)).toFloatArray(),
                    20, 20, 12, false, 0.5);
            checkWholeMaps(training(new SpatialDropout3D(0.5, "channels_first"), Tensor.ones(20, 20, 2, 3, 2))
                    .toFloatArray(), 20, 20, 12, true, 0.5);
        }

        @Test
        void wrongRankIsRefused() {
            IllegalArgumentException e = iae(() -> new SpatialDropout2D(0.5).apply(Tensor.ones(2, 3, 4)));
            assertMessage(e, "expected ndim=4", "found ndim=3");
        }

        @Test
        void badDataFormatIsRefused() {
            assertMessage(iae(() -> new SpatialDropout2D(0.5, "channels_middle")), "data_format");
        }
    }

    // ----------------------------------------------------------------------------------- ActivityRegularization

    @Test
    void activityRegularizationAddsItsPenaltyPerSample() {
        float[] v = {1, -2, 3, -4, 0.5f, -0.5f, 2, 2};
        Tensor x = Tensor.of(v, 4, 2);
        double l1 = 0.01, l2 = 0.02;
        ActivityRegularization layer = new ActivityRegularization(l1, l2);
        Tensor y = layer.invoke(List.of(x), null, true).tensors().get(0);
        assertArrayEquals(v, y.toFloatArray(), "the identity on its input");
        double sumAbs = 0, sumSq = 0;
        for (float f : v) {
            sumAbs += Math.abs(f);
            sumSq += f * f;
        }
        List<Tensor> losses = layer.losses();
        assertEquals(1, losses.size(), "one activity loss for the last call");
        assertEquals((l1 * sumAbs + l2 * sumSq) / 4, losses.get(0).item(), 1e-6);
        // A second call replaces it (losses belong to the last call).
        layer.invoke(List.of(Ops.mul(x, 2f)), null, true);
        assertEquals(1, layer.losses().size());
        assertEquals((l1 * 2 * sumAbs + l2 * 4 * sumSq) / 4, layer.losses().get(0).item(), 1e-5);
    }

    @Test
    void denseActivityAndWeightRegularizers() {
        Dense d = Dense.builder(2).kernelInitializer("ones").biasInitializer("zeros")
                .activityRegularizer(L1L2.l1(0.5)).kernelRegularizer(L1L2.l2(0.1)).build();
        Tensor x = Tensor.of(new float[] {1, 2, 3, -1, -1, -1}, 2, 3);
        d.invoke(List.of(x), null, true);
        // outputs: [6, 6] and [-3, -3]: l1 0.5 * 18 / 2 = 4.5; kernel 3x2 of ones: l2 0.1 * 6 = 0.6.
        List<Float> got = new ArrayList<>();
        for (Tensor t : d.losses()) {
            got.add(t.item());
        }
        got.sort(null);
        assertEquals(2, got.size(), "activity loss and kernel loss: " + got);
        assertEquals(0.6, got.get(0), 1e-6);
        assertEquals(4.5, got.get(1), 1e-6);
    }

    // ---------------------------------------------------------------------------------------------- Lambda

    @Nested
    class LambdaLayer {
        @Test
        void outputShapeGiven() {
            Lambda l = new Lambda(xs -> Ops.reshape(xs.get(0), xs.get(0).dim(0), -1), Shape.of(12), null, null, "flat");
            assertEquals(List.of(Shape.of(-1, 12)), l.computeOutputShape(List.of(Shape.of(-1, 3, 4))));
            assertEquals(List.of(Shape.of(7, 12)), l.computeOutputShape(List.of(Shape.of(7, 3, 4))));
            Tensor y = l.apply(random(5, 2, 3, 4));
            assertArrayEquals(new long[] {2, 12}, y.shape());
        }

        @Test
        void outputShapeInferredByRunningTheFunction() {
            Lambda l = new Lambda(xs -> Ops.sum(xs.get(0), new int[] {-1}, false), null, null, null, "sum_last");
            assertEquals(List.of(Shape.of(-1, 3)), l.computeOutputShape(List.of(Shape.of(-1, 3, 4))));
            Tensor y = l.apply(Tensor.ones(2, 3, 4));
            assertArrayEquals(new long[] {2, 3}, y.shape());
            assertArrayEquals(new float[] {4, 4, 4, 4, 4, 4}, y.toFloatArray());
        }

        @Test
        void outputShapeFunction() {
            Lambda l = new Lambda(xs -> Ops.concat(List.of(xs.get(0), Ops.neg(xs.get(0))), -1), null,
                    s -> s.withDim(-1, s.dim(-1) * 2), null, "antirectifier_like");
            assertEquals(List.of(Shape.of(-1, 10)), l.computeOutputShape(List.of(Shape.of(-1, 5))));
            Tensor y = l.apply(Tensor.of(new float[] {1, 2}, 1, 2));
            assertArrayEquals(new float[] {1, 2, -1, -2}, y.toFloatArray());
        }

        @Test
        void multipleInputs() {
            Lambda l = new Lambda(xs -> Ops.add(xs.get(0), xs.get(1)), null, null, null, "add2");
            List<Tensor> ys = l.apply(List.of(Tensor.of(new float[] {1, 2}, 1, 2), Tensor.of(new float[] {10, 20}, 1, 2)));
            assertArrayEquals(new float[] {11, 22}, ys.get(0).toFloatArray());
        }

        @Test
        void maskFunction() {
            Lambda l = new Lambda(xs -> xs.get(0), null, null, (xs, ms) -> Ops.mul(ms.get(0), 1f), "pass_mask");
            Tensor m = Tensor.of(new float[] {1, 0, 1}, 1, 3);
            Tensor out = l.computeMask(List.of(Tensor.ones(1, 3, 2)), List.of(m)).get(0);
            assertArrayEquals(new float[] {1, 0, 1}, out.toFloatArray());
            Lambda noMask = new Lambda(x -> x);
            assertNull(noMask.computeMask(List.of(Tensor.ones(1, 3, 2)), List.of(m)).get(0),
                    "without a mask function a Lambda outputs no mask (Keras: mask=None)");
        }

        @Test
        void gradientThroughTheTape() {
            Lambda l = new Lambda(x -> Ops.mul(Ops.square(x), 3f));
            Tensor x = random(6, 3, 4);
            Tensor up = random(7, 3, 4);
            Tensor g;
            try (GradientTape tape = new GradientTape()) {
                tape.watch(x);
                Tensor y = l.invoke(List.of(x), null, false).tensors().get(0);
                g = tape.gradient(Ops.sum(Ops.mul(y, up)), List.of(x)).get(0);
            }
            float[] xv = x.toFloatArray(), uv = up.toFloatArray();
            float[] want = new float[xv.length];
            for (int i = 0; i < xv.length; i++) {
                want[i] = 6 * xv[i] * uv[i];
            }
            Golden.assertClose("lambda gradient", want, g.toFloatArray(), 1e-5);
        }
    }

    // --------------------------------------------------------------------------------------------- Masking

    @Nested
    class MaskPropagation {
        private Tensor paddedBatch() {
            // 2 samples, 4 steps, 3 features; zero rows at (0, 1), (1, 2), (1, 3).
            return Tensor.of(new float[] {
                1, 2, 3, 0, 0, 0, 4, 5, 6, 7, 8, 9,
                -1, -2, -3, 1, 0, 0, 0, 0, 0, 0, 0, 0}, 2, 4, 3);
        }

        @Test
        void maskingZeroesMaskedStepsAndReportsTheMask() {
            Masking m = new Masking();
            Tensor x = paddedBatch();
            Tensor y = m.apply(x);
            assertArrayEquals(x.toFloatArray(), y.toFloatArray(), "the masked rows are already zero");
            assertArrayEquals(new float[] {1, 0, 1, 1, 1, 1, 0, 0}, m.computeMask(x, null).toFloatArray());
        }

        @Test
        void maskValueOtherThanZero() {
            Masking m = new Masking(-1);
            Tensor x = Tensor.of(new float[] {-1, -1, 2, -1, -1, -1}, 1, 3, 2);
            // Masked rows are multiplied by 0 (Keras: inputs * cast(mask)), so -1 * 0 gives -0.0: compare numerically.
            Golden.assertClose("masked output", new float[] {0, 0, 2, -1, 0, 0}, m.apply(x).toFloatArray(), 0);
            assertArrayEquals(new float[] {0, 1, 0}, m.computeMask(x, null).toFloatArray());
        }

        @Test
        void throughASequential() {
            Sequential model = new Sequential(new Masking().setInputShape(4, 3), new Dense(2),
                    new Lambda(xs -> xs.get(0), null, null, (xs, ms) -> ms.get(0), "mask_out"));
            Tensor x = paddedBatch();
            List<Tensor> masks = model.computeMask(List.of(x), null);
            assertEquals(1, masks.size());
            assertNotNull(masks.get(0), "Masking's mask reaches the model's output");
            assertArrayEquals(new long[] {2, 4}, masks.get(0).shape());
            assertArrayEquals(new float[] {1, 0, 1, 1, 1, 1, 0, 0}, masks.get(0).toFloatArray());
            // The Dense saw zeros at the masked steps: its output there is the bias (zeros at init).
            float[] y = model.predict(x).toFloatArray();
            assertEquals(0f, y[2], 0f);
            assertEquals(0f, y[3], 0f);
        }

        @Test
        void aLayerWithoutMaskingSupportRefusesAMask() {
            Sequential model = new Sequential(new Masking().setInputShape(4, 3), new Flatten(), new Dense(2));
            IllegalArgumentException e = iae(() -> model.predict(paddedBatch()));
            assertMessage(e, "does not support masking");
            assertMessage(e, model.layers().get(1).getName());
        }

        @Test
        void layersWithoutAMaskOutputNone() {
            assertNull(new Dense(2).computeMask(Tensor.ones(2, 3), null));
            assertNull(new Flatten().computeMask(Tensor.ones(2, 3, 4), null));
        }
    }

    // -------------------------------------------------------------------------------------- shapes and errors

    @Nested
    class ShapeErrors {
        @Test
        void reshapeInfersMinusOne() {
            Reshape r = new Reshape(-1, 2);
            assertEquals(Shape.of(-1, 6, 2), r.computeOutputShape(Shape.of(-1, 3, 4)));
            assertEquals(Shape.of(-1, -1, 2), r.computeOutputShape(Shape.of(-1, -1, 4)),
                    "an unknown input dimension leaves -1 unknown (Keras: None)");
            Tensor y = r.apply(random(8, 5, 3, 4));
            assertArrayEquals(new long[] {5, 6, 2}, y.shape());
        }

        @Test
        void reshapeTwoUnknownsIsRefused() {
            IllegalArgumentException e = iae(() -> new Reshape(-1, -1));
            assertTrue(e.getMessage().toLowerCase().contains("can only specify one unknown dimension"), e.getMessage());
        }

        @Test
        void reshapeWrongTotalIsRefused() {
            Reshape r = new Reshape(5);
            assertMessage(iae(() -> r.computeOutputShape(Shape.of(-1, 3, 4))), "total size of new array must be unchanged");
            assertMessage(iae(() -> r.apply(Tensor.ones(2, 3, 4))), "total size of new array must be unchanged");
            Reshape r2 = new Reshape(5, -1);
            assertMessage(iae(() -> r2.apply(Tensor.ones(2, 3, 4))), "total size of new array must be unchanged");
        }

        @Test
        void permuteInvalidDimsIsRefused() {
            assertMessage(iae(() -> new Permute(1, 3)), "Invalid permutation", "dims");
            assertMessage(iae(() -> new Permute(0, 1)), "Invalid permutation");
            assertMessage(iae(() -> new Permute(2, 2)), "Invalid permutation");
            IllegalArgumentException e = iae(() -> new Permute(2, 1).apply(Tensor.ones(2, 3, 4, 5)));
            assertMessage(e, "3", "4");
        }

        @Test
        void permuteMovesAxes() {
            Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 1, 2, 3);
            Tensor y = new Permute(2, 1).apply(x);
            assertArrayEquals(new long[] {1, 3, 2}, y.shape());
            assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, y.toFloatArray());
        }

        @Test
        void repeatVectorNeedsRank2() {
            IllegalArgumentException e = iae(() -> new RepeatVector(3).apply(Tensor.ones(2, 3, 4)));
            assertMessage(e, "expected ndim=2", "found ndim=3");
            Tensor y = new RepeatVector(2).apply(Tensor.of(new float[] {1, 2, 3, 4}, 2, 2));
            assertArrayEquals(new float[] {1, 2, 1, 2, 3, 4, 3, 4}, y.toFloatArray());
        }

        @Test
        void flattenNeedsADefinedShape() {
            IllegalArgumentException e = iae(() -> new Flatten().computeOutputShape(Shape.of(-1, -1, 4)));
            assertMessage(e, "The shape of the input to \"Flatten\"", "is not fully defined");
            IllegalArgumentException e2 = iae(() -> new Sequential(new Reshape(-1, 2).setInputShape(-1, 4),
                    new Flatten()));
            assertMessage(e2, "is not fully defined");
        }

        @Test
        void denseNeedsRankTwo() {
            Dense d = new Dense(3);
            IllegalArgumentException e = iae(() -> d.build(Shape.of(5)));
            assertMessage(e, d.getName(), "expected min_ndim=2", "found ndim=1");
            IllegalArgumentException e2 = iae(() -> new Dense(3).apply(Tensor.ones(5)));
            assertMessage(e2, "expected min_ndim=2");
        }

        @Test
        void denseChecksTheLastDimensionAtCall() {
            Dense d = new Dense(3);
            d.build(Shape.of(-1, 5));
            d.apply(Tensor.ones(2, 5));
            IllegalArgumentException e = iae(() -> d.apply(Tensor.ones(2, 4)));
            assertMessage(e, d.getName(), "expected axis -1 of input shape to have value 5", "(2, 4)");
        }

        @Test
        void denseNeedsAKnownLastDimension() {
            assertMessage(iae(() -> new Dense(3).build(Shape.of(-1, -1))), "should be defined");
        }
    }

    // --------------------------------------------------------------------------------------------- weights

    @Nested
    class Weights {
        private Dense builtDense() {
            Dense d = new Dense(3);
            d.build(Shape.of(-1, 2));
            d.setWeights(List.of(Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3), Tensor.of(new float[] {7, 8, 9}, 3)));
            return d;
        }

        private void assertUnchanged(Dense d) {
            List<Tensor> w = d.getWeights();
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, w.get(0).toFloatArray(), "kernel was written");
            assertArrayEquals(new float[] {7, 8, 9}, w.get(1).toFloatArray(), "bias was written");
        }

        @Test
        void wrongCountIsRefusedAndNothingWritten() {
            Dense d = builtDense();
            IllegalArgumentException e = iae(() -> d.setWeights(List.of(Tensor.zeros(2, 3))));
            assertMessage(e, d.getName(), "1", "2");
            assertUnchanged(d);
            IllegalArgumentException e3 = iae(() -> d.setWeights(List.of(Tensor.zeros(2, 3), Tensor.zeros(3),
                    Tensor.zeros(3))));
            assertMessage(e3, d.getName(), "3", "2");
            assertUnchanged(d);
        }

        @Test
        void wrongShapeIsRefusedAndNothingWritten() {
            Dense d = builtDense();
            // The first weight is right (and different): it must not be written either.
            IllegalArgumentException e = iae(() -> d.setWeights(List.of(Tensor.zeros(2, 3), Tensor.zeros(4))));
            assertMessage(e, d.getName(), "(3,)", "(4,)");
            assertUnchanged(d);
            IllegalArgumentException e2 = iae(() -> d.setWeights(List.of(Tensor.zeros(3, 2), Tensor.zeros(3))));
            assertMessage(e2, d.getName(), "(2, 3)", "(3, 2)");
            assertUnchanged(d);
        }

        @Test
        void getWeightsReturnsCopies() {
            Dense d = builtDense();
            List<Tensor> w = d.getWeights();
            w.get(0).backend().write(w.get(0), new float[] {0, 0, 0, 0, 0, 0});
            assertUnchanged(d);
            for (Tensor t : w) {
                t.close();
            }
            assertUnchanged(d);
            Tensor y = d.apply(Tensor.of(new float[] {1, 1}, 1, 2));
            assertArrayEquals(new float[] {12, 15, 18}, y.toFloatArray());
        }

        @Test
        void setWeightsCopiesItsArguments() {
            Dense d = builtDense();
            Tensor k = Tensor.zeros(2, 3);
            Tensor b = Tensor.ones(3);
            d.setWeights(List.of(k, b));
            k.backend().fill(k, 5f);
            b.close();
            List<Tensor> w = d.getWeights();
            assertArrayEquals(new float[6], w.get(0).toFloatArray());
            assertArrayEquals(new float[] {1, 1, 1}, w.get(1).toFloatArray());
        }

        @Test
        void weightsInKerasOrderAndShapes() {
            Dense d = builtDense();
            assertEquals(List.of("kernel", "bias"), d.weightVariables().stream().map(w -> w.name()).toList());
            assertEquals(9, d.countParams());
            Dense noBias = Dense.builder(4).useBias(false).build();
            noBias.build(Shape.of(-1, 3));
            assertEquals(1, noBias.getWeights().size());
            assertArrayEquals(new long[] {3, 4}, noBias.getWeights().get(0).shape());
        }
    }

    // ------------------------------------------------------------------------------------------ closed tensors

    @Test
    void aClosedInputIsRefused() {
        List<Supplier<Layer>> layers = List.of(() -> new Dense(2), () -> new Activation("relu"),
                () -> new Reshape(-1), () -> new Flatten(), () -> new Permute(2, 1), () -> new Masking(),
                () -> new Dropout(0.5), () -> new ActivityRegularization(0.1, 0), () -> new Lambda(x -> x));
        List<String> accepted = new ArrayList<>();
        for (Supplier<Layer> make : layers) {
            Layer l = make.get();
            Tensor x = Tensor.ones(2, 3, 4);
            x.close();
            try {
                l.apply(x);
                accepted.add(l.className());
            } catch (IllegalStateException e) {
                assertMessage(e, "closed");
            }
        }
        assertTrue(accepted.isEmpty(), "these layers accepted a closed input without an IllegalStateException: "
                + accepted);
    }

    @Test
    void applyReturnsTheLayersOutputNotATemporary() {
        Tensor x = random(10, 3, 4);
        Tensor y;
        try (Scope inner = Scope.open()) {
            y = inner.keep(new Dense(2).apply(x));
        }
        assertFalse(y.isClosed());
        assertEquals(2L, y.dim(1));
    }
}
