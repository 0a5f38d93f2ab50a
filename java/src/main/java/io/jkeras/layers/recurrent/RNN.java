package io.jkeras.layers.recurrent;

import io.jkeras.layers.KerasTensor;
import io.jkeras.layers.Layer;
import io.jkeras.layers.Layers;
import io.jkeras.layers.Weight;
import io.jkeras.ops.Ops;
import io.jkeras.ops.RnnOps;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.DType;
import io.jkeras.tensor.Device;
import io.jkeras.tensor.Scope;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keras 2's RNN layer: runs a cell over the timesteps of an input (batch, steps, features...).
 *
 * <ul>
 * <li>return_sequences: the output of every step (batch, steps, out...) or only the last (batch, out...);
 * return_state: the final states follow the output.</li>
 * <li>go_backwards: the steps run from last to first and the output sequence is in that (reversed) order.</li>
 * <li>stateful: the final states of a batch are the initial states of the next (sample i to sample i); needs a
 * fixed batch size; {@link #resetStates()} / {@link #resetStates(List)}.</li>
 * <li>unroll: accepted (Keras's graph unrolling); the numbers are the same.</li>
 * <li>initial_state: extra inputs after x (functional: {@link #apply(KerasTensor, List)}); constants: the last
 * num_constants inputs, handed to every step of a cell that takes them.</li>
 * <li>masks (batch, steps), float 0/1: a masked step keeps the previous states and outputs the previous state
 * (Keras's backend.rnn); the output mask is the input mask with return_sequences, none otherwise.</li>
 * </ul>
 *
 * <p>Two ways to the same numbers: the built-in SimpleRNN, GRU and LSTM cells with element-wise activations and no
 * recurrent dropout in training run as one matrix product over every step plus one native recurrence
 * ({@link RnnOps#recurrence}, gradients through time natively); every other case (cells written in Java, stacked
 * cells, constants, recurrent dropout in training, non-element-wise activations) runs the cell step by step over
 * ops, blending the states with the mask.
 */
public class RNN extends Layer {
    /** The keys of every recurrent layer (Keras's RNN arguments and the ones its Layer takes). */
    static final Set<String> LAYER_KEYS = keys("return_sequences", "return_state", "go_backwards", "stateful",
            "unroll", "input_dim", "input_length");
    private static final Set<String> KEYS = plus(LAYER_KEYS, "cell", "num_constants");

    protected final AbstractRNNCell cell;
    protected final boolean returnSequences;
    protected final boolean returnState;
    protected final boolean goBackwards;
    protected final boolean stateful;
    protected final boolean unroll;
    private Integer numConstants;
    /** The stateful layer's states (owned by the layer), or null. */
    private List<Tensor> states;
    private long statefulBatch = Shape.UNKNOWN;
    private Shape builtInputShape;
    private boolean fastPath = true;

    public RNN(AbstractRNNCell cell) {
        this(new ConfigMap("RNN", RecurrentArgs.map("cell", cell)));
    }

    /** A stack of cells (Keras's RNN(list of cells)): a {@link StackedRNNCells}. */
    public RNN(List<? extends AbstractRNNCell> cells) {
        this(new StackedRNNCells(cells));
    }

    private RNN(ConfigMap c) {
        this(c, cellFrom(c.get("cell"), "RNN"), KEYS);
        Long n = c.getNullableLong("num_constants");
        this.numConstants = n == null ? null : Math.toIntExact(n);
    }

    /** For the layers with their own cell (SimpleRNN, GRU, LSTM, ConvLSTM2D, CuDNN*): known is their key set. */
    protected RNN(ConfigMap c, AbstractRNNCell cell, Set<String> known) {
        super(c);
        c.checkKnown(known);
        if (cell == null) {
            throw new IllegalArgumentException(className() + ": argument 'cell' is required");
        }
        this.cell = cell;
        this.returnSequences = c.getBoolean("return_sequences", false);
        this.returnState = c.getBoolean("return_state", false);
        this.goBackwards = c.getBoolean("go_backwards", false);
        this.stateful = c.getBoolean("stateful", false);
        this.unroll = c.getBoolean("unroll", false);
        if (batchInputShape() == null && (c.has("input_dim") || c.has("input_length"))) {
            setInputShape(c.getLong("input_length", Shape.UNKNOWN), c.getLong("input_dim", Shape.UNKNOWN));
        }
        supportsMasking = true;
    }

    public static RNN fromConfig(Map<String, Object> config) {
        return new RNN(new ConfigMap("RNN", config));
    }

    /** A builder: RNN.builder(cell).returnSequences(true).build(). */
    public static RecurrentArgs<RNN> builder(AbstractRNNCell cell) {
        return new RecurrentArgs<>(RNN::fromConfig).set("cell", cell);
    }

    public static RecurrentArgs<RNN> builder(List<? extends AbstractRNNCell> cells) {
        return builder(new StackedRNNCells(cells));
    }

    /** A cell from a config value: a cell, a serialized cell, or a list of them (stacked). */
    static AbstractRNNCell cellFrom(Object o, String owner) {
        if (o instanceof AbstractRNNCell cell) {
            return cell;
        }
        if (o instanceof List<?> list) {
            List<AbstractRNNCell> cells = new ArrayList<>();
            for (Object e : list) {
                cells.add(cellFrom(e, owner));
            }
            return new StackedRNNCells(cells);
        }
        if (o instanceof Map<?, ?> m) {
            @SuppressWarnings("unchecked")
            Layer l = Layers.deserialize((Map<String, Object>) m);
            if (!(l instanceof AbstractRNNCell cell)) {
                throw new IllegalArgumentException(owner + ": argument 'cell' must be an RNN cell (a class with a call "
                        + "over states and a state_size), got a " + l.className());
            }
            return cell;
        }
        throw new IllegalArgumentException(owner + ": argument 'cell' must be an RNN cell, a list of cells or a "
                + "serialized cell, got " + o);
    }

    protected static Set<String> plus(Set<String> base, String... extra) {
        Set<String> s = new HashSet<>(base);
        s.addAll(List.of(extra));
        return Set.copyOf(s);
    }

    protected static Set<String> union(Set<String> a, Set<String> b, String... extra) {
        Set<String> s = new HashSet<>(a);
        s.addAll(b);
        s.addAll(List.of(extra));
        return Set.copyOf(s);
    }

    // ------------------------------------------------------------------------------------------------ accessors

    public AbstractRNNCell cell() {
        return cell;
    }

    public boolean returnSequences() {
        return returnSequences;
    }

    public boolean returnState() {
        return returnState;
    }

    public boolean goBackwards() {
        return goBackwards;
    }

    public boolean stateful() {
        return stateful;
    }

    public boolean unroll() {
        return unroll;
    }

    public Integer numConstants() {
        return numConstants;
    }

    /** How many of the trailing inputs are constants (Keras's _num_constants; null or 0: none). */
    public RNN setNumConstants(Integer n) {
        if (n != null && n < 0) {
            throw new IllegalArgumentException(getName() + ": num_constants must be >= 0, got " + n);
        }
        this.numConstants = n == null || n == 0 ? null : n;
        return this;
    }

    /**
     * Whether the built-in cells may take the native recurrence (default true); false forces the step loop,
     * which gives the same numbers (for tests and measurements).
     */
    public RNN setFastPath(boolean enabled) {
        this.fastPath = enabled;
        return this;
    }

    /** The number of input axes a step-loop input has (3; ConvLSTM2D 5). */
    protected int inputRank() {
        return 3;
    }

    /** Whether the layer takes input masks (CuDNN layers do not). */
    protected boolean acceptsMasks() {
        return true;
    }

    // -------------------------------------------------------------------------------------------------- weights

    @Override
    public List<Weight> weightVariables() {
        return cell.weightVariables();
    }

    @Override
    public List<Weight> trainableWeightVariables() {
        return isTrainable() ? cell.trainableWeightVariables() : new ArrayList<>();
    }

    @Override
    public List<Weight> nonTrainableWeightVariables() {
        return isTrainable() ? cell.nonTrainableWeightVariables() : new ArrayList<>(cell.weightVariables());
    }

    @Override
    public List<Tensor> losses() {
        List<Tensor> out = new ArrayList<>(super.losses());
        out.addAll(cell.losses());
        return out;
    }

    // ---------------------------------------------------------------------------------------- shapes and build

    private int constantsCount() {
        return numConstants == null ? 0 : numConstants;
    }

    private void checkInputShape(Shape x) {
        if (x.rank() != inputRank()) {
            throw new IllegalArgumentException("Input 0 is incompatible with layer " + getName() + ": expected ndim="
                    + inputRank() + ", found ndim=" + x.rank() + ". Full shape received: " + x);
        }
    }

    private void checkInitialStates(Shape x, List<Shape> given) {
        List<Shape> expected = cell.stateShapes(x);
        if (given.size() != expected.size()) {
            throw new IllegalArgumentException("Layer " + getName() + " has " + expected.size() + " states but was "
                    + "passed " + given.size() + " initial states (cell state_size "
                    + AbstractRNNCell.describe(cell.stateSize()) + ").");
        }
        for (int i = 0; i < given.size(); i++) {
            Shape g = given.get(i);
            Shape e = expected.get(i);
            boolean ok = g.rank() == e.rank();
            for (int d = 0; ok && d < g.rank(); d++) {
                long a = g.dim(d);
                long b = e.dim(d);
                ok = a == Shape.UNKNOWN || b == Shape.UNKNOWN || a == b;
            }
            if (!ok) {
                throw new IllegalArgumentException("An `initial_state` was passed to layer " + getName()
                        + " that is not compatible with `cell.state_size` " + AbstractRNNCell.describe(cell.stateSize())
                        + ": initial state " + i + " has shape " + g + ", expected " + e);
            }
        }
    }

    @Override
    protected void doBuild(List<Shape> inputShapes) {
        Shape x = inputShapes.get(0);
        checkInputShape(x);
        int nc = constantsCount();
        if (nc > inputShapes.size() - 1) {
            throw new IllegalArgumentException("Layer " + getName() + " expects " + nc + " constants after the input "
                    + "and its initial states, got " + (inputShapes.size() - 1) + " extra inputs");
        }
        if (unroll && x.dim(1) == Shape.UNKNOWN) {
            throw new IllegalArgumentException("Cannot unroll a RNN if the time dimension is undefined (layer "
                    + getName() + ", input shape " + x + "). Either set `unroll=False` or specify the number of "
                    + "timesteps in the input shape.");
        }
        if (stateful && x.dim(0) == Shape.UNKNOWN) {
            throw statefulBatchError();
        }
        List<Shape> initial = inputShapes.subList(1, inputShapes.size() - nc);
        if (!initial.isEmpty()) {
            checkInitialStates(x, initial);
        }
        long[] step = new long[x.rank() - 1];
        step[0] = x.dim(0);
        System.arraycopy(x.dims(), 2, step, 1, x.rank() - 2);
        List<Shape> cellShapes = new ArrayList<>();
        cellShapes.add(Shape.of(step));
        if (nc > 0) {
            if (!cell.acceptsConstants()) {
                throw new IllegalArgumentException("RNN cell " + cell.getName() + " (" + cell.className() + ") of layer "
                        + getName() + " does not support constants");
            }
            cellShapes.addAll(inputShapes.subList(inputShapes.size() - nc, inputShapes.size()));
        }
        cell.build(cellShapes);
        if (stateful) {
            statefulBatch = x.dim(0);
            builtInputShape = x;
            resetStates();
        }
    }

    private IllegalArgumentException statefulBatchError() {
        return new IllegalArgumentException("If a RNN is stateful, it needs to know its batch size (layer " + getName()
                + "). Specify the batch size of your input tensors: \n- If using a Sequential model, specify the batch "
                + "size by passing a `batch_input_shape` argument to your first layer.\n- If using the functional API, "
                + "specify the batch size by passing a `batch_shape` argument to your Input layer.");
    }

    @Override
    public List<Shape> computeOutputShape(List<Shape> inputShapes) {
        Shape x = inputShapes.get(0);
        checkInputShape(x);
        Shape step = cell.stepOutputShape(x);
        Shape out;
        if (returnSequences) {
            long[] d = new long[step.rank() + 1];
            d[0] = x.dim(0);
            d[1] = x.dim(1);
            System.arraycopy(step.dims(), 1, d, 2, step.rank() - 1);
            out = Shape.of(d);
        } else {
            out = step;
        }
        List<Shape> outs = new ArrayList<>();
        outs.add(out);
        if (returnState) {
            outs.addAll(cell.stateShapes(x));
        }
        return outs;
    }

    /** The main output's shape (with return_state, the states follow in {@link #computeOutputShape(List)}). */
    @Override
    public Shape computeOutputShape(Shape inputShape) {
        return computeOutputShape(List.of(inputShape)).get(0);
    }

    // -------------------------------------------------------------------------------------------- stateful

    /** The stateful layer's current states (owned by the layer), or null. */
    public List<Tensor> states() {
        return states == null ? null : Collections.unmodifiableList(states);
    }

    /** Moves the weights and, for a stateful layer, the states. */
    @Override
    public RNN to(Device device) {
        super.to(device);
        if (states != null) {
            for (Tensor t : states) {
                t.moveTo(device);
            }
        }
        return this;
    }

    /** Sets a stateful layer's states to zeros. */
    public void resetStates() {
        requireStateful();
        if (builtInputShape == null) {
            return;  // the states are made at build
        }
        List<Tensor> zeros = new ArrayList<>();
        for (Shape s : cell.stateShapes(statefulShape())) {
            zeros.add(Scope.detach(Tensor.zeros(s.dims())));
        }
        replaceStates(zeros);
    }

    /** Sets a stateful layer's states to these values (copied), checked against the states' shapes. */
    public void resetStates(List<Tensor> values) {
        requireStateful();
        if (builtInputShape == null) {
            throw new IllegalStateException("Layer " + getName() + " is not built yet: its states are made when it is "
                    + "built (with a fixed batch size)");
        }
        List<Shape> expected = cell.stateShapes(statefulShape());
        if (values == null || values.size() != expected.size()) {
            throw new IllegalArgumentException("Layer " + getName() + " expects " + expected.size() + " states, but it "
                    + "received " + (values == null ? 0 : values.size()) + " state values. Input received: " + values);
        }
        for (int i = 0; i < values.size(); i++) {
            if (!Arrays.equals(values.get(i).shape(), expected.get(i).dims())) {
                throw new IllegalArgumentException("State " + i + " is incompatible with layer " + getName()
                        + ": expected shape=" + expected.get(i) + ", found shape=" + values.get(i).getShape());
            }
        }
        List<Tensor> copies = new ArrayList<>();
        for (Tensor v : values) {
            copies.add(Scope.detach(Ops.copy(Ops.toFloat(v))));
        }
        replaceStates(copies);
    }

    private void requireStateful() {
        if (!stateful) {
            throw new IllegalStateException("Layer " + getName() + " must be stateful to reset its states.");
        }
    }

    /** The sequence shape the stateful layer was built for (its states' shapes follow from it). */
    private Shape statefulShape() {
        return builtInputShape.withDim(0, statefulBatch);
    }

    private void replaceStates(List<Tensor> next) {
        List<Tensor> old = states;
        states = next;
        if (old != null) {
            for (Tensor t : old) {
                if (!next.contains(t)) {
                    t.close();
                }
            }
        }
    }

    // --------------------------------------------------------------------------------------- functional calls

    /** Calls the layer on symbolic tensors with initial states (Keras's initial_state); returns every output. */
    public List<KerasTensor> apply(KerasTensor x, List<KerasTensor> initialState) {
        return apply(x, initialState, List.of());
    }

    /** Calls the layer on symbolic tensors with initial states and constants. */
    public List<KerasTensor> apply(KerasTensor x, List<KerasTensor> initialState, List<KerasTensor> constants) {
        setNumConstants(constants.size());
        List<KerasTensor> in = new ArrayList<>();
        in.add(x);
        in.addAll(initialState);
        in.addAll(constants);
        return applyMulti(in);
    }

    /** Inference on concrete tensors with initial states and constants. */
    public List<Tensor> apply(Tensor x, List<Tensor> initialState, List<Tensor> constants) {
        setNumConstants(constants.size());
        List<Tensor> in = new ArrayList<>();
        in.add(x);
        in.addAll(initialState);
        in.addAll(constants);
        return apply(in);
    }

    // ------------------------------------------------------------------------------------------------- call

    @Override
    protected List<Tensor> call(List<Tensor> inputs, List<Tensor> masks, boolean training) {
        return run(inputs, masks, training);
    }

    @Override
    protected Outputs callWithMasks(List<Tensor> inputs, List<Tensor> masks, boolean training) {
        List<Tensor> outs = run(inputs, masks, training);
        return new Outputs(outs, computeMask(inputs, masks));
    }

    @Override
    public Tensor computeMask(Tensor input, Tensor mask) {
        return computeMask(List.of(input), Collections.singletonList(mask)).get(0);
    }

    @Override
    public List<Tensor> computeMask(List<Tensor> inputs, List<Tensor> masks) {
        Tensor mask = masks == null || masks.isEmpty() ? null : masks.get(0);
        List<Tensor> out = new ArrayList<>();
        out.add(returnSequences ? mask : null);
        if (returnState) {
            for (int i = 0; i < cell.stateSize().length; i++) {
                out.add(null);
            }
        }
        return out;
    }

    /** The output and the final states of one sequence. */
    private record Run(Tensor output, List<Tensor> states) {
    }

    private List<Tensor> run(List<Tensor> inputs, List<Tensor> masks, boolean training) {
        Tensor x = inputs.get(0);
        checkInputShape(x.getShape());
        if (x.dtype() != DType.FLOAT32) {
            x = Ops.toFloat(x);
        }
        int nc = constantsCount();
        if (inputs.size() - 1 < nc) {
            throw new IllegalArgumentException("Layer " + getName() + " expects " + nc + " constants, got "
                    + (inputs.size() - 1) + " extra inputs");
        }
        List<Tensor> initial = inputs.subList(1, inputs.size() - nc);
        List<Tensor> constants = inputs.subList(inputs.size() - nc, inputs.size());
        Tensor mask = masks == null || masks.isEmpty() ? null : masks.get(0);
        if (mask != null && !acceptsMasks()) {
            throw new IllegalArgumentException("Masking is not supported for CuDNN RNNs (layer " + getName() + ").");
        }
        long n = x.dim(0);
        long t = x.dim(1);
        if (mask != null) {
            if (!Arrays.equals(mask.shape(), new long[] {n, t})) {
                throw new IllegalArgumentException("Layer " + getName() + ": the input mask has shape " + mask.getShape()
                        + ", expected (batch, steps) = " + Shape.of(n, t));
            }
            mask = Ops.toFloat(mask);
        }
        if (t == 0) {
            throw new IllegalArgumentException("Layer " + getName() + ": the input has no timesteps: " + x.getShape());
        }
        List<Tensor> init = null;
        if (!initial.isEmpty()) {
            List<Shape> shapes = new ArrayList<>();
            for (Tensor s : initial) {
                shapes.add(s.getShape());
            }
            checkInitialStates(x.getShape(), shapes);
            init = new ArrayList<>();
            for (Tensor s : initial) {
                init.add(Ops.toFloat(s));
            }
        } else if (stateful) {
            if (n != statefulBatch) {
                throw new IllegalArgumentException("Layer " + getName() + " is stateful with batch size "
                        + statefulBatch + ", but was called on a batch of " + n + " (input shape " + x.getShape() + ")");
            }
            // copies: the stored states are replaced (and closed) below, while a tape may still read these
            init = new ArrayList<>();
            for (Tensor st : states) {
                init.add(Ops.copy(st));
            }
        }
        cell.resetDropoutMasks();
        Run r = fastPathFor(training, constants) != null ? runFast((GatedCell) cell, x, mask, init, training)
                : runSteps(x, mask, init, constants, training);
        if (stateful) {
            List<Tensor> kept = new ArrayList<>();
            for (Tensor s : r.states()) {
                kept.add(Scope.detach(Ops.copy(s)));
            }
            replaceStates(kept);
        }
        List<Tensor> outs = new ArrayList<>();
        outs.add(r.output());
        if (returnState) {
            outs.addAll(r.states());
        }
        return outs;
    }

    /** The cell, where this call may take the native recurrence; else null. */
    private GatedCell fastPathFor(boolean training, List<Tensor> constants) {
        if (fastPath && constants.isEmpty() && cell instanceof GatedCell g && g.fastPathPossible(training)) {
            return g;
        }
        return null;
    }

    private Run runFast(GatedCell g, Tensor x, Tensor mask, List<Tensor> init, boolean training) {
        Tensor h0 = init == null ? null : init.get(0);
        Tensor c0 = init == null || init.size() < 2 ? null : init.get(1);
        // Without input dropout the backend may run the whole layer fused (oneDNN's LSTM / GRU where they apply).
        RnnOps.Result res = g.inputDropoutActive(training)
                ? RnnOps.recurrence(g.rnnCell(), g.inputProjection(x, training), g.recurrentKernel(),
                        g.recurrentBias(), h0, c0, mask, g.fastActivation(), g.fastRecurrentActivation(), goBackwards)
                : RnnOps.recurrenceOnInputs(g.rnnCell(), x, g.kernel(), g.inputBias(), g.recurrentKernel(),
                        g.recurrentBias(), h0, c0, mask, g.fastActivation(), g.fastRecurrentActivation(), goBackwards);
        List<Tensor> finalStates = res.lastC() == null ? List.of(res.lastH()) : List.of(res.lastH(), res.lastC());
        if (!returnSequences) {
            return new Run(res.lastH(), finalStates);
        }
        Tensor seq = res.sequence();
        if (mask != null && h0 != null) {
            // Keras's backend.rnn outputs the previous state at a masked step: h0 before the first unmasked one.
            Tensor before = leadingMasked(mask);
            if (before != null) {
                seq = Ops.add(seq, Ops.mul(before, Ops.expandDims(h0, 1)));
            }
        }
        return new Run(seq, finalStates);
    }

    /**
     * (batch, steps, 1): 1 at the processed steps that come before a sample's first unmasked step, in processing
     * order; null when there is none.
     */
    private Tensor leadingMasked(Tensor mask) {
        float[] m = mask.toFloatArray();
        long n = mask.dim(0);
        int t = Math.toIntExact(mask.dim(1));
        float[] out = new float[m.length];
        boolean any = false;
        for (int b = 0; b < n; b++) {
            for (int s = 0; s < t; s++) {
                int step = goBackwards ? t - 1 - s : s;
                if (m[(int) (b * t + step)] != 0f) {
                    break;
                }
                out[(int) (b * t + s)] = 1f;
                any = true;
            }
        }
        return any ? Tensor.of(out, n, t, 1) : null;
    }

    /** Keras's backend.rnn as a loop of cell calls over ops. */
    private Run runSteps(Tensor x, Tensor mask, List<Tensor> init, List<Tensor> constants, boolean training) {
        long n = x.dim(0);
        long t = x.dim(1);
        long[] d = x.shape();
        long[] stepShape = new long[d.length - 1];
        stepShape[0] = n;
        System.arraycopy(d, 2, stepShape, 1, d.length - 2);
        long[] begin = new long[d.length];
        long[] size = d.clone();
        size[1] = 1;
        List<Tensor> st = init != null ? init : cell.initialStates(x);
        Tensor prevOutput = null;
        List<Tensor> outputs = new ArrayList<>();
        Tensor last = null;
        for (long s = 0; s < t; s++) {
            long step = goBackwards ? t - 1 - s : s;
            begin[1] = step;
            Tensor xt = Ops.reshape(Ops.slice(x, begin.clone(), size), stepShape);
            AbstractRNNCell.CellOutput o = cell.call(xt, st, constants, training);
            if (o.states().size() != st.size()) {
                throw new IllegalStateException("RNN cell " + cell.getName() + " returned " + o.states().size()
                        + " states, its state_size has " + st.size());
            }
            Tensor out = o.output();
            List<Tensor> next = o.states();
            if (mask != null) {
                Tensor mt = Ops.slice(mask, new long[] {0, step}, new long[] {n, 1});
                Tensor prev = Arrays.equals(out.shape(), st.get(0).shape()) ? st.get(0)
                        : prevOutput != null ? prevOutput : Ops.zerosLike(out);
                out = blend(mt, out, prev);
                List<Tensor> blended = new ArrayList<>();
                for (int i = 0; i < next.size(); i++) {
                    blended.add(blend(mt, next.get(i), st.get(i)));
                }
                next = blended;
            }
            if (returnSequences) {
                outputs.add(out);
            }
            prevOutput = out;
            last = out;
            st = next;
        }
        return new Run(returnSequences ? Ops.stack(outputs, 1) : last, st);
    }

    /** m * a + (1 - m) * b with m (batch, 1) broadcast over a's other axes. */
    private static Tensor blend(Tensor m, Tensor a, Tensor b) {
        long[] shape = new long[a.rank()];
        Arrays.fill(shape, 1);
        shape[0] = a.dim(0);
        Tensor mm = Ops.reshape(m, shape);
        return Ops.add(Ops.mul(a, mm), Ops.mul(b, Ops.affine(mm, -1f, 1f)));
    }

    // --------------------------------------------------------------------------------------------------- config

    /** Whether the config has unroll (the CuDNN layers' has not). */
    protected boolean writesUnroll() {
        return true;
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("return_sequences", returnSequences);
        c.put("return_state", returnState);
        c.put("go_backwards", goBackwards);
        c.put("stateful", stateful);
        if (writesUnroll()) {
            c.put("unroll", unroll);
        }
        if (numConstants != null) {
            c.put("num_constants", numConstants);
        }
        putCellConfig(c);
        return c;
    }

    /** RNN writes its cell serialized; the layers with their own cell write the cell's arguments instead. */
    protected void putCellConfig(Map<String, Object> c) {
        c.put("cell", Layers.serialize(cell));
    }
}
