package io.jkeras.models;

import io.jkeras.layers.KerasTensor;
import io.jkeras.layers.Layer;
import io.jkeras.layers.Layers;
import io.jkeras.layers.core.InputLayer;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.DType;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A linear stack of layers. The graph is made as soon as the input shape is known: from the first layer's
 * input_shape / batch_input_shape, from {@link #build}, or from the first data it is called on.
 */
public class Sequential extends Model {
    private final List<Layer> stack = new ArrayList<>();
    private InputLayer inputLayer;

    public Sequential(Layer... layers) {
        for (Layer l : layers) {
            add(l);
        }
    }

    /** Appends a layer; an InputLayer is accepted as the first one. */
    public Sequential add(Layer layer) {
        if (layer instanceof InputLayer il) {
            if (!stack.isEmpty() || inputLayer != null) {
                throw new IllegalArgumentException("Sequential " + getName() + ": an InputLayer can only come first");
            }
            inputLayer = il;
            return this;
        }
        if (layer instanceof Model m && m.outputs().size() > 1) {
            throw new IllegalArgumentException("All layers in a Sequential model should have a single output tensor. "
                    + "Model " + m.getName() + " has " + m.outputs().size() + ".");
        }
        for (Layer l : stack) {
            if (l.getName().equals(layer.getName())) {
                throw new IllegalArgumentException("All layers added to a Sequential model should have unique names. "
                        + "Name \"" + layer.getName() + "\" is already the name of a layer in this model.");
            }
        }
        stack.add(layer);
        if (hasGraph()) {
            initGraph(inputs(), List.of(layer.apply(outputs().get(0))));
        } else if (inputLayer != null || (stack.size() == 1 && layer.batchInputShape() != null)) {
            if (inputLayer == null) {
                inputLayer = new InputLayer(layer.batchInputShape(), layer.dtype(), null);
            }
            makeGraph();
        }
        return this;
    }

    /** Removes the last layer. */
    public void pop() {
        if (stack.isEmpty()) {
            throw new IllegalStateException("There are no layers in the model.");
        }
        Layer removed = stack.remove(stack.size() - 1);
        if (stack.isEmpty()) {
            clearGraph();
        } else if (hasGraph()) {
            List<io.jkeras.layers.Node> nodes = removed.inboundNodes();
            initGraph(inputs(), nodes.get(nodes.size() - 1).inputs());
        }
    }

    private void makeGraph() {
        KerasTensor x = inputLayer.output();
        for (Layer l : stack) {
            x = l.apply(x);
        }
        initGraph(List.of(inputLayer.output()), List.of(x));
    }

    @Override
    protected void doBuild(Shape inputShape) {
        if (inputLayer == null) {
            inputLayer = new InputLayer(inputShape.withDim(0, Shape.UNKNOWN), DType.FLOAT32, null);
            makeGraph();
        }
    }

    @Override
    public List<Layer> layers() {
        return List.copyOf(stack);
    }

    @Override
    protected Outputs run(List<Tensor> xs, List<Tensor> masks, boolean training) {
        if (stack.isEmpty()) {
            throw new IllegalStateException("Sequential model " + getName() + " has no layers");
        }
        if (!hasGraph()) {
            doBuild(xs.get(0).getShape());
        }
        return super.run(xs, masks, training);
    }

    @Override
    public List<Shape> computeOutputShape(List<Shape> inputShapes) {
        if (!hasGraph()) {
            List<Shape> s = inputShapes;
            for (Layer l : stack) {
                s = l.computeOutputShape(s);
            }
            return s;
        }
        return super.computeOutputShape(inputShapes);
    }

    @Override
    public String className() {
        return "Sequential";
    }

    /** Keras 2's Sequential config: the name and the list of layers (the first one carrying batch_input_shape). */
    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", getName());
        List<Object> ls = new ArrayList<>();
        for (int i = 0; i < stack.size(); i++) {
            Map<String, Object> s = Layers.serialize(stack.get(i));
            if (i == 0 && inputLayer != null && stack.get(i).batchInputShape() == null) {
                @SuppressWarnings("unchecked")
                Map<String, Object> lc = (Map<String, Object>) s.get("config");
                lc.put("batch_input_shape", inputLayer.batchInputShape().toList());
            }
            ls.add(s);
        }
        c.put("layers", ls);
        return c;
    }

    public static Sequential fromConfig(Map<String, Object> config) {
        return fromConfig((Object) config);
    }

    /** Accepts Keras 2.2+ ({"name", "layers"}) and Keras 2.0/2.1 (a bare list of layers) configs. */
    @SuppressWarnings("unchecked")
    public static Sequential fromConfig(Object config) {
        List<?> layerConfigs;
        String name = null;
        if (config instanceof List<?> l) {
            layerConfigs = l;
        } else if (config instanceof Map<?, ?> m) {
            ConfigMap c = new ConfigMap("Sequential", (Map<String, Object>) m);
            name = c.getString("name", null);
            if (!(c.get("layers") instanceof List<?> l)) {
                throw new IllegalArgumentException("Sequential config: 'layers' must be a list");
            }
            layerConfigs = l;
        } else {
            throw new IllegalArgumentException("Sequential config must be an object or a list, got " + config);
        }
        Sequential s = new Sequential();
        if (name != null) {
            s.setName(name);
        }
        for (Object o : layerConfigs) {
            if (!(o instanceof Map)) {
                throw new IllegalArgumentException("Sequential config: each layer must be an object, got " + o);
            }
            s.add(Layers.deserialize((Map<String, Object>) o));
        }
        return s;
    }
}
