package io.jkeras.layers.recurrent;

import io.jkeras.activations.Activation;
import io.jkeras.activations.Activations;
import io.jkeras.backend.ConvDesc;
import io.jkeras.constraints.Constraint;
import io.jkeras.constraints.Constraints;
import io.jkeras.initializers.Initializer;
import io.jkeras.initializers.Initializers;
import io.jkeras.layers.conv.ConvUtils;
import io.jkeras.layers.core.DataFormats;
import io.jkeras.ops.ConvOps;
import io.jkeras.ops.Ops;
import io.jkeras.ops.RandomStream;
import io.jkeras.regularizers.Regularizer;
import io.jkeras.regularizers.Regularizers;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Keras 2's ConvLSTM2DCell: an LSTM whose input and recurrent transformations are 2-D convolutions. Kernel
 * (kh, kw, in, 4*filters), recurrent_kernel (kh, kw, filters, 4*filters), bias (4*filters,), gates i, f, c, o.
 * The input convolution has the layer's strides, padding and dilation; the recurrent one is stride 1, "same".
 * States [h, c] of shape (batch, rows', cols', filters) (channels_first: (batch, filters, rows', cols')).
 */
public class ConvLSTM2DCell extends AbstractRNNCell {
    static final Set<String> KEYS = keys("filters", "kernel_size", "strides", "padding", "data_format",
            "dilation_rate", "activation", "recurrent_activation", "use_bias", "kernel_initializer",
            "recurrent_initializer", "bias_initializer", "unit_forget_bias", "kernel_regularizer",
            "recurrent_regularizer", "bias_regularizer", "kernel_constraint", "recurrent_constraint", "bias_constraint",
            "dropout", "recurrent_dropout");

    private final int filters;
    private final long[] kernelSize;
    private final long[] strides;
    private final String padding;
    private final String dataFormat;
    private final long[] dilationRate;
    private final Activation activation;
    private final Activation recurrentActivation;
    private final boolean useBias;
    private final Initializer kernelInitializer;
    private final Initializer recurrentInitializer;
    private final Initializer biasInitializer;
    private final boolean unitForgetBias;
    private final Regularizer kernelRegularizer;
    private final Regularizer recurrentRegularizer;
    private final Regularizer biasRegularizer;
    private final Constraint kernelConstraint;
    private final Constraint recurrentConstraint;
    private final Constraint biasConstraint;
    private final double dropout;
    private final double recurrentDropout;
    private Tensor kernel;
    private Tensor recurrentKernel;
    private Tensor bias;
    private RandomStream rng = RandomStream.of(null);
    private List<Tensor> inputMasks;
    private List<Tensor> recurrentMasks;

    public ConvLSTM2DCell(int filters, long... kernelSize) {
        this(new ConfigMap("ConvLSTM2DCell", RecurrentArgs.map("filters", filters, "kernel_size",
                Arrays.stream(kernelSize).boxed().toList())));
    }

    ConvLSTM2DCell(ConfigMap c) {
        super(c);
        c.checkKnown(KEYS);
        String owner = className();
        this.filters = c.getInt("filters", -1);
        if (filters <= 0) {
            throw new IllegalArgumentException(owner + ": argument 'filters' must be a positive integer, got "
                    + c.get("filters"));
        }
        this.kernelSize = c.getPositiveLongs("kernel_size", 2, null);
        this.strides = c.getPositiveLongs("strides", 2, new long[] {1, 1});
        this.padding = ConvUtils.checkPadding(owner, c.getString("padding", "valid").toLowerCase(Locale.ROOT), false);
        this.dataFormat = DataFormats.check(owner, c.getString("data_format", DataFormats.CHANNELS_LAST));
        this.dilationRate = c.getPositiveLongs("dilation_rate", 2, new long[] {1, 1});
        if (Arrays.stream(strides).anyMatch(s -> s != 1) && Arrays.stream(dilationRate).anyMatch(d -> d != 1)) {
            throw new IllegalArgumentException(owner + ": `strides > 1` not supported in conjunction with "
                    + "`dilation_rate > 1`, got strides " + Arrays.toString(strides) + " and dilation_rate "
                    + Arrays.toString(dilationRate));
        }
        this.activation = Activations.get(c.raw().containsKey("activation") ? c.get("activation") : "tanh");
        this.recurrentActivation = Activations.get(c.raw().containsKey("recurrent_activation")
                ? c.get("recurrent_activation") : "hard_sigmoid");
        this.useBias = c.getBoolean("use_bias", true);
        this.kernelInitializer = Initializers.get(c.has("kernel_initializer") ? c.get("kernel_initializer")
                : "glorot_uniform");
        this.recurrentInitializer = Initializers.get(c.has("recurrent_initializer") ? c.get("recurrent_initializer")
                : "orthogonal");
        this.biasInitializer = Initializers.get(c.has("bias_initializer") ? c.get("bias_initializer") : "zeros");
        this.unitForgetBias = c.getBoolean("unit_forget_bias", true);
        this.kernelRegularizer = Regularizers.get(c.get("kernel_regularizer"));
        this.recurrentRegularizer = Regularizers.get(c.get("recurrent_regularizer"));
        this.biasRegularizer = Regularizers.get(c.get("bias_regularizer"));
        this.kernelConstraint = Constraints.get(c.get("kernel_constraint"));
        this.recurrentConstraint = Constraints.get(c.get("recurrent_constraint"));
        this.biasConstraint = Constraints.get(c.get("bias_constraint"));
        this.dropout = Math.min(1.0, Math.max(0.0, c.getDouble("dropout", 0.0)));
        this.recurrentDropout = Math.min(1.0, Math.max(0.0, c.getDouble("recurrent_dropout", 0.0)));
    }

    public static ConvLSTM2DCell fromConfig(Map<String, Object> config) {
        return new ConvLSTM2DCell(new ConfigMap("ConvLSTM2DCell", config));
    }

    public static RecurrentArgs<ConvLSTM2DCell> builder(int filters, long... kernelSize) {
        return new RecurrentArgs<>(ConvLSTM2DCell::fromConfig).set("filters", filters).set("kernel_size",
                Arrays.stream(kernelSize).boxed().toList());
    }

    @Override
    protected String defaultNamePrefix() {
        return "conv_lst_m2d_cell";  // Keras's snake case of the class name
    }

    public int filters() {
        return filters;
    }

    public String dataFormat() {
        return dataFormat;
    }

    private boolean channelsFirst() {
        return dataFormat.equals(DataFormats.CHANNELS_FIRST);
    }

    public void setSeed(long seed) {
        this.rng = new RandomStream(seed);
    }

    @Override
    public int[] stateSize() {
        return new int[] {filters, filters};
    }

    // ---------------------------------------------------------------------------------------------------- shapes

    /** rows, cols of a (batch, [time,] ...) shape whose spatial axes start at first (channels_last) . */
    private long[] spatialOfStep(Shape step) {
        return channelsFirst() ? new long[] {step.dim(2), step.dim(3)} : new long[] {step.dim(1), step.dim(2)};
    }

    private long[] outSpatial(long[] in) {
        long[] out = new long[2];
        for (int i = 0; i < 2; i++) {
            out[i] = ConvUtils.outputLength(in[i], kernelSize[i], padding, strides[i], dilationRate[i]);
        }
        return out;
    }

    private Shape stateShape(long batch, long[] spatial) {
        return channelsFirst() ? Shape.of(batch, filters, spatial[0], spatial[1])
                : Shape.of(batch, spatial[0], spatial[1], filters);
    }

    private static Shape stepOf(Shape sequence) {
        long[] d = sequence.dims();
        long[] s = new long[d.length - 1];
        s[0] = d[0];
        System.arraycopy(d, 2, s, 1, d.length - 2);
        return Shape.of(s);
    }

    @Override
    public List<Shape> stateShapes(Shape sequenceShape) {
        Shape s = stateShape(sequenceShape.dim(0), outSpatial(spatialOfStep(stepOf(sequenceShape))));
        return List.of(s, s);
    }

    @Override
    public Shape stepOutputShape(Shape sequenceShape) {
        return stateShapes(sequenceShape).get(0);
    }

    // ---------------------------------------------------------------------------------------------------- build

    @Override
    protected void doBuild(Shape stepShape) {
        if (stepShape.rank() != 4) {
            throw new IllegalArgumentException(className() + " " + getName() + ": expects one step of shape (batch, "
                    + "rows, cols, channels) or (batch, channels, rows, cols), got " + stepShape);
        }
        long in = stepShape.dim(channelsFirst() ? 1 : 3);
        if (in == Shape.UNKNOWN) {
            throw new IllegalArgumentException("The channel dimension of the inputs to " + className() + " "
                    + getName() + " should be defined. Found `None` in " + stepShape);
        }
        kernel = addWeight("kernel", new long[] {kernelSize[0], kernelSize[1], in, 4L * filters}, kernelInitializer,
                kernelRegularizer, kernelConstraint, true);
        recurrentKernel = addWeight("recurrent_kernel", new long[] {kernelSize[0], kernelSize[1], filters,
            4L * filters}, recurrentInitializer, recurrentRegularizer, recurrentConstraint, true);
        if (useBias) {
            bias = addWeight("bias", new long[] {4L * filters}, unitForgetBias
                    ? new ForgetBiasInitializer(biasInitializer, filters, 1) : biasInitializer, biasRegularizer,
                    biasConstraint, true);
        }
    }

    private ConvDesc inputDesc(long[] x, long outChannels) {
        Shape s = Shape.of(x);
        long[] in = spatialOfStep(s);
        long[] out = outSpatial(in);
        long[] pb = new long[2];
        long[] pe = new long[2];
        for (int i = 0; i < 2; i++) {
            if (out[i] <= 0) {
                throw new IllegalArgumentException(className() + " " + getName() + ": the kernel (extent "
                        + ConvUtils.span(kernelSize[i], dilationRate[i]) + ") is larger than the input (" + in[i]
                        + ") on spatial axis " + i + " with padding \"" + padding + "\"");
            }
            long[] p = ConvUtils.padding(in[i], out[i], kernelSize[i], padding, strides[i], dilationRate[i]);
            pb[i] = p[0];
            pe[i] = p[1];
        }
        long inC = s.dim(channelsFirst() ? 1 : 3);
        return new ConvDesc(2, channelsFirst(), x[0], inC, outChannels, 1, in, out, kernelSize, strides, dilationRate,
                pb, pe);
    }

    private ConvDesc recurrentDesc(long[] h, long outChannels) {
        long[] in = spatialOfStep(Shape.of(h));
        long[] pb = new long[2];
        long[] pe = new long[2];
        long[] one = {1, 1};
        for (int i = 0; i < 2; i++) {
            long[] p = ConvUtils.padding(in[i], in[i], kernelSize[i], "same", 1, 1);
            pb[i] = p[0];
            pe[i] = p[1];
        }
        return new ConvDesc(2, channelsFirst(), h[0], filters, outChannels, 1, in, in, kernelSize, one, one, pb, pe);
    }

    // ---------------------------------------------------------------------------------------------------- call

    private int channelAxis() {
        return channelsFirst() ? 1 : 3;
    }

    /** Channels [g*filters, (g+1)*filters) of a (batch, ..., 4*filters) activation. */
    private Tensor gateChannels(Tensor y, int g) {
        long[] begin = new long[4];
        long[] size = y.shape();
        begin[channelAxis()] = (long) g * filters;
        size[channelAxis()] = filters;
        return Ops.slice(y, begin, size);
    }

    private Tensor kernelGate(Tensor k, int g) {
        long[] size = k.shape();
        size[3] = filters;
        return Ops.slice(k, new long[] {0, 0, 0, (long) g * filters}, size);
    }

    private Tensor biasGate(int g) {
        return bias == null ? null : Ops.slice(bias, new long[] {(long) g * filters}, new long[] {filters});
    }

    private static boolean active(double rate) {
        return 0 < rate && rate < 1;
    }

    private List<Tensor> masks(List<Tensor> cached, long[] shape, double rate) {
        if (cached != null && cached.stream().allMatch(m -> !m.isClosed() && Arrays.equals(m.shape(), shape))) {
            return cached;
        }
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            out.add(Ops.dropout(Tensor.ones(shape), (float) rate, null, rng));
        }
        return out;
    }

    @Override
    public void resetDropoutMasks() {
        inputMasks = null;
        recurrentMasks = null;
    }

    public List<Tensor> lastInputDropoutMasks() {
        return inputMasks;
    }

    public List<Tensor> lastRecurrentDropoutMasks() {
        return recurrentMasks;
    }

    @Override
    public CellOutput call(Tensor input, List<Tensor> states, boolean training) {
        Tensor hPrev = states.get(0);
        Tensor cPrev = states.get(1);
        List<Tensor> dp = null;
        List<Tensor> rdp = null;
        if (training && active(dropout)) {
            dp = inputMasks = masks(inputMasks, input.shape(), dropout);
        }
        if (training && active(recurrentDropout)) {
            rdp = recurrentMasks = masks(recurrentMasks, cPrev.shape(), recurrentDropout);
        }
        Tensor[] x = new Tensor[4];
        Tensor[] h = new Tensor[4];
        if (dp == null) {
            Tensor all = ConvOps.conv(input, kernel, bias, inputDesc(input.shape(), 4L * filters));
            for (int g = 0; g < 4; g++) {
                x[g] = gateChannels(all, g);
            }
        } else {
            ConvDesc d = inputDesc(input.shape(), filters);
            for (int g = 0; g < 4; g++) {
                x[g] = ConvOps.conv(Ops.mul(input, dp.get(g)), kernelGate(kernel, g), biasGate(g), d);
            }
        }
        if (rdp == null) {
            Tensor all = ConvOps.conv(hPrev, recurrentKernel, null, recurrentDesc(hPrev.shape(), 4L * filters));
            for (int g = 0; g < 4; g++) {
                h[g] = gateChannels(all, g);
            }
        } else {
            ConvDesc d = recurrentDesc(hPrev.shape(), filters);
            for (int g = 0; g < 4; g++) {
                h[g] = ConvOps.conv(Ops.mul(hPrev, rdp.get(g)), kernelGate(recurrentKernel, g), null, d);
            }
        }
        Tensor i = recurrentActivation.apply(Ops.add(x[0], h[0]));
        Tensor f = recurrentActivation.apply(Ops.add(x[1], h[1]));
        Tensor c = Ops.add(Ops.mul(f, cPrev), Ops.mul(i, activation.apply(Ops.add(x[2], h[2]))));
        Tensor o = recurrentActivation.apply(Ops.add(x[3], h[3]));
        Tensor hNew = Ops.mul(o, activation.apply(c));
        return new CellOutput(hNew, List.of(hNew, c));
    }

    // --------------------------------------------------------------------------------------------------- config


    void putConfig(Map<String, Object> c, boolean layer, Regularizer activityRegularizer) {
        c.put("filters", filters);
        c.put("kernel_size", ConfigMap.list(kernelSize));
        c.put("strides", ConfigMap.list(strides));
        c.put("padding", padding);
        c.put("data_format", dataFormat);
        c.put("dilation_rate", ConfigMap.list(dilationRate));
        c.put("activation", Activations.serialize(activation));
        c.put("recurrent_activation", Activations.serialize(recurrentActivation));
        c.put("use_bias", useBias);
        c.put("kernel_initializer", Initializers.serialize(kernelInitializer));
        c.put("recurrent_initializer", Initializers.serialize(recurrentInitializer));
        c.put("bias_initializer", Initializers.serialize(biasInitializer));
        c.put("unit_forget_bias", unitForgetBias);
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
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        putConfig(c, false, null);
        return c;
    }
}
