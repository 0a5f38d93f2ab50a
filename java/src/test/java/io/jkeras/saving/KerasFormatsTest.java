package io.jkeras.saving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.layers.Layer;
import io.jkeras.layers.Weight;
import io.jkeras.models.Model;
import io.jkeras.tensor.Tensor;
import io.jkeras.testing.Golden;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files as other tools write them, made by hand here: a Keras 3 .keras archive (Keras 3's config keys, dtype
 * policies, __keras_tensor__ nodes, layers/&lt;class&gt;/vars layout), Keras 1 HDF5 files (argument names, gate-by-gate
 * LSTM/GRU arrays, Theano-ordered and flipped convolution kernels) and a TF.js model.json (converter layout,
 * weights split over shards, uint8 quantization).
 */
@Timeout(120)
class KerasFormatsTest {
    @TempDir
    Path dir;

    static float[] seq(int n, float scale, float offset) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = offset + scale * (float) Math.sin(1.7 * i + 0.3);
        }
        return v;
    }

    static void zip(Path file, Map<String, byte[]> entries) throws IOException {
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream z = new ZipOutputStream(os)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ Keras 3

    /** What Keras 3.x writes for Input(4) -> Dense(3, relu) and Dense(3) in parallel -> Add. */
    static final String KERAS3_CONFIG = """
            {"module": "keras", "class_name": "Functional", "config": {"name": "functional", "trainable": true,
             "layers": [
              {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [null, 4],
                "dtype": "float32", "sparse": false, "name": "input_layer"}, "registered_name": null,
                "name": "input_layer", "inbound_nodes": []},
              {"module": "keras.layers", "class_name": "Dense", "config": {"name": "dense", "trainable": true,
                "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"},
                "registered_name": null}, "units": 3, "activation": "relu", "use_bias": true,
                "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform",
                "config": {"seed": null}, "registered_name": null}, "bias_initializer": {"module":
                "keras.initializers", "class_name": "Zeros", "config": {}, "registered_name": null},
                "kernel_regularizer": null, "bias_regularizer": null, "kernel_constraint": null,
                "bias_constraint": null, "lora_rank": null}, "registered_name": null,
                "build_config": {"input_shape": [null, 4]}, "name": "dense",
                "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__", "config": {"shape": [null, 4],
                "dtype": "float32", "keras_history": ["input_layer", 0, 0]}}], "kwargs": {}}]},
              {"module": "keras.layers", "class_name": "Dense", "config": {"name": "dense_1", "trainable": true,
                "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"},
                "registered_name": null}, "units": 3, "activation": "linear", "use_bias": true,
                "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform",
                "config": {"seed": null}, "registered_name": null}, "bias_initializer": {"module":
                "keras.initializers", "class_name": "Zeros", "config": {}, "registered_name": null},
                "kernel_regularizer": null, "bias_regularizer": null, "kernel_constraint": null,
                "bias_constraint": null}, "registered_name": null,
                "build_config": {"input_shape": [null, 4]}, "name": "dense_1",
                "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__", "config": {"shape": [null, 4],
                "dtype": "float32", "keras_history": ["input_layer", 0, 0]}}], "kwargs": {}}]},
              {"module": "keras.layers", "class_name": "Add", "config": {"name": "add", "trainable": true,
                "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"},
                "registered_name": null}}, "registered_name": null,
                "build_config": {"input_shape": [[null, 3], [null, 3]]}, "name": "add",
                "inbound_nodes": [{"args": [[{"class_name": "__keras_tensor__", "config": {"shape": [null, 3],
                "dtype": "float32", "keras_history": ["dense", 0, 0]}}, {"class_name": "__keras_tensor__",
                "config": {"shape": [null, 3], "dtype": "float32", "keras_history": ["dense_1", 0, 0]}}]],
                "kwargs": {}}]}],
             "input_layers": [["input_layer", 0, 0]], "output_layers": [["add", 0, 0]]},
             "registered_name": "Functional", "build_config": {"input_shape": null},
             "compile_config": {"optimizer": "adam", "loss": "mse"}}
            """;

    @Test
    void keras3Archive() throws IOException {
        float[] k0 = seq(12, 0.5f, 0f);
        float[] b0 = seq(3, 0.1f, 0.05f);
        float[] k1 = seq(12, 0.3f, -0.1f);
        float[] b1 = seq(3, 0.2f, 0f);
        Path h5 = dir.resolve("w.h5");
        try (H5Write w = new H5Write(h5)) {
            w.group("vars");
            w.group("layers/input_layer/vars");
            w.putFloats("layers/dense/vars", "0", k0, new long[] {4, 3});
            w.putFloats("layers/dense/vars", "1", b0, new long[] {3});
            w.putFloats("layers/dense_1/vars", "0", k1, new long[] {4, 3});
            w.putFloats("layers/dense_1/vars", "1", b1, new long[] {3});
            w.group("layers/add/vars");
            w.group("optimizer/vars");
        }
        Path file = dir.resolve("m.keras");
        zip(file, new java.util.LinkedHashMap<>(Map.of(
                "metadata.json", "{\"keras_version\": \"3.3.3\", \"date_saved\": \"2024-05-01@10:00:00\"}"
                        .getBytes(StandardCharsets.UTF_8),
                "config.json", KERAS3_CONFIG.getBytes(StandardCharsets.UTF_8),
                "model.weights.h5", Files.readAllBytes(h5))));
        Model m = KerasModels.load(file);
        assertEquals("functional", m.getName());
        float[] x = seq(8, 1f, 0.2f);
        float[] y = m.predict(Tensor.of(x, 2, 4)).toFloatArray();
        float[] want = new float[6];
        for (int n = 0; n < 2; n++) {
            for (int j = 0; j < 3; j++) {
                float a = b0[j];
                float c = b1[j];
                for (int i = 0; i < 4; i++) {
                    a += x[n * 4 + i] * k0[i * 3 + j];
                    c += x[n * 4 + i] * k1[i * 3 + j];
                }
                want[n * 3 + j] = Math.max(a, 0) + c;
            }
        }
        Golden.assertClose("keras 3 functional", want, y, 1e-6);
    }

    @Test
    void keras3ConfigNormalized() {
        Map<String, Object> n = KerasConfigs.normalize(Json.parseObject(KERAS3_CONFIG));
        String json = Json.write(n);
        assertTrue(!json.contains("module") && !json.contains("registered_name") && !json.contains("build_config")
                && !json.contains("lora_rank") && !json.contains("__keras_tensor__"), json);
        assertTrue(json.contains("[[[\"dense\",0,0,{}],[\"dense_1\",0,0,{}]]]"), json);
    }

    // ------------------------------------------------------------------------------------------------ Keras 1

    /** A Keras 1 HDF5 file: root model_config / keras_version (no backend), Keras 1 weight names. */
    private Path keras1File(String config, Map<String, List<Object[]>> weights, String backend) {
        Path f = dir.resolve("k1_" + Math.abs(config.hashCode()) + ".h5");
        try (H5Write w = new H5Write(f)) {
            w.putString("", "keras_version", backend == null ? "1.2.2" : "2.0.8");
            if (backend != null) {
                w.putString("", "backend", backend);
            }
            w.putString("", "model_config", config);
            w.putStrings("model_weights", "layer_names", List.copyOf(weights.keySet()));
            for (Map.Entry<String, List<Object[]>> e : weights.entrySet()) {
                List<String> names = new java.util.ArrayList<>();
                for (Object[] a : e.getValue()) {
                    String name = (String) a[0];
                    names.add(name);
                    int slash = name.lastIndexOf('/');
                    w.putFloats("model_weights/" + e.getKey() + (slash < 0 ? "" : "/" + name.substring(0, slash)),
                            name.substring(slash + 1), (float[]) a[1], (long[]) a[2]);
                }
                w.putStrings("model_weights/" + e.getKey(), "weight_names", names);
            }
        }
        return f;
    }

    /** Theano ordering: (filters, channels, rows, cols) kernels of a true convolution, channels_first data. */
    @Test
    void keras1TheanoConvolution2D() {
        String config = """
                {"class_name": "Sequential", "config": [{"class_name": "Convolution2D", "config": {
                 "name": "convolution2d_1", "nb_filter": 2, "nb_row": 2, "nb_col": 3, "init": "glorot_uniform",
                 "activation": "linear", "border_mode": "valid", "subsample": [1, 1], "dim_ordering": "th",
                 "W_regularizer": null, "b_regularizer": null, "activity_regularizer": null,
                 "W_constraint": null, "b_constraint": null, "bias": true, "trainable": true,
                 "batch_input_shape": [null, 2, 4, 5], "input_dtype": "float32"}}]}
                """;
        float[] w = seq(2 * 2 * 2 * 3, 0.5f, 0f);
        float[] b = {0.1f, -0.2f};
        Path f = keras1File(config, Map.of("convolution2d_1", List.of(
                new Object[] {"convolution2d_1_W", w, new long[] {2, 2, 2, 3}},
                new Object[] {"convolution2d_1_b", b, new long[] {2}})), null);
        Model m = KerasModels.load(f);
        Layer conv = m.layers().get(0);
        assertEquals("Conv2D", conv.className());
        assertEquals("channels_first", conv.getConfig().get("data_format"));
        float[] x = seq(2 * 4 * 5, 1f, 0f);
        float[] y = m.predict(Tensor.of(x, 1, 2, 4, 5)).toFloatArray();
        // Theano: y[f,i,j] = b[f] + sum_c,u,v x[c,i+u,j+v] * W[f,c,1-u,2-v]  (output 3 x 3)
        float[] want = new float[2 * 3 * 3];
        for (int fo = 0; fo < 2; fo++) {
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    double s = b[fo];
                    for (int c = 0; c < 2; c++) {
                        for (int u = 0; u < 2; u++) {
                            for (int v = 0; v < 3; v++) {
                                s += x[c * 20 + (i + u) * 5 + (j + v)] * w[((fo * 2 + c) * 2 + (1 - u)) * 3 + (2 - v)];
                            }
                        }
                    }
                    want[(fo * 3 + i) * 3 + j] = (float) s;
                }
            }
        }
        Golden.assertClose("theano conv", want, y, 1e-5);
    }

    /** Keras 1.2's Convolution1D kernel (filter_length, 1, input_dim, nb_filter), TensorFlow ordering. */
    @Test
    void keras1Convolution1D() {
        String config = """
                {"class_name": "Sequential", "config": [{"class_name": "Convolution1D", "config": {
                 "name": "convolution1d_1", "nb_filter": 2, "filter_length": 3, "init": "uniform",
                 "activation": "linear", "border_mode": "valid", "subsample_length": 1, "W_regularizer": null,
                 "b_regularizer": null, "activity_regularizer": null, "W_constraint": null, "b_constraint": null,
                 "bias": true, "input_dim": 2, "input_length": 6, "trainable": true,
                 "batch_input_shape": [null, 6, 2], "input_dtype": "float32"}}]}
                """;
        float[] w = seq(3 * 2 * 2, 0.5f, 0f);
        float[] b = {0.3f, 0f};
        Path f = keras1File(config, Map.of("convolution1d_1", List.of(
                new Object[] {"convolution1d_1_W", w, new long[] {3, 1, 2, 2}},
                new Object[] {"convolution1d_1_b", b, new long[] {2}})), null);
        Model m = KerasModels.load(f);
        float[] x = seq(12, 1f, 0f);
        float[] y = m.predict(Tensor.of(x, 1, 6, 2)).toFloatArray();
        float[] want = new float[4 * 2];
        for (int t = 0; t < 4; t++) {
            for (int fo = 0; fo < 2; fo++) {
                double s = b[fo];
                for (int k = 0; k < 3; k++) {
                    for (int c = 0; c < 2; c++) {
                        s += x[(t + k) * 2 + c] * w[(k * 2 + c) * 2 + fo];
                    }
                }
                want[t * 2 + fo] = (float) s;
            }
        }
        Golden.assertClose("keras 1 conv1d", want, y, 1e-5);
    }

    /** Keras 1's GRU stores W, U, b per gate (z, r, h): Keras 2 concatenates them in that order. */
    @Test
    void keras1GruGates() {
        String config = """
                {"class_name": "Sequential", "config": [{"class_name": "GRU", "config": {"name": "gru_1",
                 "output_dim": 2, "init": "glorot_uniform", "inner_init": "orthogonal", "activation": "tanh",
                 "inner_activation": "hard_sigmoid", "W_regularizer": null, "U_regularizer": null,
                 "b_regularizer": null, "dropout_W": 0.0, "dropout_U": 0.0, "return_sequences": false,
                 "go_backwards": false, "stateful": false, "unroll": false, "consume_less": "cpu",
                 "input_dim": 3, "input_length": 4, "trainable": true, "batch_input_shape": [null, 4, 3],
                 "input_dtype": "float32"}}]}
                """;
        String[] gates = {"z", "r", "h"};
        List<Object[]> arrays = new java.util.ArrayList<>();
        for (int g = 0; g < 3; g++) {
            arrays.add(new Object[] {"gru_1_W_" + gates[g], seq(6, 0.5f, g), new long[] {3, 2}});
            arrays.add(new Object[] {"gru_1_U_" + gates[g], seq(4, 0.5f, 10 + g), new long[] {2, 2}});
            arrays.add(new Object[] {"gru_1_b_" + gates[g], seq(2, 0.5f, 20 + g), new long[] {2}});
        }
        Model m = KerasModels.load(keras1File(config, Map.of("gru_1", arrays), null));
        Layer gru = m.layers().get(0);
        assertEquals(2L, ((Number) gru.getConfig().get("units")).longValue());
        assertEquals("hard_sigmoid", gru.getConfig().get("recurrent_activation"));
        List<Weight> ws = LayerWeights.savedOrder(gru);
        assertArrayEquals(new long[] {3, 6}, ws.get(0).value().shape());
        float[] kernel = ws.get(0).value().toFloatArray();
        for (int row = 0; row < 3; row++) {
            for (int g = 0; g < 3; g++) {
                float[] wg = seq(6, 0.5f, g);
                for (int c = 0; c < 2; c++) {
                    assertEquals(wg[row * 2 + c], kernel[row * 6 + g * 2 + c], 0f);
                }
            }
        }
        float[] bias = ws.get(2).value().toFloatArray();
        assertEquals(seq(2, 0.5f, 21)[1], bias[3], 0f);
    }

    /** A Keras 2 file from the Theano backend: convolution kernels are flipped back on loading. */
    @Test
    void theanoBackendKernelsFlipped() {
        String config = """
                {"class_name": "Sequential", "config": [{"class_name": "Conv1D", "config": {"name": "conv1d_1",
                 "filters": 1, "kernel_size": [3], "strides": [1], "padding": "valid", "data_format":
                 "channels_last", "dilation_rate": [1], "activation": "linear", "use_bias": false,
                 "kernel_initializer": "zeros", "bias_initializer": "zeros", "kernel_regularizer": null,
                 "bias_regularizer": null, "activity_regularizer": null, "kernel_constraint": null,
                 "bias_constraint": null, "trainable": true, "batch_input_shape": [null, 5, 1],
                 "dtype": "float32"}}]}
                """;
        Path f = keras1File(config, Map.of("conv1d_1", List.<Object[]>of(
                new Object[] {"conv1d_1/kernel:0", new float[] {1, 2, 3}, new long[] {3, 1, 1}})), "theano");
        Model m = KerasModels.load(f);
        assertArrayEquals(new float[] {3, 2, 1}, m.layers().get(0).getWeights().get(0).toFloatArray(), 0f);
        Model kept = KerasModels.load(f, new KerasModels.Options(false));
        assertArrayEquals(new float[] {1, 2, 3}, kept.layers().get(0).getWeights().get(0).toFloatArray(), 0f);
    }

    /**
     * tf.keras stores a nested model's weights in the nested model's group, its layers' trainable weights first,
     * then their non-trainable ones: BatchNormalization's moving statistics come after the next Dense's kernel.
     */
    @Test
    void tfKerasNestedModelWeightOrder() {
        String config = """
                {"class_name": "Functional", "config": {"name": "outer", "layers": [
                  {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 4], "dtype": "float32",
                   "sparse": false, "ragged": false, "name": "input_1"}, "name": "input_1", "inbound_nodes": []},
                  {"class_name": "Sequential", "config": {"name": "inner", "layers": [
                    {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 4], "dtype": "float32",
                     "sparse": false, "ragged": false, "name": "bn_input"}},
                    {"class_name": "BatchNormalization", "config": {"name": "bn", "trainable": true,
                     "dtype": "float32", "axis": -1, "momentum": 0.99, "epsilon": 0.001, "center": true,
                     "scale": true}},
                    {"class_name": "Dense", "config": {"name": "d", "trainable": true, "dtype": "float32",
                     "units": 2, "activation": "linear", "use_bias": true}}]},
                   "name": "inner", "inbound_nodes": [[["input_1", 0, 0, {}]]]}],
                 "input_layers": [["input_1", 0, 0]], "output_layers": [["inner", 1, 0]]},
                 "keras_version": "2.6.0", "backend": "tensorflow"}
                """;
        float[] gamma = {1, 2, 3, 4};
        float[] beta = {0.1f, 0.2f, 0.3f, 0.4f};
        float[] kernel = seq(8, 1f, 0f);
        float[] bias = {5, 6};
        float[] mean = {-1, -2, -3, -4};
        float[] variance = {0.5f, 1.5f, 2.5f, 3.5f};
        Path f = dir.resolve("nested.h5");
        try (H5Write w = new H5Write(f)) {
            w.putString("", "keras_version", "2.6.0");
            w.putString("", "backend", "tensorflow");
            w.putString("", "model_config", config);
            w.putStrings("model_weights", "layer_names", List.of("input_1", "inner"));
            w.group("model_weights/input_1");
            w.putStrings("model_weights/inner", "weight_names", List.of("bn/gamma:0", "bn/beta:0", "d/kernel:0",
                    "d/bias:0", "bn/moving_mean:0", "bn/moving_variance:0"));
            w.putFloats("model_weights/inner/bn", "gamma:0", gamma, new long[] {4});
            w.putFloats("model_weights/inner/bn", "beta:0", beta, new long[] {4});
            w.putFloats("model_weights/inner/d", "kernel:0", kernel, new long[] {4, 2});
            w.putFloats("model_weights/inner/d", "bias:0", bias, new long[] {2});
            w.putFloats("model_weights/inner/bn", "moving_mean:0", mean, new long[] {4});
            w.putFloats("model_weights/inner/bn", "moving_variance:0", variance, new long[] {4});
        }
        Model m = KerasModels.load(f);
        Model inner = (Model) m.getLayer("inner");
        List<Tensor> bn = inner.getLayer("bn").getWeights();
        assertArrayEquals(gamma, bn.get(0).toFloatArray(), 0f);
        assertArrayEquals(beta, bn.get(1).toFloatArray(), 0f);
        assertArrayEquals(mean, bn.get(2).toFloatArray(), 0f);
        assertArrayEquals(variance, bn.get(3).toFloatArray(), 0f);
        assertArrayEquals(kernel, inner.getLayer("d").getWeights().get(0).toFloatArray(), 0f);
        // and our own writer keeps that order
        Path again = dir.resolve("again.h5");
        KerasModels.save(m, again);
        try (io.jhdf.HdfFile h5 = new io.jhdf.HdfFile(again)) {
            assertEquals(List.of("bn/gamma:0", "bn/beta:0", "d/kernel:0", "d/bias:0", "bn/moving_mean:0",
                    "bn/moving_variance:0"), H5Read.strings(H5Read.group(h5, "model_weights/inner"), "weight_names"));
        }
    }

    // ------------------------------------------------------------------------------------------------ TF.js

    private static byte[] le(float[]... parts) {
        int n = 0;
        for (float[] p : parts) {
            n += p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] p : parts) {
            for (float v : p) {
                b.putFloat(v);
            }
        }
        return b.array();
    }

    /**
     * A converter-style model.json: topology under "model_config", names with the model's prefix, the weights
     * cut over two shard files mid-weight, one weight uint8-quantized, a functional model with a shared layer.
     */
    @Test
    void tfjsManifest() throws IOException {
        String topology = """
                {"class_name": "Model", "config": {"name": "m", "layers": [
                  {"name": "in_a", "class_name": "InputLayer", "config": {"batch_input_shape": [null, 2],
                   "dtype": "float32", "sparse": false, "name": "in_a"}, "inbound_nodes": []},
                  {"name": "in_b", "class_name": "InputLayer", "config": {"batch_input_shape": [null, 2],
                   "dtype": "float32", "sparse": false, "name": "in_b"}, "inbound_nodes": []},
                  {"name": "shared", "class_name": "Dense", "config": {"name": "shared", "trainable": true,
                   "units": 2, "activation": "linear", "use_bias": true, "kernel_initializer": "zeros",
                   "bias_initializer": "zeros", "kernel_regularizer": null, "bias_regularizer": null,
                   "activity_regularizer": null, "kernel_constraint": null, "bias_constraint": null},
                   "inbound_nodes": [[["in_a", 0, 0, {}]], [["in_b", 0, 0, {}]]]},
                  {"name": "add", "class_name": "Add", "config": {"name": "add", "trainable": true},
                   "inbound_nodes": [[["shared", 0, 0, {}], ["shared", 1, 0, {}]]]},
                  {"name": "out", "class_name": "Dense", "config": {"name": "out", "trainable": true,
                   "units": 1, "activation": "linear", "use_bias": true, "kernel_initializer": "zeros",
                   "bias_initializer": "zeros", "kernel_regularizer": null, "bias_regularizer": null,
                   "activity_regularizer": null, "kernel_constraint": null, "bias_constraint": null},
                   "inbound_nodes": [[["add", 0, 0, {}]]]}],
                 "input_layers": [["in_a", 0, 0], ["in_b", 0, 0]], "output_layers": [["out", 0, 0]]},
                 "keras_version": "2.4.0", "backend": "tensorflow"}
                """;
        float[] kShared = {0.5f, -1f, 2f, 0.25f};
        float[] bShared = {0.1f, 0.2f};
        float[] bOut = {-0.5f};
        // out kernel (2, 1) as uint8: value = q * 0.5 + (-1)
        byte[] kOutQ = {(byte) 5, (byte) 1};
        float[] kOut = {5 * 0.5f - 1, 1 * 0.5f - 1};
        byte[] all = concat(le(bShared, kShared, bOut), kOutQ);
        Files.write(dir.resolve("group1-shard1of2.bin"), java.util.Arrays.copyOfRange(all, 0, 10));
        Files.write(dir.resolve("group1-shard2of2.bin"), java.util.Arrays.copyOfRange(all, 10, all.length));
        String json = "{\"format\": \"layers-model\", \"generatedBy\": \"keras v2.4.0\", \"convertedBy\": "
                + "\"TensorFlow.js Converter v4.22.0\", \"modelTopology\": {\"keras_version\": \"2.4.0\", "
                + "\"backend\": \"tensorflow\", \"model_config\": " + topology + "}, \"weightsManifest\": [{\"paths\": "
                + "[\"group1-shard1of2.bin\", \"group1-shard2of2.bin\"], \"weights\": ["
                + "{\"name\": \"m/shared/bias\", \"shape\": [2], \"dtype\": \"float32\"},"
                + "{\"name\": \"m/shared/kernel\", \"shape\": [2, 2], \"dtype\": \"float32\"},"
                + "{\"name\": \"out/bias\", \"shape\": [1], \"dtype\": \"float32\"},"
                + "{\"name\": \"out/kernel\", \"shape\": [2, 1], \"dtype\": \"float32\", \"quantization\": "
                + "{\"dtype\": \"uint8\", \"scale\": 0.5, \"min\": -1.0, \"original_dtype\": \"float32\"}}]}]}";
        Path file = dir.resolve("model.json");
        Files.writeString(file, json);
        Model m = KerasModels.load(file);
        float[] a = {1, 2, -1, 0.5f};
        float[] b = {0.5f, -2, 3, 1};
        float[] y = m.predict(List.of(Tensor.of(a, 2, 2), Tensor.of(b, 2, 2))).get(0).toFloatArray();
        float[] want = new float[2];
        for (int n = 0; n < 2; n++) {
            float[] h = new float[2];
            for (int j = 0; j < 2; j++) {
                float sa = bShared[j];
                float sb = bShared[j];
                for (int i = 0; i < 2; i++) {
                    sa += a[n * 2 + i] * kShared[i * 2 + j];
                    sb += b[n * 2 + i] * kShared[i * 2 + j];
                }
                h[j] = sa + sb;
            }
            want[n] = bOut[0] + h[0] * kOut[0] + h[1] * kOut[1];
        }
        Golden.assertClose("tfjs functional", want, y, 1e-6);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void halfFloats() {
        assertEquals(1f, TfjsModels.halfToFloat((short) 0x3c00), 0f);
        assertEquals(-2f, TfjsModels.halfToFloat((short) 0xc000), 0f);
        assertEquals(65504f, TfjsModels.halfToFloat((short) 0x7bff), 0f);
        assertEquals(5.9604645e-8f, TfjsModels.halfToFloat((short) 0x0001), 0f);
        assertTrue(Float.isInfinite(TfjsModels.halfToFloat((short) 0x7c00)));
    }

    @Test
    void keras3SnakeCase() {
        assertEquals("conv1d", LayerWeights.snake("Conv1D"));
        assertEquals("simple_rnn", LayerWeights.snake("SimpleRNN"));
        assertEquals("re_lu", LayerWeights.snake("ReLU"));
        assertEquals("batch_normalization", LayerWeights.snake("BatchNormalization"));
        assertEquals("lstm", LayerWeights.snake("LSTM"));
        assertEquals("input_layer", LayerWeights.snake("InputLayer"));
        assertEquals("functional", LayerWeights.snake("Functional"));
        assertEquals("conv2d_transpose", LayerWeights.snake("Conv2DTranspose"));
    }
}
