package io.jkeras.layers.recurrent;

import io.jkeras.activations.Activation;
import io.jkeras.activations.Activations;
import io.jkeras.constraints.Constraint;
import io.jkeras.constraints.Constraints;
import io.jkeras.initializers.Initializer;
import io.jkeras.initializers.Initializers;
import io.jkeras.ops.Ops;
import io.jkeras.ops.RandomStream;
import io.jkeras.ops.RnnOps;
import io.jkeras.regularizers.Regularizer;
import io.jkeras.regularizers.Regularizers;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What Keras's SimpleRNNCell, GRUCell and LSTMCell share: units, the activations, kernel (input_dim, gates*units),
 * recurrent_kernel (units, gates*units) and bias, their initializers, regularizers and constraints, and the
 * dropout masks (drawn once per sequence, Keras's _generate_dropout_mask: inverted dropout of ones, one per gate).
 * Each also describes itself to {@link RNN}'s native fast path ({@link RnnOps#recurrence}).
 */
public abstract class GatedCell extends AbstractRNNCell {
    protected final int units;
    protected final Activation activation;
    /** Null for SimpleRNNCell. */
    protected final Activation recurrentActivation;
    protected final boolean useBias;
    protected final Initializer kernelInitializer;
    protected final Initializer recurrentInitializer;
    protected final Initializer biasInitializer;
    protected final Regularizer kernelRegularizer;
    protected final Regularizer recurrentRegularizer;
    protected final Regularizer biasRegularizer;
    protected final Constraint kernelConstraint;
    protected final Constraint recurrentConstraint;
    protected final Constraint biasConstraint;
    protected final double dropout;
    protected final double recurrentDropout;
    protected Tensor kernel;
    protected Tensor recurrentKernel;
    protected Tensor bias;
    private RandomStream rng = RandomStream.of(null);
    private List<Tensor> inputMasks;
    private List<Tensor> recurrentMasks;

    /** Reads the shared arguments (the subclass checks the keys); recurrentActivationDefault null: none. */
    protected GatedCell(ConfigMap c, String recurrentActivationDefault) {
        super(c);
        String owner = className();
        this.units = c.getInt("units", -1);
        if (units <= 0) {
            throw new IllegalArgumentException(owner + ": argument 'units' must be a positive integer, got "
                    + c.get("units"));
        }
        this.activation = Activations.get(c.raw().containsKey("activation") ? c.get("activation") : "tanh");
        this.recurrentActivation = recurrentActivationDefault == null ? null : Activations.get(
                c.raw().containsKey("recurrent_activation") ? c.get("recurrent_activation") : recurrentActivationDefault);
        this.useBias = c.getBoolean("use_bias", true);
        this.kernelInitializer = Initializers.get(c.has("kernel_initializer") ? c.get("kernel_initializer")
                : "glorot_uniform");
        this.recurrentInitializer = Initializers.get(c.has("recurrent_initializer") ? c.get("recurrent_initializer")
                : "orthogonal");
        this.biasInitializer = Initializers.get(c.has("bias_initializer") ? c.get("bias_initializer") : "zeros");
        this.kernelRegularizer = Regularizers.get(c.get("kernel_regularizer"));
        this.recurrentRegularizer = Regularizers.get(c.get("recurrent_regularizer"));
        this.biasRegularizer = Regularizers.get(c.get("bias_regularizer"));
        this.kernelConstraint = Constraints.get(c.get("kernel_constraint"));
        this.recurrentConstraint = Constraints.get(c.get("recurrent_constraint"));
        this.biasConstraint = Constraints.get(c.get("bias_constraint"));
        // Keras: min(1, max(0, rate))
        this.dropout = Math.min(1.0, Math.max(0.0, c.getDouble("dropout", 0.0)));
        this.recurrentDropout = Math.min(1.0, Math.max(0.0, c.getDouble("recurrent_dropout", 0.0)));
    }

    /** The number of gates (SimpleRNN 1, GRU 3, LSTM 4): the kernels have gates*units columns. */
    protected abstract int gates();

    /** The native recurrence of this cell. */
    protected abstract RnnOps.Cell rnnCell();

    /** Keras's implementation argument (1: per-gate products and dropout masks). */
    public int implementation() {
        return 1;
    }

    public int units() {
        return units;
    }

    public double dropout() {
        return dropout;
    }

    public double recurrentDropout() {
        return recurrentDropout;
    }

    public Activation activation() {
        return activation;
    }

    public Activation recurrentActivation() {
        return recurrentActivation;
    }

    @Override
    public int[] stateSize() {
        return new int[] {units};
    }

    /** Seeds the dropout masks' random stream (the masks of a seeded cell are reproducible). */
    public void setSeed(long seed) {
        this.rng = new RandomStream(seed);
    }

    // ------------------------------------------------------------------------------------------------- weights

    @Override
    protected void doBuild(Shape inputShape) {
        long inputDim = inputShape.dim(-1);
        if (inputDim == Shape.UNKNOWN) {
            throw new IllegalArgumentException(className() + " " + getName() + ": the last dimension of the inputs "
                    + "should be defined. Found `None`. Full input shape received: " + inputShape);
        }
        kernel = addWeight("kernel", new long[] {inputDim, (long) gates() * units}, kernelInitializer,
                kernelRegularizer, kernelConstraint, true);
        recurrentKernel = addWeight("recurrent_kernel", new long[] {units, (long) gates() * units},
                recurrentInitializer, recurrentRegularizer, recurrentConstraint, true);
        if (useBias) {
            bias = addWeight("bias", biasShape(), biasInitializerForBuild(), biasRegularizer, biasConstraint, true);
        }
    }

    protected long[] biasShape() {
        return new long[] {(long) gates() * units};
    }

    protected Initializer biasInitializerForBuild() {
        return biasInitializer;
    }

    public Tensor kernel() {
        return kernel;
    }

    public Tensor recurrentKernel() {
        return recurrentKernel;
    }

    public Tensor bias() {
        return bias;
    }

    /** The bias added to x.W (all of it, or the input row of a two-row bias); null without bias. */
    protected Tensor inputBias() {
        return bias;
    }

    /** The bias added to h.U (GRU reset_after, CuDNN layers); null where there is none. */
    protected Tensor recurrentBias() {
        return null;
    }

    /** Columns [gate*units, (gate+1)*units) of a (rows, gates*units) matrix. */
    protected Tensor gateColumns(Tensor m, int gate) {
        return Ops.slice(m, new long[] {0, (long) gate * units}, new long[] {m.dim(0), units});
    }

    /** Entries [gate*units, (gate+1)*units) of a vector. */
    protected Tensor gateSlice(Tensor v, int gate) {
        return Ops.slice(v, new long[] {(long) gate * units}, new long[] {units});
    }

    /** Columns [from*units, to*units) of a (batch, gates*units) product. */
    protected Tensor cols(Tensor m, int from, int to) {
        return Ops.slice(m, new long[] {0, (long) from * units}, new long[] {m.dim(0), (long) (to - from) * units});
    }

    // ------------------------------------------------------------------------------------------------- dropout

    private static boolean active(double rate) {
        return 0 < rate && rate < 1;
    }

    /** Whether input dropout applies in this mode. */
    public boolean inputDropoutActive(boolean training) {
        return training && active(dropout);
    }

    /** Whether recurrent dropout applies in this mode (the fast path then gives way to the step loop). */
    public boolean recurrentDropoutActive(boolean training) {
        return training && active(recurrentDropout);
    }

    /** How many masks Keras draws per dropout kind (one per gate, SimpleRNN one). */
    protected int maskCount() {
        return gates();
    }

    private static boolean usable(List<Tensor> masks, long[] shape) {
        if (masks == null) {
            return false;
        }
        for (Tensor m : masks) {
            if (m.isClosed() || !Arrays.equals(m.shape(), shape)) {
                return false;
            }
        }
        return true;
    }

    private List<Tensor> draw(long[] shape, double rate) {
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < maskCount(); i++) {
            out.add(Ops.dropout(Tensor.ones(shape), (float) rate, null, rng));
        }
        return out;
    }

    /**
     * The input dropout masks of the current sequence, drawn on first use (shape of one step's input), or null
     * where input dropout does not apply.
     */
    public List<Tensor> inputDropoutMasks(long[] stepInputShape, boolean training) {
        if (!inputDropoutActive(training)) {
            return null;
        }
        if (!usable(inputMasks, stepInputShape)) {
            inputMasks = draw(stepInputShape, dropout);
        }
        return inputMasks;
    }

    /** The recurrent dropout masks of the current sequence (shape of the state), or null. */
    public List<Tensor> recurrentDropoutMasks(long[] stateShape, boolean training) {
        if (!recurrentDropoutActive(training)) {
            return null;
        }
        if (!usable(recurrentMasks, stateShape)) {
            recurrentMasks = draw(stateShape, recurrentDropout);
        }
        return recurrentMasks;
    }

    /** The masks the last sequence used (null: none), for tests and inspection. */
    public List<Tensor> lastInputDropoutMasks() {
        return inputMasks;
    }

    public List<Tensor> lastRecurrentDropoutMasks() {
        return recurrentMasks;
    }

    @Override
    public void resetDropoutMasks() {
        inputMasks = null;
        recurrentMasks = null;
    }

    /** x * mask, or x where mask is null. */
    protected static Tensor masked(Tensor x, List<Tensor> masks, int i) {
        return masks == null ? x : Ops.mul(x, masks.get(i));
    }

    // ------------------------------------------------------------------------------------------ native fast path

    /** The element-wise form of the activations, or null where one is not elementwise (the step loop runs). */
    RnnOps.Act fastActivation() {
        return RnnOps.Act.of(activation.name());
    }

    RnnOps.Act fastRecurrentActivation() {
        return recurrentActivation == null ? null : RnnOps.Act.of(recurrentActivation.name());
    }

    /** Whether {@link RNN} may run this cell as one native recurrence in this mode. */
    boolean fastPathPossible(boolean training) {
        return !recurrentDropoutActive(training) && fastActivation() != null
                && (recurrentActivation == null || fastRecurrentActivation() != null);
    }

    /**
     * x.W + input bias for every step at once: x (batch, steps, input_dim) -> (batch, steps, gates*units). With
     * input dropout, each gate's columns see the input times that gate's mask (implementation 1) or all see the
     * first mask (implementation 2), as the step form does.
     */
    Tensor inputProjection(Tensor x, boolean training) {
        List<Tensor> masks = inputDropoutMasks(new long[] {x.dim(0), x.dim(2)}, training);
        Tensor xw;
        if (masks == null) {
            xw = Ops.matmul(x, kernel);
        } else if (implementation() == 1 && gates() > 1) {
            List<Tensor> parts = new ArrayList<>();
            for (int g = 0; g < gates(); g++) {
                Tensor xm = Ops.mul(x, Ops.expandDims(masks.get(g), 1));
                parts.add(Ops.matmul(xm, gateColumns(kernel, g)));
            }
            xw = Ops.concat(parts, 2);
        } else {
            xw = Ops.matmul(Ops.mul(x, Ops.expandDims(masks.get(0), 1)), kernel);
        }
        Tensor b = inputBias();
        return b == null ? xw : Ops.biasAdd(xw, b);
    }

    // --------------------------------------------------------------------------------------------------- config

    /** Keras's config keys of the cell (and of its layer with activity_regularizer, which only the layer has). */
    protected void putConfig(Map<String, Object> c, boolean layer, Regularizer activityRegularizer) {
        c.put("units", units);
        c.put("activation", Activations.serialize(activation));
        if (recurrentActivation != null) {
            c.put("recurrent_activation", Activations.serialize(recurrentActivation));
        }
        c.put("use_bias", useBias);
        c.put("kernel_initializer", Initializers.serialize(kernelInitializer));
        c.put("recurrent_initializer", Initializers.serialize(recurrentInitializer));
        c.put("bias_initializer", Initializers.serialize(biasInitializer));
        putUnitForgetBias(c);
        c.put("kernel_regularizer", Regularizers.serialize(kernelRegularizer));
        c.put("recurrent_regularizer", Regularizers.serialize(recurrentRegularizer));
        c.put("bias_regularizer", Regularizers.serialize(biasRegularizer));
        if (layer) {
            c.put("activity_regularizer", Regularizers.serialize(activityRegularizer));
        }
        c.put("kernel_constraint", Constraints.serialize(kernelConstraint));
        c.put("recurrent_constraint", Constraints.serialize(recurrentConstraint));
        c.put("bias_constraint", Constraints.serialize(biasConstraint));
        c.put("dropout", dropout);
        c.put("recurrent_dropout", recurrentDropout);
        putTail(c);
    }

    /** LSTM's unit_forget_bias, after bias_initializer. */
    protected void putUnitForgetBias(Map<String, Object> c) {
    }

    /** implementation (and GRU's reset_after), at the end. */
    protected void putTail(Map<String, Object> c) {
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        putConfig(c, false, null);
        return c;
    }
}
