package io.jkeras.layers.recurrent;

import io.jkeras.ops.Ops;
import io.jkeras.ops.RnnOps;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keras 2's GRUCell, gates in the order z (update), r (reset), h (candidate): kernel (input_dim, 3*units),
 * recurrent_kernel (units, 3*units), bias (3*units,), or (2, 3*units) with reset_after (input bias, then
 * recurrent bias).
 *
 * <pre>
 * z = rec_act(x.Wz + bz + h.Uz [+ rbz])      r = rec_act(x.Wr + br + h.Ur [+ rbr])
 * reset_after=False: hh = act(x.Wh + bh + (r * h).Uh)
 * reset_after=True:  hh = act(x.Wh + bh + r * (h.Uh + rbh))
 * h' = z * h + (1 - z) * hh
 * </pre>
 * Defaults as Keras 2: recurrent_activation hard_sigmoid, reset_after False, implementation 1 (per-gate products
 * and per-gate dropout masks; 2: one product for all gates and the first mask for all, as Keras).
 */
public class GRUCell extends GatedCell {
    static final Set<String> KEYS = keys("units", "activation", "recurrent_activation", "use_bias",
            "kernel_initializer", "recurrent_initializer", "bias_initializer", "kernel_regularizer",
            "recurrent_regularizer", "bias_regularizer", "kernel_constraint", "recurrent_constraint",
            "bias_constraint", "dropout", "recurrent_dropout", "implementation", "reset_after");

    private final int implementation;
    private final boolean resetAfter;

    public GRUCell(int units) {
        this(new ConfigMap("GRUCell", RecurrentArgs.map("units", units)));
    }

    GRUCell(ConfigMap c) {
        this(c, "hard_sigmoid");
        c.checkKnown(KEYS);
    }

    /** For subclasses with another recurrent_activation default (CuDNNGRU's sigmoid). */
    GRUCell(ConfigMap c, String recurrentActivationDefault) {
        super(c, recurrentActivationDefault);
        this.implementation = RecurrentUtil.implementation(className(), c);
        this.resetAfter = c.getBoolean("reset_after", false);
    }

    public static GRUCell fromConfig(Map<String, Object> config) {
        return new GRUCell(new ConfigMap("GRUCell", config));
    }

    public static RecurrentArgs<GRUCell> builder(int units) {
        return new RecurrentArgs<>(GRUCell::fromConfig).units(units);
    }

    public boolean resetAfter() {
        return resetAfter;
    }

    @Override
    public int implementation() {
        return implementation;
    }

    @Override
    protected int gates() {
        return 3;
    }

    @Override
    protected RnnOps.Cell rnnCell() {
        return resetAfter ? RnnOps.Cell.GRU_RESET_AFTER : RnnOps.Cell.GRU;
    }

    @Override
    protected long[] biasShape() {
        return resetAfter ? new long[] {2, 3L * units} : new long[] {3L * units};
    }

    @Override
    protected Tensor inputBias() {
        if (bias == null || !resetAfter) {
            return bias;
        }
        return Ops.reshape(Ops.slice(bias, new long[] {0, 0}, new long[] {1, 3L * units}), 3L * units);
    }

    @Override
    protected Tensor recurrentBias() {
        if (bias == null || !resetAfter) {
            return null;
        }
        return Ops.reshape(Ops.slice(bias, new long[] {1, 0}, new long[] {1, 3L * units}), 3L * units);
    }

    private static Tensor addBias(Tensor x, Tensor b) {
        return b == null ? x : Ops.biasAdd(x, b);
    }

    @Override
    public CellOutput call(Tensor input, List<Tensor> states, boolean training) {
        Tensor hPrev = states.get(0);
        List<Tensor> dp = inputDropoutMasks(input.shape(), training);
        List<Tensor> rdp = recurrentDropoutMasks(hPrev.shape(), training);
        Tensor inBias = inputBias();
        Tensor recBias = recurrentBias();
        Tensor z;
        Tensor r;
        Tensor hh;
        if (implementation == 1) {
            Tensor xz = addBias(Ops.matmul(masked(input, dp, 0), gateColumns(kernel, 0)),
                    inBias == null ? null : gateSlice(inBias, 0));
            Tensor xr = addBias(Ops.matmul(masked(input, dp, 1), gateColumns(kernel, 1)),
                    inBias == null ? null : gateSlice(inBias, 1));
            Tensor xh = addBias(Ops.matmul(masked(input, dp, 2), gateColumns(kernel, 2)),
                    inBias == null ? null : gateSlice(inBias, 2));
            Tensor hz = masked(hPrev, rdp, 0);
            Tensor hr = masked(hPrev, rdp, 1);
            Tensor hhPrev = masked(hPrev, rdp, 2);
            Tensor rz = addBias(Ops.matmul(hz, gateColumns(recurrentKernel, 0)),
                    recBias == null ? null : gateSlice(recBias, 0));
            Tensor rr = addBias(Ops.matmul(hr, gateColumns(recurrentKernel, 1)),
                    recBias == null ? null : gateSlice(recBias, 1));
            z = recurrentActivation.apply(Ops.add(xz, rz));
            r = recurrentActivation.apply(Ops.add(xr, rr));
            Tensor rh;
            if (resetAfter) {
                rh = Ops.mul(r, addBias(Ops.matmul(hhPrev, gateColumns(recurrentKernel, 2)),
                        recBias == null ? null : gateSlice(recBias, 2)));
            } else {
                rh = Ops.matmul(Ops.mul(r, hhPrev), gateColumns(recurrentKernel, 2));
            }
            hh = activation.apply(Ops.add(xh, rh));
        } else {
            Tensor mx = addBias(Ops.matmul(masked(input, dp, 0), kernel), inBias);
            // Keras's implementation 2 multiplies h_tm1 itself by the mask, so the carried state is masked too.
            hPrev = masked(hPrev, rdp, 0);
            Tensor inner = resetAfter ? addBias(Ops.matmul(hPrev, recurrentKernel), recBias)
                    : Ops.matmul(hPrev, cols(recurrentKernel, 0, 2));
            z = recurrentActivation.apply(Ops.add(cols(mx, 0, 1), cols(inner, 0, 1)));
            r = recurrentActivation.apply(Ops.add(cols(mx, 1, 2), cols(inner, 1, 2)));
            Tensor rh = resetAfter ? Ops.mul(r, cols(inner, 2, 3))
                    : Ops.matmul(Ops.mul(r, hPrev), cols(recurrentKernel, 2, 3));
            hh = activation.apply(Ops.add(cols(mx, 2, 3), rh));
        }
        Tensor h = Ops.add(Ops.mul(z, hPrev), Ops.mul(Ops.affine(z, -1f, 1f), hh));
        return new CellOutput(h, List.of(h));
    }

    @Override
    protected void putTail(Map<String, Object> c) {
        c.put("implementation", implementation);
        c.put("reset_after", resetAfter);
    }
}
