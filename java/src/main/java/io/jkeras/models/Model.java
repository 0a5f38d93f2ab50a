package io.jkeras.models;

import io.jkeras.backend.Backends;
import io.jkeras.layers.KerasTensor;
import io.jkeras.layers.Layer;
import io.jkeras.layers.Layers;
import io.jkeras.layers.Node;
import io.jkeras.layers.Weight;
import io.jkeras.layers.core.InputLayer;
import io.jkeras.ops.Ops;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Device;
import io.jkeras.tensor.Scope;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A functional model: a graph of layer calls from {@link Input} tensors to output tensors, itself a layer (so
 * models nest). Multiple inputs and outputs and shared layers are supported; masks flow along the graph.
 */
public class Model extends Layer {
    private List<KerasTensor> inputs = List.of();
    private List<KerasTensor> outputs = List.of();
    /** The nodes of the graph (InputLayer nodes excluded) in an order where each follows its inputs. */
    private List<Node> order = List.of();
    /** The model's layers, in the order of their first node (InputLayers included). */
    private List<Layer> layers = List.of();
    private Trainer trainer;

    public Model(KerasTensor input, KerasTensor output) {
        this(List.of(input), List.of(output), null);
    }

    public Model(List<KerasTensor> inputs, List<KerasTensor> outputs) {
        this(inputs, outputs, null);
    }

    public Model(List<KerasTensor> inputs, List<KerasTensor> outputs, String name) {
        if (name != null) {
            setName(name);
        }
        initGraph(inputs, outputs);
    }

    /** For subclasses that make their graph later (Sequential). */
    protected Model() {
    }

    @Override
    protected String defaultNamePrefix() {
        return this instanceof Sequential ? "sequential" : "model";
    }

    /** Finds the nodes between inputs and outputs and orders them; fails on a disconnected graph. */
    protected final void initGraph(List<KerasTensor> ins, List<KerasTensor> outs) {
        if (outs.isEmpty()) {
            throw new IllegalArgumentException("Model " + getName() + ": needs at least one output");
        }
        Set<KerasTensor> inputSet = Collections.newSetFromMap(new IdentityHashMap<>());
        for (KerasTensor t : ins) {
            if (!(t.layer() instanceof InputLayer)) {
                throw new IllegalArgumentException("Model " + getName() + ": inputs must come from Input (an "
                        + "InputLayer), got " + t);
            }
            inputSet.add(t);
        }
        List<Node> ordered = new ArrayList<>();
        Set<Node> done = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<Node> visiting = Collections.newSetFromMap(new IdentityHashMap<>());
        for (KerasTensor t : outs) {
            visit(t, inputSet, ordered, done, visiting);
        }
        LinkedHashSet<Layer> ls = new LinkedHashSet<>();
        for (KerasTensor t : ins) {
            ls.add(t.layer());
        }
        for (Node n : ordered) {
            ls.add(n.layer());
        }
        this.inputs = List.copyOf(ins);
        this.outputs = List.copyOf(outs);
        this.order = List.copyOf(ordered);
        this.layers = List.copyOf(ls);
        markBuilt();
    }

    private void visit(KerasTensor t, Set<KerasTensor> inputSet, List<Node> ordered, Set<Node> done,
            Set<Node> visiting) {
        if (inputSet.contains(t)) {
            return;
        }
        Node node = t.node();
        if (node.inputs().isEmpty()) {
            throw new IllegalArgumentException("Graph disconnected: cannot obtain value for tensor " + t
                    + " at layer \"" + t.layer().getName() + "\". It is not among the model's inputs.");
        }
        if (done.contains(node)) {
            return;
        }
        if (!visiting.add(node)) {
            throw new IllegalArgumentException("the graph of model " + getName() + " has a cycle at layer "
                    + node.layer().getName());
        }
        for (KerasTensor in : node.inputs()) {
            visit(in, inputSet, ordered, done, visiting);
        }
        visiting.remove(node);
        done.add(node);
        ordered.add(node);
    }

    private void markBuilt() {
        List<Shape> shapes = new ArrayList<>();
        for (KerasTensor t : inputs) {
            shapes.add(t.shape());
        }
        build(shapes);
    }

    public List<KerasTensor> inputs() {
        return inputs;
    }

    public List<KerasTensor> outputs() {
        return outputs;
    }

    /** The layers, InputLayers excluded, in graph order. */
    public List<Layer> layers() {
        List<Layer> out = new ArrayList<>();
        for (Layer l : layers) {
            if (!(l instanceof InputLayer)) {
                out.add(l);
            }
        }
        return out;
    }

    public Layer getLayer(String layerName) {
        for (Layer l : layers) {
            if (l.getName().equals(layerName)) {
                return l;
            }
        }
        throw new IllegalArgumentException("No such layer: " + layerName + " in model " + getName());
    }

    public Layer getLayer(int index) {
        List<Layer> ls = layers();
        if (index < 0 || index >= ls.size()) {
            throw new IllegalArgumentException("Was asked to retrieve layer at index " + index + " but model only has "
                    + ls.size() + " layers.");
        }
        return ls.get(index);
    }

    protected final void clearGraph() {
        this.inputs = List.of();
        this.outputs = List.of();
        this.order = List.of();
        this.layers = List.of();
    }

    protected boolean hasGraph() {
        return !outputs.isEmpty();
    }

    // --------------------------------------------------------------------------------------------------- run

    @Override
    protected List<Tensor> call(List<Tensor> xs, List<Tensor> masks, boolean training) {
        return run(xs, masks, training).tensors();
    }

    @Override
    protected Outputs callWithMasks(List<Tensor> xs, List<Tensor> masks, boolean training) {
        return run(xs, masks, training);
    }

    @Override
    public List<Tensor> computeMask(List<Tensor> xs, List<Tensor> masks) {
        return run(xs, masks, false).masks();
    }

    /** Runs every node in order, carrying tensors and masks. */
    protected Outputs run(List<Tensor> xs, List<Tensor> masks, boolean training) {
        if (xs.size() != inputs.size()) {
            throw new IllegalArgumentException("Model " + getName() + " expects " + inputs.size() + " input(s), got "
                    + xs.size());
        }
        Map<KerasTensor, Tensor> values = new IdentityHashMap<>();
        Map<KerasTensor, Tensor> valueMasks = new IdentityHashMap<>();
        for (int i = 0; i < xs.size(); i++) {
            checkInput(i, xs.get(i));
            values.put(inputs.get(i), xs.get(i));
            valueMasks.put(inputs.get(i), masks == null ? null : masks.get(i));
        }
        for (Node node : order) {
            List<Tensor> in = new ArrayList<>();
            List<Tensor> inMasks = new ArrayList<>();
            boolean anyMask = false;
            for (KerasTensor k : node.inputs()) {
                in.add(values.get(k));
                Tensor m = valueMasks.get(k);
                anyMask |= m != null;
                inMasks.add(m);
            }
            Outputs o = node.layer().invoke(in, anyMask ? inMasks : null, training);
            for (int i = 0; i < node.outputs().size(); i++) {
                values.put(node.outputs().get(i), o.tensors().get(i));
                valueMasks.put(node.outputs().get(i), o.masks() == null ? null : o.masks().get(i));
            }
        }
        List<Tensor> ys = new ArrayList<>();
        List<Tensor> ms = new ArrayList<>();
        for (KerasTensor k : outputs) {
            ys.add(values.get(k));
            ms.add(valueMasks.get(k));
        }
        return new Outputs(ys, ms);
    }

    private void checkInput(int i, Tensor x) {
        Shape expected = inputs.get(i).shape();
        long[] got = x.shape();
        boolean ok = got.length == expected.rank();
        for (int d = 0; ok && d < got.length; d++) {
            ok = expected.dim(d) == Shape.UNKNOWN || expected.dim(d) == got[d];
        }
        if (!ok) {
            throw new IllegalArgumentException("Error when checking input: model " + getName() + " expected input "
                    + i + " (" + inputs.get(i).layer().getName() + ") to have shape " + expected
                    + " but got an array with shape " + x.getShape());
        }
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        List<Shape> out = computeOutputShape(List.of(inputShape));
        if (out.size() != 1) {
            throw new IllegalStateException("model " + getName() + " has " + out.size() + " outputs; use "
                    + "computeOutputShape(List)");
        }
        return out.get(0);
    }

    @Override
    public List<Shape> computeOutputShape(List<Shape> inputShapes) {
        Map<KerasTensor, Shape> shapes = new IdentityHashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            shapes.put(inputs.get(i), inputShapes.get(i));
        }
        for (Node node : order) {
            List<Shape> in = new ArrayList<>();
            for (KerasTensor k : node.inputs()) {
                in.add(shapes.get(k));
            }
            List<Shape> out = node.layer().computeOutputShape(in);
            for (int i = 0; i < out.size(); i++) {
                shapes.put(node.outputs().get(i), out.get(i));
            }
        }
        List<Shape> result = new ArrayList<>();
        for (KerasTensor k : outputs) {
            result.add(shapes.get(k));
        }
        return result;
    }

    /** Inference in batches of 32, as Keras's predict. */
    public Tensor predict(Tensor x) {
        return predict(List.of(x)).get(0);
    }

    public List<Tensor> predict(List<Tensor> xs) {
        return predict(xs, 32);
    }

    public List<Tensor> predict(List<Tensor> xs, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("predict: batch_size must be >= 1, got " + batchSize);
        }
        long n = xs.get(0).dim(0);
        for (Tensor x : xs) {
            if (x.dim(0) != n) {
                throw new IllegalArgumentException("predict: all inputs must have the same number of samples, got "
                        + xs.stream().map(t -> t.getShape().toString()).toList());
            }
        }
        try (Scope scope = Scope.open()) {
            List<List<Tensor>> parts = new ArrayList<>();
            for (long start = 0; start < n || (n == 0 && start == 0); start += batchSize) {
                List<Tensor> batch = new ArrayList<>();
                for (Tensor x : xs) {
                    batch.add(n <= batchSize ? x : Batches.rows(x, start, Math.min(n, start + batchSize)));
                }
                parts.add(invoke(batch, null, false).tensors());
                if (n == 0) {
                    break;
                }
            }
            List<Tensor> result = new ArrayList<>();
            for (int o = 0; o < parts.get(0).size(); o++) {
                List<Tensor> pieces = new ArrayList<>();
                for (List<Tensor> p : parts) {
                    pieces.add(p.get(o));
                }
                result.add(pieces.size() == 1 ? pieces.get(0) : Ops.concat(pieces, 0));
            }
            return scope.keep(result);
        }
    }

    // ----------------------------------------------------------------------------------------------- weights

    private List<Layer> uniqueLayers() {
        return layers();
    }

    @Override
    public List<Weight> weightVariables() {
        List<Weight> out = new ArrayList<>();
        Set<Weight> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Layer l : uniqueLayers()) {
            for (Weight w : l.weightVariables()) {
                if (seen.add(w)) {
                    out.add(w);
                }
            }
        }
        return out;
    }

    @Override
    public List<Weight> trainableWeightVariables() {
        List<Weight> out = new ArrayList<>();
        if (isTrainable()) {
            for (Layer l : uniqueLayers()) {
                out.addAll(l.trainableWeightVariables());
            }
        }
        return out;
    }

    @Override
    public List<Weight> nonTrainableWeightVariables() {
        List<Weight> out = new ArrayList<>();
        for (Layer l : uniqueLayers()) {
            out.addAll(isTrainable() ? l.nonTrainableWeightVariables() : l.weightVariables());
        }
        return out;
    }

    @Override
    public List<Tensor> losses() {
        List<Tensor> out = new ArrayList<>();
        for (Layer l : uniqueLayers()) {
            out.addAll(l.losses());
        }
        return out;
    }

    // -------------------------------------------------------------------------------------------- training

    /**
     * Configures training: optimizer ("sgd", "adam" or an Optimizer), loss (a name such as
     * "categorical_crossentropy", or a Loss), metrics (names such as "accuracy", or Metric objects).
     */
    public void compile(Object optimizer, Object loss, List<?> metrics) {
        this.trainer = new Trainer(this, optimizer, loss, metrics);
    }

    private Trainer trainer() {
        if (trainer == null) {
            throw new IllegalStateException("You must compile model " + getName() + " before training/testing. "
                    + "Use `model.compile(optimizer, loss)`.");
        }
        return trainer;
    }

    /** Trains for a number of epochs; returns the per-epoch logs. */
    public History fit(Tensor x, Tensor y, int batchSize, int epochs, int verbose, double validationSplit,
            boolean shuffle) {
        return fit(List.of(x), List.of(y), batchSize, epochs, verbose, validationSplit, shuffle);
    }

    public History fit(List<Tensor> xs, List<Tensor> ys, int batchSize, int epochs, int verbose,
            double validationSplit, boolean shuffle) {
        Trainer t = trainer();
        return onModelDevice(() -> t.fit(onDevice(xs), onDevice(ys), batchSize, epochs, verbose, validationSplit,
                shuffle));
    }

    /** Loss and metrics on the given data, in inference mode: {"loss": ..., "accuracy": ...}. */
    public Map<String, Double> evaluate(Tensor x, Tensor y, int batchSize, int verbose) {
        return evaluate(List.of(x), List.of(y), batchSize, verbose);
    }

    public Map<String, Double> evaluate(List<Tensor> xs, List<Tensor> ys, int batchSize, int verbose) {
        Trainer t = trainer();
        return onModelDevice(() -> t.evaluate(onDevice(xs), onDevice(ys), batchSize, verbose));
    }

    /** Moves the weights, and the optimizer's state if compiled, to device; training and inference run there. */
    @Override
    public Model to(Device device) {
        for (Layer layer : layers()) {
            layer.to(device);  // each with its own state besides weights (RNN states, constant masks)
        }
        super.to(device);
        if (trainer != null) {
            trainer.optimizer().moveTo(device);
        }
        return this;
    }

    /** Runs work with the model's device as the thread's default (temporaries of a step are made there). */
    private <T> T onModelDevice(Supplier<T> work) {
        if (device() == null) {
            return work.get();
        }
        try (Scope scope = Scope.open(); Backends.DeviceScope on = Backends.onDevice(device())) {
            return work.get();
        }
    }

    /** Saves the model: ".keras" as a Keras 3 archive, ".json" as a TF.js model, anything else as Keras 2 HDF5. */
    public void save(java.nio.file.Path file) {
        io.jkeras.saving.KerasModels.save(this, file);
    }

    // ----------------------------------------------------------------------------------------------- summary

    /** Prints the summary table as Keras does. */
    public void summary() {
        summary(System.out::println);
    }

    public void summary(Consumer<String> printFn) {
        Summary.print(this, printFn);
    }

    // ------------------------------------------------------------------------------------------------ config

    @Override
    public String className() {
        return "Model";
    }

    /** Keras's functional config: layers with their inbound nodes, input and output layers. */
    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", getName());
        Map<Node, Integer> nodeIndex = new IdentityHashMap<>();
        List<Object> layerConfigs = new ArrayList<>();
        for (Layer l : layers) {
            Map<String, Object> lc = new LinkedHashMap<>();
            lc.put("name", l.getName());
            lc.put("class_name", l.className());
            lc.put("config", l.getConfig());
            List<Object> inbound = new ArrayList<>();
            int k = 0;
            for (Node n : l.inboundNodes()) {
                if (!order.contains(n)) {
                    continue;
                }
                nodeIndex.put(n, k++);
                List<Object> args = new ArrayList<>();
                for (KerasTensor t : n.inputs()) {
                    args.add(tensorRef(t, nodeIndex));
                }
                inbound.add(args);
            }
            lc.put("inbound_nodes", inbound);
            layerConfigs.add(lc);
        }
        c.put("layers", layerConfigs);
        c.put("input_layers", inputs.stream().map(t -> tensorRef(t, nodeIndex)).toList());
        c.put("output_layers", outputs.stream().map(t -> tensorRef(t, nodeIndex)).toList());
        return c;
    }

    private static List<Object> tensorRef(KerasTensor t, Map<Node, Integer> nodeIndex) {
        Integer k = nodeIndex.get(t.node());
        return Arrays.asList(t.layer().getName(), k == null ? 0 : k, t.tensorIndex(), Map.of());
    }

    /** Rebuilds a functional model from its Keras config, replaying inbound nodes until all are made. */
    public static Model fromConfig(Map<String, Object> config) {
        ConfigMap c = new ConfigMap("Model", config);
        Object layerList = c.get("layers");
        if (!(layerList instanceof List<?> ls)) {
            throw new IllegalArgumentException("Model config: 'layers' must be a list");
        }
        Map<String, Layer> byName = new LinkedHashMap<>();
        Map<String, List<?>> pending = new LinkedHashMap<>();
        for (Object o : ls) {
            Map<String, Object> lc = asMap(o, "Model config: each layer");
            Layer layer = Layers.deserialize(lc);
            String name = lc.get("name") instanceof String s ? s : layer.getName();
            byName.put(name, layer);
            pending.put(name, new ArrayList<>((List<?>) lc.getOrDefault("inbound_nodes", List.of())));
        }
        Map<String, List<List<KerasTensor>>> made = new HashMap<>();
        for (Map.Entry<String, Layer> e : byName.entrySet()) {
            if (e.getValue() instanceof InputLayer il) {
                made.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(List.of(il.output()));
                pending.get(e.getKey()).clear();
            }
        }
        boolean progress = true;
        while (progress) {
            progress = false;
            for (Map.Entry<String, List<?>> e : pending.entrySet()) {
                List<?> nodes = e.getValue();
                while (!nodes.isEmpty()) {
                    List<KerasTensor> in = resolve(nodes.get(0), made);
                    if (in == null) {
                        break;
                    }
                    List<KerasTensor> out = byName.get(e.getKey()).applyMulti(in);
                    made.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(out);
                    nodes.remove(0);
                    progress = true;
                }
            }
        }
        for (Map.Entry<String, List<?>> e : pending.entrySet()) {
            if (!e.getValue().isEmpty()) {
                throw new IllegalArgumentException("Model config: cannot make the inbound nodes of layer '" + e.getKey()
                        + "': their inputs never appear (a disconnected or cyclic config)");
            }
        }
        List<KerasTensor> ins = refs(c.get("input_layers"), made);
        List<KerasTensor> outs = refs(c.get("output_layers"), made);
        return new Model(ins, outs, c.getString("name", null));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o, String what) {
        if (!(o instanceof Map)) {
            throw new IllegalArgumentException(what + " must be an object, got " + o);
        }
        return (Map<String, Object>) o;
    }

    /** The input tensors of one inbound node entry, or null while one of them is not made yet. */
    private static List<KerasTensor> resolve(Object nodeEntry, Map<String, List<List<KerasTensor>>> made) {
        List<?> args = nodeEntry instanceof Map<?, ?> m ? (List<?>) m.get("args") : (List<?>) nodeEntry;
        List<KerasTensor> in = new ArrayList<>();
        for (Object a : args) {
            KerasTensor t = ref(a, made);
            if (t == null) {
                return null;
            }
            in.add(t);
        }
        return in;
    }

    private static KerasTensor ref(Object r, Map<String, List<List<KerasTensor>>> made) {
        if (!(r instanceof List<?> l) || l.size() < 3) {
            throw new IllegalArgumentException("Model config: a tensor reference must be [layer, node, tensor, ...], "
                    + "got " + r);
        }
        List<List<KerasTensor>> nodes = made.get(String.valueOf(l.get(0)));
        int node = ((Number) l.get(1)).intValue();
        int tensor = ((Number) l.get(2)).intValue();
        if (nodes == null || node >= nodes.size()) {
            return null;
        }
        return nodes.get(node).get(tensor);
    }

    private static List<KerasTensor> refs(Object list, Map<String, List<List<KerasTensor>>> made) {
        if (!(list instanceof List<?> l)) {
            throw new IllegalArgumentException("Model config: input_layers/output_layers must be lists, got " + list);
        }
        List<?> entries = !l.isEmpty() && !(l.get(0) instanceof List) ? List.of(l) : l;
        List<KerasTensor> out = new ArrayList<>();
        for (Object r : entries) {
            KerasTensor t = ref(r, made);
            if (t == null) {
                throw new IllegalArgumentException("Model config: unknown tensor reference " + r);
            }
            out.add(t);
        }
        return out;
    }
}
