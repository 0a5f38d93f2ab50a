package io.jkeras.saving;

import io.jkeras.layers.Layer;
import io.jkeras.models.Model;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keras 1 files in Keras 2 terms, as Keras 2's legacy interfaces and {@code preprocess_weights_for_loading} do:
 * class names ({@code Convolution2D} to {@code Conv2D}), argument names ({@code output_dim} to {@code units},
 * {@code border_mode} to {@code padding}, {@code dim_ordering} "th" to {@code data_format} "channels_first", ...)
 * and weight layouts (Keras 1's twelve LSTM arrays to kernel, recurrent_kernel and bias; Theano-ordered
 * convolution kernels to Keras 2's; Theano's flipped kernels flipped back).
 */
public final class Keras1Converter {
    private Keras1Converter() {
    }

    // ------------------------------------------------------------------------------------------------ configs

    /** Keras 1 class names that Keras 2 renamed. */
    private static final Map<String, String> CLASS_NAMES = Map.ofEntries(
            Map.entry("Convolution1D", "Conv1D"),
            Map.entry("AtrousConvolution1D", "Conv1D"),
            Map.entry("Convolution2D", "Conv2D"),
            Map.entry("AtrousConvolution2D", "Conv2D"),
            Map.entry("Convolution3D", "Conv3D"),
            Map.entry("Deconvolution2D", "Conv2DTranspose"),
            Map.entry("SeparableConvolution2D", "SeparableConv2D"));

    private static final Set<String> RECURRENT = Set.of("LSTM", "GRU", "SimpleRNN", "ConvLSTM2D");

    /**
     * A whole Keras 1 model config ({"class_name": "Sequential" | "Model", "config": ...}) in Keras 2 terms; the
     * input is not modified.
     */
    public static Map<String, Object> convertModelConfig(Map<String, Object> serialized) {
        return convertLayer(serialized);
    }

    /** One serialized layer (or model) {"class_name", "config", ...} in Keras 2 terms. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> convertLayer(Map<String, Object> serialized) {
        Map<String, Object> out = new LinkedHashMap<>(serialized);
        Object cls = serialized.get("class_name");
        if (!(cls instanceof String className)) {
            return out;
        }
        Object config = serialized.get("config");
        if (className.equals("Sequential")) {
            List<?> layers = config instanceof List<?> l ? l
                    : config instanceof Map<?, ?> m && m.get("layers") instanceof List<?> l2 ? l2 : null;
            if (layers == null) {
                return out;
            }
            List<Object> converted = new ArrayList<>();
            for (Object o : layers) {
                if (o instanceof Map<?, ?> m) {
                    Map<String, Object> layer = (Map<String, Object>) m;
                    if (!converted.isEmpty() && !"Embedding".equals(layer.get("class_name"))
                            && layer.get("config") instanceof Map<?, ?> lc) {
                        // Keras ignores the input dimensions of all but the first layer of a Sequential
                        Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) lc);
                        copy.remove("input_dim");
                        copy.remove("input_length");
                        layer = new LinkedHashMap<>(layer);
                        layer.put("config", copy);
                    }
                    converted.add(convertLayer(layer));
                } else {
                    converted.add(o);
                }
            }
            if (config instanceof Map<?, ?> m) {
                Map<String, Object> c = new LinkedHashMap<>((Map<String, Object>) m);
                c.put("layers", converted);
                out.put("config", c);
            } else {
                out.put("config", converted);
            }
            return out;
        }
        if (className.equals("Model") && config instanceof Map<?, ?> m && m.get("layers") instanceof List<?> ls) {
            Map<String, Object> c = new LinkedHashMap<>((Map<String, Object>) m);
            List<Object> converted = new ArrayList<>();
            for (Object o : ls) {
                if (o instanceof Map<?, ?> lm) {
                    Map<String, Object> entry = convertLayer((Map<String, Object>) lm);
                    converted.add(entry);
                } else {
                    converted.add(o);
                }
            }
            c.put("layers", converted);
            out.put("config", c);
            return out;
        }
        if (!(config instanceof Map<?, ?> cm)) {
            return out;
        }
        String newClass = CLASS_NAMES.getOrDefault(className, className);
        Map<String, Object> c = convertArguments(className, newClass, new LinkedHashMap<>((Map<String, Object>) cm));
        if (className.equals("Merge")) {
            newClass = mergeClass(c);
        }
        out.put("class_name", newClass);
        out.put("config", c);
        return out;
    }

    private static void rename(Map<String, Object> c, String from, String to) {
        if (c.containsKey(from)) {
            Object v = c.remove(from);
            if (!c.containsKey(to)) {
                c.put(to, v);
            }
        }
    }

    private static String dataFormat(Object dimOrdering) {
        if ("th".equals(dimOrdering)) {
            return "channels_first";
        }
        return "channels_last";  // "tf", and "default" (Keras 2 maps it to its own default)
    }

    private static void dimOrdering(Map<String, Object> c) {
        if (c.containsKey("dim_ordering")) {
            c.put("data_format", dataFormat(c.remove("dim_ordering")));
        }
    }

    private static void denseLike(Map<String, Object> c) {
        rename(c, "init", "kernel_initializer");
        rename(c, "W_regularizer", "kernel_regularizer");
        rename(c, "b_regularizer", "bias_regularizer");
        rename(c, "W_constraint", "kernel_constraint");
        rename(c, "b_constraint", "bias_constraint");
        rename(c, "bias", "use_bias");
    }

    /** Keras 1's input_dim / input_length become batch_input_shape where the layer declares no input shape. */
    private static void inputShape(Map<String, Object> c, boolean sequenceInput) {
        Object dim = c.remove("input_dim");
        Object length = c.remove("input_length");
        if (c.get("batch_input_shape") != null || c.get("input_shape") != null || dim == null) {
            return;
        }
        List<Object> shape = new ArrayList<>();
        shape.add(null);
        if (sequenceInput) {
            shape.add(length);
        }
        shape.add(dim);
        c.put("batch_input_shape", shape);
    }

    private static Map<String, Object> convertArguments(String oldClass, String newClass, Map<String, Object> c) {
        rename(c, "input_dtype", "dtype");
        switch (oldClass) {
            case "Dense" -> {
                rename(c, "output_dim", "units");
                denseLike(c);
                inputShape(c, false);
            }
            case "Convolution1D", "AtrousConvolution1D" -> {
                rename(c, "nb_filter", "filters");
                rename(c, "filter_length", "kernel_size");
                rename(c, "subsample_length", "strides");
                rename(c, "border_mode", "padding");
                rename(c, "atrous_rate", "dilation_rate");
                denseLike(c);
                inputShape(c, true);
            }
            case "Convolution2D", "AtrousConvolution2D", "Deconvolution2D" -> {
                rename(c, "nb_filter", "filters");
                if (c.containsKey("nb_row") || c.containsKey("nb_col")) {
                    c.put("kernel_size", List.of(c.remove("nb_row"), c.remove("nb_col")));
                }
                rename(c, "subsample", "strides");
                rename(c, "border_mode", "padding");
                rename(c, "atrous_rate", "dilation_rate");
                dimOrdering(c);
                denseLike(c);
                c.remove("output_shape");  // Deconvolution2D's: Keras 2 computes it
            }
            case "Convolution3D" -> {
                rename(c, "nb_filter", "filters");
                if (c.containsKey("kernel_dim1")) {
                    c.put("kernel_size", List.of(c.remove("kernel_dim1"), c.remove("kernel_dim2"),
                            c.remove("kernel_dim3")));
                }
                rename(c, "subsample", "strides");
                rename(c, "border_mode", "padding");
                dimOrdering(c);
                denseLike(c);
            }
            case "SeparableConvolution2D" -> {
                rename(c, "nb_filter", "filters");
                if (c.containsKey("nb_row") || c.containsKey("nb_col")) {
                    c.put("kernel_size", List.of(c.remove("nb_row"), c.remove("nb_col")));
                }
                rename(c, "subsample", "strides");
                rename(c, "border_mode", "padding");
                dimOrdering(c);
                if (c.containsKey("init")) {
                    Object init = c.remove("init");
                    c.putIfAbsent("depthwise_initializer", init);
                    c.putIfAbsent("pointwise_initializer", init);
                }
                rename(c, "b_regularizer", "bias_regularizer");
                rename(c, "b_constraint", "bias_constraint");
                rename(c, "bias", "use_bias");
            }
            case "MaxPooling1D", "AveragePooling1D" -> {
                rename(c, "pool_length", "pool_size");
                rename(c, "stride", "strides");
                rename(c, "border_mode", "padding");
            }
            case "MaxPooling2D", "AveragePooling2D", "MaxPooling3D", "AveragePooling3D" -> {
                rename(c, "border_mode", "padding");
                dimOrdering(c);
            }
            case "GlobalMaxPooling2D", "GlobalAveragePooling2D", "GlobalMaxPooling3D", "GlobalAveragePooling3D",
                    "UpSampling2D", "UpSampling3D", "ZeroPadding2D", "ZeroPadding3D", "Cropping2D", "Cropping3D",
                    "Flatten" -> dimOrdering(c);
            case "UpSampling1D" -> rename(c, "length", "size");
            case "Dropout", "GaussianDropout" -> rename(c, "p", "rate");
            case "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D" -> {
                rename(c, "p", "rate");
                dimOrdering(c);
            }
            case "GaussianNoise" -> rename(c, "sigma", "stddev");
            case "Embedding" -> {
                rename(c, "init", "embeddings_initializer");
                rename(c, "W_regularizer", "embeddings_regularizer");
                rename(c, "W_constraint", "embeddings_constraint");
                c.remove("dropout");
            }
            case "LSTM", "GRU", "SimpleRNN" -> {
                rename(c, "output_dim", "units");
                rename(c, "init", "kernel_initializer");
                rename(c, "inner_init", "recurrent_initializer");
                rename(c, "inner_activation", "recurrent_activation");
                rename(c, "W_regularizer", "kernel_regularizer");
                rename(c, "U_regularizer", "recurrent_regularizer");
                rename(c, "b_regularizer", "bias_regularizer");
                rename(c, "W_constraint", "kernel_constraint");
                rename(c, "U_constraint", "recurrent_constraint");
                rename(c, "b_constraint", "bias_constraint");
                rename(c, "dropout_W", "dropout");
                rename(c, "dropout_U", "recurrent_dropout");
                if (c.containsKey("consume_less")) {
                    Object v = c.remove("consume_less");
                    c.put("implementation", "gpu".equals(v) ? 2 : "mem".equals(v) ? 1 : 0);
                }
                if (c.containsKey("forget_bias_init")) {
                    Object v = c.remove("forget_bias_init");
                    if ("one".equals(v) || "ones".equals(v)) {
                        c.put("unit_forget_bias", true);
                    } else if ("zero".equals(v) || "zeros".equals(v)) {
                        c.put("unit_forget_bias", false);
                    }
                }
                if (!oldClass.equals("LSTM")) {
                    c.remove("unit_forget_bias");
                }
                inputShape(c, true);
            }
            case "BatchNormalization" -> {
                rename(c, "beta_init", "beta_initializer");
                rename(c, "gamma_init", "gamma_initializer");
                Object mode = c.remove("mode");
                if (mode instanceof Number n && n.intValue() != 0) {
                    throw new IllegalArgumentException("BatchNormalization '" + c.get("name") + "': Keras 1's mode="
                            + n + " has no Keras 2 equivalent (only mode=0, feature-wise normalization, does)");
                }
            }
            case "PReLU" -> rename(c, "init", "alpha_initializer");
            case "TimeDistributed", "Bidirectional" -> convertWrapped(c);
            case "Merge" -> {
                // converted to the Keras 2 merge layer of its mode by mergeClass
            }
            default -> {
                denseLike(c);
                rename(c, "border_mode", "padding");
                dimOrdering(c);
            }
        }
        if (!RECURRENT.contains(newClass) && !newClass.startsWith("Conv") && !newClass.equals("Dense")
                && !newClass.equals("Embedding")) {
            c.remove("input_dim");
            c.remove("input_length");
        }
        return c;
    }

    @SuppressWarnings("unchecked")
    private static void convertWrapped(Map<String, Object> c) {
        if (c.get("layer") instanceof Map<?, ?> inner) {
            c.put("layer", convertLayer((Map<String, Object>) inner));
        }
    }

    /** Keras 1's Merge layer as the Keras 2 merge layer of its mode. */
    private static String mergeClass(Map<String, Object> c) {
        Object mode = c.remove("mode");
        Object concatAxis = c.remove("concat_axis");
        Object dotAxes = c.remove("dot_axes");
        c.remove("mode_type");
        c.remove("output_shape");
        c.remove("output_shape_type");
        c.remove("output_mask");
        c.remove("output_mask_type");
        c.remove("arguments");
        if (!(mode instanceof String m)) {
            throw new IllegalArgumentException("Merge layer '" + c.get("name") + "': a Python function as mode "
                    + "cannot be loaded; only the named modes (sum, mul, concat, ave, max, dot, cos) can");
        }
        switch (m) {
            case "sum":
                return "Add";
            case "mul":
                return "Multiply";
            case "ave":
                return "Average";
            case "max":
                return "Maximum";
            case "concat":
                c.put("axis", concatAxis == null ? -1 : concatAxis);
                return "Concatenate";
            case "dot":
            case "cos":
                c.put("axes", dotAxes == null ? -1 : dotAxes);
                c.put("normalize", m.equals("cos"));
                return "Dot";
            default:
                throw new IllegalArgumentException("Merge layer '" + c.get("name") + "': unknown mode '" + m + "'");
        }
    }

    // ------------------------------------------------------------------------------------------------ weights

    /**
     * How many arrays a Keras 1 file holds for a layer that is {@code layer} in Keras 2 (trainable ones, or
     * non-trainable ones); differs from Keras 2 for LSTM (12), GRU (9) and ConvLSTM2D (12) unless saved with
     * consume_less='gpu'.
     */
    static int keras1Count(Layer layer, boolean trainable) {
        if (layer instanceof Model m) {
            int n = 0;
            for (Layer sub : m.layers()) {
                n += keras1Count(sub, trainable);
            }
            return n;
        }
        int own = trainable ? LayerWeights.declared(layer, true).size() : LayerWeights.declared(layer, false).size();
        if (!trainable) {
            return own;
        }
        int separate = separateGateArrays(layer.className(), layer.getConfig());
        return separate > 0 ? separate : own;
    }

    /** 12 / 9 for LSTM / GRU layers whose Keras 1 form stores each gate apart; 0 otherwise. */
    private static int separateGateArrays(String className, Map<String, Object> config) {
        Object impl = config.get("implementation");
        boolean fused = impl instanceof Number n && n.intValue() == 2;
        boolean bias = !Boolean.FALSE.equals(config.get("use_bias"));
        if (className.equals("LSTM") || className.equals("ConvLSTM2D")) {
            return fused || !bias ? 0 : 12;
        }
        if (className.equals("GRU")) {
            return fused || !bias ? 0 : 9;
        }
        return 0;
    }

    /**
     * A layer's arrays from a Keras 1 file (or from a Theano-backend Keras 2 file when {@code keras1} is false)
     * in the layer's Keras 2 layout: gates merged, kernels transposed to Keras 2's order and, where
     * {@code flipKernels}, convolution kernels flipped (Theano convolves, TensorFlow correlates).
     */
    static List<WeightArray> convertWeights(String className, Map<String, Object> config, List<WeightArray> w,
            boolean keras1, boolean flipKernels) {
        List<WeightArray> out = new ArrayList<>(w);
        if (keras1) {
            out = keras1Layout(className, config, out);
        }
        if (flipKernels && isConv(className) && !out.isEmpty()) {
            out.set(0, out.get(0).flipSpatial());
            if (className.equals("ConvLSTM2D") && out.size() > 1) {
                out.set(1, out.get(1).flipSpatial());
            }
        }
        return out;
    }

    static boolean isConv(String className) {
        return className.equals("Conv1D") || className.equals("Conv2D") || className.equals("Conv3D")
                || className.equals("Conv2DTranspose") || className.equals("ConvLSTM2D");
    }

    @SuppressWarnings("unchecked")
    private static List<WeightArray> keras1Layout(String className, Map<String, Object> config, List<WeightArray> w) {
        boolean channelsFirst = "channels_first".equals(config.get("data_format"));
        switch (className) {
            case "LSTM" -> {
                if (w.size() == 12) {
                    return gates(w, new int[] {0, 6, 3, 9});
                }
            }
            case "GRU" -> {
                if (w.size() == 9) {
                    return gates(w, new int[] {0, 3, 6});
                }
            }
            case "ConvLSTM2D" -> {
                if (w.size() == 12) {
                    List<WeightArray> g = gates(w, new int[] {0, 6, 3, 9});
                    if (channelsFirst) {
                        g.set(0, g.get(0).transpose(2, 3, 1, 0));
                        g.set(1, g.get(1).transpose(2, 3, 1, 0));
                    }
                    return g;
                }
            }
            case "Conv1D" -> {
                if (!w.isEmpty() && w.get(0).rank() == 4) {
                    WeightArray k = w.get(0);
                    long filters = ((Number) config.getOrDefault("filters", k.shape[3])).longValue();
                    if (k.shape[1] != 1 || k.shape[3] != filters) {
                        // Keras 1.1: (filters, input_dim, filter_length, 1)
                        k = k.transpose(2, 3, 1, 0);
                    }
                    List<WeightArray> out = new ArrayList<>(w);
                    out.set(0, k.squeeze(1));
                    return out;
                }
            }
            case "Conv2D" -> {
                if (channelsFirst && !w.isEmpty() && w.get(0).rank() == 4) {
                    List<WeightArray> out = new ArrayList<>(w);
                    out.set(0, w.get(0).transpose(2, 3, 1, 0));
                    return out;
                }
            }
            case "Conv2DTranspose" -> {
                if (!w.isEmpty() && w.get(0).rank() == 4) {
                    List<WeightArray> out = new ArrayList<>(w);
                    out.set(0, channelsFirst ? w.get(0).transpose(2, 3, 0, 1) : w.get(0).transpose(0, 1, 3, 2));
                    return out;
                }
            }
            case "Conv3D" -> {
                if (channelsFirst && !w.isEmpty() && w.get(0).rank() == 5) {
                    List<WeightArray> out = new ArrayList<>(w);
                    out.set(0, w.get(0).transpose(2, 3, 4, 1, 0));
                    return out;
                }
            }
            case "Bidirectional" -> {
                if (config.get("layer") instanceof Map<?, ?> inner && w.size() % 2 == 0) {
                    Map<String, Object> innerSer = (Map<String, Object>) inner;
                    String innerClass = String.valueOf(innerSer.get("class_name"));
                    Map<String, Object> innerConfig = innerSer.get("config") instanceof Map<?, ?> ic
                            ? (Map<String, Object>) ic : Map.of();
                    int half = w.size() / 2;
                    List<WeightArray> out = new ArrayList<>(keras1Layout(innerClass, innerConfig, w.subList(0, half)));
                    out.addAll(keras1Layout(innerClass, innerConfig, w.subList(half, w.size())));
                    return out;
                }
            }
            case "TimeDistributed" -> {
                if (config.get("layer") instanceof Map<?, ?> inner) {
                    Map<String, Object> innerSer = (Map<String, Object>) inner;
                    Map<String, Object> innerConfig = innerSer.get("config") instanceof Map<?, ?> ic
                            ? (Map<String, Object>) ic : Map.of();
                    return keras1Layout(String.valueOf(innerSer.get("class_name")), innerConfig, w);
                }
            }
            default -> {
            }
        }
        return w;
    }

    /**
     * Keras 1 stores a gated layer's arrays gate by gate (W, U, b of each); Keras 2 concatenates the gates along
     * the last axis: {@code first[k]} is the index of gate k's W in Keras 2's gate order.
     */
    private static List<WeightArray> gates(List<WeightArray> w, int[] first) {
        List<WeightArray> kernels = new ArrayList<>();
        List<WeightArray> recurrent = new ArrayList<>();
        List<WeightArray> biases = new ArrayList<>();
        for (int f : first) {
            kernels.add(w.get(f));
            recurrent.add(w.get(f + 1));
            biases.add(w.get(f + 2));
        }
        List<WeightArray> out = new ArrayList<>();
        out.add(WeightArray.concatLast("kernel (from " + names(kernels) + ")", kernels));
        out.add(WeightArray.concatLast("recurrent_kernel (from " + names(recurrent) + ")", recurrent));
        out.add(WeightArray.concatLast("bias (from " + names(biases) + ")", biases));
        return out;
    }

    private static String names(List<WeightArray> ws) {
        List<String> s = new ArrayList<>();
        for (WeightArray w : ws) {
            s.add(w.name);
        }
        return String.join(", ", s);
    }
}
