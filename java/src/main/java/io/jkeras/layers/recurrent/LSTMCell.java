package io.jkeras.layers.recurrent;

import io.jkeras.initializers.Initializer;
import io.jkeras.ops.Ops;
import io.jkeras.ops.RnnOps;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keras 2's LSTMCell, gates in the order i, f, c, o: kernel (input_dim, 4*units), recurrent_kernel
 * (units, 4*units), bias (4*units,).
 *
 * <pre>
 * i = rec_act(x.Wi + bi + h.Ui)   f = rec_act(x.Wf + bf + h.Uf)   o = rec_act(x.Wo + bo + h.Uo)
 * c' = f * c + i * act(x.Wc + bc + h.Uc)      h' = o * act(c')
 * </pre>
 * States [h, c]. Defaults as Keras 2: recurrent_activation hard_sigmoid, unit_forget_bias True (the forget
 * block of the bias starts at ones), implementation 1 (per-gate products and dropout masks; 2: one product,
 * the first mask for every gate). Both implementations give the same numbers without dropout.
 */
public class LSTMCell extends GatedCell {
    static final Set<String> KEYS = keys("units", "activation", "recurrent_activation", "use_bias",
            "kernel_initializer", "recurrent_initializer", "bias_initializer", "unit_forget_bias",
            "kernel_regularizer", "recurrent_regularizer", "bias_regularizer", "kernel_constraint",
            "recurrent_constraint", "bias_constraint", "dropout", "recurrent_dropout", "implementation");

    private final boolean unitForgetBias;
    private final int implementation;

    public LSTMCell(int units) {
        this(new ConfigMap("LSTMCell", RecurrentArgs.map("units", units)));
    }

    LSTMCell(ConfigMap c) {
        this(c, "hard_sigmoid");
        c.checkKnown(KEYS);
    }

    LSTMCell(ConfigMap c, String recurrentActivationDefault) {
        super(c, recurrentActivationDefault);
        this.unitForgetBias = c.getBoolean("unit_forget_bias", true);
        this.implementation = RecurrentUtil.implementation(className(), c);
    }

    public static LSTMCell fromConfig(Map<String, Object> config) {
        return new LSTMCell(new ConfigMap("LSTMCell", config));
    }

    public static RecurrentArgs<LSTMCell> builder(int units) {
        return new RecurrentArgs<>(LSTMCell::fromConfig).units(units);
    }

    public boolean unitForgetBias() {
        return unitForgetBias;
    }

    @Override
    public int implementation() {
        return implementation;
    }

    @Override
    protected int gates() {
        return 4;
    }

    @Override
    protected RnnOps.Cell rnnCell() {
        return RnnOps.Cell.LSTM;
    }

    @Override
    public int[] stateSize() {
        return new int[] {units, units};
    }

    @Override
    protected Initializer biasInitializerForBuild() {
        return unitForgetBias ? new ForgetBiasInitializer(biasInitializer, units, 1) : biasInitializer;
    }

    private static Tensor addBias(Tensor x, Tensor b) {
        return b == null ? x : Ops.biasAdd(x, b);
    }

    @Override
    public CellOutput call(Tensor input, List<Tensor> states, boolean training) {
        Tensor hPrev = states.get(0);
        Tensor cPrev = states.get(1);
        List<Tensor> dp = inputDropoutMasks(input.shape(), training);
        List<Tensor> rdp = recurrentDropoutMasks(hPrev.shape(), training);
        Tensor inBias = inputBias();
        Tensor recBias = recurrentBias();
        Tensor[] pre = new Tensor[4];
        if (implementation == 1) {
            for (int g = 0; g < 4; g++) {
                Tensor xg = addBias(Ops.matmul(masked(input, dp, g), gateColumns(kernel, g)),
                        inBias == null ? null : gateSlice(inBias, g));
                Tensor hg = addBias(Ops.matmul(masked(hPrev, rdp, g), gateColumns(recurrentKernel, g)),
                        recBias == null ? null : gateSlice(recBias, g));
                pre[g] = Ops.add(xg, hg);
            }
        } else {
            Tensor zx = Ops.matmul(masked(input, dp, 0), kernel);
            Tensor z = Ops.add(zx, addBias(Ops.matmul(masked(hPrev, rdp, 0), recurrentKernel), recBias));
            z = addBias(z, inBias);
            for (int g = 0; g < 4; g++) {
                pre[g] = cols(z, g, g + 1);
            }
        }
        Tensor i = recurrentActivation.apply(pre[0]);
        Tensor f = recurrentActivation.apply(pre[1]);
        Tensor c = Ops.add(Ops.mul(f, cPrev), Ops.mul(i, activation.apply(pre[2])));
        Tensor o = recurrentActivation.apply(pre[3]);
        Tensor h = Ops.mul(o, activation.apply(c));
        return new CellOutput(h, List.of(h, c));
    }

    @Override
    protected void putUnitForgetBias(Map<String, Object> c) {
        c.put("unit_forget_bias", unitForgetBias);
    }

    @Override
    protected void putTail(Map<String, Object> c) {
        c.put("implementation", implementation);
    }
}
