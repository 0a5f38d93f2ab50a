package io.jkeras.ops;

import static org.junit.jupiter.api.Assertions.*;

import io.jkeras.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void matmulAndGradient() {
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor b = Tensor.of(new float[] {1, 0, 0, 1, 1, 1}, 3, 2);
        try (GradientTape tape = new GradientTape()) {
            tape.watch(a);
            Tensor c = Ops.matmul(a, b);
            assertArrayEquals(new float[] {4, 5, 10, 11}, c.toFloatArray());
            Tensor g = tape.gradient(Ops.sum(c), List.of(a)).get(0);
            assertArrayEquals(new float[] {1, 1, 2, 1, 1, 2}, g.toFloatArray());
        }
    }
}
