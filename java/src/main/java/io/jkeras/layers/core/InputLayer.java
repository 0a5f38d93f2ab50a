package io.jkeras.layers.core;

import io.jkeras.layers.KerasTensor;
import io.jkeras.layers.Layer;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.DType;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The entry point of a graph: holds the batch input shape and dtype, and passes its input through. */
public final class InputLayer extends Layer {
    private static final Set<String> KEYS = keys("sparse", "ragged", "input_tensor", "optional");

    private final Shape shape;
    private final DType inputDtype;
    private final KerasTensor output;

    /** batchInputShape includes the batch dimension (-1 for unknown). */
    public InputLayer(Shape batchInputShape, DType dtype, String name) {
        if (name != null) {
            setName(name);
        }
        this.shape = batchInputShape;
        this.inputDtype = dtype;
        setBatchInputShape(batchInputShape.dims());
        this.output = addSourceNode(List.of(batchInputShape), dtype).get(0);
    }

    private InputLayer(ConfigMap c) {
        super(c);
        c.checkKnown(KEYS);
        if (batchInputShape() == null) {
            throw new IllegalArgumentException("InputLayer: needs 'batch_input_shape' (or 'input_shape')");
        }
        this.shape = batchInputShape();
        this.inputDtype = c.has("dtype") ? dtype() : DType.FLOAT32;
        this.output = addSourceNode(List.of(shape), inputDtype).get(0);
    }

    public static InputLayer fromConfig(Map<String, Object> config) {
        return new InputLayer(new ConfigMap("InputLayer", config));
    }

    /** The symbolic tensor this layer feeds into the graph. */
    public KerasTensor output() {
        return output;
    }

    public DType inputDtype() {
        return inputDtype;
    }

    @Override
    protected String defaultNamePrefix() {
        return "input";
    }

    @Override
    protected boolean numbersNamesFromOne() {
        return true;
    }

    @Override
    protected Tensor call(Tensor input, Tensor mask, boolean training) {
        return input;
    }

    @Override
    public Tensor computeMask(Tensor input, Tensor mask) {
        return mask;
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new java.util.LinkedHashMap<>();
        c.put("batch_input_shape", shape.toList());
        c.put("dtype", inputDtype.kerasName());
        c.put("sparse", false);
        c.put("name", getName());
        return c;
    }
}
