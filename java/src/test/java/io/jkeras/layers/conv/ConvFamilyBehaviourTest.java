package io.jkeras.layers.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.layers.Layer;
import io.jkeras.layers.Layers;
import io.jkeras.saving.Json;
import io.jkeras.tensor.Scope;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Hand-computed transposed-convolution numbers (TensorFlow's padding split, output_padding), Keras's config key
 * sets and aliases for every class, Java constructors, and bad input with messages that name the layer, the
 * argument and the shapes.
 */
class ConvFamilyBehaviourTest {
    private static Layer make(String cls, Object... kv) {
        Map<String, Object> c = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            c.put((String) kv[i], kv[i + 1]);
        }
        return Layers.deserialize(Map.of("class_name", cls, "config", c));
    }

    /** Conv1DTranspose with one filter, an all-ones 3-tap kernel, no bias, on x = [1, 2, 3]. */
    private static float[] transpose1d(String padding, Integer outputPadding, int kernel, int stride) {
        try (Scope s = Scope.open()) {
            Layer l = outputPadding == null
                    ? make("Conv1DTranspose", "filters", 1, "kernel_size", kernel, "strides", stride, "padding",
                            padding, "use_bias", false)
                    : make("Conv1DTranspose", "filters", 1, "kernel_size", kernel, "strides", stride, "padding",
                            padding, "use_bias", false, "output_padding", outputPadding);
            l.build(Shape.of(1, 3, 1));
            float[] ones = new float[kernel];
            Arrays.fill(ones, 1f);
            l.setWeights(List.of(Tensor.of(ones, kernel, 1, 1)));
            return l.apply(Tensor.of(new float[] {1, 2, 3}, 1, 3, 1)).toFloatArray();
        }
    }

    /**
     * The numbers that need care. TensorFlow's conv1d_transpose (what Keras calls) is the gradient of the forward
     * convolution from the output length O to the input length 3; with same padding that convolution pads
     * max((3 - 1) * 2 + 3 - O, 0) split smaller half first. So output_padding=1 (O = 6) pads 0 before and puts
     * x[0] * w[0] first (PyTorch's output_padding would give [1, 3, 2, 5, 3, 3]), and output_padding=0 (O = 5)
     * pads 1 before.
     */
    @Test
    void transposedPaddingIsTensorFlows() {
        assertArrayEquals(new float[] {1, 1, 3, 2, 5, 3}, transpose1d("same", null, 3, 2));
        assertArrayEquals(new float[] {1, 1, 3, 2, 5, 3}, transpose1d("same", 1, 3, 2));
        assertArrayEquals(new float[] {1, 3, 2, 5, 3}, transpose1d("same", 0, 3, 2));
        assertArrayEquals(new float[] {1, 1, 3, 2, 5, 3, 3}, transpose1d("valid", null, 3, 2));
        assertArrayEquals(new float[] {1, 1, 3, 2, 5, 3, 3, 0}, transpose1d("valid", 1, 3, 2));
        // kernel 2 < stride 3: valid leaves a gap of one between the windows, output length 3 * 3 = 9
        assertArrayEquals(new float[] {1, 1, 0, 2, 2, 0, 3, 3, 0}, transpose1d("valid", null, 2, 3));
        // same, stride 1, odd kernel: an ordinary correlation with the flipped kernel (all ones here)
        assertArrayEquals(new float[] {3, 6, 5}, transpose1d("same", null, 3, 1));
    }

    @Test
    void depthwiseOutputChannelOrderIsChannelTimesMultiplierPlusM() {
        try (Scope s = Scope.open()) {
            Layer l = make("DepthwiseConv1D", "kernel_size", 1, "depth_multiplier", 2, "use_bias", false);
            l.build(Shape.of(1, 1, 2));
            // depthwise_kernel (1, in=2, dm=2): channel 0 -> (1, 10), channel 1 -> (100, 1000)
            l.setWeights(List.of(Tensor.of(new float[] {1, 10, 100, 1000}, 1, 2, 2)));
            assertArrayEquals(new float[] {3, 30, 500, 5000},
                    l.apply(Tensor.of(new float[] {3, 5}, 1, 1, 2)).toFloatArray());
        }
    }

    // ----------------------------------------------------------------------------------------- config keys

    private static final List<String> BASE = List.of("name", "trainable", "dtype");
    private static final List<String> CONV = List.of("filters", "kernel_size", "strides", "padding", "data_format",
            "dilation_rate", "groups", "activation", "use_bias", "kernel_initializer", "bias_initializer",
            "kernel_regularizer", "bias_regularizer", "activity_regularizer", "kernel_constraint", "bias_constraint");

    private static Set<String> keys(List<String> own, List<String> minus, String... plus) {
        Set<String> s = new TreeSet<>(BASE);
        s.addAll(own);
        s.removeAll(minus);
        s.addAll(List.of(plus));
        return s;
    }

    /** Keras 2's get_config key sets (keras/layers/convolutional/*.py of the Keras 2 line). */
    @Test
    void configKeysAreKeras2s() {
        Set<String> separable = keys(CONV, List.of(), "depth_multiplier", "depthwise_initializer",
                "pointwise_initializer", "depthwise_regularizer", "pointwise_regularizer", "depthwise_constraint",
                "pointwise_constraint");
        Set<String> depthwise = keys(CONV, List.of("filters", "kernel_initializer", "kernel_regularizer",
                "kernel_constraint"), "depth_multiplier", "depthwise_initializer", "depthwise_regularizer",
                "depthwise_constraint");
        Set<String> transpose = keys(CONV, List.of(), "output_padding");
        Set<String> transpose3d = keys(CONV, List.of("dilation_rate"), "output_padding");
        Map<String, Set<String>> want = new LinkedHashMap<>();
        want.put("SeparableConv1D", separable);
        want.put("SeparableConv2D", separable);
        want.put("DepthwiseConv1D", depthwise);
        want.put("DepthwiseConv2D", depthwise);
        want.put("DepthwiseConv3D", depthwise);
        want.put("Conv1DTranspose", transpose);
        want.put("Conv2DTranspose", transpose);
        want.put("Conv3DTranspose", transpose3d);
        for (Map.Entry<String, Set<String>> e : want.entrySet()) {
            Layer l = e.getKey().startsWith("Depthwise") ? make(e.getKey(), "kernel_size", 3)
                    : make(e.getKey(), "filters", 2, "kernel_size", 3);
            assertEquals(e.getValue(), new TreeSet<>(l.getConfig().keySet()), e.getKey() + ": config keys");
        }
        // Conv3DTranspose writes dilation_rate only when it is used (Keras drops the argument)
        assertTrue(make("Conv3DTranspose", "filters", 2, "kernel_size", 3, "dilation_rate", 2).getConfig()
                .containsKey("dilation_rate"));
        // Keras's values for the defaults
        Map<String, Object> c = Json.roundTrip(make("Conv2DTranspose", "filters", 2, "kernel_size", 3).getConfig());
        assertEquals(null, c.get("output_padding"));
        assertEquals(List.of(1, 1), c.get("strides"));
        assertEquals("valid", c.get("padding"));
        assertEquals("linear", c.get("activation"));
        Map<String, Object> d = Json.roundTrip(make("DepthwiseConv2D", "kernel_size", 3).getConfig());
        assertEquals(1, d.get("depth_multiplier"));
        assertEquals(List.of(3, 3), d.get("kernel_size"));
        Map<String, Object> p = Json.roundTrip(make("SeparableConv1D", "filters", 4, "kernel_size", 3,
                "padding", "SAME").getConfig());
        assertEquals("same", p.get("padding"), "padding is case-insensitive, written lower-case (Keras)");
    }

    @Test
    void aliasesAndJavaConstructors() {
        Map<String, Class<?>> aliases = new LinkedHashMap<>();
        aliases.put("SeparableConvolution1D", SeparableConv1D.class);
        aliases.put("SeparableConvolution2D", SeparableConv2D.class);
        aliases.put("Convolution1DTranspose", Conv1DTranspose.class);
        aliases.put("Convolution2DTranspose", Conv2DTranspose.class);
        aliases.put("Deconvolution2D", Conv2DTranspose.class);
        aliases.put("Convolution3DTranspose", Conv3DTranspose.class);
        aliases.put("Deconvolution3D", Conv3DTranspose.class);
        for (Map.Entry<String, Class<?>> e : aliases.entrySet()) {
            assertEquals(e.getValue(), make(e.getKey(), "filters", 2, "kernel_size", 3).getClass(), e.getKey());
        }
        List<Layer> layers = List.of(new SeparableConv1D(4, 3), new SeparableConv2D(4, 3, 2, "same", 2, "relu"),
                new DepthwiseConv1D(3), new DepthwiseConv2D(3, 1, "same", 2, null), new DepthwiseConv3D(2),
                new Conv1DTranspose(2, 3), new Conv2DTranspose(2, 3, 2, "same", "relu"), new Conv3DTranspose(2, 3));
        for (Layer l : layers) {
            Map<String, Object> before = Json.roundTrip(l.getConfig());
            Layer back = Layers.deserialize(Json.parseObject(Json.write(Layers.serialize(l))));
            assertEquals(l.getClass(), back.getClass());
            assertEquals(before, Json.roundTrip(back.getConfig()), l.className());
        }
        Map<String, Object> c = new SeparableConv2D(4, 3, 2, "same", 2, "relu").getConfig();
        assertEquals(List.of(2L, 2L), c.get("strides"));
        assertEquals(2, c.get("depth_multiplier"));
        assertEquals("relu", c.get("activation"));
    }

    @Test
    void weightsInKerasOrderAndNames() {
        Layer sep = make("SeparableConv2D", "filters", 5, "kernel_size", List.of(3, 2), "depth_multiplier", 2);
        sep.build(Shape.of(-1, 8, 8, 3));
        assertEquals(List.of("depthwise_kernel", "pointwise_kernel", "bias"),
                sep.weightVariables().stream().map(w -> w.name()).toList());
        assertArrayEquals(new long[] {3, 2, 3, 2}, sep.weightVariables().get(0).value().shape());
        assertArrayEquals(new long[] {1, 1, 6, 5}, sep.weightVariables().get(1).value().shape());
        Layer dw = make("DepthwiseConv2D", "kernel_size", 3, "depth_multiplier", 4, "data_format", "channels_first");
        dw.build(Shape.of(-1, 3, 8, 8));
        assertEquals(List.of("depthwise_kernel", "bias"), dw.weightVariables().stream().map(w -> w.name()).toList());
        assertArrayEquals(new long[] {12}, dw.weightVariables().get(1).value().shape());
        Layer tr = make("Conv3DTranspose", "filters", 5, "kernel_size", List.of(1, 2, 3));
        tr.build(Shape.of(-1, 4, 4, 4, 7));
        assertArrayEquals(new long[] {1, 2, 3, 5, 7}, tr.weightVariables().get(0).value().shape());
        assertEquals(Shape.of(-1, 4, 5, 6, 5), tr.computeOutputShape(Shape.of(-1, 4, 4, 4, 7)));
    }

    // ---------------------------------------------------------------------------------------------- errors

    private static void fails(Executable e, String... fragments) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e::execute);
        for (String f : fragments) {
            assertTrue(ex.getMessage().contains(f), "message lacks \"" + f + "\": " + ex.getMessage());
        }
    }

    @FunctionalInterface
    interface Executable {
        void execute() throws Throwable;
    }

    private static void apply(Layer l, long... shape) {
        try (Scope s = Scope.open()) {
            l.apply(Tensor.zeros(shape));
        }
    }

    @Test
    void badArguments() {
        fails(() -> make("Conv2DTranspose", "filters", 2, "kernel_size", 3, "strides", 2, "output_padding", 2),
                "Conv2DTranspose", "output padding", "strides=[2, 2]", "output_padding=[2, 2]");
        fails(() -> make("Conv3DTranspose", "filters", 2, "kernel_size", 3, "strides", List.of(2, 3, 1),
                "output_padding", List.of(1, 2, 1)), "Conv3DTranspose", "output_padding=[1, 2, 1]");
        fails(() -> make("Conv1DTranspose", "filters", 2, "kernel_size", 3, "output_padding", -1),
                "Conv1DTranspose", "output_padding");
        for (String cls : List.of("SeparableConv2D", "Conv2DTranspose", "SeparableConv1D", "Conv1DTranspose")) {
            fails(() -> make(cls, "filters", 2, "kernel_size", 3, "strides", 0), cls, "strides", "[0");
            fails(() -> make(cls, "filters", 2, "kernel_size", 3, "strides", 2, "dilation_rate", 2), cls, "strides",
                    "dilation_rate");
            fails(() -> make(cls, "filters", 0, "kernel_size", 3), cls, "filters");
            fails(() -> make(cls, "filters", 2, "kernel_size", 0), cls, "kernel_size");
            fails(() -> make(cls, "filters", 2, "kernel_size", 3, "groups", 2), cls, "groups");
        }
        for (String cls : List.of("DepthwiseConv1D", "DepthwiseConv2D", "DepthwiseConv3D")) {
            fails(() -> make(cls, "kernel_size", 3, "strides", 0), cls, "strides");
            fails(() -> make(cls, "kernel_size", 3, "strides", 2, "dilation_rate", 2), cls, "strides",
                    "dilation_rate");
            fails(() -> make(cls, "kernel_size", 3, "depth_multiplier", 0), cls, "depth_multiplier");
            fails(() -> make(cls, "kernel_size", 3, "filters", 4), cls, "filters");
            fails(() -> make(cls, "kernel_size", 3, "padding", "causal"), cls, "padding", "causal");
        }
        fails(() -> make("Conv1DTranspose", "filters", 2, "kernel_size", 3, "padding", "causal"), "Conv1DTranspose",
                "padding");
        fails(() -> make("SeparableConv2D", "filters", 2, "kernel_size", 3, "padding", "causal"), "SeparableConv2D",
                "padding");
        fails(() -> make("SeparableConv2D", "filters", 2, "kernel_size", 3, "data_format", "nhwc"), "SeparableConv2D",
                "data_format");
        fails(() -> make("Conv2DTranspose", "filters", 2, "kernel_size", 3, "depth_multiplier", 2),
                "Conv2DTranspose", "depth_multiplier");
        // SeparableConv1D takes causal (Keras does)
        make("SeparableConv1D", "filters", 2, "kernel_size", 3, "padding", "causal");
    }

    @Test
    void badInputs() {
        // kernel larger than the (padded) input
        fails(() -> apply(make("SeparableConv2D", "filters", 2, "kernel_size", 5, "name", "sep"), 1, 4, 9, 3),
                "SeparableConv2D", "sep", "kernel", "larger than the input (4)", "(1, 4, 9, 3)");
        fails(() -> apply(make("DepthwiseConv1D", "kernel_size", 3, "dilation_rate", 3, "name", "dw"), 2, 6, 3),
                "DepthwiseConv1D", "dw", "extent 7", "(2, 6, 3)");
        fails(() -> apply(make("DepthwiseConv3D", "kernel_size", List.of(2, 2, 4), "name", "dw3",
                "data_format", "channels_first"), 1, 2, 3, 3, 3), "dw3", "spatial axis 2", "(1, 2, 3, 3, 3)");
        // wrong rank (Keras's InputSpec wording, with the layer name)
        fails(() -> apply(make("Conv2DTranspose", "filters", 2, "kernel_size", 3, "name", "up"), 1, 4, 3), "up",
                "expected ndim=4, found ndim=3", "(1, 4, 3)");
        fails(() -> apply(make("DepthwiseConv3D", "kernel_size", 1, "name", "d3"), 1, 4, 4, 3), "d3",
                "expected ndim=5");
        fails(() -> apply(make("SeparableConv1D", "filters", 2, "kernel_size", 1, "name", "s1"), 1, 4, 4, 3), "s1",
                "expected ndim=3");
        // a changed channel count after build
        Layer built = make("Conv1DTranspose", "filters", 2, "kernel_size", 3, "name", "t1");
        apply(built, 1, 5, 3);
        fails(() -> apply(built, 1, 5, 4), "t1", "axis", "3", "(1, 5, 4)");
        // same padding, even kernel, output_padding 0: TensorFlow's conv_transpose rejects the sizes
        fails(() -> apply(make("Conv2DTranspose", "filters", 2, "kernel_size", 4, "strides", 2, "padding", "same",
                "output_padding", 0, "name", "even"), 1, 3, 3, 2), "Conv2DTranspose", "even", "output length 4",
                "input length 3", "(1, 3, 3, 2)");
        // an unknown channel dimension cannot build
        fails(() -> make("DepthwiseConv2D", "kernel_size", 3).build(Shape.of(-1, 5, 5, -1)), "channel dimension");
    }
}
