package io.jkeras.layers;

import io.jkeras.backend.Backends;
import io.jkeras.constraints.Constraint;
import io.jkeras.initializers.Initializer;
import io.jkeras.ops.Ops;
import io.jkeras.regularizers.Regularizer;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.DType;
import io.jkeras.tensor.Device;
import io.jkeras.tensor.Scope;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The base of every layer, with Keras's life cycle: configure, {@link #build} from the input shapes (creating
 * weights with {@link #addWeight}), {@link #call} on tensors (composing ops only), report output shapes and
 * masks, serialize with {@link #getConfig}. A layer used in a functional graph records a {@link Node} per call.
 *
 * <p>Subclasses with one input override {@link #call(Tensor, Tensor, boolean)} and
 * {@link #computeOutputShape(Shape)}; those with several override the list forms.
 */
public abstract class Layer {
    private static final Map<String, AtomicInteger> NAME_COUNTERS = new ConcurrentHashMap<>();

    /** Config keys every layer accepts. */
    private static final Set<String> BASE_KEYS = Set.of("name", "trainable", "dtype", "batch_input_shape",
            "batch_shape", "input_shape", "batch_size");

    /** A layer's accepted config keys: its own plus the base ones. */
    protected static Set<String> keys(String... own) {
        Set<String> k = new java.util.HashSet<>(BASE_KEYS);
        k.addAll(List.of(own));
        return Set.copyOf(k);
    }

    private String name;
    private boolean trainable = true;
    private DType dtype = DType.FLOAT32;
    private Shape batchInputShape;
    private boolean built;
    private InputSpec inputSpec;
    private Regularizer activityRegularizer;
    private Device device;
    private final List<Weight> weights = new ArrayList<>();
    private final List<Node> inboundNodes = new ArrayList<>();
    private final List<Tensor> losses = new ArrayList<>();
    /** Whether masks pass through this layer unchanged (Keras's supports_masking). */
    protected boolean supportsMasking;

    protected Layer() {
        this.name = uniqueName(defaultNamePrefix());
    }

    /** Reads the base arguments of a config (name, trainable, dtype, input shapes). */
    protected Layer(ConfigMap config) {
        this();
        if (config.has("name")) {
            this.name = config.getString("name", name);
        }
        this.trainable = config.getBoolean("trainable", true);
        if (config.has("dtype")) {
            Object d = config.get("dtype");
            this.dtype = DType.fromKerasName(d instanceof Map<?, ?> m ? String.valueOf(
                    ((Map<?, ?>) m.get("config")).get("name")) : String.valueOf(d));
        }
        if (config.has("batch_input_shape") || config.has("batch_shape")) {
            // batch_shape is Keras 3's name for it
            this.batchInputShape = Shape.of(config.getLongs(config.has("batch_input_shape") ? "batch_input_shape"
                    : "batch_shape", 0));
        } else if (config.has("input_shape")) {
            long batch = config.getLong("batch_size", Shape.UNKNOWN);
            this.batchInputShape = Shape.of(config.getLongs("input_shape", 0)).prepend(batch);
        }
    }

    /** Keras's default name: the class name in snake_case, then _1, _2, ... for the later ones. */
    protected String defaultNamePrefix() {
        return toSnakeCase(getClass().getSimpleName());
    }

    static String toSnakeCase(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean boundary = i > 0 && Character.isUpperCase(c)
                    && (Character.isLowerCase(s.charAt(i - 1))
                        || (i + 1 < s.length() && Character.isLowerCase(s.charAt(i + 1)) && Character.isUpperCase(s.charAt(i - 1))));
            if (boundary) {
                b.append('_');
            }
            b.append(Character.toLowerCase(c));
        }
        return b.toString();
    }

    private String uniqueName(String prefix) {
        int n = NAME_COUNTERS.computeIfAbsent(prefix, k -> new AtomicInteger()).getAndIncrement();
        if (numbersNamesFromOne()) {
            return prefix + "_" + (n + 1);
        }
        return n == 0 ? prefix : prefix + "_" + n;
    }

    /** tf.keras names layers dense, dense_1, ... but inputs input_1, input_2, ... */
    protected boolean numbersNamesFromOne() {
        return false;
    }

    // ------------------------------------------------------------------------------------------------ properties

    public String getName() {
        return name;
    }

    public Layer setName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a layer name must not be empty");
        }
        this.name = name;
        return this;
    }

    public boolean isTrainable() {
        return trainable;
    }

    public Layer setTrainable(boolean trainable) {
        this.trainable = trainable;
        return this;
    }

    public DType dtype() {
        return dtype;
    }

    public boolean isBuilt() {
        return built;
    }

    public boolean supportsMasking() {
        return supportsMasking;
    }

    /** The batch_input_shape given at construction (null if none). */
    public Shape batchInputShape() {
        return batchInputShape;
    }

    /** Declares the input shape without the batch dimension, as Keras's input_shape argument. */
    public Layer setInputShape(long... shape) {
        this.batchInputShape = Shape.of(shape).prepend(Shape.UNKNOWN);
        return this;
    }

    public Layer setBatchInputShape(long... shape) {
        this.batchInputShape = Shape.of(shape);
        return this;
    }

    protected void setInputSpec(InputSpec spec) {
        this.inputSpec = spec;
    }

    public Regularizer activityRegularizer() {
        return activityRegularizer;
    }

    protected void setActivityRegularizer(Regularizer r) {
        this.activityRegularizer = r;
    }

    // ------------------------------------------------------------------------------------------------- weights

    /** Creates a weight from its initializer and registers it in Keras's order (the order of these calls). */
    protected Tensor addWeight(String weightName, long[] shape, Initializer initializer, Regularizer regularizer,
            Constraint constraint, boolean trainableWeight) {
        Tensor value;
        try (Scope scope = Scope.open()) {
            value = Scope.detach(scope.keep(initializer.apply(shape)));
        }
        weights.add(new Weight(weightName, value, trainableWeight, regularizer, constraint));
        return value;
    }

    /** Every weight, in Keras's order. */
    public List<Weight> weightVariables() {
        return Collections.unmodifiableList(weights);
    }

    public List<Weight> trainableWeightVariables() {
        List<Weight> out = new ArrayList<>();
        if (trainable) {
            for (Weight w : weights) {
                if (w.trainable()) {
                    out.add(w);
                }
            }
        }
        return out;
    }

    public List<Weight> nonTrainableWeightVariables() {
        List<Weight> out = new ArrayList<>();
        for (Weight w : weights) {
            if (!trainable || !w.trainable()) {
                out.add(w);
            }
        }
        return out;
    }

    /** Copies of the weights' values, in Keras's order and shapes; the caller owns them. */
    public List<Tensor> getWeights() {
        List<Tensor> out = new ArrayList<>();
        for (Weight w : weightVariables()) {
            out.add(Ops.copy(w.value()));
        }
        return out;
    }

    /** Sets every weight, in Keras's order; counts and shapes are checked before anything is written. */
    public void setWeights(List<Tensor> values) {
        List<Weight> ws = weightVariables();
        if (values.size() != ws.size()) {
            throw new IllegalArgumentException("You called `set_weights(weights)` on layer \"" + name
                    + "\" with a weight list of length " + values.size() + ", but the layer was expecting "
                    + ws.size() + " weights" + describe(ws));
        }
        for (int i = 0; i < ws.size(); i++) {
            if (!java.util.Arrays.equals(values.get(i).shape(), ws.get(i).value().shape())) {
                throw new IllegalArgumentException("Layer " + name + " weight shape mismatch for weight "
                        + i + " ('" + ws.get(i).name() + "'): the layer expects " + ws.get(i).value().getShape()
                        + ", the provided weight has shape " + values.get(i).getShape());
            }
        }
        for (int i = 0; i < ws.size(); i++) {
            ws.get(i).assign(Ops.toFloat(values.get(i)));
        }
    }

    private static String describe(List<Weight> ws) {
        List<String> s = new ArrayList<>();
        for (Weight w : ws) {
            s.add(w.name() + " " + w.value().getShape());
        }
        return s.isEmpty() ? "" : ": " + s;
    }

    public long countParams() {
        long n = 0;
        for (Weight w : weightVariables()) {
            n += w.value().size();
        }
        return n;
    }

    /** The regularization penalties of the weights and the activity penalties of the last call. */
    public List<Tensor> losses() {
        List<Tensor> out = new ArrayList<>(losses);
        for (Weight w : weights) {
            if (w.regularizer() != null) {
                out.add(w.regularizer().apply(w.value()));
            }
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------- build and call

    /** Creates the weights for inputs of these shapes (batch dimension included). */
    public final void build(Shape... inputShapes) {
        build(List.of(inputShapes));
    }

    public final void build(List<Shape> inputShapes) {
        checkInputSpec(inputShapes);
        if (!built) {
            doBuild(inputShapes);
            built = true;
        }
    }

    /** Override to create weights; the default builds nothing. */
    protected void doBuild(List<Shape> inputShapes) {
        if (inputShapes.size() == 1) {
            doBuild(inputShapes.get(0));
        }
    }

    protected void doBuild(Shape inputShape) {
    }

    private void checkInputSpec(List<Shape> shapes) {
        if (inputSpec != null) {
            for (int i = 0; i < shapes.size(); i++) {
                inputSpec.check(name, i, shapes.get(i));
            }
        }
    }

    public List<Shape> computeOutputShape(List<Shape> inputShapes) {
        if (inputShapes.size() != 1) {
            throw new IllegalArgumentException("layer " + name + " takes one input, got " + inputShapes.size());
        }
        return List.of(computeOutputShape(inputShapes.get(0)));
    }

    public Shape computeOutputShape(Shape inputShape) {
        return inputShape;
    }

    /** The forward computation, composed of ops. Single-input layers override this one. */
    protected Tensor call(Tensor input, Tensor mask, boolean training) {
        throw new UnsupportedOperationException("layer " + name + " (" + getClass().getSimpleName()
                + ") does not implement call");
    }

    /** The forward computation of a layer with several inputs or outputs. */
    protected List<Tensor> call(List<Tensor> inputs, List<Tensor> masks, boolean training) {
        if (inputs.size() != 1) {
            throw new IllegalArgumentException("layer " + name + " takes one input, got " + inputs.size());
        }
        return List.of(call(inputs.get(0), masks == null ? null : masks.get(0), training));
    }

    /**
     * The output mask (float 0/1 tensor, or null): by default the input mask where masking is supported; as in
     * Keras, a mask reaching a layer that does not support masking is an error.
     */
    public Tensor computeMask(Tensor input, Tensor mask) {
        if (mask != null && !supportsMasking) {
            throw new IllegalArgumentException("Layer " + name + " (" + className()
                    + ") does not support masking, but was passed an input mask");
        }
        return supportsMasking ? mask : null;
    }

    public List<Tensor> computeMask(List<Tensor> inputs, List<Tensor> masks) {
        if (inputs.size() == 1) {
            return Collections.singletonList(computeMask(inputs.get(0), masks == null ? null : masks.get(0)));
        }
        return Collections.nCopies(inputs.size(), null);
    }

    /** A layer's outputs and their masks. */
    public record Outputs(List<Tensor> tensors, List<Tensor> masks) {
    }

    /**
     * Builds the layer if needed, checks the inputs, calls it, applies the activity regularizer and computes the
     * output masks: what a model does for each layer.
     */
    public Outputs invoke(List<Tensor> inputs, List<Tensor> masks, boolean training) {
        if (device == null) {
            return invokeHere(inputs, masks, training);
        }
        try (Backends.DeviceScope on = Backends.onDevice(device)) {
            return invokeHere(onDevice(inputs), onDevice(masks), training);
        }
    }

    /**
     * Moves this layer's weights to device in place and runs it there from now on: inputs found elsewhere are
     * copied there, and what it creates (weights built later, constants, noise) is made there. Keras has no
     * such call; it is how a model moves between the host and a GPU.
     */
    public Layer to(Device device) {
        Backends.forDevice(device);  // fails here, saying why, where the device cannot serve
        for (Weight w : weightVariables()) {
            w.value().moveTo(device);
        }
        this.device = device;
        return this;
    }

    /** The device set by {@link #to}, or null: the default backend's. */
    public Device device() {
        return device;
    }

    /** The tensors on this layer's device (copies where they were elsewhere; null entries stay null). */
    protected final List<Tensor> onDevice(List<Tensor> tensors) {
        if (tensors == null || device == null) {
            return tensors;
        }
        List<Tensor> out = new ArrayList<>(tensors.size());
        for (Tensor t : tensors) {
            out.add(t == null || t.device().equals(device) ? t : t.to(device));
        }
        return out;
    }

    private Outputs invokeHere(List<Tensor> inputs, List<Tensor> masks, boolean training) {
        List<Shape> shapes = new ArrayList<>();
        for (Tensor t : inputs) {
            if (t.isClosed()) {
                throw new IllegalStateException("layer " + name + ": input " + shapes.size() + " is a closed tensor "
                        + "of shape " + t.getShape());
            }
            shapes.add(t.getShape());
        }
        build(shapes);
        Outputs outs = callWithMasks(inputs, masks, training);
        losses.clear();
        if (activityRegularizer != null) {
            for (Tensor o : outs.tensors()) {
                losses.add(Ops.mul(activityRegularizer.apply(o), 1f / o.dim(0)));
            }
        }
        return outs;
    }

    /** The outputs and their masks; a layer that computes both in one pass (a model) overrides this. */
    protected Outputs callWithMasks(List<Tensor> inputs, List<Tensor> masks, boolean training) {
        return new Outputs(call(inputs, masks, training), computeMask(inputs, masks));
    }

    /** Inference on a concrete tensor (training = false): builds the layer on first use. */
    public Tensor apply(Tensor x) {
        List<Tensor> ys = apply(List.of(x));
        if (ys.size() != 1) {
            throw new IllegalStateException("layer " + name + " has " + ys.size() + " outputs; use apply(List)");
        }
        return ys.get(0);
    }

    public List<Tensor> apply(List<Tensor> xs) {
        try (Scope scope = Scope.open()) {
            return scope.keep(new ArrayList<>(invoke(xs, null, false).tensors()));
        }
    }

    /**
     * Calls the layer on symbolic tensors of the functional API (one per input), recording a node; for a layer
     * with one output.
     */
    public KerasTensor apply(KerasTensor... xs) {
        List<KerasTensor> out = applyMulti(List.of(xs));
        if (out.size() != 1) {
            throw new IllegalStateException("layer " + name + " has " + out.size() + " outputs; use applyMulti");
        }
        return out.get(0);
    }

    /** Calls the layer on symbolic tensors, recording a node; returns every output. */
    public List<KerasTensor> applyMulti(List<KerasTensor> xs) {
        List<Shape> shapes = new ArrayList<>();
        for (KerasTensor t : xs) {
            shapes.add(t.shape());
        }
        build(shapes);
        List<Shape> outShapes = computeOutputShape(shapes);
        int nodeIndex = inboundNodes.size();
        List<KerasTensor> outs = new ArrayList<>();
        for (int i = 0; i < outShapes.size(); i++) {
            outs.add(new KerasTensor(outShapes.get(i), DType.FLOAT32, this, nodeIndex, i));
        }
        inboundNodes.add(new Node(this, List.copyOf(xs), List.copyOf(outs)));
        return outs;
    }

    // --------------------------------------------------------------------------------------------------- nodes

    /** Records a node with no inputs whose outputs have these shapes: how an InputLayer starts a graph. */
    protected List<KerasTensor> addSourceNode(List<Shape> shapes, DType outDtype) {
        int nodeIndex = inboundNodes.size();
        List<KerasTensor> outs = new ArrayList<>();
        for (int i = 0; i < shapes.size(); i++) {
            outs.add(new KerasTensor(shapes.get(i), outDtype, this, nodeIndex, i));
        }
        inboundNodes.add(new Node(this, List.of(), List.copyOf(outs)));
        built = true;
        return outs;
    }

    public List<Node> inboundNodes() {
        return Collections.unmodifiableList(inboundNodes);
    }

    private Node nodeAt(int index, String what) {
        if (inboundNodes.isEmpty()) {
            throw new IllegalStateException("The layer " + name + " has never been called and thus has no defined "
                    + what + ".");
        }
        if (index < 0 || index >= inboundNodes.size()) {
            throw new IllegalArgumentException("Asked to get " + what + " at node " + index + ", but the layer "
                    + name + " has only " + inboundNodes.size() + " inbound nodes.");
        }
        return inboundNodes.get(index);
    }

    private static <T> Object single(List<T> xs) {
        return xs.size() == 1 ? xs.get(0) : xs;
    }

    /** The input of node i: a KerasTensor, or a list of them for a layer with several inputs. */
    public Object getInputAt(int i) {
        return single(nodeAt(i, "input").inputs());
    }

    public Object getOutputAt(int i) {
        return single(nodeAt(i, "output").outputs());
    }

    public Object getInputShapeAt(int i) {
        return single(nodeAt(i, "input shape").inputs().stream().map(KerasTensor::shape).toList());
    }

    public Object getOutputShapeAt(int i) {
        return single(nodeAt(i, "output shape").outputs().stream().map(KerasTensor::shape).toList());
    }

    private void requireOneNode(String what, String method) {
        if (inboundNodes.size() > 1) {
            throw new IllegalStateException("Layer " + name + " has multiple inbound nodes, hence the notion of \""
                    + what + "\" is ill-defined. Use `" + method + "(nodeIndex)` instead.");
        }
    }

    public Object input() {
        requireOneNode("layer input", "getInputAt");
        return getInputAt(0);
    }

    public Object output() {
        requireOneNode("layer output", "getOutputAt");
        return getOutputAt(0);
    }

    /** The input shape; for a shared layer, the one every call agreed on (Keras's rule). */
    public Object inputShape() {
        return agreedShape("input shape", "getInputShapeAt", true);
    }

    public Object outputShape() {
        return agreedShape("output shape", "getOutputShapeAt", false);
    }

    private Object agreedShape(String what, String method, boolean input) {
        Object first = input ? getInputShapeAt(0) : getOutputShapeAt(0);
        for (int i = 1; i < inboundNodes.size(); i++) {
            if (!first.equals(input ? getInputShapeAt(i) : getOutputShapeAt(i))) {
                throw new IllegalStateException("The layer \"" + name + "\" has multiple inbound nodes, with different "
                        + what + "s. Hence the notion of \"" + what + "\" is ill-defined for the layer. Use `" + method
                        + "(nodeIndex)` instead.");
            }
        }
        return first;
    }

    // -------------------------------------------------------------------------------------------------- config

    /** Keras's get_config(): the base keys, then each subclass's own, in Keras's order. */
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", name);
        c.put("trainable", trainable);
        if (batchInputShape != null) {
            c.put("batch_input_shape", batchInputShape.toList());
        }
        c.put("dtype", dtype.kerasName());
        return c;
    }

    /** The class name Keras serializes this layer by. */
    public String className() {
        return getClass().getSimpleName();
    }

    @Override
    public String toString() {
        return className() + "(name=" + name + ")";
    }
}
