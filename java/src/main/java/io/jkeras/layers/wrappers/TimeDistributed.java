package io.jkeras.layers.wrappers;

import io.jkeras.layers.Layer;
import io.jkeras.layers.Layers;
import io.jkeras.layers.Weight;
import io.jkeras.ops.Ops;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Device;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keras's TimeDistributed: applies a layer to every timestep of an input (batch, steps, ...), as one call of the
 * layer on (batch * steps, ...) reshaped back to (batch, steps, ...). Any single-output layer (Dense, Conv2D, a
 * nested model...). The weights are the inner layer's. Masks: a (batch, steps) mask passes through (an inner
 * layer that makes its own mask, such as Masking, gives that mask reshaped to (batch, steps, ...)); a mask with
 * more axes goes to an inner layer that supports masking reshaped to (batch * steps, ...).
 * The inner layer's activity regularizer applies to its (batch * steps, ...) output.
 */
public final class TimeDistributed extends Layer {
    private static final Set<String> KEYS = keys("layer");

    private final Layer layer;

    public TimeDistributed(Layer layer) {
        this.layer = check(layer);
        supportsMasking = true;
    }

    private TimeDistributed(ConfigMap c) {
        super(c);
        c.checkKnown(KEYS);
        this.layer = check(WrapperUtil.layerFrom(c.get("layer"), "TimeDistributed"));
        supportsMasking = true;
    }

    private static Layer check(Layer layer) {
        if (layer == null) {
            throw new IllegalArgumentException("TimeDistributed: argument 'layer' is required (a Layer instance)");
        }
        return layer;
    }

    public static TimeDistributed fromConfig(Map<String, Object> config) {
        return new TimeDistributed(new ConfigMap("TimeDistributed", config));
    }

    public Layer layer() {
        return layer;
    }

    private void checkRank(Shape s) {
        if (s.rank() < 3) {
            throw new IllegalArgumentException("TimeDistributed " + getName() + ": expects an input of rank >= 3 "
                    + "(batch, steps, ...), got " + s);
        }
    }

    /** (batch, ...) of one step. */
    private static Shape childShape(Shape s) {
        long[] d = s.dims();
        long[] c = new long[d.length - 1];
        c[0] = d[0];
        System.arraycopy(d, 2, c, 1, d.length - 2);
        return Shape.of(c);
    }

    /** Moves the wrapped layer, with its own state. */
    @Override
    public TimeDistributed to(Device device) {
        layer.to(device);
        super.to(device);
        return this;
    }

    @Override
    protected void doBuild(Shape inputShape) {
        checkRank(inputShape);
        if (!layer.isBuilt()) {
            layer.build(childShape(inputShape));
        }
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        checkRank(inputShape);
        Shape child = layer.computeOutputShape(childShape(inputShape));
        long[] c = child.dims();
        long[] out = new long[c.length + 1];
        out[0] = child.dim(0);
        out[1] = inputShape.dim(1);
        System.arraycopy(c, 1, out, 2, c.length - 1);
        return Shape.of(out);
    }

    /** (batch * steps, rest...) of (batch, steps, rest...). */
    private static Tensor merge(Tensor x) {
        long[] d = x.shape();
        long[] m = new long[d.length - 1];
        m[0] = d[0] * d[1];
        System.arraycopy(d, 2, m, 1, d.length - 2);
        return Ops.reshape(x, m);
    }

    /** (batch, steps, rest...) of (batch * steps, rest...). */
    private static Tensor split(Tensor y, long batch, long steps) {
        long[] d = y.shape();
        long[] s = new long[d.length + 1];
        s[0] = batch;
        s[1] = steps;
        System.arraycopy(d, 1, s, 2, d.length - 1);
        return Ops.reshape(y, s);
    }

    @Override
    protected Outputs callWithMasks(List<Tensor> inputs, List<Tensor> masks, boolean training) {
        if (inputs.size() != 1) {
            throw new IllegalArgumentException("TimeDistributed " + getName() + " takes one input, got "
                    + inputs.size());
        }
        Tensor x = inputs.get(0);
        checkRank(x.getShape());
        Tensor mask = masks == null ? null : masks.get(0);
        long n = x.dim(0);
        long t = x.dim(1);
        List<Tensor> innerMasks = null;
        // a (batch, steps) mask says nothing about the inner layer's own axes: it passes around the layer; a mask
        // with more axes (batch, steps, inner...) is the inner layer's mask, reshaped
        if (mask != null && mask.rank() > 2 && layer.supportsMasking()) {
            innerMasks = Collections.singletonList(merge(mask));
        }
        Outputs o = layer.invoke(List.of(merge(x)), innerMasks, training);
        if (o.tensors().size() != 1) {
            throw new IllegalArgumentException("TimeDistributed " + getName() + ": the wrapped layer "
                    + layer.getName() + " has " + o.tensors().size() + " outputs; only single-output layers can be "
                    + "wrapped");
        }
        Tensor y = split(o.tensors().get(0), n, t);
        Tensor innerMask = o.masks() == null ? null : o.masks().get(0);
        Tensor outMask = innerMask != null ? split(innerMask, n, t) : mask;
        return new Outputs(List.of(y), Collections.singletonList(outMask));
    }

    @Override
    protected Tensor call(Tensor input, Tensor mask, boolean training) {
        return callWithMasks(List.of(input), Collections.singletonList(mask), training).tensors().get(0);
    }

    @Override
    public Tensor computeMask(Tensor input, Tensor mask) {
        return callWithMasks(List.of(input), Collections.singletonList(mask), false).masks().get(0);
    }

    // ------------------------------------------------------------------------------------- the layer's weights

    @Override
    public List<Weight> weightVariables() {
        return layer.weightVariables();
    }

    @Override
    public List<Weight> trainableWeightVariables() {
        return isTrainable() ? layer.trainableWeightVariables() : new ArrayList<>();
    }

    @Override
    public List<Weight> nonTrainableWeightVariables() {
        return isTrainable() ? layer.nonTrainableWeightVariables() : new ArrayList<>(layer.weightVariables());
    }

    @Override
    public List<Tensor> losses() {
        List<Tensor> out = new ArrayList<>(super.losses());
        out.addAll(layer.losses());
        return out;
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("layer", Layers.serialize(layer));
        return c;
    }
}
