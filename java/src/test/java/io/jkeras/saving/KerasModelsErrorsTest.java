package io.jkeras.saving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jkeras.layers.core.Dense;
import io.jkeras.models.Model;
import io.jkeras.models.Sequential;
import io.jkeras.testing.KerasGolden;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad files fail with a {@link KerasFileException} that names the file and the problem: truncated or corrupted
 * HDF5, zip and JSON files (fuzzed, each load under a time limit, so a hang fails the test), weights that do not
 * fit, unknown layer classes, weights-only files.
 */
class KerasModelsErrorsTest {
    @TempDir
    Path dir;

    private static final Duration LIMIT = Duration.ofSeconds(30);

    /** Loads under a time limit; returns the exception (null when the file loaded anyway). */
    private static RuntimeException tryLoad(Path file, String what) {
        return assertTimeoutPreemptively(LIMIT, () -> {
            try {
                KerasModels.load(file);
                return null;
            } catch (KerasFileException e) {
                assertTrue(e.getMessage().startsWith(file.toString()), what + ": the message must name the file: "
                        + e.getMessage());
                return e;
            } catch (Throwable e) {
                fail(what + ": " + e.getClass().getName() + " instead of KerasFileException", e);
                return null;
            }
        }, what + ": loading took longer than " + LIMIT);
    }

    private static KerasFileException expectFailure(Path file, String what) {
        RuntimeException e = tryLoad(file, what);
        if (e == null) {
            fail(what + ": loaded without an error");
        }
        return (KerasFileException) e;
    }

    private static Model small() {
        Sequential m = new Sequential(new Dense(3, "relu").setInputShape(4), new Dense(2));
        KerasModelsRoundTripTest.randomize(m, 5);
        return m;
    }

    // ------------------------------------------------------------------------------------------------ fuzzing

    /** Truncations at many lengths and seeded random corruptions of a valid file. */
    private int fuzz(Path valid, String suffix, List<Path> companions) throws IOException {
        byte[] bytes = Files.readAllBytes(valid);
        int n = bytes.length;
        List<byte[]> variants = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int len : new int[] {1, 4, 8, 16, 47, 48, 100, 512, n / 8, n / 4, n / 2, 3 * n / 4, n - 64, n - 8,
                n - 1}) {
            if (len > 0 && len < n) {
                variants.add(java.util.Arrays.copyOf(bytes, len));
                names.add("truncated to " + len + " of " + n + " bytes");
            }
        }
        for (int seed = 0; seed < 60; seed++) {
            Random r = new Random(seed);
            byte[] c = bytes.clone();
            int flips = 1 + r.nextInt(seed < 30 ? 4 : 32);
            for (int k = 0; k < flips; k++) {
                c[r.nextInt(n)] = (byte) r.nextInt(256);
            }
            if (seed % 10 == 9) {
                int at = r.nextInt(n);
                java.util.Arrays.fill(c, at, Math.min(n, at + 64), (byte) 0xff);
            }
            variants.add(c);
            names.add("corrupted (seed " + seed + ", " + flips + " bytes)");
        }
        Path sub = Files.createDirectories(dir.resolve("fuzz" + suffix.replace('.', '_')));
        for (Path p : companions) {
            Files.copy(p, sub.resolve(p.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        int failures = 0;
        for (int i = 0; i < variants.size(); i++) {
            Path f = sub.resolve("model" + suffix);
            Files.write(f, variants.get(i));
            if (tryLoad(f, valid.getFileName() + " " + names.get(i)) != null) {
                failures++;
            }
        }
        return failures;
    }

    @Test
    void fuzzedKerasHdf5() throws IOException {
        Path golden = KerasGolden.dir("conv1d").resolve("conv1d_k3_s2_d1_cl_same_model.h5");
        int failed = fuzz(golden, ".h5", List.of());
        assertTrue(failed >= 15, "most broken files must be reported, " + failed + " were");
    }

    @Test
    void fuzzedJkerasHdf5() throws IOException {
        Path f = dir.resolve("ours.h5");
        KerasModels.save(KerasModelsRoundTripTest.functional(), f);
        assertTrue(fuzz(f, ".h5", List.of()) >= 15);
    }

    @Test
    void fuzzedKerasArchive() throws IOException {
        Path f = dir.resolve("ours.keras");
        KerasModels.save(small(), f);
        assertTrue(fuzz(f, ".keras", List.of()) >= 15);
    }

    @Test
    void fuzzedTfjs() throws IOException {
        Path d = Files.createDirectories(dir.resolve("tfjs"));
        Path f = d.resolve("model.json");
        KerasModels.save(small(), f);
        assertTrue(fuzz(f, ".json", List.of(d.resolve(TfjsModels.SHARD))) >= 15);
        // the shard cut short
        byte[] shard = Files.readAllBytes(d.resolve(TfjsModels.SHARD));
        Files.write(d.resolve(TfjsModels.SHARD), java.util.Arrays.copyOf(shard, shard.length - 4));
        assertTrue(expectFailure(f, "short shard").getMessage().contains("truncated?"));
        Files.delete(d.resolve(TfjsModels.SHARD));
        assertTrue(expectFailure(f, "missing shard").getMessage().contains("cannot read weight shard"));
    }

    // --------------------------------------------------------------------------------------- specific errors

    private Path h5(String config, Map<String, Map<String, float[][]>> weights, Map<String, long[]> shapes) {
        Path f = dir.resolve("crafted" + Math.abs((config + weights.keySet()).hashCode()) + ".h5");
        try (H5Write w = new H5Write(f)) {
            w.putString("", "keras_version", "2.3.1");
            w.putString("", "backend", "tensorflow");
            w.putString("", "model_config", config);
            w.putStrings("model_weights", "layer_names", List.copyOf(weights.keySet()));
            for (Map.Entry<String, Map<String, float[][]>> e : weights.entrySet()) {
                String layer = e.getKey();
                List<String> names = new ArrayList<>();
                for (Map.Entry<String, float[][]> d : e.getValue().entrySet()) {
                    names.add(layer + "/" + d.getKey());
                    w.putFloats("model_weights/" + layer + "/" + layer, d.getKey(), d.getValue()[0],
                            shapes.get(layer + "/" + d.getKey()));
                }
                w.putStrings("model_weights/" + layer, "weight_names", names);
            }
        }
        return f;
    }

    private static final String DENSE_CONFIG = "{\"class_name\": \"Sequential\", \"config\": {\"name\": \"s\", "
            + "\"layers\": [{\"class_name\": \"Dense\", \"config\": {\"name\": \"d\", \"units\": 3, "
            + "\"batch_input_shape\": [null, 4]}}]}}";

    @Test
    void wrongWeightShape() {
        Map<String, float[][]> ws = new java.util.LinkedHashMap<>();
        ws.put("kernel:0", new float[][] {new float[8]});
        ws.put("bias:0", new float[][] {new float[4]});
        Path f = h5(DENSE_CONFIG, Map.of("d", ws), Map.of("d/kernel:0", new long[] {2, 4}, "d/bias:0",
                new long[] {4}));
        String msg = expectFailure(f, "wrong shapes").getMessage();
        assertTrue(msg.contains("'d'") && msg.contains("(4, 3)"), msg);
    }

    @Test
    void wrongWeightCount() {
        Map<String, float[][]> ws = new java.util.LinkedHashMap<>();
        ws.put("kernel:0", new float[][] {new float[12]});
        Path f = h5(DENSE_CONFIG, Map.of("d", ws), Map.of("d/kernel:0", new long[] {4, 3}));
        String msg = expectFailure(f, "one weight of two").getMessage();
        assertTrue(msg.contains("layer 'd'") && msg.contains("2 weight(s)") && msg.contains("1 array(s)"), msg);
    }

    @Test
    void sameCountOtherShapes() {
        Map<String, float[][]> ws = new java.util.LinkedHashMap<>();
        ws.put("kernel:0", new float[][] {new float[12]});
        ws.put("bias:0", new float[][] {new float[3]});
        Path f = h5(DENSE_CONFIG, Map.of("d", ws), Map.of("d/kernel:0", new long[] {3, 4}, "d/bias:0",
                new long[] {3}));
        String msg = expectFailure(f, "transposed kernel").getMessage();
        assertTrue(msg.contains("weight 0 ('kernel')") && msg.contains("(4, 3) in the model") && msg.contains("(3, 4)"),
                msg);
    }

    @Test
    void weightsForAnUnknownLayer() {
        Map<String, float[][]> ws = Map.of("kernel:0", new float[][] {new float[12]});
        Path f = h5(DENSE_CONFIG, Map.of("d", Map.of("bias:0", new float[][] {new float[3]}), "other", ws),
                Map.of("other/kernel:0", new long[] {4, 3}, "d/bias:0", new long[] {3}));
        expectFailure(f, "weights for a layer the model lacks");
    }

    @Test
    void unknownLayerClass() {
        String config = "{\"class_name\": \"Sequential\", \"config\": {\"name\": \"s\", \"layers\": ["
                + "{\"class_name\": \"FancyLayer\", \"config\": {\"name\": \"f\", \"batch_input_shape\": [null, 4]}}]}}";
        Path f = h5(config, Map.of(), Map.of());
        String msg = expectFailure(f, "unknown class").getMessage();
        assertTrue(msg.contains("Unknown layer: FancyLayer") && msg.contains("Layers.register(\"FancyLayer\""), msg);
    }

    @Test
    void invalidModelConfigJson() {
        Path f = h5("{\"class_name\": \"Sequential\", \"config\": {", Map.of(), Map.of());
        assertTrue(expectFailure(f, "bad JSON").getMessage().contains("model_config is not valid JSON"));
    }

    @Test
    void weightsOnlyFile() {
        Path f = KerasGolden.dir("conv1d").resolve("conv1d_k3_s2_d1_cl_same_weights.h5");
        String msg = expectFailure(f, "weights only").getMessage();
        assertTrue(msg.contains("weights only") && msg.contains("loadWeights"), msg);
    }

    @Test
    void notAModelFile() throws IOException {
        Path empty = Files.write(dir.resolve("empty.h5"), new byte[0]);
        assertTrue(expectFailure(empty, "empty").getMessage().contains("empty file"));
        Path text = Files.writeString(dir.resolve("notes.txt"), "hello");
        assertTrue(expectFailure(text, "text").getMessage().contains("not a Keras model file"));
        Path json = Files.writeString(dir.resolve("other.json"), "{\"a\": 1}");
        assertTrue(expectFailure(json, "other JSON").getMessage().contains("neither a Keras model config"));
        Path badJson = Files.writeString(dir.resolve("bad.json"), "{\"modelTopology\": ");
        expectFailure(badJson, "cut JSON");
        KerasFileException missing = assertThrows(KerasFileException.class,
                () -> KerasModels.load(dir.resolve("nope.h5")));
        assertTrue(missing.getMessage().contains("no such file"));
    }

    @Test
    void zipWithoutConfig() throws IOException {
        Path f = dir.resolve("x.keras");
        KerasFormatsTest.zip(f, Map.of("something.txt", "hi".getBytes(StandardCharsets.UTF_8)));
        assertTrue(expectFailure(f, "zip without config").getMessage().contains("without config.json"));
    }

    @Test
    void configJsonAloneBuildsTheModel() throws IOException {
        Path f = Files.writeString(dir.resolve("config.json"), DENSE_CONFIG);
        Model m = KerasModels.load(f);
        assertEquals(2, m.weightVariables().size());
    }

    @Test
    void loadWeightsChecksTheModel() {
        Path f = dir.resolve("w.h5");
        KerasModels.save(small(), f);
        Sequential other = new Sequential(new Dense(5).setInputShape(4), new Dense(2));
        String msg = assertThrows(KerasFileException.class, () -> KerasModels.loadWeights(other, f)).getMessage();
        assertTrue(msg.contains("has 2 weight(s)") || msg.contains("shape"), msg);
    }
}
