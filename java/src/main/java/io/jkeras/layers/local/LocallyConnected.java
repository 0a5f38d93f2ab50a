package io.jkeras.layers.local;

import io.jkeras.activations.Activation;
import io.jkeras.activations.Activations;
import io.jkeras.constraints.Constraint;
import io.jkeras.constraints.Constraints;
import io.jkeras.initializers.Initializer;
import io.jkeras.initializers.Initializers;
import io.jkeras.layers.InputSpec;
import io.jkeras.layers.Layer;
import io.jkeras.layers.conv.ConvUtils;
import io.jkeras.layers.core.DataFormats;
import io.jkeras.ops.Ops;
import io.jkeras.regularizers.Regularizer;
import io.jkeras.regularizers.Regularizers;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Device;
import io.jkeras.tensor.Scope;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Keras's locally-connected layers (LocallyConnected1D / LocallyConnected2D): a convolution whose weights are not
 * shared between output positions. Arguments filters, kernel_size, strides, padding, data_format, activation,
 * use_bias, the initializers, regularizers and constraints of kernel and bias, and implementation (1, 2 or 3);
 * the three implementations compute the same function and keep Keras's weight layout for each:
 * <ul>
 * <li>1 (the default; padding "valid" only, as Keras): kernel (output positions, patch, filters) where the patch
 * is the window flattened as Keras's local_conv does: (k..., in) row-major for channels_last, (in, k...) for
 * channels_first;</li>
 * <li>2: a dense kernel (in spatial..., in, out spatial..., filters) for channels_last, (in, in spatial...,
 * filters, out spatial...) for channels_first, multiplied by a 0/1 connectivity mask;</li>
 * <li>3: the non-zero entries of that dense matrix, as a vector in Keras's order (sorted (output index, input
 * index) pairs of conv_kernel_idxs).</li>
 * </ul>
 * Bias (out spatial..., filters), added as Keras's bias_add adds a bias of that rank: for channels_first the bias
 * memory is read as (filters, out spatial...) (a reshape, not a transpose, as in Keras). Padding "same" (modes 2
 * and 3) connects output position p to inputs [p * s - k / 2, p * s + k - k / 2) clipped to the input, as Keras's
 * conv_connected_inputs.
 *
 * <p>Everything is composed of ops: mode 1 gathers the patches with one strided slice per kernel offset and
 * multiplies them with the kernel in one matmul batched over positions; mode 2 is one masked matmul; mode 3
 * reorders its vector into mode 1's kernel (valid padding) or multiplies per output position (same padding).
 */
public abstract class LocallyConnected extends Layer {
    protected static final Set<String> KEYS = keys("filters", "kernel_size", "strides", "padding", "data_format",
            "activation", "use_bias", "kernel_initializer", "bias_initializer", "kernel_regularizer",
            "bias_regularizer", "activity_regularizer", "kernel_constraint", "bias_constraint", "implementation");

    protected final int rank;
    protected final int filters;
    protected final long[] kernelSize;
    protected final long[] strides;
    protected final String padding;
    protected final String dataFormat;
    protected final Activation activation;
    protected final boolean useBias;
    protected final Initializer kernelInitializer;
    protected final Initializer biasInitializer;
    protected final Regularizer kernelRegularizer;
    protected final Regularizer biasRegularizer;
    protected final Constraint kernelConstraint;
    protected final Constraint biasConstraint;
    protected final int implementation;

    protected Tensor kernel;
    protected Tensor bias;
    /** Built geometry. */
    private long[] inSize;
    private long[] outSize;
    private long inChannels;
    /** Mode 2's connectivity mask (a constant owned by the layer). */
    private Tensor mask;
    /** Mode 3 with same padding: per output position, the clipped window (start, length per axis). */
    private long[][] windowStart;
    private long[][] windowLength;

    protected LocallyConnected(int rank, ConfigMap c) {
        super(c);
        c.checkKnown(KEYS);
        this.rank = rank;
        String layer = className();
        this.filters = c.getInt("filters", -1);
        if (filters <= 0) {
            throw new IllegalArgumentException(layer + ": argument 'filters' must be a positive integer, got "
                    + c.get("filters"));
        }
        this.kernelSize = c.getPositiveLongs("kernel_size", rank, null);
        this.strides = c.getPositiveLongs("strides", rank, io.jkeras.layers.conv.ConvUtils.ones(rank));
        this.padding = c.getString("padding", "valid").toLowerCase(Locale.ROOT);
        if (!padding.equals("valid") && !padding.equals("same")) {
            throw new IllegalArgumentException(layer + ": argument 'padding' must be \"valid\" or \"same\", got \""
                    + padding + "\"");
        }
        this.implementation = c.getInt("implementation", 1);
        if (implementation < 1 || implementation > 3) {
            throw new IllegalArgumentException(layer + ": unrecognized implementation mode: " + implementation
                    + " (argument 'implementation' must be 1, 2 or 3)");
        }
        if (!padding.equals("valid") && implementation == 1) {
            throw new IllegalArgumentException("Invalid border mode for " + layer + " (only \"valid\" is supported if "
                    + "implementation is 1): " + padding);
        }
        this.dataFormat = DataFormats.check(layer, c.getString("data_format", DataFormats.CHANNELS_LAST));
        this.activation = Activations.get(c.get("activation"));
        this.useBias = c.getBoolean("use_bias", true);
        this.kernelInitializer = Initializers.get(c.has("kernel_initializer") ? c.get("kernel_initializer")
                : "glorot_uniform");
        this.biasInitializer = Initializers.get(c.has("bias_initializer") ? c.get("bias_initializer") : "zeros");
        this.kernelRegularizer = Regularizers.get(c.get("kernel_regularizer"));
        this.biasRegularizer = Regularizers.get(c.get("bias_regularizer"));
        this.kernelConstraint = Constraints.get(c.get("kernel_constraint"));
        this.biasConstraint = Constraints.get(c.get("bias_constraint"));
        setActivityRegularizer(Regularizers.get(c.get("activity_regularizer")));
        setInputSpec(InputSpec.ndim(rank + 2));
    }

    protected boolean channelsFirst() {
        return dataFormat.equals(DataFormats.CHANNELS_FIRST);
    }

    private int channelAxis() {
        return channelsFirst() ? 1 : rank + 1;
    }

    private int spatialAxis(int i) {
        return channelsFirst() ? 2 + i : 1 + i;
    }

    private long[] spatial(Shape s) {
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            out[i] = s.dim(spatialAxis(i));
        }
        return out;
    }

    private static long prod(long[] v) {
        long p = 1;
        for (long x : v) {
            p *= x;
        }
        return p;
    }

    private long[] outputSizes(long[] in) {
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            out[i] = ConvUtils.outputLength(in[i], kernelSize[i], padding, strides[i], 1);
        }
        return out;
    }

    // --------------------------------------------------------------------------------------------------- build

    /** Moves the weights and the constant window mask of implementation 2. */
    @Override
    public LocallyConnected to(Device device) {
        super.to(device);
        if (mask != null) {
            mask.moveTo(device);
        }
        return this;
    }

    @Override
    protected void doBuild(Shape inputShape) {
        String layer = className() + " " + getName();
        long c = inputShape.dim(channelAxis());
        if (c == Shape.UNKNOWN) {
            throw new IllegalArgumentException("The channel dimension of the inputs to " + layer + " should be "
                    + "defined. Found `None` in " + inputShape);
        }
        long[] in = spatial(inputShape);
        if (Arrays.stream(in).anyMatch(d -> d == Shape.UNKNOWN)) {
            throw new IllegalArgumentException("The spatial dimensions of the inputs to " + layer + " should be "
                    + "fully-defined, but the layer received the input shape " + inputShape);
        }
        long[] out = outputSizes(in);
        if (Arrays.stream(out).anyMatch(d -> d <= 0)) {
            throw new IllegalArgumentException("One of the dimensions in the output is <= 0 due to downsampling in "
                    + layer + " (kernel_size " + Arrays.toString(kernelSize) + ", strides " + Arrays.toString(strides)
                    + ", padding \"" + padding + "\"). Consider increasing the input size. Received input shape "
                    + inputShape + " which would produce the output spatial shape " + Arrays.toString(out));
        }
        this.inSize = in;
        this.outSize = out;
        this.inChannels = c;
        long positions = prod(out);
        long window = prod(kernelSize);
        long[] kshape;
        switch (implementation) {
            case 1 -> kshape = new long[] {positions, window * c, filters};
            case 2 -> {
                kshape = denseKernelShape();
                mask = Scope.detach(Tensor.of(maskValues(), maskShape()));
            }
            default -> {
                computeWindows();
                long n = 0;
                for (long[] len : windowLength) {
                    n += prod(len);
                }
                kshape = new long[] {n * c * filters};
            }
        }
        kernel = addWeight("kernel", kshape, kernelInitializer, kernelRegularizer, kernelConstraint, true);
        if (useBias) {
            long[] bshape = Arrays.copyOf(out, rank + 1);
            bshape[rank] = filters;
            bias = addWeight("bias", bshape, biasInitializer, biasRegularizer, biasConstraint, true);
        }
        setInputSpec(InputSpec.ndim(rank + 2).withAxes(Map.of(channelAxis(), c)));
    }

    /** Keras's conv_connected_inputs on one axis: {start, end} of the inputs output position p reads. */
    private long[] connected(int axis, long p) {
        long left = kernelSize[axis] / 2;
        long right = kernelSize[axis] - left;
        long center = p * strides[axis] + (padding.equals("valid") ? left : 0);
        return new long[] {Math.max(0, center - left), Math.min(inSize[axis], center + right)};
    }

    private void computeWindows() {
        int positions = Math.toIntExact(prod(outSize));
        windowStart = new long[positions][rank];
        windowLength = new long[positions][rank];
        for (int p = 0; p < positions; p++) {
            long rest = p;
            for (int i = rank - 1; i >= 0; i--) {
                long[] r = connected(i, rest % outSize[i]);
                rest /= outSize[i];
                windowStart[p][i] = r[0];
                windowLength[p][i] = r[1] - r[0];
            }
        }
    }

    private long[] denseKernelShape() {
        long[] s = new long[2 * rank + 2];
        if (channelsFirst()) {
            s[0] = inChannels;
            System.arraycopy(inSize, 0, s, 1, rank);
            s[rank + 1] = filters;
            System.arraycopy(outSize, 0, s, rank + 2, rank);
        } else {
            System.arraycopy(inSize, 0, s, 0, rank);
            s[rank] = inChannels;
            System.arraycopy(outSize, 0, s, rank + 1, rank);
            s[2 * rank + 1] = filters;
        }
        return s;
    }

    /** The dense kernel's shape with the channel axes set to 1 (Keras's get_locallyconnected_mask). */
    private long[] maskShape() {
        long[] s = denseKernelShape();
        if (channelsFirst()) {
            s[0] = 1;
            s[rank + 1] = 1;
        } else {
            s[rank] = 1;
            s[2 * rank + 1] = 1;
        }
        return s;
    }

    /** 1 where input position (spatial) feeds output position (spatial); layout (in spatial..., out spatial...). */
    private float[] maskValues() {
        int nIn = Math.toIntExact(prod(inSize));
        int nOut = Math.toIntExact(prod(outSize));
        float[] m = new float[nIn * nOut];
        long[] ip = new long[rank];
        for (int i = 0; i < nIn; i++) {
            long rest = i;
            for (int a = rank - 1; a >= 0; a--) {
                ip[a] = rest % inSize[a];
                rest /= inSize[a];
            }
            for (int o = 0; o < nOut; o++) {
                long orest = o;
                boolean in = true;
                for (int a = rank - 1; a >= 0; a--) {
                    long[] r = connected(a, orest % outSize[a]);
                    orest /= outSize[a];
                    in &= ip[a] >= r[0] && ip[a] < r[1];
                }
                m[i * nOut + o] = in ? 1f : 0f;
            }
        }
        return m;
    }

    // ---------------------------------------------------------------------------------------------------- call

    @Override
    protected Tensor call(Tensor input, Tensor inputMask, boolean training) {
        long[] in = spatial(input.getShape());
        if (!Arrays.equals(in, inSize)) {
            throw new IllegalArgumentException(className() + " " + getName() + ": built for inputs with spatial shape "
                    + Arrays.toString(inSize) + " (its weights are per position), called on an input of shape "
                    + input.getShape());
        }
        Tensor y = switch (implementation) {
            case 1 -> localConv(input, kernel);
            case 2 -> denseLocalConv(input);
            default -> padding.equals("valid") ? localConv(input, sparseAsPatchKernel()) : sparseLocalConv(input);
        };
        if (useBias) {
            long[] b = new long[rank + 2];
            b[0] = 1;
            if (channelsFirst()) {
                b[1] = filters;
                System.arraycopy(outSize, 0, b, 2, rank);
            } else {
                System.arraycopy(outSize, 0, b, 1, rank);
                b[rank + 1] = filters;
            }
            y = Ops.add(y, Ops.reshape(bias, b));
        }
        return activation.apply(y);
    }

    /** The output (B, out spatial..., F) or (B, F, out spatial...) from (P, B, F) rows. */
    private Tensor fromPositionsFirst(Tensor pbf, long batch) {
        long[] s = new long[rank + 2];
        s[0] = batch;
        if (channelsFirst()) {
            s[1] = filters;
            System.arraycopy(outSize, 0, s, 2, rank);
            return Ops.reshape(Ops.transpose(pbf, 1, 2, 0), s);
        }
        System.arraycopy(outSize, 0, s, 1, rank);
        s[rank + 1] = filters;
        return Ops.reshape(Ops.transpose(pbf, 1, 0, 2), s);
    }

    /** Mode 1: patches (P, B, patch) @ kernel (P, patch, F). */
    private Tensor localConv(Tensor x, Tensor patchKernel) {
        return fromPositionsFirst(Ops.matmul(patches(x), patchKernel), x.dim(0));
    }

    /**
     * The input windows, (P, B, patch) with patch in Keras's local_conv order: one strided slice per kernel
     * offset (strides taken by slicing a padded range and keeping the first of every s entries).
     */
    private Tensor patches(Tensor x) {
        long batch = x.dim(0);
        long positions = prod(outSize);
        // Pad the strided axes at the end so that every offset's range of P * s entries lies inside.
        Tensor xp = x;
        for (int i = 0; i < rank; i++) {
            long need = kernelSize[i] - 1 + outSize[i] * strides[i];
            long have = xp.dim(spatialAxis(i));
            if (strides[i] > 1 && need > have) {
                long[] zs = xp.shape();
                zs[spatialAxis(i)] = need - have;
                xp = Ops.concat(List.of(xp, Tensor.zeros(zs)), spatialAxis(i));
            }
        }
        List<Tensor> parts = new ArrayList<>();
        long window = prod(kernelSize);
        long[] offset = new long[rank];
        for (long k = 0; k < window; k++) {
            long rest = k;
            for (int i = rank - 1; i >= 0; i--) {
                offset[i] = rest % kernelSize[i];
                rest /= kernelSize[i];
            }
            long[] begin = new long[rank + 2];
            long[] size = xp.shape();
            for (int i = 0; i < rank; i++) {
                begin[spatialAxis(i)] = offset[i];
                size[spatialAxis(i)] = strides[i] > 1 ? outSize[i] * strides[i] : outSize[i];
            }
            Tensor t = Ops.slice(xp, begin, size);
            if (Arrays.stream(strides).anyMatch(s -> s > 1)) {
                t = everyStride(t);
            }
            // (B, P, 1, C) or (B, C, P, 1)
            t = channelsFirst() ? Ops.reshape(t, batch, inChannels, positions, 1)
                    : Ops.reshape(t, batch, positions, 1, inChannels);
            parts.add(t);
        }
        if (channelsFirst()) {
            Tensor all = Ops.concat(parts, 3); // (B, C, P, K)
            return Ops.reshape(Ops.transpose(all, 2, 0, 1, 3), positions, batch, inChannels * window);
        }
        Tensor all = Ops.concat(parts, 2); // (B, P, K, C)
        return Ops.transpose(Ops.reshape(all, batch, positions, window * inChannels), 1, 0, 2);
    }

    /** (.., P_i * s_i, ..) on every spatial axis to (.., P_i, ..): the first entry of every s_i. */
    private Tensor everyStride(Tensor t) {
        long[] d = t.shape();
        long[] split = new long[d.length + rank];
        long[] take = new long[d.length + rank];
        long[] merged = new long[d.length];
        int j = 0;
        for (int a = 0; a < d.length; a++) {
            int spatialIndex = channelsFirst() ? a - 2 : a - 1;
            boolean isSpatial = spatialIndex >= 0 && spatialIndex < rank;
            if (isSpatial) {
                split[j] = outSize[spatialIndex];
                take[j] = outSize[spatialIndex];
                split[j + 1] = strides[spatialIndex];
                take[j + 1] = 1;
                merged[a] = outSize[spatialIndex];
                j += 2;
            } else {
                split[j] = d[a];
                take[j] = d[a];
                merged[a] = d[a];
                j++;
            }
        }
        return Ops.reshape(Ops.slice(Ops.reshape(t, split), new long[split.length], take), merged);
    }

    /** Mode 2: flatten(x) @ (kernel * mask), reshaped. */
    private Tensor denseLocalConv(Tensor x) {
        long batch = x.dim(0);
        long inFlat = prod(inSize) * inChannels;
        long outFlat = prod(outSize) * filters;
        Tensor k = Ops.reshape(Ops.mul(kernel, mask), inFlat, outFlat);
        Tensor y = Ops.matmul(Ops.reshape(x, batch, inFlat), k);
        long[] s = new long[rank + 2];
        s[0] = batch;
        if (channelsFirst()) {
            s[1] = filters;
            System.arraycopy(outSize, 0, s, 2, rank);
        } else {
            System.arraycopy(outSize, 0, s, 1, rank);
            s[rank + 1] = filters;
        }
        return Ops.reshape(y, s);
    }

    /**
     * Mode 3, valid padding: the sorted (output index, input index) entries are, per output position and filter,
     * the window in mode 1's patch order; so the vector is mode 1's kernel up to a reshape and a transpose.
     */
    private Tensor sparseAsPatchKernel() {
        long positions = prod(outSize);
        long patch = prod(kernelSize) * inChannels;
        if (channelsFirst()) {
            // out index f * P + p: (F, P, C * K) -> (P, C * K, F)
            return Ops.transpose(Ops.reshape(kernel, filters, positions, patch), 1, 2, 0);
        }
        // out index p * F + f: (P, F, K * C) -> (P, K * C, F)
        return Ops.transpose(Ops.reshape(kernel, positions, filters, patch), 0, 2, 1);
    }

    /** Mode 3, same padding: windows are clipped at the borders, so one product per output position. */
    private Tensor sparseLocalConv(Tensor x) {
        long batch = x.dim(0);
        int positions = windowLength.length;
        long total = 0;
        for (long[] len : windowLength) {
            total += prod(len);
        }
        Tensor rows = channelsFirst() ? Ops.reshape(kernel, filters, inChannels * total) : null;
        List<Tensor> ys = new ArrayList<>();
        long before = 0;
        for (int p = 0; p < positions; p++) {
            long n = prod(windowLength[p]);
            long[] begin = new long[rank + 2];
            long[] size = x.shape();
            for (int i = 0; i < rank; i++) {
                begin[spatialAxis(i)] = windowStart[p][i];
                size[spatialAxis(i)] = windowLength[p][i];
            }
            Tensor patch = Ops.reshape(Ops.slice(x, begin, size), batch, n * inChannels);
            Tensor w = channelsFirst()
                    ? Ops.slice(rows, new long[] {0, inChannels * before}, new long[] {filters, inChannels * n})
                    : Ops.reshape(Ops.slice(kernel, new long[] {filters * inChannels * before},
                            new long[] {filters * inChannels * n}), filters, n * inChannels);
            ys.add(Ops.matmul(patch, w, false, true)); // (B, F)
            before += n;
        }
        return fromPositionsFirst(Ops.stack(ys, 0), batch);
    }

    // ------------------------------------------------------------------------------------------ shapes, config

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        long[] d = inputShape.dims();
        long[] out = outputSizes(spatial(inputShape));
        d[channelAxis()] = filters;
        for (int i = 0; i < rank; i++) {
            d[spatialAxis(i)] = out[i];
        }
        return Shape.of(d);
    }


    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("filters", filters);
        c.put("kernel_size", ConfigMap.list(kernelSize));
        c.put("strides", ConfigMap.list(strides));
        c.put("padding", padding);
        c.put("data_format", dataFormat);
        c.put("activation", Activations.serialize(activation));
        c.put("use_bias", useBias);
        c.put("kernel_initializer", Initializers.serialize(kernelInitializer));
        c.put("bias_initializer", Initializers.serialize(biasInitializer));
        c.put("kernel_regularizer", Regularizers.serialize(kernelRegularizer));
        c.put("bias_regularizer", Regularizers.serialize(biasRegularizer));
        c.put("activity_regularizer", Regularizers.serialize(activityRegularizer()));
        c.put("kernel_constraint", Constraints.serialize(kernelConstraint));
        c.put("bias_constraint", Constraints.serialize(biasConstraint));
        c.put("implementation", implementation);
        return c;
    }
}
