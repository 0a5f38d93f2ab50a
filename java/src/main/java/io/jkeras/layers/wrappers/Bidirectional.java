package io.jkeras.layers.wrappers;

import io.jkeras.layers.KerasTensor;
import io.jkeras.layers.Layer;
import io.jkeras.layers.Layers;
import io.jkeras.layers.Weight;
import io.jkeras.layers.recurrent.RNN;
import io.jkeras.ops.Ops;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Device;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keras's Bidirectional: runs a recurrent layer forwards and a copy of it backwards over the same input and merges
 * the two outputs (merge_mode concat (last axis), sum, mul, ave, or null: both outputs returned). The backward
 * layer is the layer's config with go_backwards flipped (named "backward_" + name), or the given backward_layer
 * (tf.keras's argument: it must run the other way and agree on stateful, return_sequences and return_state). With
 * return_sequences the backward output is reversed in time before merging, so step t of both describes input step t.
 *
 * <p>Weights: the forward layer's then the backward layer's. With return_state the states follow the output(s):
 * forward states, then backward states. Initial states (functional: {@link #apply(KerasTensor, List)}) are the
 * forward layer's then the backward layer's. Masks go to both layers; the output mask is the input mask with
 * return_sequences (one per output for merge_mode null).
 */
public final class Bidirectional extends Layer {
    private static final Set<String> KEYS = keys("layer", "merge_mode", "backward_layer", "num_constants");
    private static final Set<String> MODES = Set.of("concat", "sum", "mul", "ave");

    private final RNN layer;
    private final RNN forward;
    private final RNN backward;
    private final boolean backwardGiven;
    private final String mergeMode;
    private Integer numConstants;

    public Bidirectional(RNN layer) {
        this(layer, "concat", null);
    }

    public Bidirectional(RNN layer, String mergeMode) {
        this(layer, mergeMode, null);
    }

    /** mergeMode null: the two outputs separately; backwardLayer null: the layer's config run backwards. */
    public Bidirectional(RNN layer, String mergeMode, RNN backwardLayer) {
        this.mergeMode = checkMode(mergeMode);
        this.layer = checkLayer(layer);
        this.forward = layer;
        this.backwardGiven = backwardLayer != null;
        this.backward = backwardLayer != null ? backwardLayer : flipped(layer);
        init();
    }

    private Bidirectional(ConfigMap c) {
        super(c);
        c.checkKnown(KEYS);
        this.mergeMode = checkMode(c.raw().containsKey("merge_mode") ? c.get("merge_mode") : "concat");
        this.layer = checkLayer(WrapperUtil.layerFrom(c.get("layer"), "Bidirectional"));
        this.forward = layer;
        Object b = c.get("backward_layer");
        this.backwardGiven = b != null;
        this.backward = b != null ? checkLayer(WrapperUtil.layerFrom(b, "Bidirectional")) : flipped(layer);
        Long nc = c.getNullableLong("num_constants");
        this.numConstants = nc == null ? null : Math.toIntExact(nc);
        init();
    }

    private void init() {
        if (backwardGiven) {
            verify();
        } else {
            backward.setName("backward_" + layer.getName());
        }
        supportsMasking = true;
    }

    private static String checkMode(Object mode) {
        if (mode == null) {
            return null;
        }
        if (!(mode instanceof String s) || !MODES.contains(s)) {
            throw new IllegalArgumentException("Bidirectional: Invalid merge mode " + mode + ". Merge mode should be "
                    + "one of {\"sum\", \"mul\", \"ave\", \"concat\", None}");
        }
        return s;
    }

    private static RNN checkLayer(Layer layer) {
        if (!(layer instanceof RNN rnn)) {
            throw new IllegalArgumentException("Bidirectional: please initialize `Bidirectional` with a recurrent "
                    + "layer (an RNN: SimpleRNN, GRU, LSTM, ConvLSTM2D, ...). You passed: "
                    + (layer == null ? "null" : layer.className()));
        }
        return rnn;
    }

    /** The layer's config with go_backwards flipped, deserialized. */
    private static RNN flipped(RNN layer) {
        Map<String, Object> config = new LinkedHashMap<>(layer.getConfig());
        config.put("go_backwards", !layer.goBackwards());
        Layer copy;
        try {
            copy = Layers.deserialize(ConfigMap.serialized(layer.className(), config));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Bidirectional: cannot make the backward layer from the config of "
                    + layer.getName() + " (" + e.getMessage() + "); register its classes with Layers.register or pass "
                    + "a backward_layer", e);
        }
        return checkLayer(copy);
    }

    /** tf.keras's checks of a given backward layer. */
    private void verify() {
        if (forward.goBackwards() == backward.goBackwards()) {
            throw new IllegalArgumentException("Bidirectional: Forward layer and backward layer should have different "
                    + "`go_backwards` value. forward.go_backwards = " + forward.goBackwards()
                    + ", backward.go_backwards = " + backward.goBackwards());
        }
        same("stateful", forward.stateful(), backward.stateful());
        same("return_sequences", forward.returnSequences(), backward.returnSequences());
        same("return_state", forward.returnState(), backward.returnState());
    }

    private static void same(String attr, boolean f, boolean b) {
        if (f != b) {
            throw new IllegalArgumentException("Bidirectional: Forward layer and backward layer are expected to have "
                    + "the same value for attribute " + attr + ", got " + f + " and " + b);
        }
    }

    public static Bidirectional fromConfig(Map<String, Object> config) {
        return new Bidirectional(new ConfigMap("Bidirectional", config));
    }

    public RNN layer() {
        return layer;
    }

    /** Moves both directions, with their own state. */
    @Override
    public Bidirectional to(Device device) {
        forward.to(device);
        backward.to(device);
        super.to(device);
        return this;
    }

    public RNN forwardLayer() {
        return forward;
    }

    public RNN backwardLayer() {
        return backward;
    }

    public String mergeMode() {
        return mergeMode;
    }

    public Bidirectional setNumConstants(Integer n) {
        this.numConstants = n == null || n == 0 ? null : n;
        return this;
    }

    /** Resets both layers' states (stateful layers). */
    public void resetStates() {
        forward.resetStates();
        backward.resetStates();
    }

    private int constantsCount() {
        return numConstants == null ? 0 : numConstants;
    }

    private int statesPerLayer() {
        return forward.cell().stateSize().length;
    }

    // ---------------------------------------------------------------------------------------------- inputs

    /** The inputs of one direction: x, its initial states (if any), the constants. */
    private <T> List<T> part(List<T> inputs, boolean backwardPart) {
        int nc = constantsCount();
        List<T> states = inputs.subList(1, inputs.size() - nc);
        if (!states.isEmpty() && states.size() != 2 * statesPerLayer()) {
            throw new IllegalArgumentException("Bidirectional " + getName() + ": When passing `initial_state` to a "
                    + "Bidirectional RNN, the state should be a list containing the states of the underlying RNNs ("
                    + statesPerLayer() + " forward, then " + statesPerLayer() + " backward). Found " + states.size()
                    + " states.");
        }
        List<T> out = new ArrayList<>();
        out.add(inputs.get(0));
        if (!states.isEmpty()) {
            int half = states.size() / 2;
            out.addAll(backwardPart ? states.subList(half, states.size()) : states.subList(0, half));
        }
        out.addAll(inputs.subList(inputs.size() - nc, inputs.size()));
        return out;
    }

    private void syncConstants() {
        forward.setNumConstants(numConstants);
        backward.setNumConstants(numConstants);
    }

    @Override
    protected void doBuild(List<Shape> inputShapes) {
        syncConstants();
        forward.build(part(inputShapes, false));
        backward.build(part(inputShapes, true));
    }

    @Override
    public List<Shape> computeOutputShape(List<Shape> inputShapes) {
        syncConstants();
        List<Shape> f = forward.computeOutputShape(part(inputShapes, false));
        Shape out = f.get(0);
        List<Shape> states = f.subList(1, f.size());
        List<Shape> result = new ArrayList<>();
        if ("concat".equals(mergeMode)) {
            long last = out.dim(-1);
            result.add(out.withDim(out.rank() - 1, last == Shape.UNKNOWN ? Shape.UNKNOWN : 2 * last));
        } else if (mergeMode == null) {
            result.add(out);
            result.add(out);
        } else {
            result.add(out);
        }
        if (forward.returnState()) {
            result.addAll(states);
            result.addAll(states);
        }
        return result;
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        return computeOutputShape(List.of(inputShape)).get(0);
    }

    /** Calls the layer on symbolic tensors with initial states: forward states, then backward states. */
    public List<KerasTensor> apply(KerasTensor x, List<KerasTensor> initialState) {
        List<KerasTensor> in = new ArrayList<>();
        in.add(x);
        in.addAll(initialState);
        return applyMulti(in);
    }

    // --------------------------------------------------------------------------------------------------- call

    @Override
    protected List<Tensor> call(List<Tensor> inputs, List<Tensor> masks, boolean training) {
        return callWithMasks(inputs, masks, training).tensors();
    }

    @Override
    protected Outputs callWithMasks(List<Tensor> inputs, List<Tensor> masks, boolean training) {
        syncConstants();
        Tensor mask = masks == null ? null : masks.get(0);
        List<Tensor> fIn = part(inputs, false);
        List<Tensor> bIn = part(inputs, true);
        List<Tensor> fOut = forward.invoke(fIn, masksFor(fIn, mask), training).tensors();
        List<Tensor> bOut = backward.invoke(bIn, masksFor(bIn, mask), training).tensors();
        Tensor y = fOut.get(0);
        Tensor yRev = bOut.get(0);
        if (forward.returnSequences()) {
            yRev = TimeSteps.reverse(yRev);
        }
        List<Tensor> outs = new ArrayList<>();
        if (mergeMode == null) {
            outs.add(y);
            outs.add(yRev);
        } else {
            outs.add(switch (mergeMode) {
                case "concat" -> Ops.concat(List.of(y, yRev), -1);
                case "sum" -> Ops.add(y, yRev);
                case "ave" -> Ops.mul(Ops.add(y, yRev), 0.5f);
                default -> Ops.mul(y, yRev);
            });
        }
        if (forward.returnState()) {
            outs.addAll(fOut.subList(1, fOut.size()));
            outs.addAll(bOut.subList(1, bOut.size()));
        }
        return new Outputs(outs, outputMasks(mask));
    }

    private static List<Tensor> masksFor(List<Tensor> in, Tensor mask) {
        if (mask == null) {
            return null;
        }
        List<Tensor> m = new ArrayList<>(Collections.nCopies(in.size(), (Tensor) null));
        m.set(0, mask);
        return m;
    }

    private List<Tensor> outputMasks(Tensor mask) {
        Tensor m = forward.returnSequences() ? mask : null;
        List<Tensor> out = new ArrayList<>();
        out.add(m);
        if (mergeMode == null) {
            out.add(m);
        }
        if (forward.returnState()) {
            for (int i = 0; i < 2 * statesPerLayer(); i++) {
                out.add(null);
            }
        }
        return out;
    }

    @Override
    public List<Tensor> computeMask(List<Tensor> inputs, List<Tensor> masks) {
        return outputMasks(masks == null ? null : masks.get(0));
    }

    @Override
    public Tensor computeMask(Tensor input, Tensor mask) {
        return outputMasks(mask).get(0);
    }

    // ----------------------------------------------------------------------------------------------- weights

    @Override
    public List<Weight> weightVariables() {
        List<Weight> out = new ArrayList<>(forward.weightVariables());
        out.addAll(backward.weightVariables());
        return Collections.unmodifiableList(out);
    }

    @Override
    public List<Weight> trainableWeightVariables() {
        List<Weight> out = new ArrayList<>();
        if (isTrainable()) {
            out.addAll(forward.trainableWeightVariables());
            out.addAll(backward.trainableWeightVariables());
        }
        return out;
    }

    @Override
    public List<Weight> nonTrainableWeightVariables() {
        if (!isTrainable()) {
            return new ArrayList<>(weightVariables());
        }
        List<Weight> out = new ArrayList<>(forward.nonTrainableWeightVariables());
        out.addAll(backward.nonTrainableWeightVariables());
        return out;
    }

    @Override
    public List<Tensor> losses() {
        List<Tensor> out = new ArrayList<>(super.losses());
        out.addAll(forward.losses());
        out.addAll(backward.losses());
        return out;
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("layer", Layers.serialize(layer));
        c.put("merge_mode", mergeMode);
        if (numConstants != null) {
            c.put("num_constants", numConstants);
        }
        if (backwardGiven) {
            c.put("backward_layer", Layers.serialize(backward));
        }
        return c;
    }
}
