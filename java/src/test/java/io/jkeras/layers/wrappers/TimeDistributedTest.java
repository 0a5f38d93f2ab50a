package io.jkeras.layers.wrappers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.layers.Layer;
import io.jkeras.layers.Layers;
import io.jkeras.layers.conv.Conv2D;
import io.jkeras.layers.core.Dense;
import io.jkeras.layers.core.Masking;
import io.jkeras.layers.recurrent.LSTM;
import io.jkeras.models.Sequential;
import io.jkeras.tensor.Scope;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import io.jkeras.testing.LayerGradientCheck;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** TimeDistributed(Dense) and TimeDistributed(Conv2D) against the layer applied step by step; masks; config. */
class TimeDistributedTest {
    /** Every step of x (n, t, rest...) through layer alone. */
    static float[] perStep(Layer layer, float[] x, long[] shape) {
        int n = (int) shape[0];
        int t = (int) shape[1];
        long[] step = new long[shape.length - 1];
        step[0] = 1;
        System.arraycopy(shape, 2, step, 1, shape.length - 2);
        int stepSize = x.length / (n * t);
        float[][] outs = new float[n * t][];
        for (int i = 0; i < n * t; i++) {
            outs[i] = layer.apply(Tensor.of(Arrays.copyOfRange(x, i * stepSize, (i + 1) * stepSize), step))
                    .toFloatArray();
        }
        float[] flat = new float[outs.length * outs[0].length];
        for (int i = 0; i < outs.length; i++) {
            System.arraycopy(outs[i], 0, flat, i * outs[i].length, outs[i].length);
        }
        return flat;
    }

    @Test
    void denseAndConv2DPerStep() {
        try (Scope s = Scope.open()) {
            float[] x = BidirectionalTest.rand(1, 2 * 3 * 4);
            TimeDistributed td = new TimeDistributed(new Dense(5, "tanh"));
            Tensor y = td.apply(Tensor.of(x, 2, 3, 4));
            assertArrayEquals(new long[] {2, 3, 5}, y.shape());
            BidirectionalTest.close(y.toFloatArray(), perStep(td.layer(), x, new long[] {2, 3, 4}), "dense");
            assertEquals(Shape.of(-1, 3, 5), td.computeOutputShape(Shape.of(-1, 3, 4)));

            float[] img = BidirectionalTest.rand(2, 2 * 3 * 5 * 5 * 2);
            Conv2D conv = (Conv2D) Layers.deserialize("{\"class_name\":\"Conv2D\",\"config\":{\"filters\":3,"
                    + "\"kernel_size\":[3,3],\"strides\":[2,2],\"padding\":\"same\",\"activation\":\"relu\"}}");
            TimeDistributed tc = new TimeDistributed(conv);
            Tensor yc = tc.apply(Tensor.of(img, 2, 3, 5, 5, 2));
            assertArrayEquals(new long[] {2, 3, 3, 3, 3}, yc.shape());
            BidirectionalTest.close(yc.toFloatArray(), perStep(conv, img, new long[] {2, 3, 5, 5, 2}), "conv2d");
            assertEquals(2, tc.getWeights().size());
            assertSame(conv.weightVariables().get(0), tc.weightVariables().get(0));
        }
    }

    @Test
    void masksPassThrough() {
        try (Scope s = Scope.open()) {
            float[] x = BidirectionalTest.rand(3, 2 * 4 * 3);
            Arrays.fill(x, 3, 6, 0f);
            Sequential m = new Sequential(new Masking(0.0), new TimeDistributed(new Dense(2)), LSTM.builder(2)
                    .returnSequences(true).build());
            m.build(Shape.of(-1, 4, 3));
            Tensor mask = m.computeMask(List.of(Tensor.of(x, 2, 4, 3)), null).get(0);
            assertArrayEquals(new float[] {1, 0, 1, 1, 1, 1, 1, 1}, mask.toFloatArray());
            // TimeDistributed(Conv2D) (no masking of its own): the mask passes through
            TimeDistributed tc = new TimeDistributed(new Conv2D(1, 3));
            Tensor mk = Tensor.of(new float[] {1, 0}, 1, 2);
            Layer.Outputs o = tc.invoke(List.of(Tensor.ones(1, 2, 4, 4, 1)), List.of(mk), false);
            assertArrayEquals(mk.toFloatArray(), o.masks().get(0).toFloatArray());
            // TimeDistributed(LSTM) over (batch, steps, inner steps, features): the (batch, steps) mask passes by
            TimeDistributed tl = new TimeDistributed(new LSTM(2));
            Layer.Outputs ol = tl.invoke(List.of(Tensor.ones(1, 2, 3, 4)), List.of(mk), false);
            assertArrayEquals(new long[] {1, 2, 2}, ol.tensors().get(0).shape());
            assertArrayEquals(mk.toFloatArray(), ol.masks().get(0).toFloatArray());
        }
    }

    @Test
    void gradientsAndConfig() {
        TimeDistributed td = new TimeDistributed(new Dense(3, "tanh"));
        td.build(Shape.of(2, 3, 4));
        LayerGradientCheck.check("time_distributed dense", td, BidirectionalTest.rand(4, 24), new long[] {2, 3, 4}, 20);
        TimeDistributed again = (TimeDistributed) Layers.deserialize(Layers.serialize(td));
        assertEquals("Dense", again.layer().className());
        assertEquals(td.getConfig().keySet(), again.getConfig().keySet());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> td.apply(Tensor.zeros(2, 4)));
        assertTrue(e.getMessage().contains("rank >= 3"), e.getMessage());
    }
}
