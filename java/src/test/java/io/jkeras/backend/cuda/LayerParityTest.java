package io.jkeras.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.backend.Backend;
import io.jkeras.backend.Backends;
import io.jkeras.layers.KerasTensor;
import io.jkeras.layers.Layer;
import io.jkeras.layers.Layers;
import io.jkeras.layers.Weight;
import io.jkeras.models.Input;
import io.jkeras.models.Model;
import io.jkeras.models.Sequential;
import io.jkeras.ops.GradientTape;
import io.jkeras.optimizers.Adam;
import io.jkeras.tensor.Device;
import io.jkeras.tensor.Scope;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import io.jkeras.testing.Golden;
import io.jkeras.testing.Layouts;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Layers of the whole catalog on the GPU against the CPU: each layer is built on the CPU with random weights, run
 * forward under a GradientTape on a random input (output, and gradients of the input and of every trainable weight
 * for a random upstream gradient), then moved with {@link Layer#to} to CUDA device 0 and run the same from the same
 * weights; outputs, gradients and the weights afterwards (BatchNormalization's moving statistics in training) agree
 * within 1e-4 * max(1, |cpu|). Then a small Sequential model trains two epochs on each device from the same weights
 * (1e-3). Skipped where CUDA is unusable; {@code -Djkeras.parity.reference=cpu} runs it CPU against CPU.
 */
@Tag("gpu")
class LayerParityTest {
    static final double TOL = 1e-4;
    static final double FIT_TOL = 1e-3;
    static final int VOCABULARY = 10;

    /** Every test first: skipped (each reported so, with the reason) where CUDA is unusable. */
    @BeforeEach
    void deviceUnderTest() {
        ParityHarness.assumeDeviceUnderTest();
    }

    /** How a case's inputs are drawn. */
    enum Inputs {
        /** uniform in [-1, 1). */
        FLOAT,
        /** as FLOAT, with some time steps (axis 1) all zeros: what Masking(0.0) masks. */
        ZERO_STEPS,
        /** int32 ids in [0, VOCABULARY), some of them 0 (what Embedding(mask_zero) masks). */
        IDS
    }

    /** A layer (or a small model) to build, its inputs' shapes (batch included), and the training flag. */
    record LayerCase(Supplier<Layer> make, long[][] inputs, Inputs kind, boolean training) {
    }

    // ------------------------------------------------------------------------------------------------ the catalog

    /** {"class_name": cls, "config": {k: v, ...}} as Keras writes it. */
    static Map<String, Object> cfg(String cls, Object... kv) {
        Map<String, Object> config = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            config.put((String) kv[i], kv[i + 1]);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("class_name", cls);
        m.put("config", config);
        return m;
    }

    static long[][] shapes(long[]... s) {
        return s;
    }

    static long[] s(long... d) {
        return d;
    }

    static Arguments layer(String name, Map<String, Object> json, long[]... inputs) {
        return Arguments.of(name, new LayerCase(() -> Layers.deserialize(json), inputs, Inputs.FLOAT, false));
    }

    static Arguments training(String name, Map<String, Object> json, long[]... inputs) {
        return Arguments.of(name, new LayerCase(() -> Layers.deserialize(json), inputs, Inputs.FLOAT, true));
    }

    static Arguments model(String name, Supplier<Layer> make, Inputs kind, long[]... inputs) {
        return Arguments.of(name, new LayerCase(make, inputs, kind, false));
    }

    /** layers applied in turn to an input of shape (without the batch), as a functional model. */
    @SafeVarargs
    static Supplier<Layer> chain(long[] shape, boolean ids, Map<String, Object>... layers) {
        return () -> {
            KerasTensor in = ids ? Input.ints(shape) : Input.create(shape);
            KerasTensor x = in;
            for (Map<String, Object> l : layers) {
                x = Layers.deserialize(l).apply(x);
            }
            return new Model(in, x);
        };
    }

    static final long[] SEQ = {2, 5, 3};

    static Map<String, Object> rnn(String cls, Object... kv) {
        Object[] all = Arrays.copyOf(new Object[] {"units", 4}, 2 + kv.length);
        System.arraycopy(kv, 0, all, 2, kv.length);
        return cfg(cls, all);
    }

    static Stream<Arguments> cases() {
        Map<String, Object> lstm = rnn("LSTM", "return_sequences", true);
        return Stream.of(
            // core
            layer("Dense tanh", cfg("Dense", "units", 4, "activation", "tanh"), s(2, 5)),
            layer("Dense on 3-D input", cfg("Dense", "units", 3), s(2, 3, 5)),
            layer("Activation selu", cfg("Activation", "activation", "selu"), s(2, 7)),
            layer("Activation softmax", cfg("Activation", "activation", "softmax"), s(2, 3, 7)),
            layer("Flatten", cfg("Flatten"), s(2, 3, 4)),
            layer("Reshape", cfg("Reshape", "target_shape", List.of(4, 3)), s(2, 3, 4)),
            layer("Permute", cfg("Permute", "dims", List.of(2, 1)), s(2, 3, 4)),
            layer("RepeatVector", cfg("RepeatVector", "n", 3), s(2, 4)),
            // convolutions
            layer("Conv1D same stride 2", cfg("Conv1D", "filters", 4, "kernel_size", List.of(3), "strides", List.of(2),
                    "padding", "same", "activation", "tanh"), s(2, 9, 3)),
            layer("Conv1D causal dilation 2", cfg("Conv1D", "filters", 3, "kernel_size", List.of(3), "padding",
                    "causal", "dilation_rate", List.of(2)), s(2, 10, 2)),
            layer("Conv2D same stride 2", cfg("Conv2D", "filters", 3, "kernel_size", List.of(3, 3), "strides",
                    List.of(2, 2), "padding", "same"), s(2, 7, 8, 2)),
            layer("Conv2D channels_first dilation 2", cfg("Conv2D", "filters", 3, "kernel_size", List.of(3, 3),
                    "dilation_rate", List.of(2, 2), "data_format", "channels_first"), s(2, 2, 7, 7)),
            layer("Conv2D groups 2", cfg("Conv2D", "filters", 4, "kernel_size", List.of(3, 3), "groups", 2,
                    "use_bias", false), s(2, 6, 6, 4)),
            layer("Conv3D same", cfg("Conv3D", "filters", 2, "kernel_size", List.of(2, 3, 2), "padding", "same"),
                    s(2, 4, 5, 4, 2)),
            layer("Conv3D channels_first stride 2", cfg("Conv3D", "filters", 3, "kernel_size", List.of(2, 2, 2),
                    "strides", List.of(2, 1, 2), "data_format", "channels_first"), s(2, 2, 5, 4, 5)),
            layer("SeparableConv1D", cfg("SeparableConv1D", "filters", 4, "kernel_size", List.of(3),
                    "depth_multiplier", 2), s(2, 9, 3)),
            layer("SeparableConv2D same stride 2", cfg("SeparableConv2D", "filters", 3, "kernel_size", List.of(3, 3),
                    "strides", List.of(2, 2), "padding", "same"), s(2, 7, 7, 2)),
            layer("DepthwiseConv2D", cfg("DepthwiseConv2D", "kernel_size", List.of(3, 3), "depth_multiplier", 2,
                    "padding", "same"), s(2, 6, 6, 3)),
            layer("DepthwiseConv2D channels_first", cfg("DepthwiseConv2D", "kernel_size", List.of(3, 3), "strides",
                    List.of(2, 2), "data_format", "channels_first"), s(2, 3, 7, 7)),
            layer("Conv1DTranspose", cfg("Conv1DTranspose", "filters", 3, "kernel_size", List.of(3), "strides",
                    List.of(2)), s(2, 5, 2)),
            layer("Conv2DTranspose same stride 2", cfg("Conv2DTranspose", "filters", 3, "kernel_size", List.of(3, 3),
                    "strides", List.of(2, 2), "padding", "same"), s(2, 4, 5, 2)),
            layer("Conv2DTranspose channels_first output_padding", cfg("Conv2DTranspose", "filters", 2,
                    "kernel_size", List.of(3, 3), "strides", List.of(2, 2), "output_padding", List.of(1, 0),
                    "data_format", "channels_first"), s(2, 3, 4, 4)),
            layer("Conv3DTranspose stride 2", cfg("Conv3DTranspose", "filters", 2, "kernel_size", List.of(2, 2, 2),
                    "strides", List.of(2, 2, 2)), s(2, 3, 3, 3, 2)),
            // reshaping
            layer("Cropping1D", cfg("Cropping1D", "cropping", List.of(1, 2)), s(2, 8, 3)),
            layer("Cropping2D", cfg("Cropping2D", "cropping", List.of(List.of(1, 0), List.of(1, 2))), s(2, 6, 7, 2)),
            layer("Cropping2D channels_first", cfg("Cropping2D", "cropping", List.of(List.of(2, 1), List.of(0, 1)),
                    "data_format", "channels_first"), s(2, 2, 6, 7)),
            layer("Cropping3D", cfg("Cropping3D", "cropping", List.of(List.of(1, 1), List.of(0, 2), List.of(1, 0))),
                    s(2, 5, 5, 5, 2)),
            layer("UpSampling1D", cfg("UpSampling1D", "size", 2), s(2, 4, 3)),
            layer("UpSampling2D nearest", cfg("UpSampling2D", "size", List.of(2, 3)), s(2, 3, 4, 2)),
            layer("UpSampling2D bilinear", cfg("UpSampling2D", "size", List.of(2, 3), "interpolation", "bilinear"),
                    s(2, 3, 4, 2)),
            layer("UpSampling2D bilinear channels_first", cfg("UpSampling2D", "size", List.of(3, 2),
                    "interpolation", "bilinear", "data_format", "channels_first"), s(2, 2, 3, 4)),
            layer("UpSampling3D", cfg("UpSampling3D", "size", List.of(2, 1, 2)), s(2, 2, 3, 2, 2)),
            layer("ZeroPadding1D", cfg("ZeroPadding1D", "padding", List.of(1, 2)), s(2, 4, 3)),
            layer("ZeroPadding2D", cfg("ZeroPadding2D", "padding", List.of(List.of(1, 2), List.of(0, 1))),
                    s(2, 3, 4, 2)),
            layer("ZeroPadding3D", cfg("ZeroPadding3D", "padding", List.of(1, 1, 1)), s(2, 2, 3, 2, 2)),
            // pooling
            layer("MaxPooling1D", cfg("MaxPooling1D", "pool_size", List.of(2)), s(2, 9, 3)),
            layer("MaxPooling1D same stride 2", cfg("MaxPooling1D", "pool_size", List.of(3), "strides", List.of(2),
                    "padding", "same"), s(2, 8, 3)),
            layer("AveragePooling1D same", cfg("AveragePooling1D", "pool_size", List.of(3), "strides", List.of(2),
                    "padding", "same"), s(2, 8, 3)),
            layer("MaxPooling2D same", cfg("MaxPooling2D", "pool_size", List.of(2, 2), "padding", "same"),
                    s(2, 5, 7, 3)),
            layer("MaxPooling2D channels_first", cfg("MaxPooling2D", "pool_size", List.of(2, 3), "strides",
                    List.of(1, 2), "data_format", "channels_first"), s(2, 3, 5, 7)),
            layer("AveragePooling2D same stride 2", cfg("AveragePooling2D", "pool_size", List.of(3, 3), "strides",
                    List.of(2, 2), "padding", "same"), s(2, 7, 8, 2)),
            layer("MaxPooling3D same", cfg("MaxPooling3D", "pool_size", List.of(2, 2, 2), "padding", "same"),
                    s(2, 5, 4, 5, 2)),
            layer("AveragePooling3D same channels_first", cfg("AveragePooling3D", "pool_size", List.of(2, 2, 2),
                    "padding", "same", "data_format", "channels_first"), s(2, 2, 5, 4, 5)),
            layer("GlobalMaxPooling1D", cfg("GlobalMaxPooling1D"), s(2, 6, 3)),
            layer("GlobalAveragePooling1D", cfg("GlobalAveragePooling1D"), s(2, 6, 3)),
            layer("GlobalMaxPooling2D", cfg("GlobalMaxPooling2D"), s(2, 4, 5, 3)),
            layer("GlobalAveragePooling2D channels_first", cfg("GlobalAveragePooling2D", "data_format",
                    "channels_first"), s(2, 3, 4, 5)),
            layer("GlobalMaxPooling3D", cfg("GlobalMaxPooling3D"), s(2, 3, 4, 3, 2)),
            layer("GlobalAveragePooling3D", cfg("GlobalAveragePooling3D"), s(2, 3, 4, 3, 2)),
            // locally connected
            layer("LocallyConnected1D", cfg("LocallyConnected1D", "filters", 3, "kernel_size", List.of(3)),
                    s(2, 8, 4)),
            layer("LocallyConnected1D implementation 2", cfg("LocallyConnected1D", "filters", 3, "kernel_size",
                    List.of(3), "strides", List.of(2), "implementation", 2), s(2, 9, 2)),
            layer("LocallyConnected2D", cfg("LocallyConnected2D", "filters", 2, "kernel_size", List.of(3, 3)),
                    s(2, 6, 5, 2)),
            layer("LocallyConnected2D implementation 3 channels_first", cfg("LocallyConnected2D", "filters", 2,
                    "kernel_size", List.of(2, 2), "implementation", 3, "data_format", "channels_first"),
                    s(2, 2, 5, 4)),
            model("LocallyConnected1D implementation 2 inside a model", chain(s(9, 2), false,
                    cfg("LocallyConnected1D", "filters", 3, "kernel_size", List.of(3), "implementation", 2),
                    cfg("Flatten")), Inputs.FLOAT, s(2, 9, 2)),
            // recurrent (Keras 2 defaults: hard_sigmoid gates, GRU reset_after false)
            layer("SimpleRNN", rnn("SimpleRNN"), SEQ),
            layer("SimpleRNN relu return_sequences go_backwards", rnn("SimpleRNN", "activation", "relu",
                    "return_sequences", true, "go_backwards", true), SEQ),
            layer("GRU", rnn("GRU"), SEQ),
            layer("GRU sigmoid return_sequences", rnn("GRU", "recurrent_activation", "sigmoid", "return_sequences",
                    true), SEQ),
            layer("GRU reset_after", rnn("GRU", "reset_after", true, "return_sequences", true), SEQ),
            layer("GRU reset_after sigmoid go_backwards", rnn("GRU", "reset_after", true, "recurrent_activation",
                    "sigmoid", "go_backwards", true), SEQ),
            layer("LSTM", rnn("LSTM"), SEQ),
            layer("LSTM return_sequences go_backwards", rnn("LSTM", "return_sequences", true, "go_backwards", true),
                    SEQ),
            layer("LSTM sigmoid", rnn("LSTM", "recurrent_activation", "sigmoid"), SEQ),
            layer("LSTM sigmoid return_sequences go_backwards", rnn("LSTM", "recurrent_activation", "sigmoid",
                    "return_sequences", true, "go_backwards", true), SEQ),
            model("Masking then LSTM sigmoid", chain(s(5, 3), false, cfg("Masking", "mask_value", 0.0),
                    rnn("LSTM", "recurrent_activation", "sigmoid", "return_sequences", true)), Inputs.ZERO_STEPS, SEQ),
            model("Masking then GRU go_backwards", chain(s(5, 3), false, cfg("Masking", "mask_value", 0.0),
                    rnn("GRU", "go_backwards", true)), Inputs.ZERO_STEPS, SEQ),
            model("Embedding mask_zero then GRU reset_after sigmoid", chain(s(6), true, cfg("Embedding", "input_dim",
                    VOCABULARY, "output_dim", 3, "mask_zero", true), rnn("GRU", "reset_after", true,
                    "recurrent_activation", "sigmoid", "return_sequences", true)), Inputs.IDS, s(2, 6)),
            model("Embedding mask_zero then SimpleRNN", chain(s(6), true, cfg("Embedding", "input_dim", VOCABULARY,
                    "output_dim", 3, "mask_zero", true), rnn("SimpleRNN")), Inputs.IDS, s(2, 6)),
            layer("Bidirectional LSTM concat", cfg("Bidirectional", "layer", lstm, "merge_mode", "concat"), SEQ),
            layer("Bidirectional GRU sum", cfg("Bidirectional", "layer", rnn("GRU", "reset_after", true),
                    "merge_mode", "sum"), SEQ),
            model("Masking then Bidirectional LSTM", chain(s(5, 3), false, cfg("Masking", "mask_value", 0.0),
                    cfg("Bidirectional", "layer", lstm, "merge_mode", "ave")), Inputs.ZERO_STEPS, SEQ),
            layer("TimeDistributed Dense", cfg("TimeDistributed", "layer", cfg("Dense", "units", 3, "activation",
                    "tanh")), s(2, 4, 5)),
            layer("TimeDistributed Conv2D", cfg("TimeDistributed", "layer", cfg("Conv2D", "filters", 2,
                    "kernel_size", List.of(3, 3), "padding", "same")), s(2, 3, 5, 5, 2)),
            layer("ConvLSTM2D", cfg("ConvLSTM2D", "filters", 2, "kernel_size", List.of(3, 3), "padding", "same",
                    "return_sequences", true), s(2, 3, 5, 5, 2)),
            layer("ConvLSTM2D channels_first go_backwards", cfg("ConvLSTM2D", "filters", 2, "kernel_size",
                    List.of(2, 2), "data_format", "channels_first", "go_backwards", true), s(2, 3, 2, 4, 4)),
            layer("CuDNNGRU", rnn("CuDNNGRU", "return_sequences", true), SEQ),
            layer("CuDNNLSTM", rnn("CuDNNLSTM"), SEQ),
            layer("CuDNNLSTM go_backwards", rnn("CuDNNLSTM", "go_backwards", true, "return_sequences", true), SEQ),
            // embedding
            model("Embedding", chain(s(5), true, cfg("Embedding", "input_dim", VOCABULARY, "output_dim", 4)),
                    Inputs.IDS, s(3, 5)),
            // merge
            layer("Add", cfg("Add"), s(2, 3, 4), s(2, 3, 4)),
            layer("Subtract", cfg("Subtract"), s(2, 3, 4), s(2, 3, 4)),
            layer("Multiply", cfg("Multiply"), s(2, 3, 4), s(2, 3, 4), s(2, 3, 4)),
            layer("Average", cfg("Average"), s(2, 3, 4), s(2, 3, 4)),
            layer("Maximum", cfg("Maximum"), s(2, 3, 4), s(2, 3, 4)),
            layer("Minimum", cfg("Minimum"), s(2, 3, 4), s(2, 3, 4)),
            layer("Concatenate last axis", cfg("Concatenate", "axis", -1), s(2, 3, 4), s(2, 3, 2)),
            layer("Concatenate axis 1", cfg("Concatenate", "axis", 1), s(2, 3, 4), s(2, 2, 4)),
            layer("Dot axes 2", cfg("Dot", "axes", List.of(2, 2)), s(2, 3, 4), s(2, 5, 4)),
            layer("Dot axes 1 normalize", cfg("Dot", "axes", 1, "normalize", true), s(2, 4), s(2, 4)),
            // advanced activations
            layer("LeakyReLU", cfg("LeakyReLU", "alpha", 0.3), s(2, 3, 4)),
            layer("PReLU shared axes", cfg("PReLU", "shared_axes", List.of(1)), s(2, 3, 4)),
            layer("ELU", cfg("ELU", "alpha", 0.7), s(2, 3, 4)),
            layer("ThresholdedReLU", cfg("ThresholdedReLU", "theta", 0.5), s(2, 3, 4)),
            layer("Softmax", cfg("Softmax", "axis", -1), s(2, 3, 4)),
            layer("ReLU max_value negative_slope threshold", cfg("ReLU", "max_value", 0.6, "negative_slope", 0.1,
                    "threshold", 0.2), s(2, 3, 4)),
            // normalization
            layer("BatchNormalization inference", cfg("BatchNormalization"), s(2, 3, 4)),
            training("BatchNormalization training", cfg("BatchNormalization"), s(4, 3, 5)),
            training("BatchNormalization training axis 1", cfg("BatchNormalization", "axis", 1), s(3, 3, 4, 4)),
            layer("LayerNormalization", cfg("LayerNormalization"), s(2, 3, 6)),
            layer("LayerNormalization two axes", cfg("LayerNormalization", "axis", List.of(1, 2)), s(2, 3, 6)),
            // dropout and noise, inference
            layer("Dropout", cfg("Dropout", "rate", 0.5), s(2, 3, 4)),
            layer("SpatialDropout1D", cfg("SpatialDropout1D", "rate", 0.5), s(2, 3, 4)),
            layer("SpatialDropout2D", cfg("SpatialDropout2D", "rate", 0.5), s(2, 3, 4, 2)),
            layer("GaussianNoise", cfg("GaussianNoise", "stddev", 0.3), s(2, 3, 4)),
            layer("GaussianDropout", cfg("GaussianDropout", "rate", 0.3), s(2, 3, 4)),
            layer("AlphaDropout", cfg("AlphaDropout", "rate", 0.2), s(2, 3, 4)),
            // attention
            layer("Attention", cfg("Attention"), s(2, 3, 4), s(2, 5, 4)),
            layer("Attention scaled with key", cfg("Attention", "use_scale", true), s(2, 3, 4), s(2, 5, 4),
                    s(2, 5, 4)),
            layer("Attention causal", cfg("Attention", "causal", true), s(2, 4, 3), s(2, 4, 3)),
            layer("AdditiveAttention", cfg("AdditiveAttention"), s(2, 3, 4), s(2, 5, 4)));
    }

    // ------------------------------------------------------------------------------------------------ harness

    /** A named array of results of one run. */
    record Value(String name, float[] data) {
    }

    static Backend backendOf(Device device) {
        return Backends.forDevice(device);
    }

    /** The case's inputs on the host, drawn from rnd. */
    static List<Tensor> hostInputs(LayerCase c, Random rnd) {
        List<Tensor> xs = new ArrayList<>();
        for (long[] shape : c.inputs()) {
            int n = Layouts.size(shape);
            if (c.kind() == Inputs.IDS) {
                int[] ids = new int[n];
                for (int i = 0; i < n; i++) {
                    ids[i] = rnd.nextInt(VOCABULARY);
                }
                ids[0] = 0;  // sample 0 starts masked, sample 1 ends masked
                ids[n - 1] = 0;
                xs.add(ParityHarness.hostInts(ids, shape));
            } else {
                float[] x = Layouts.uniform(rnd, shape, -1, 1);
                if (c.kind() == Inputs.ZERO_STEPS) {
                    int step = (int) (n / (shape[0] * shape[1]));
                    for (int[] bt : new int[][] {{0, 4}, {1, 1}, {1, 3}}) {
                        int at = (int) ((bt[0] * shape[1] + bt[1]) * step);
                        Arrays.fill(x, at, at + step, 0f);
                    }
                }
                xs.add(ParityHarness.host(x, shape));
            }
        }
        return xs;
    }

    /**
     * Output, gradients (input and trainable weights, for an upstream gradient drawn from the seed) and every weight
     * afterwards, with the layer and its inputs on device.
     */
    static List<Value> run(Layer layer, LayerCase c, long seed, Device device) {
        Backend be = backendOf(device);
        List<Value> out = new ArrayList<>();
        Random rnd = new Random(seed);
        try (Backends.DeviceScope on = Backends.onDevice(device); Scope s = Scope.open();
                GradientTape tape = new GradientTape()) {
            List<Tensor> xs = new ArrayList<>();
            for (Tensor h : hostInputs(c, rnd)) {
                xs.add(ParityHarness.copyTo(h, be));
            }
            List<Tensor> sources = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (int i = 0; i < xs.size(); i++) {
                if (c.kind() != Inputs.IDS) {
                    sources.add(xs.get(i));
                    names.add("d input " + i);
                }
            }
            List<Weight> trainable = layer.trainableWeightVariables();
            for (int i = 0; i < trainable.size(); i++) {
                sources.add(trainable.get(i).value());
                names.add("d weight " + i + " (" + trainable.get(i).name() + ")");
            }
            tape.watch(sources);
            Tensor y = layer.invoke(xs, null, c.training()).tensors().get(0);
            assertEquals(device, y.device(), "the output's device");
            out.add(new Value("output", y.toFloatArray()));
            Tensor upstream = ParityHarness.copyTo(ParityHarness.host(Layouts.uniform(rnd, y.shape(), -1, 1),
                    y.shape()), be);
            List<Tensor> grads = tape.gradient(y, sources, upstream);
            for (int i = 0; i < sources.size(); i++) {
                assertNotNull(grads.get(i), "no gradient reached " + names.get(i) + " on " + device);
                assertArrayEquals(sources.get(i).shape(), grads.get(i).shape(), names.get(i) + ": shape");
                out.add(new Value(names.get(i), grads.get(i).toFloatArray()));
            }
        }
        List<Weight> all = layer.weightVariables();
        for (int i = 0; i < all.size(); i++) {
            assertEquals(device, all.get(i).value().device(), "the device of " + all.get(i).name());
            out.add(new Value("weight " + i + " (" + all.get(i).name() + ") afterwards", all.get(i).value()
                    .toFloatArray()));
        }
        return out;
    }

    static void compare(String name, List<Value> expected, List<Value> actual, double tol) {
        assertEquals(expected.stream().map(Value::name).toList(), actual.stream().map(Value::name).toList(),
                name + ": the results");
        List<Executable> checks = new ArrayList<>();
        for (int i = 0; i < expected.size(); i++) {
            Value e = expected.get(i);
            Value a = actual.get(i);
            checks.add(() -> Golden.assertClose(name + ": " + e.name(), e.data(), a.data(), tol));
        }
        assertAll(name, checks);
    }

    /** Random weights (variances positive) so that no weight sits at its initializer's zeros or ones. */
    static List<float[]> randomize(Layer layer, Random rnd) {
        List<Tensor> ws = new ArrayList<>();
        List<float[]> values = new ArrayList<>();
        for (Weight w : layer.weightVariables()) {
            long[] shape = w.value().shape();
            float[] v = w.name().contains("variance") ? Layouts.uniform(rnd, shape, 0.5f, 1.5f)
                    : Layouts.uniform(rnd, shape, -0.5f, 0.5f);
            values.add(v);
            ws.add(ParityHarness.host(v, shape));
        }
        layer.setWeights(ws);
        return values;
    }

    static void restore(Layer layer, List<float[]> values) {
        List<Tensor> ws = new ArrayList<>();
        List<Weight> all = layer.weightVariables();
        for (int i = 0; i < all.size(); i++) {
            ws.add(ParityHarness.host(values.get(i), all.get(i).value().shape()));
        }
        layer.setWeights(ws);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void parity(String name, LayerCase c) {
        long seed = name.hashCode() * 7_919L + 3;
        Layer layer;
        List<float[]> initial;
        try (Backends.DeviceScope on = Backends.onDevice(Device.CPU); Scope s = Scope.open()) {
            layer = c.make().get();
            if (!layer.isBuilt()) {
                List<Shape> shapes = new ArrayList<>();
                for (long[] in : c.inputs()) {
                    shapes.add(Shape.of(in).withDim(0, Shape.UNKNOWN));
                }
                layer.build(shapes);
            }
            initial = randomize(layer, new Random(seed ^ 0x5eed));
        }
        List<Value> expected = run(layer, c, seed, Device.CPU);
        try (Backends.DeviceScope on = Backends.onDevice(Device.CPU); Scope s = Scope.open()) {
            restore(layer, initial);
        }
        layer.to(ParityHarness.device());
        assertEquals(ParityHarness.device(), layer.device());
        List<Value> actual = run(layer, c, seed, ParityHarness.device());
        compare(name, expected, actual, TOL);
    }

    // ------------------------------------------------------------------------------------------------ training

    static Sequential smallModel() {
        return new Sequential(
            Layers.deserialize(cfg("Conv1D", "filters", 4, "kernel_size", List.of(3), "activation", "relu",
                    "batch_input_shape", Arrays.asList(null, 8, 3))),
            Layers.deserialize(cfg("MaxPooling1D", "pool_size", List.of(2))),
            Layers.deserialize(cfg("LSTM", "units", 5)),
            Layers.deserialize(cfg("BatchNormalization")),
            Layers.deserialize(cfg("Dense", "units", 3, "activation", "softmax")));
    }

    /** The model's weights after two epochs of Adam from the given weights, on device. */
    static List<float[]> fit(List<float[]> initial, Tensor[] data, Device device) {
        Sequential m;
        try (Backends.DeviceScope on = Backends.onDevice(Device.CPU)) {
            m = smallModel();
            restore(m, initial);
            m.compile(new Adam(0.01), "categorical_crossentropy", List.of("accuracy"));
        }
        m.to(device);
        try (Backends.DeviceScope on = Backends.onDevice(device)) {
            m.fit(data[0], data[1], 8, 2, 0, 0.0, false);
        }
        List<float[]> out = new ArrayList<>();
        for (Weight w : m.weightVariables()) {
            assertEquals(device, w.value().device(), "the device of " + w.name());
            out.add(w.value().toFloatArray());
        }
        return out;
    }

    @Test
    void aSequentialModelTrainsTheSameOnBothDevices() {
        int n = 32;
        Random rnd = new Random(11);
        List<float[]> initial;
        Tensor[] data;
        try (Backends.DeviceScope on = Backends.onDevice(Device.CPU)) {
            initial = randomize(smallModel(), rnd);
            float[] x = Layouts.uniform(rnd, s(n, 8, 3), -1, 1);
            float[] y = new float[n * 3];
            for (int i = 0; i < n; i++) {
                y[i * 3 + rnd.nextInt(3)] = 1f;
            }
            data = new Tensor[] {ParityHarness.host(x, n, 8, 3), ParityHarness.host(y, n, 3)};
        }
        List<float[]> expected;
        List<float[]> actual;
        try (Tensor x = data[0]; Tensor y = data[1]) {
            expected = fit(initial, data, Device.CPU);
            actual = fit(initial, data, ParityHarness.device());
        }
        assertEquals(expected.size(), actual.size());
        List<Executable> checks = new ArrayList<>();
        for (int i = 0; i < expected.size(); i++) {
            int k = i;
            checks.add(() -> Golden.assertClose("weight " + k + " after fit", expected.get(k), actual.get(k),
                    FIT_TOL));
        }
        boolean moved = false;
        for (int i = 0; i < expected.size(); i++) {
            moved |= !Arrays.equals(expected.get(i), initial.get(i));
        }
        assertTrue(moved, "fit changed no weight");
        assertAll("fit", checks);
    }
}
