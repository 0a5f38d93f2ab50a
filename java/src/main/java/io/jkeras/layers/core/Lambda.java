package io.jkeras.layers.core;

import io.jkeras.layers.Layer;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Scope;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Wraps a Java function over ops as a layer (it gets gradients from the tape). The output shape is given (without
 * the batch axis), computed by a function, or inferred by running the function on zeros; the mask is given by a
 * function of (inputs, input mask), or null.
 *
 * <p>A Keras file stores a Lambda's function as Python bytecode, which cannot run here: register a Java function
 * under the layer's name (or the Python function's name) with {@link #registerFunction} before loading.
 */
public final class Lambda extends Layer {
    private static final Set<String> KEYS = keys("function", "function_type", "module", "output_shape",
            "output_shape_type", "output_shape_module", "arguments", "mask", "mask_type", "mask_module");
    private static final Map<String, Function<List<Tensor>, Tensor>> FUNCTIONS = new ConcurrentHashMap<>();

    private final Function<List<Tensor>, Tensor> function;
    private final Shape outputShape;
    private final UnaryOperator<Shape> outputShapeFunction;
    private final BiFunction<List<Tensor>, List<Tensor>, Tensor> maskFunction;
    private final String functionName;

    /** A single-input function. */
    public Lambda(UnaryOperator<Tensor> function) {
        this(xs -> function.apply(xs.get(0)), null, null, null, "lambda");
    }

    /**
     * function: inputs to output; outputShape: without the batch axis, or null; outputShapeFunction: full input
     * shape to full output shape, or null; maskFunction: (inputs, masks) to the output mask, or null for none.
     */
    public Lambda(Function<List<Tensor>, Tensor> function, Shape outputShape, UnaryOperator<Shape> outputShapeFunction,
            BiFunction<List<Tensor>, List<Tensor>, Tensor> maskFunction, String functionName) {
        this.function = function;
        this.outputShape = outputShape;
        this.outputShapeFunction = outputShapeFunction;
        this.maskFunction = maskFunction;
        this.functionName = functionName;
    }

    /** Makes a Java function available to Lambda layers loaded from configs, by layer or function name. */
    public static void registerFunction(String name, Function<List<Tensor>, Tensor> function) {
        FUNCTIONS.put(name, function);
    }

    private Lambda(ConfigMap c, Function<List<Tensor>, Tensor> function, Shape outputShape, String functionName) {
        super(c);
        this.function = function;
        this.outputShape = outputShape;
        this.outputShapeFunction = null;
        this.maskFunction = null;
        this.functionName = functionName;
    }

    public static Lambda fromConfig(Map<String, Object> config) {
        ConfigMap c = new ConfigMap("Lambda", config);
        c.checkKnown(KEYS);
        String layerName = c.getString("name", null);
        Object fn = c.get("function");
        String fnName = fn instanceof String s ? s : null;
        Function<List<Tensor>, Tensor> f = layerName != null ? FUNCTIONS.get(layerName) : null;
        if (f == null && fnName != null) {
            f = FUNCTIONS.get(fnName);
        }
        if (f == null) {
            throw new IllegalArgumentException("Lambda layer '" + layerName + "': its function "
                    + (fnName != null ? "'" + fnName + "' " : "") + "is Python code, which cannot run in Java; register "
                    + "a Java function first with Lambda.registerFunction(\"" + (layerName != null ? layerName : fnName)
                    + "\", inputs -> ...)");
        }
        long[] os = c.has("output_shape") && c.get("output_shape") instanceof List ? c.getLongs("output_shape", 0)
                : null;
        return new Lambda(c, f, os == null ? null : Shape.of(os), fnName != null ? fnName : "lambda");
    }

    @Override
    protected List<Tensor> call(List<Tensor> inputs, List<Tensor> masks, boolean training) {
        return List.of(function.apply(inputs));
    }

    @Override
    public List<Tensor> computeMask(List<Tensor> inputs, List<Tensor> masks) {
        if (maskFunction == null) {
            return java.util.Collections.singletonList(null);
        }
        return java.util.Collections.singletonList(maskFunction.apply(inputs, masks));
    }

    @Override
    public List<Shape> computeOutputShape(List<Shape> inputShapes) {
        if (outputShapeFunction != null) {
            return List.of(outputShapeFunction.apply(inputShapes.get(0)));
        }
        if (outputShape != null) {
            return List.of(outputShape.prepend(inputShapes.get(0).dim(0)));
        }
        // As Keras: infer by running the function, here on zeros with unknown dimensions taken as 1.
        try (Scope scope = Scope.open()) {
            List<Tensor> probes = new ArrayList<>();
            for (Shape s : inputShapes) {
                long[] d = s.dims();
                for (int i = 0; i < d.length; i++) {
                    d[i] = d[i] == Shape.UNKNOWN ? 1 : d[i];
                }
                probes.add(Tensor.zeros(d));
            }
            Shape out = function.apply(probes).getShape();
            return List.of(out.withDim(0, inputShapes.get(0).dim(0)));
        }
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>(super.getConfig());
        c.put("function", functionName);
        c.put("function_type", "function");
        c.put("output_shape", outputShape == null ? null : outputShape.toList());
        c.put("output_shape_type", "raw");
        c.put("arguments", Map.of());
        return c;
    }
}
