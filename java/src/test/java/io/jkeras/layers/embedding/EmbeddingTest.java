package io.jkeras.layers.embedding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.layers.Layers;
import io.jkeras.ops.GradientTape;
import io.jkeras.ops.Ops;
import io.jkeras.tensor.Scope;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Embedding lookups (int32 and float ids), mask_zero, input_length, out-of-range ids, gradients, config. */
class EmbeddingTest {
    @Test
    void lookupAndMask() {
        try (Scope s = Scope.open()) {
            Embedding e = Embedding.builder(5, 2).maskZero(true).build();
            e.build(Shape.of(-1, 3));
            float[] table = {0, 1, 10, 11, 20, 21, 30, 31, 40, 41};
            e.setWeights(List.of(Tensor.of(table, 5, 2)));
            Tensor ids = Tensor.ofInts(new int[] {4, 0, 2, 1, 1, 3}, 2, 3);
            Tensor y = e.apply(ids);
            assertArrayEquals(new long[] {2, 3, 2}, y.shape());
            assertArrayEquals(new float[] {40, 41, 0, 1, 20, 21, 10, 11, 10, 11, 30, 31}, y.toFloatArray());
            assertArrayEquals(new float[] {1, 0, 1, 1, 1, 1}, e.computeMask(ids, null).toFloatArray());
            // float ids are cast to int32 (truncated), as Keras
            Tensor fy = e.apply(Tensor.of(new float[] {4.7f, 0, 2, 1, 1.2f, 3}, 2, 3));
            assertArrayEquals(y.toFloatArray(), fy.toFloatArray());
            assertNull(new Embedding(5, 2).computeMask(ids, null));
            // rank-3 ids
            assertArrayEquals(new long[] {1, 2, 3, 2}, e.apply(Tensor.ofInts(new int[6], 1, 2, 3)).shape());
        }
    }

    @Test
    void outOfRangeIds() {
        Embedding e = new Embedding(5, 2);
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> e.apply(Tensor.ofInts(
                new int[] {1, 5}, 1, 2)));
        assertTrue(x.getMessage().contains("[0, 5)") && x.getMessage().contains(e.getName()), x.getMessage());
        x = assertThrows(IllegalArgumentException.class, () -> e.apply(Tensor.ofInts(new int[] {-1, 0}, 1, 2)));
        assertTrue(x.getMessage().contains("[0, 5)"), x.getMessage());
    }

    @Test
    void inputLength() {
        Embedding e = Embedding.builder(5, 2).inputLength(4).build();
        assertEquals(Shape.of(-1, 4), e.batchInputShape());
        assertEquals(Shape.of(-1, 4, 2), e.computeOutputShape(Shape.of(-1, 4)));
        assertEquals(Shape.of(-1, 4, 2), e.computeOutputShape(Shape.of(-1, -1)));
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
                () -> e.computeOutputShape(Shape.of(-1, 3)));
        assertTrue(x.getMessage().contains("\"input_length\" is 4, but received input has shape"), x.getMessage());
        assertThrows(IllegalArgumentException.class, () -> e.apply(Tensor.ofInts(new int[3], 1, 3)));
        Embedding multi = Embedding.builder(5, 2).inputLength(java.util.Arrays.asList(null, 3)).build();
        assertEquals(Shape.of(-1, 7, 3, 2), multi.computeOutputShape(Shape.of(-1, 7, 3)));
        assertThrows(IllegalArgumentException.class, () -> multi.computeOutputShape(Shape.of(-1, 3)));
    }

    @Test
    void gradientIsAScatterAdd() {
        try (Scope s = Scope.open(); GradientTape tape = new GradientTape()) {
            Embedding e = new Embedding(4, 2);
            e.build(Shape.of(-1, 3));
            Tensor table = e.weightVariables().get(0).value();
            tape.watch(table);
            Tensor y = e.apply(Tensor.ofInts(new int[] {1, 3, 1, 1, 0, 3}, 2, 3));
            Tensor up = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 2, 3, 2);
            Tensor g = tape.gradient(Ops.sum(Ops.mul(y, up)), List.of(table)).get(0);
            // row 0: step 4; row 1: steps 0, 2, 3; row 2: none; row 3: steps 1, 5
            assertArrayEquals(new float[] {9, 10, 1 + 5 + 7, 2 + 6 + 8, 0, 0, 3 + 11, 4 + 12}, g.toFloatArray());
        }
    }

    @Test
    void configRoundTrip() {
        Embedding e = Embedding.builder(10, 3).maskZero(true).inputLength(5).embeddingsRegularizer("l2").build();
        Map<String, Object> c = e.getConfig();
        assertEquals(new ArrayList<>(List.of("name", "trainable", "batch_input_shape", "dtype", "input_dim",
                "output_dim", "embeddings_initializer", "embeddings_regularizer", "activity_regularizer",
                "embeddings_constraint", "mask_zero", "input_length")), new ArrayList<>(c.keySet()));
        assertEquals(5L, ((Number) c.get("input_length")).longValue());
        assertEquals("RandomUniform", ((Map<?, ?>) c.get("embeddings_initializer")).get("class_name"));
        Embedding again = (Embedding) Layers.deserialize(Layers.serialize(e));
        assertEquals(io.jkeras.saving.Json.roundTrip(c), io.jkeras.saving.Json.roundTrip(again.getConfig()));
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> Layers.deserialize(
                "{\"class_name\":\"Embedding\",\"config\":{\"input_dim\":0,\"output_dim\":2}}"));
        assertTrue(x.getMessage().contains("input_dim"), x.getMessage());
        x = assertThrows(IllegalArgumentException.class, () -> Layers.deserialize(
                "{\"class_name\":\"Embedding\",\"config\":{\"input_dim\":3,\"output_dim\":2,\"foo\":1}}"));
        assertTrue(x.getMessage().contains("foo"), x.getMessage());
    }
}
