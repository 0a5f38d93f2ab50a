package io.jkeras.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.losses.Losses;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import org.junit.jupiter.api.Test;

class MetricsTest {
    @Test
    void binaryAccuracyThresholdsAtOneHalf() {
        Tensor yt = Tensor.of(new float[] {1, 0, 1, 0, 0}, 5, 1);
        Tensor yp = Tensor.of(new float[] {0.7f, 0.2f, 0.4f, 0.6f, 0.5f}, 5, 1);
        // 0.5 is not above the threshold: predicted 0, right for a 0 target
        assertArrayEquals(new float[] {1, 1, 0, 0, 1}, Metrics.BINARY_ACCURACY.call(yt, yp).toFloatArray());
    }

    @Test
    void binaryAccuracyAveragesTheLastAxis() {
        Tensor yt = Tensor.of(new float[] {1, 0, 1, 0}, 2, 2);
        Tensor yp = Tensor.of(new float[] {0.9f, 0.1f, 0.9f, 0.9f}, 2, 2);
        assertArrayEquals(new float[] {1f, 0.5f}, Metrics.get("binary_accuracy").call(yt, yp).toFloatArray());
    }

    @Test
    void categoricalAccuracy() {
        Tensor yt = Tensor.of(new float[] {0, 1, 0, 1, 0, 0, 0, 0, 1}, 3, 3);
        Tensor yp = Tensor.of(new float[] {0.1f, 0.8f, 0.1f, 0.2f, 0.7f, 0.1f, 0.3f, 0.3f, 0.4f}, 3, 3);
        Tensor acc = Metrics.get("categorical_accuracy").call(yt, yp);
        assertArrayEquals(new long[] {3}, acc.shape());
        assertArrayEquals(new float[] {1, 0, 1}, acc.toFloatArray());
        assertThrows(IllegalArgumentException.class, () -> Metrics.CATEGORICAL_ACCURACY.call(Tensor.zeros(3, 1), yp));
    }

    @Test
    void sparseCategoricalAccuracyTakesIdsInEveryForm() {
        Tensor yp = Tensor.of(new float[] {0.1f, 0.8f, 0.1f, 0.2f, 0.7f, 0.1f, 0.3f, 0.3f, 0.4f}, 3, 3);
        float[] expected = {1, 0, 1};
        Metric m = Metrics.SPARSE_CATEGORICAL_ACCURACY;
        assertArrayEquals(expected, m.call(Tensor.ofInts(new int[] {1, 0, 2}, 3), yp).toFloatArray());
        assertArrayEquals(expected, m.call(Tensor.ofInts(new int[] {1, 0, 2}, 3, 1), yp).toFloatArray());
        assertArrayEquals(expected, m.call(Tensor.of(new float[] {1, 0, 2}, 3, 1), yp).toFloatArray());
        assertThrows(IllegalArgumentException.class, () -> m.call(Tensor.ofInts(new int[] {1, 0}, 2), yp));
    }

    @Test
    void accuracyResolvesLikeKeras2() {
        Shape ten = Shape.of(-1, 10);
        Shape one = Shape.of(-1, 1);
        assertSame(Metrics.BINARY_ACCURACY, Metrics.resolve("accuracy", Losses.BINARY_CROSSENTROPY, ten));
        assertSame(Metrics.BINARY_ACCURACY, Metrics.resolve("acc", Losses.MEAN_SQUARED_ERROR, one));
        assertSame(Metrics.SPARSE_CATEGORICAL_ACCURACY,
                Metrics.resolve("accuracy", Losses.SPARSE_CATEGORICAL_CROSSENTROPY, ten));
        assertSame(Metrics.CATEGORICAL_ACCURACY, Metrics.resolve("acc", Losses.CATEGORICAL_CROSSENTROPY, ten));
        assertSame(Metrics.CATEGORICAL_ACCURACY, Metrics.resolve("accuracy", Losses.MEAN_SQUARED_ERROR, ten));
        assertSame(Metrics.CATEGORICAL_ACCURACY, Metrics.resolve("categorical_accuracy", Losses.BINARY_CROSSENTROPY,
                one));
    }

    @Test
    void lossesServeAsMetrics() {
        Metric mse = Metrics.get("mse");
        assertEquals("mean_squared_error", mse.name());
        assertArrayEquals(new float[] {2f},
                mse.call(Tensor.of(new float[] {0, 0}, 1, 2), Tensor.of(new float[] {1, -1.7320508f}, 1, 2))
                        .toFloatArray(), 1e-5f);
    }

    @Test
    void errors() {
        IllegalArgumentException acc = assertThrows(IllegalArgumentException.class, () -> Metrics.get("accuracy"));
        assertTrue(acc.getMessage().contains("resolve"), acc.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> Metrics.get("acuracy"));
        assertTrue(unknown.getMessage().contains("acuracy"), unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Metrics.get(1.0));
    }
}
