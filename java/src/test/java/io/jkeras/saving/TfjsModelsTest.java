package io.jkeras.saving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jkeras.layers.Layer;
import io.jkeras.models.Model;
import io.jkeras.tensor.Tensor;
import io.jkeras.testing.Golden;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Models built and saved by TensorFlow.js 4.22 (tools/golden/tfjs_models.js: model.json, weights.bin and the
 * predictions TF.js made, expected.json) load and reproduce TF.js's predictions; every folder under the test
 * resources' tfjs-models/ is a case.
 */
class TfjsModelsTest {
    static Path root() {
        try {
            return Path.of(TfjsModelsTest.class.getResource("/tfjs-models").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<String> cases() {
        try (Stream<Path> dirs = Files.list(root())) {
            List<String> out = dirs.filter(d -> Files.exists(d.resolve("model.json")))
                    .map(d -> d.getFileName().toString()).sorted().toList();
            if (out.isEmpty()) {
                throw new IllegalStateException("no cases under " + root());
            }
            return out.stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Tensor> tensors(Object list) {
        List<Tensor> out = new ArrayList<>();
        for (Object o : (List<?>) list) {
            Map<String, Object> m = (Map<String, Object>) o;
            List<?> shape = (List<?>) m.get("shape");
            List<?> data = (List<?>) m.get("data");
            long[] s = new long[shape.size()];
            for (int i = 0; i < s.length; i++) {
                s[i] = ((Number) shape.get(i)).longValue();
            }
            float[] v = new float[data.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = ((Number) data.get(i)).floatValue();
            }
            out.add(Tensor.of(v, s));
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @Timeout(120)
    void matchesTfjs(String name) throws IOException {
        Path dir = root().resolve(name);
        Model m = KerasModels.load(dir.resolve("model.json"));
        Map<String, Object> expected = Json.parseObject(Files.readString(dir.resolve("expected.json")));
        List<Tensor> xs = tensors(expected.get("inputs"));
        List<Tensor> want = tensors(expected.get("outputs"));
        boolean recurrent = false;
        for (Layer l : m.layers()) {
            recurrent |= l.className().contains("LSTM") || l.className().contains("GRU") || l.className().contains("RNN");
        }
        List<Tensor> ys = m.predict(xs);
        assertEquals(want.size(), ys.size());
        for (int i = 0; i < ys.size(); i++) {
            assertArrayEquals(want.get(i).shape(), ys.get(i).shape(), name + " output " + i);
            Golden.assertClose(name + " output " + i, want.get(i).toFloatArray(), ys.get(i).toFloatArray(),
                    recurrent ? 1e-4 : 1e-5);
        }
    }
}
