package io.jkeras.ops;

import io.jkeras.backend.PoolDesc;
import io.jkeras.tensor.DType;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Differentiable pooling, resizing, padding, cropping and element repetition: what the pooling and reshaping
 * layers compose. Pooling and bilinear resizing run on the backends' primitives; padding, cropping and nearest
 * up-sampling are strided copies (zero strides for repeats), their gradients slices and sums.
 */
public final class PoolOps {
    private PoolOps() {
    }

    private static void requireFloat(String op, Tensor t) {
        if (t.isClosed()) {
            throw new IllegalStateException(op + ": use of a closed tensor of shape " + t.getShape());
        }
        if (t.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException(op + ": expected a float32 tensor, got " + t);
        }
    }

    // ------------------------------------------------------------------------------------------------ pooling

    /**
     * Max or average pooling, x of d.inputShape(): average pooling does not count padding; max pooling's
     * gradient goes to the first maximal element of each window (TensorFlow's MaxPoolGrad).
     */
    public static Tensor pool(Tensor x, PoolDesc d) {
        String op = d.algorithm() == PoolDesc.Algorithm.MAX ? "max_pool" : "avg_pool";
        requireFloat(op, x);
        if (!Arrays.equals(x.shape(), d.inputShape())) {
            throw new IllegalArgumentException(op + ": input has shape " + x.getShape() + ", expected "
                    + Shape.of(d.inputShape()));
        }
        Tensor y = Tensor.emptyLike(x, d.outputShape());
        if (!GradientTape.isWatched(x)) {
            x.backend().poolForward(d, x, y, null);  // inference: no workspace to write
            return y;
        }
        long wsBytes = x.backend().poolWorkspaceBytes(d);
        Tensor ws = wsBytes == 0 ? null : Tensor.empty(x.backend(), DType.INT32, (wsBytes + 3) / 4);
        x.backend().poolForward(d, x, y, ws);
        GradientTape.record(op, new Tensor[] {x}, y, dy -> {
            Tensor dx = Tensor.emptyLike(x, d.inputShape());
            x.backend().poolBackward(d, x, y, dy, ws, dx);
            return new Tensor[] {dx};
        });
        return y;
    }

    // ------------------------------------------------------------------------------------------------ resizing

    /**
     * Bilinear resizing of a 4-D image batch (N, H, W, C), or (N, C, H, W) when channelsFirst, to outH x outW, as
     * tf.image.resize(method='bilinear', antialias=False): half-pixel centres (TF 2), or TF 1's resize_bilinear
     * mapping (align_corners=False) when halfPixelCenters is false.
     */
    public static Tensor resizeBilinear(Tensor x, long outH, long outW, boolean channelsFirst,
            boolean halfPixelCenters) {
        requireFloat("resize_bilinear", x);
        if (x.rank() != 4) {
            throw new IllegalArgumentException("resize_bilinear: expected a 4-D image batch, got shape " + x.getShape());
        }
        long[] d = x.shape();
        int h = channelsFirst ? 2 : 1;
        if (outH <= 0 || outW <= 0 || d[h] == 0 || d[h + 1] == 0) {
            throw new IllegalArgumentException("resize_bilinear: cannot resize " + x.getShape() + " to " + outH + "x"
                    + outW + ": sizes must be positive");
        }
        long[] nd = d.clone();
        nd[h] = outH;
        nd[h + 1] = outW;
        Tensor y = Tensor.emptyLike(x, nd);
        x.backend().resizeBilinear(x, y, channelsFirst, halfPixelCenters);
        GradientTape.record("resize_bilinear", new Tensor[] {x}, y, dy -> {
            Tensor dx = Tensor.emptyLike(x, d);
            x.backend().resizeBilinearBackward(dy, dx, channelsFirst, halfPixelCenters);
            return new Tensor[] {dx};
        });
        return y;
    }

    // ------------------------------------------------------------------------------------- strided copies

    /**
     * dst[dstOffset + i.ds] = src[srcOffset + i.ss] for every index i of shape, planned for the native copy (whose
     * inner loop runs over the last axis): size-1 axes dropped, neighbours that are contiguous on both sides
     * merged, and when the last axis is short or not contiguous in dst, the longest axis with a short dst stride
     * moved last. Every dst element must be written once, so the order of the axes does not matter.
     */
    static void copy(long[] shape, Tensor src, long srcOffset, long[] ss, Tensor dst, long dstOffset, long[] ds) {
        List<long[]> dims = new ArrayList<>();  // {size, src stride, dst stride}
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == 0) {
                return;
            }
            if (shape[i] == 1) {
                continue;
            }
            long[] last = dims.isEmpty() ? null : dims.get(dims.size() - 1);
            if (last != null && last[1] == shape[i] * ss[i] && last[2] == shape[i] * ds[i]) {
                last[0] *= shape[i];
                last[1] = ss[i];
                last[2] = ds[i];
            } else {
                dims.add(new long[] {shape[i], ss[i], ds[i]});
            }
        }
        if (dims.isEmpty()) {
            dims.add(new long[] {1, 0, 0});
        }
        long[] inner = dims.get(dims.size() - 1);
        if (!(inner[2] == 1 && inner[0] >= 16)) {
            int best = dims.size() - 1;
            for (int i = 0; i < dims.size(); i++) {
                long[] d = dims.get(i);
                if (Math.abs(d[2]) <= 16 && d[0] > dims.get(best)[0]) {
                    best = i;
                }
            }
            dims.add(dims.remove(best));
        }
        int n = dims.size();
        long[] sh = new long[n];
        long[] s = new long[n];
        long[] d = new long[n];
        for (int i = 0; i < n; i++) {
            sh[i] = dims.get(i)[0];
            s[i] = dims.get(i)[1];
            d[i] = dims.get(i)[2];
        }
        src.backend().copyStrided(sh, src, srcOffset, s, dst, dstOffset, d);
    }

    // ------------------------------------------------------------------------------------- padding and cropping

    private static void checkPerAxis(String op, String what, long[] v, Tensor x) {
        if (v.length != x.rank()) {
            throw new IllegalArgumentException(op + ": " + what + " " + Arrays.toString(v) + " must have one entry "
                    + "per axis of the input " + x.getShape());
        }
        for (long p : v) {
            if (p < 0) {
                throw new IllegalArgumentException(op + ": " + what + " " + Arrays.toString(v)
                        + " must not be negative (input " + x.getShape() + ")");
            }
        }
    }

    /**
     * x with before[i] zeros in front of and after[i] zeros behind it on every axis i (tf.pad with zeros); the
     * gradient is the matching crop.
     */
    public static Tensor pad(Tensor x, long[] before, long[] after) {
        requireFloat("pad", x);
        checkPerAxis("pad", "padding before", before, x);
        checkPerAxis("pad", "padding after", after, x);
        if (Arrays.stream(before).allMatch(p -> p == 0) && Arrays.stream(after).allMatch(p -> p == 0)) {
            return x;
        }
        Tensor y = padRaw(x, before, after);
        GradientTape.record("pad", new Tensor[] {x}, y, dy -> new Tensor[] {cropRaw(dy, before, after)});
        return y;
    }

    /** x without its first begin[i] and last end[i] elements on every axis i; the gradient is the zero padding. */
    public static Tensor crop(Tensor x, long[] begin, long[] end) {
        requireFloat("crop", x);
        checkPerAxis("crop", "cropping at the start", begin, x);
        checkPerAxis("crop", "cropping at the end", end, x);
        long[] d = x.shape();
        for (int i = 0; i < d.length; i++) {
            if (d[i] - begin[i] - end[i] <= 0 && d[i] > 0) {
                throw new IllegalArgumentException("crop: cropping " + begin[i] + " + " + end[i] + " elements of axis "
                        + i + " leaves nothing of an input of shape " + x.getShape());
            }
        }
        Tensor y = cropRaw(x, begin, end);
        GradientTape.record("crop", new Tensor[] {x}, y, dy -> new Tensor[] {padRaw(dy, begin, end)});
        return y;
    }

    /** Every output element written once: the interior copied, each border slab filled by a zero-stride copy. */
    private static Tensor padRaw(Tensor x, long[] before, long[] after) {
        long[] d = x.shape();
        int rank = d.length;
        long[] nd = new long[rank];
        for (int i = 0; i < rank; i++) {
            nd[i] = Math.addExact(Math.addExact(d[i], before[i]), after[i]);
        }
        Tensor y = Tensor.empty(x.backend(), x.dtype(), nd);
        long[] ys = Broadcast.strides(nd);
        long offset = 0;
        for (int i = 0; i < rank; i++) {
            offset += before[i] * ys[i];
        }
        copy(d, x, 0, Broadcast.strides(d), y, offset, ys);
        if (y.size() > x.size()) {
            try (Tensor zero = Tensor.empty(x.backend(), DType.FLOAT32, 1)) {
                x.backend().fill(zero, 0f);
                long[] zs = new long[rank];
                // The slabs of axis i: axes before i over their interior, axis i over one border, the rest in full.
                for (int i = 0; i < rank; i++) {
                    for (int side = 0; side < 2; side++) {
                        long len = side == 0 ? before[i] : after[i];
                        if (len == 0) {
                            continue;
                        }
                        long[] shape = new long[rank];
                        long at = 0;
                        for (int j = 0; j < rank; j++) {
                            if (j < i) {
                                shape[j] = d[j];
                                at += before[j] * ys[j];
                            } else if (j == i) {
                                shape[j] = len;
                                at += (side == 0 ? 0 : before[j] + d[j]) * ys[j];
                            } else {
                                shape[j] = nd[j];
                            }
                        }
                        copy(shape, zero, 0, zs, y, at, ys);
                    }
                }
            }
        }
        return y;
    }

    private static Tensor cropRaw(Tensor x, long[] begin, long[] end) {
        long[] d = x.shape();
        long[] xs = Broadcast.strides(d);
        long[] nd = new long[d.length];
        long offset = 0;
        for (int i = 0; i < d.length; i++) {
            nd[i] = Math.max(d[i] - begin[i] - end[i], 0);
            offset += begin[i] * xs[i];
        }
        Tensor y = Tensor.empty(x.backend(), x.dtype(), nd);
        copy(nd, x, offset, xs, y, 0, Broadcast.strides(nd));
        return y;
    }

    // --------------------------------------------------------------------------------------------- repetition

    /**
     * Each element repeated repeats[i] times along axis i, next to itself (Keras's repeat_elements on several
     * axes at once; nearest-neighbour up-sampling by integer factors): one strided copy with zero strides; the
     * gradient sums each block of repeats.
     */
    public static Tensor repeatElements(Tensor x, long[] repeats) {
        requireFloat("repeat_elements", x);
        long[] d = x.shape();
        if (repeats.length != d.length) {
            throw new IllegalArgumentException("repeat_elements: repeats " + Arrays.toString(repeats)
                    + " must have one entry per axis of the input " + x.getShape());
        }
        long[] nd = new long[d.length];
        boolean none = true;
        for (int i = 0; i < d.length; i++) {
            if (repeats[i] < 1) {
                throw new IllegalArgumentException("repeat_elements: repeats " + Arrays.toString(repeats)
                        + " must be positive (input " + x.getShape() + ")");
            }
            nd[i] = Math.multiplyExact(d[i], repeats[i]);
            none &= repeats[i] == 1;
        }
        if (none) {
            return x;
        }
        // The output viewed as (..., d_i, r_i, ...), the source read with stride 0 along each r_i.
        int n = d.length;
        long[] view = new long[2 * n];
        long[] src = new long[2 * n];
        long[] xs = Broadcast.strides(d);
        List<Integer> repeated = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            view[2 * i] = d[i];
            view[2 * i + 1] = repeats[i];
            src[2 * i] = xs[i];
            if (repeats[i] > 1) {
                repeated.add(2 * i + 1);
            }
        }
        int[] sumAxes = repeated.stream().mapToInt(Integer::intValue).toArray();
        Tensor y = Tensor.emptyLike(x, nd);
        copy(view, x, 0, src, y, 0, Broadcast.strides(view));
        GradientTape.record("repeat_elements", new Tensor[] {x}, y,
                dy -> new Tensor[] {Ops.sum(dy.reshapeView(view), sumAxes, false).reshapeView(d)});
        return y;
    }
}
