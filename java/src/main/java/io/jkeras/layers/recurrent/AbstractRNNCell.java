package io.jkeras.layers.recurrent;

import io.jkeras.layers.Layer;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A recurrent cell, as Keras's cell protocol (and tf.keras's AbstractRNNCell): one timestep's computation from the
 * step input and the previous states to the step output and the new states. {@link RNN} runs it over a sequence;
 * a cell written in Java composes ops in {@link #call(Tensor, List, boolean)} and gets gradients through the tape.
 *
 * <p>A cell is a layer: it creates its weights in {@code doBuild(Shape)} with {@code addWeight}, from the shape of
 * one step's input (batch, features...). Its states are (batch, stateSize()[i]) unless it overrides
 * {@link #stateShapes}; as Keras requires, the first state has the size of the output.
 *
 * <pre>{@code
 * class MinimalRNNCell extends AbstractRNNCell {
 *     private final int units;
 *     private Tensor kernel, recurrentKernel;
 *     MinimalRNNCell(int units) { this.units = units; }
 *     public int[] stateSize() { return new int[] {units}; }
 *     protected void doBuild(Shape s) {
 *         kernel = addWeight("kernel", new long[] {s.dim(-1), units}, Initializers.get("uniform"), null, null, true);
 *         recurrentKernel = addWeight("recurrent_kernel", new long[] {units, units}, Initializers.get("uniform"),
 *                 null, null, true);
 *     }
 *     public CellOutput call(Tensor x, List<Tensor> states, boolean training) {
 *         Tensor out = Ops.add(Ops.matmul(x, kernel), Ops.matmul(states.get(0), recurrentKernel));
 *         return new CellOutput(out, List.of(out));
 *     }
 * }
 * Layer rnn = new RNN(new MinimalRNNCell(32));
 * }</pre>
 */
public abstract class AbstractRNNCell extends Layer {
    /** One step's result: the output (batch, outputSize) and the new states, in the order of stateSize(). */
    public record CellOutput(Tensor output, List<Tensor> states) {
        public CellOutput {
            if (output == null || states == null) {
                throw new IllegalArgumentException("CellOutput: output and states must not be null");
            }
            states = List.copyOf(states);
        }
    }

    protected AbstractRNNCell() {
    }

    protected AbstractRNNCell(ConfigMap config) {
        super(config);
    }

    /** Keras's state_size: one size per state, the first the size of the output. */
    public abstract int[] stateSize();

    /** Keras's output_size: by default the first state's size. */
    public int outputSize() {
        return stateSize()[0];
    }

    /**
     * One timestep: input (batch, features...), states as {@link #stateShapes}; returns the output and the new
     * states.
     */
    public abstract CellOutput call(Tensor input, List<Tensor> states, boolean training);

    /**
     * One timestep with constants (Keras's {@code constants} argument: tensors that do not vary over time). Cells
     * that take constants override this and {@link #acceptsConstants}.
     */
    public CellOutput call(Tensor input, List<Tensor> states, List<Tensor> constants, boolean training) {
        if (constants != null && !constants.isEmpty()) {
            throw new IllegalArgumentException("RNN cell " + getName() + " (" + className()
                    + ") does not support constants");
        }
        return call(input, states, training);
    }

    /** Whether {@link #call(Tensor, List, List, boolean)} takes constants. */
    public boolean acceptsConstants() {
        return false;
    }

    /**
     * The states' shapes for a sequence input of this shape (batch, steps, features...): (batch, size) for each
     * of {@link #stateSize()} unless a cell's states have more axes (ConvLSTM2D).
     */
    public List<Shape> stateShapes(Shape sequenceShape) {
        List<Shape> out = new ArrayList<>();
        for (int s : stateSize()) {
            out.add(Shape.of(sequenceShape.dim(0), s));
        }
        return out;
    }

    /** The shape of one step's output for a sequence input of this shape (batch, steps, features...). */
    public Shape stepOutputShape(Shape sequenceShape) {
        return Shape.of(sequenceShape.dim(0), outputSize());
    }

    /** The zero initial states for a sequence input (batch, steps, features...). */
    public List<Tensor> initialStates(Tensor sequence) {
        List<Tensor> out = new ArrayList<>();
        for (Shape s : stateShapes(sequence.getShape())) {
            out.add(Tensor.zeros(s.dims()));
        }
        return out;
    }

    /** Forgets the dropout masks of the last sequence: an RNN calls this before each sequence. */
    public void resetDropoutMasks() {
    }

    static String describe(int[] sizes) {
        return Arrays.toString(sizes);
    }
}
