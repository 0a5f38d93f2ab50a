package io.jkeras.models;

import static org.junit.jupiter.api.Assertions.*;

import io.jkeras.layers.core.Dense;
import io.jkeras.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SequentialSmokeTest {
    @Test
    void denseStackPredictsAndSummarizes() {
        Sequential m = new Sequential(new Dense(4, "relu").setInputShape(3), new Dense(2, "softmax"));
        Tensor y = m.predict(Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        assertArrayEquals(new long[] {2, 2}, y.shape());
        float[] v = y.toFloatArray();
        assertEquals(1.0, v[0] + v[1], 1e-6);
        List<String> lines = new ArrayList<>();
        m.summary(lines::add);
        lines.forEach(System.out::println);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("Total params: 26")));
    }
}
