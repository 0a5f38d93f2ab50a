package io.jkeras.ops;

import io.jkeras.backend.Backend;
import io.jkeras.backend.BinaryOp;
import io.jkeras.backend.ReduceOp;
import io.jkeras.backend.UnaryOp;
import io.jkeras.tensor.DType;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The differentiable operations: the single place of math semantics. Each checks its arguments, allocates its
 * output on its inputs' backend, runs the backend primitive and records its gradient on the open tapes.
 * Axes may be negative (counted from the end), as in Keras.
 */
public final class Ops {
    private Ops() {
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static Tensor newLike(Tensor like, long... shape) {
        return Tensor.emptyLike(like, shape);
    }

    private static void requireFloat(String op, Tensor t) {
        if (t.isClosed()) {
            throw new IllegalStateException(op + ": use of a closed tensor of shape " + t.getShape());
        }
        if (t.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException(op + ": expected a float32 tensor, got " + t);
        }
    }

    private static void requireSameBackend(String op, Tensor a, Tensor b) {
        if (a.backend() != b.backend()) {
            throw new IllegalArgumentException(op + ": tensors on different devices: " + a.device() + " and "
                    + b.device());
        }
    }

    private static void record(String op, Tensor[] inputs, Tensor out, GradientTape.Backward backward) {
        GradientTape.record(op, inputs, out, backward);
    }

    private static int axis(String op, int axis, Tensor x) {
        int rank = x.rank();
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new IllegalArgumentException(op + ": axis " + axis + " is out of range for an input of shape "
                    + x.getShape());
        }
        return a;
    }

    private static long prod(long[] d, int from, int to) {
        long p = 1;
        for (int i = from; i < to; i++) {
            p *= d[i];
        }
        return p;
    }

    // --------------------------------------------------------------------------------------- creation and copies

    public static Tensor onesLike(Tensor x) {
        return fullLike(x, 1f);
    }

    public static Tensor zerosLike(Tensor x) {
        return fullLike(x, 0f);
    }

    public static Tensor fullLike(Tensor x, float value) {
        Tensor t = newLike(x, x.shape());
        t.backend().fill(t, value);
        return t;
    }

    /** A new tensor with x's values, not connected to the tape. */
    public static Tensor copy(Tensor x) {
        Tensor t = Tensor.empty(x.backend(), x.dtype(), x.shape());
        x.backend().copy(x, t);
        return t;
    }

    /** x itself as far as values go, but gradients do not flow through it. */
    public static Tensor stopGradient(Tensor x) {
        return x.reshapeView(x.shape());
    }

    /** int32 to float32 (float32 input is returned as is). */
    public static Tensor toFloat(Tensor x) {
        if (x.dtype() == DType.FLOAT32) {
            return x;
        }
        Tensor t = newLike(x, x.shape());
        x.backend().intToFloat(x, t);
        return t;
    }

    // -------------------------------------------------------------------------------------------- elementwise

    /** y = f(x) for a backend element function; its derivative comes from the same function table. */
    public static Tensor unary(UnaryOp op, Tensor x, float a, float b, float c) {
        requireFloat(op.name().toLowerCase(), x);
        Tensor y = newLike(x, x.shape());
        x.backend().unary(op, a, b, c, x, y);
        record(op.name(), new Tensor[] {x}, y, dy -> {
            Tensor dx = newLike(x, x.shape());
            x.backend().unaryBackward(op, a, b, c, x, y, dy, dx);
            return new Tensor[] {dx};
        });
        return y;
    }

    public static Tensor neg(Tensor x) {
        return unary(UnaryOp.NEG, x, 0, 0, 0);
    }

    public static Tensor exp(Tensor x) {
        return unary(UnaryOp.EXP, x, 0, 0, 0);
    }

    public static Tensor log(Tensor x) {
        return unary(UnaryOp.LOG, x, 0, 0, 0);
    }

    public static Tensor sqrt(Tensor x) {
        return unary(UnaryOp.SQRT, x, 0, 0, 0);
    }

    public static Tensor square(Tensor x) {
        return unary(UnaryOp.SQUARE, x, 0, 0, 0);
    }

    public static Tensor abs(Tensor x) {
        return unary(UnaryOp.ABS, x, 0, 0, 0);
    }

    public static Tensor reciprocal(Tensor x) {
        return unary(UnaryOp.RECIPROCAL, x, 0, 0, 0);
    }

    public static Tensor sign(Tensor x) {
        return unary(UnaryOp.SIGN, x, 0, 0, 0);
    }

    public static Tensor pow(Tensor x, float exponent) {
        return unary(UnaryOp.POW, x, exponent, 0, 0);
    }

    /** scale * x + shift. */
    public static Tensor affine(Tensor x, float scale, float shift) {
        return unary(UnaryOp.AFFINE, x, scale, shift, 0);
    }

    public static Tensor mul(Tensor x, float s) {
        return affine(x, s, 0f);
    }

    public static Tensor add(Tensor x, float s) {
        return affine(x, 1f, s);
    }

    public static Tensor clip(Tensor x, float min, float max) {
        if (min > max) {
            throw new IllegalArgumentException("clip: min " + min + " > max " + max);
        }
        return unary(UnaryOp.CLIP, x, min, max, 0);
    }

    /** 1 where x >= threshold, else 0; no gradient. */
    public static Tensor step(Tensor x, float threshold) {
        return unary(UnaryOp.STEP, x, threshold, 0, 0);
    }

    // --------------------------------------------------------------------------------------------- activations

    /**
     * Keras 2's relu: {@code alpha} is the slope below the threshold, {@code maxValue} (null: none) caps the
     * output, values at or below {@code threshold} are not passed.
     */
    public static Tensor relu(Tensor x, float alpha, Float maxValue, float threshold) {
        return unary(UnaryOp.RELU, x, alpha, maxValue == null ? Float.NaN : maxValue, threshold);
    }

    public static Tensor relu(Tensor x) {
        return relu(x, 0f, null, 0f);
    }

    public static Tensor elu(Tensor x, float alpha) {
        return unary(UnaryOp.ELU, x, alpha, 0, 0);
    }

    public static Tensor selu(Tensor x) {
        return unary(UnaryOp.SELU, x, 0, 0, 0);
    }

    public static Tensor softplus(Tensor x) {
        return unary(UnaryOp.SOFTPLUS, x, 0, 0, 0);
    }

    public static Tensor softsign(Tensor x) {
        return unary(UnaryOp.SOFTSIGN, x, 0, 0, 0);
    }

    public static Tensor tanh(Tensor x) {
        return unary(UnaryOp.TANH, x, 0, 0, 0);
    }

    public static Tensor sigmoid(Tensor x) {
        return unary(UnaryOp.SIGMOID, x, 0, 0, 0);
    }

    /** Keras 2: clip(0.2 x + 0.5, 0, 1). */
    public static Tensor hardSigmoid(Tensor x) {
        return unary(UnaryOp.HARD_SIGMOID, x, 0, 0, 0);
    }

    public static Tensor exponential(Tensor x) {
        return exp(x);
    }

    public static Tensor linear(Tensor x) {
        return x;
    }

    /** x where x > theta, else 0. */
    public static Tensor thresholdedRelu(Tensor x, float theta) {
        return unary(UnaryOp.THRESHOLDED_RELU, x, theta, 0, 0);
    }

    public static Tensor softmax(Tensor x, int axis) {
        requireFloat("softmax", x);
        long[] d = x.shape();
        if (d.length == 0) {
            throw new IllegalArgumentException("softmax: needs a tensor of rank >= 1, got a scalar");
        }
        int a = axis("softmax", axis, x);
        long outer = prod(d, 0, a), n = d[a], inner = prod(d, a + 1, d.length);
        Tensor y = newLike(x, d);
        x.backend().softmax(x, y, outer, n, inner);
        record("softmax", new Tensor[] {x}, y, dy -> {
            Tensor dx = newLike(x, d);
            x.backend().softmaxBackward(y, dy, dx, outer, n, inner);
            return new Tensor[] {dx};
        });
        return y;
    }

    // ---------------------------------------------------------------------------------------- binary, broadcast

    private static Tensor binary(String name, BinaryOp op, Tensor a, Tensor b) {
        requireFloat(name, a);
        requireFloat(name, b);
        requireSameBackend(name, a, b);
        long[] shape = Broadcast.shape(name, a.shape(), b.shape());
        Tensor out = newLike(a, shape);
        a.backend().binary(op, shape, a, Broadcast.stridesFor(a.shape(), shape), b,
                Broadcast.stridesFor(b.shape(), shape), out);
        return out;
    }

    public static Tensor add(Tensor a, Tensor b) {
        Tensor y = binary("add", BinaryOp.ADD, a, b);
        record("add", new Tensor[] {a, b}, y, dy -> new Tensor[] {sumTo(dy, a.shape()), sumTo(dy, b.shape())});
        return y;
    }

    public static Tensor sub(Tensor a, Tensor b) {
        Tensor y = binary("subtract", BinaryOp.SUB, a, b);
        record("subtract", new Tensor[] {a, b}, y,
                dy -> new Tensor[] {sumTo(dy, a.shape()), sumTo(neg(dy), b.shape())});
        return y;
    }

    public static Tensor mul(Tensor a, Tensor b) {
        Tensor y = binary("multiply", BinaryOp.MUL, a, b);
        record("multiply", new Tensor[] {a, b}, y,
                dy -> new Tensor[] {sumTo(mul(dy, b), a.shape()), sumTo(mul(dy, a), b.shape())});
        return y;
    }

    public static Tensor div(Tensor a, Tensor b) {
        Tensor y = binary("divide", BinaryOp.DIV, a, b);
        record("divide", new Tensor[] {a, b}, y, dy -> new Tensor[] {
            sumTo(div(dy, b), a.shape()),
            sumTo(neg(div(mul(dy, y), b)), b.shape())});
        return y;
    }

    public static Tensor maximum(Tensor a, Tensor b) {
        Tensor y = binary("maximum", BinaryOp.MAXIMUM, a, b);
        record("maximum", new Tensor[] {a, b}, y, dy -> {
            Tensor aWins = binary("maximum", BinaryOp.GREATER_EQUAL, a, b);
            return new Tensor[] {sumTo(mul(dy, aWins), a.shape()), sumTo(mul(dy, affine(aWins, -1f, 1f)), b.shape())};
        });
        return y;
    }

    public static Tensor minimum(Tensor a, Tensor b) {
        Tensor y = binary("minimum", BinaryOp.MINIMUM, a, b);
        record("minimum", new Tensor[] {a, b}, y, dy -> {
            Tensor aWins = binary("minimum", BinaryOp.GREATER_EQUAL, b, a);
            return new Tensor[] {sumTo(mul(dy, aWins), a.shape()), sumTo(mul(dy, affine(aWins, -1f, 1f)), b.shape())};
        });
        return y;
    }

    /** 1 where a == b (broadcast), else 0; no gradient. */
    public static Tensor equal(Tensor a, Tensor b) {
        return binary("equal", BinaryOp.EQUAL, a, b);
    }

    /** 1 where a >= b (broadcast), else 0; no gradient. */
    public static Tensor greaterEqual(Tensor a, Tensor b) {
        return binary("greater_equal", BinaryOp.GREATER_EQUAL, a, b);
    }

    /** Adds bias (shape (C,)) along the last axis of x. */
    public static Tensor biasAdd(Tensor x, Tensor bias) {
        if (bias.rank() != 1 || x.rank() < 1 || bias.dim(0) != x.dim(-1)) {
            throw new IllegalArgumentException("bias_add: bias of shape " + bias.getShape()
                    + " does not match the last axis of an input of shape " + x.getShape());
        }
        return add(x, bias);
    }

    // --------------------------------------------------------------------------------------------- reductions

    /** Normalised, sorted, distinct axes; null means all. */
    private static int[] axes(String op, int[] axes, Tensor x) {
        int rank = x.rank();
        if (axes == null) {
            int[] all = new int[rank];
            for (int i = 0; i < rank; i++) {
                all[i] = i;
            }
            return all;
        }
        int[] a = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            a[i] = axis(op, axes[i], x);
        }
        Arrays.sort(a);
        for (int i = 1; i < a.length; i++) {
            if (a[i] == a[i - 1]) {
                throw new IllegalArgumentException(op + ": axis " + a[i] + " given twice");
            }
        }
        return a;
    }

    private static long[] keptShape(long[] d, int[] axes) {
        long[] k = d.clone();
        for (int a : axes) {
            k[a] = 1;
        }
        return k;
    }

    private static long[] droppedShape(long[] d, int[] axes) {
        long[] out = new long[d.length - axes.length];
        int j = 0;
        outer:
        for (int i = 0; i < d.length; i++) {
            for (int a : axes) {
                if (a == i) {
                    continue outer;
                }
            }
            out[j++] = d[i];
        }
        return out;
    }

    /** Reduces over sorted axes, one contiguous run of axes per backend call; the result keeps dims. */
    private static Tensor reduceRaw(ReduceOp op, Tensor x, int[] axes) {
        long[] d = x.shape();
        Tensor cur = x;
        int i = axes.length - 1;
        while (i >= 0) {
            int hi = axes[i];
            int lo = hi;
            while (i > 0 && axes[i - 1] == lo - 1) {
                lo = axes[--i];
            }
            i--;
            long outer = prod(d, 0, lo), n = prod(d, lo, hi + 1), inner = prod(d, hi + 1, d.length);
            long[] nd = d.clone();
            for (int k = lo; k <= hi; k++) {
                nd[k] = 1;
            }
            Tensor next = newLike(x, nd);
            x.backend().reduce(op, cur, next, outer, n, inner);
            cur = next;
            d = nd;
        }
        return cur == x ? copy(x) : cur;
    }

    public static Tensor sum(Tensor x, int[] axes, boolean keepdims) {
        return reduce("sum", ReduceOp.SUM, x, axes, keepdims);
    }

    public static Tensor mean(Tensor x, int[] axes, boolean keepdims) {
        return reduce("mean", ReduceOp.MEAN, x, axes, keepdims);
    }

    public static Tensor max(Tensor x, int[] axes, boolean keepdims) {
        return reduce("max", ReduceOp.MAX, x, axes, keepdims);
    }

    public static Tensor min(Tensor x, int[] axes, boolean keepdims) {
        return reduce("min", ReduceOp.MIN, x, axes, keepdims);
    }

    /** Sum of every element, as a scalar. */
    public static Tensor sum(Tensor x) {
        return sum(x, null, false);
    }

    public static Tensor mean(Tensor x) {
        return mean(x, null, false);
    }

    private static Tensor reduce(String name, ReduceOp op, Tensor x, int[] axesArg, boolean keepdims) {
        requireFloat(name, x);
        long[] d = x.shape();
        int[] axes = axes(name, axesArg, x);
        for (int a : axes) {
            if (d[a] == 0 && (op == ReduceOp.MAX || op == ReduceOp.MIN)) {
                throw new IllegalArgumentException(name + ": cannot reduce an empty axis " + a + " of " + x.getShape());
            }
        }
        long[] kept = keptShape(d, axes);
        Tensor r = reduceRaw(op, x, axes);
        Tensor y = keepdims ? r : r.reshapeView(droppedShape(d, axes));
        record(name, new Tensor[] {x}, y, dy -> {
            Tensor g = broadcastTo(dy.reshapeView(kept), d);
            switch (op) {
                case SUM -> {
                    return new Tensor[] {g};
                }
                case MEAN -> {
                    long n = 1;
                    for (int a : axes) {
                        n *= d[a];
                    }
                    return new Tensor[] {mul(g, 1f / n)};
                }
                default -> {
                    // As TensorFlow: the gradient is shared equally among the elements equal to the extremum.
                    Tensor hit = equal(x, r);
                    Tensor count = reduceRaw(ReduceOp.SUM, hit, axes);
                    return new Tensor[] {mul(g, div(hit, count))};
                }
            }
        });
        return y;
    }

    /** Sums x over the dimensions it was broadcast along, back to shape. */
    public static Tensor sumTo(Tensor x, long[] shape) {
        long[] d = x.shape();
        if (Arrays.equals(d, shape)) {
            return x;
        }
        int lead = d.length - shape.length;
        List<Integer> axes = new ArrayList<>();
        for (int i = 0; i < d.length; i++) {
            if (i < lead || shape[i - lead] == 1 && d[i] != 1) {
                axes.add(i);
            }
        }
        Tensor s = sum(x, axes.stream().mapToInt(Integer::intValue).toArray(), true);
        return reshape(s, shape);
    }

    /** x repeated along its size-1 (or missing leading) dimensions to shape. */
    public static Tensor broadcastTo(Tensor x, long[] shape) {
        long[] d = x.shape();
        if (Arrays.equals(d, shape)) {
            return x;
        }
        long[] check = Broadcast.shape("broadcast_to", d, shape);
        if (!Arrays.equals(check, shape)) {
            throw new IllegalArgumentException("broadcast_to: cannot broadcast " + x.getShape() + " to "
                    + Shape.of(shape));
        }
        Tensor y = Tensor.empty(x.backend(), x.dtype(), shape);
        x.backend().copyStrided(shape, x, 0, Broadcast.stridesFor(d, shape), y, 0, Broadcast.strides(shape));
        record("broadcast_to", new Tensor[] {x}, y, dy -> new Tensor[] {sumTo(dy, d)});
        return y;
    }

    // ---------------------------------------------------------------------------------------------- matmul

    /**
     * Matrix product over the last two axes, batched over the leading ones (a rank-2 operand is shared by every
     * batch item; otherwise batch dimensions must match or be 1).
     */
    public static Tensor matmul(Tensor a, Tensor b, boolean transposeA, boolean transposeB) {
        requireFloat("matmul", a);
        requireFloat("matmul", b);
        requireSameBackend("matmul", a, b);
        if (a.rank() < 2 || b.rank() < 2) {
            throw new IllegalArgumentException("matmul: operands need rank >= 2, got " + a.getShape() + " and "
                    + b.getShape());
        }
        long[] da = a.shape(), db = b.shape();
        long m = transposeA ? da[da.length - 1] : da[da.length - 2];
        long ka = transposeA ? da[da.length - 2] : da[da.length - 1];
        long kb = transposeB ? db[db.length - 1] : db[db.length - 2];
        long n = transposeB ? db[db.length - 2] : db[db.length - 1];
        if (ka != kb) {
            throw new IllegalArgumentException("matmul: inner dimensions differ: " + a.getShape()
                    + (transposeA ? "^T" : "") + " @ " + b.getShape() + (transposeB ? "^T" : "") + " (" + ka
                    + " vs " + kb + ")");
        }
        long[] batchA = Arrays.copyOf(da, da.length - 2), batchB = Arrays.copyOf(db, db.length - 2);
        long[] batch = Broadcast.shape("matmul", batchA, batchB);
        long[] outShape = Arrays.copyOf(batch, batch.length + 2);
        outShape[batch.length] = m;
        outShape[batch.length + 1] = n;
        if (b.rank() == 2 && !transposeA && a.rank() > 2) {
            // A shared right operand: fold the batch into the rows, one large product.
            Tensor flat = reshape(a, prod(da, 0, da.length - 1), ka);
            return reshape(matmul3(reshape(flat, 1, flat.dim(0), ka), reshape(b, 1, db[0], db[1]), false,
                    transposeB), outShape);
        }
        Tensor a3 = asBatch3(a, batchA, batch);
        Tensor b3 = asBatch3(b, batchB, batch);
        return reshape(matmul3(a3, b3, transposeA, transposeB), outShape);
    }

    public static Tensor matmul(Tensor a, Tensor b) {
        return matmul(a, b, false, false);
    }

    /**
     * x as (B, rows, cols): B = 1 when x is one matrix shared by every batch item, else the full batch (x is
     * materialised only where its batch dimensions are broadcast).
     */
    private static Tensor asBatch3(Tensor x, long[] own, long[] batch) {
        long[] d = x.shape();
        long rows = d[d.length - 2], cols = d[d.length - 1];
        if (prod(own, 0, own.length) == 1) {
            return reshape(x, 1, rows, cols);
        }
        Tensor full = x;
        if (!Arrays.equals(own, batch)) {
            long[] target = Arrays.copyOf(batch, batch.length + 2);
            target[batch.length] = rows;
            target[batch.length + 1] = cols;
            full = broadcastTo(x, target);
        }
        return reshape(full, prod(batch, 0, batch.length), rows, cols);
    }

    /** (Ba, ., .) @ (Bb, ., .) with Ba == Bb or either 1. */
    private static Tensor matmul3(Tensor a, Tensor b, boolean ta, boolean tb) {
        long ba = a.dim(0), bb = b.dim(0);
        long m = ta ? a.dim(2) : a.dim(1), k = ta ? a.dim(1) : a.dim(2), n = tb ? b.dim(1) : b.dim(2);
        long batch = Math.max(ba, bb);
        Tensor c = newLike(a, batch, m, n);
        a.backend().gemm(ta, tb, batch, m, n, k, 1f, a, ba == 1 ? 0 : m * k, b, bb == 1 ? 0 : k * n, 0f, c, m * n);
        record("matmul", new Tensor[] {a, b}, c, dc -> {
            Tensor ga = !ta ? matmul3(dc, b, false, !tb) : matmul3(b, dc, tb, true);
            Tensor gb = !tb ? matmul3(a, dc, !ta, false) : matmul3(dc, a, true, ta);
            return new Tensor[] {sumTo(ga, a.shape()), sumTo(gb, b.shape())};
        });
        return c;
    }

    // ------------------------------------------------------------------------------------------------ shapes

    /** x with a new shape of the same size; one dimension may be -1 (inferred). */
    public static Tensor reshape(Tensor x, long... shape) {
        long[] target = inferShape("reshape", x.getShape(), shape);
        long[] d = x.shape();
        if (Arrays.equals(d, target)) {
            return x;
        }
        Tensor y = x.reshapeView(target);
        record("reshape", new Tensor[] {x}, y, dy -> new Tensor[] {dy.reshapeView(d)});
        return y;
    }

    /** Resolves one -1 in shape against the size of from; errors as Keras's Reshape words them. */
    public static long[] inferShape(String op, Shape from, long[] shape) {
        long known = 1;
        int unknown = -1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == -1) {
                if (unknown >= 0) {
                    throw new IllegalArgumentException(op + ": can only specify one unknown dimension, got "
                            + Arrays.toString(shape) + " for an input of shape " + from);
                }
                unknown = i;
            } else if (shape[i] < 0) {
                throw new IllegalArgumentException(op + ": invalid dimension " + shape[i] + " in "
                        + Arrays.toString(shape));
            } else {
                known *= shape[i];
            }
        }
        long total = from.size();
        long[] out = shape.clone();
        if (unknown >= 0) {
            if (known == 0 || total % known != 0) {
                throw new IllegalArgumentException(op + ": total size of new array must be unchanged: cannot reshape "
                        + from + " to " + Arrays.toString(shape));
            }
            out[unknown] = total / known;
        } else if (known != total) {
            throw new IllegalArgumentException(op + ": total size of new array must be unchanged: cannot reshape "
                    + from + " (" + total + " elements) to " + Arrays.toString(shape) + " (" + known + " elements)");
        }
        return out;
    }

    public static Tensor expandDims(Tensor x, int axis) {
        int a = axis < 0 ? axis + x.rank() + 1 : axis;
        if (a < 0 || a > x.rank()) {
            throw new IllegalArgumentException("expand_dims: axis " + axis + " out of range for rank " + x.rank());
        }
        long[] d = x.shape();
        long[] nd = new long[d.length + 1];
        System.arraycopy(d, 0, nd, 0, a);
        nd[a] = 1;
        System.arraycopy(d, a, nd, a + 1, d.length - a);
        return reshape(x, nd);
    }

    /** Permutes the axes: output axis i is input axis perm[i]. */
    public static Tensor transpose(Tensor x, int... perm) {
        long[] d = x.shape();
        if (perm.length != d.length) {
            throw new IllegalArgumentException("transpose: permutation " + Arrays.toString(perm)
                    + " does not match rank " + d.length + " of a tensor of shape " + x.getShape());
        }
        boolean[] seen = new boolean[d.length];
        boolean identity = true;
        for (int i = 0; i < perm.length; i++) {
            int p = perm[i];
            if (p < 0 || p >= d.length || seen[p]) {
                throw new IllegalArgumentException("transpose: " + Arrays.toString(perm) + " is not a permutation of 0.."
                        + (d.length - 1) + " for a tensor of shape " + x.getShape());
            }
            seen[p] = true;
            identity &= p == i;
        }
        if (identity) {
            return x;
        }
        long[] in = Broadcast.strides(d);
        long[] nd = new long[d.length], srcStrides = new long[d.length];
        for (int i = 0; i < d.length; i++) {
            nd[i] = d[perm[i]];
            srcStrides[i] = in[perm[i]];
        }
        Tensor y = Tensor.empty(x.backend(), x.dtype(), nd);
        x.backend().copyStrided(nd, x, 0, srcStrides, y, 0, Broadcast.strides(nd));
        int[] inverse = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            inverse[perm[i]] = i;
        }
        record("transpose", new Tensor[] {x}, y, dy -> new Tensor[] {transpose(dy, inverse)});
        return y;
    }

    /** The block of x starting at begin with the given size (-1: to the end of the axis). */
    public static Tensor slice(Tensor x, long[] begin, long[] size) {
        long[] d = x.shape();
        if (begin.length != d.length || size.length != d.length) {
            throw new IllegalArgumentException("slice: begin " + Arrays.toString(begin) + " and size "
                    + Arrays.toString(size) + " must both have rank " + d.length);
        }
        long[] nd = new long[d.length];
        long offset = 0;
        long[] strides = Broadcast.strides(d);
        for (int i = 0; i < d.length; i++) {
            nd[i] = size[i] == -1 ? d[i] - begin[i] : size[i];
            if (begin[i] < 0 || nd[i] < 0 || begin[i] + nd[i] > d[i]) {
                throw new IllegalArgumentException("slice: begin " + Arrays.toString(begin) + " size "
                        + Arrays.toString(size) + " is outside a tensor of shape " + x.getShape());
            }
            offset += begin[i] * strides[i];
        }
        Tensor y = Tensor.empty(x.backend(), x.dtype(), nd);
        x.backend().copyStrided(nd, x, offset, strides, y, 0, Broadcast.strides(nd));
        long off = offset;
        record("slice", new Tensor[] {x}, y, dy -> {
            Tensor dx = zerosLike(x);
            x.backend().copyStrided(nd, dy, 0, Broadcast.strides(nd), dx, off, strides);
            return new Tensor[] {dx};
        });
        return y;
    }

    /** Joins tensors along an existing axis; the other dimensions must agree. */
    public static Tensor concat(List<Tensor> xs, int axis) {
        if (xs.isEmpty()) {
            throw new IllegalArgumentException("concat: no tensors");
        }
        Tensor first = xs.get(0);
        int rank = first.rank();
        int a = axis("concat", axis, first);
        long[] nd = first.shape();
        nd[a] = 0;
        for (Tensor t : xs) {
            long[] d = t.shape();
            requireSameBackend("concat", first, t);
            if (d.length != rank) {
                throw new IllegalArgumentException("concat: ranks differ: " + first.getShape() + " and " + t.getShape());
            }
            for (int i = 0; i < rank; i++) {
                if (i != a && d[i] != first.dim(i)) {
                    throw new IllegalArgumentException("concat on axis " + axis + ": shapes " + first.getShape()
                            + " and " + t.getShape() + " differ on axis " + i);
                }
            }
            nd[a] += d[a];
        }
        Tensor y = Tensor.empty(first.backend(), first.dtype(), nd);
        long[] outStrides = Broadcast.strides(nd);
        long[] offsets = new long[xs.size()];
        long at = 0;
        for (int i = 0; i < xs.size(); i++) {
            Tensor t = xs.get(i);
            offsets[i] = at * outStrides[a];
            first.backend().copyStrided(t.shape(), t, 0, Broadcast.strides(t.shape()), y, offsets[i], outStrides);
            at += t.dim(a);
        }
        record("concat", xs.toArray(new Tensor[0]), y, dy -> {
            Tensor[] g = new Tensor[xs.size()];
            long[] begin = new long[rank];
            for (int i = 0; i < xs.size(); i++) {
                g[i] = slice(dy, begin.clone(), xs.get(i).shape());
                begin[a] += xs.get(i).dim(a);
            }
            return g;
        });
        return y;
    }

    /** Joins tensors of one shape along a new axis. */
    public static Tensor stack(List<Tensor> xs, int axis) {
        if (xs.isEmpty()) {
            throw new IllegalArgumentException("stack: no tensors");
        }
        long[] d0 = xs.get(0).shape();
        List<Tensor> expanded = new ArrayList<>();
        for (Tensor t : xs) {
            if (!Arrays.equals(t.shape(), d0)) {
                throw new IllegalArgumentException("stack: shapes differ: " + Shape.of(d0) + " and " + t.getShape());
            }
            expanded.add(expandDims(t, axis));
        }
        return concat(expanded, axis < 0 ? axis + d0.length + 1 : axis);
    }

    // ---------------------------------------------------------------------------------------------- random

    public static Tensor randomUniform(long[] shape, float low, float high, RandomStream rng) {
        Tensor t = Tensor.empty(DType.FLOAT32, shape);
        t.backend().randomUniform(t, rng.seed(), rng.take(t.size()), low, high);
        return t;
    }

    public static Tensor randomNormal(long[] shape, float mean, float stddev, RandomStream rng) {
        Tensor t = Tensor.empty(DType.FLOAT32, shape);
        t.backend().randomNormal(t, rng.seed(), rng.take(t.size()), mean, stddev);
        return t;
    }

    /** Normal draws redrawn until within two standard deviations of the mean. */
    public static Tensor truncatedNormal(long[] shape, float mean, float stddev, RandomStream rng) {
        Tensor t = Tensor.empty(DType.FLOAT32, shape);
        t.backend().randomTruncatedNormal(t, rng.seed(), rng.take(t.size()), mean, stddev);
        return t;
    }

    /**
     * Inverted dropout: each element (or each block of {@code noiseShape}, broadcast against x; null for x's
     * shape) is zeroed with probability rate and the rest scaled by 1 / (1 - rate).
     */
    public static Tensor dropout(Tensor x, float rate, long[] noiseShape, RandomStream rng) {
        if (!(rate >= 0f && rate < 1f)) {
            throw new IllegalArgumentException("dropout: rate must be in [0, 1), got " + rate);
        }
        if (rate == 0f) {
            return x;
        }
        long[] ns = noiseShape == null ? x.shape() : noiseShape;
        Broadcast.shape("dropout noise_shape", ns, x.shape());
        Tensor u = Tensor.empty(x.backend(), DType.FLOAT32, ns);
        x.backend().randomUniform(u, rng.seed(), rng.take(u.size()), 0f, 1f);
        Tensor keep = affine(step(u, rate), 1f / (1f - rate), 0f);
        return mul(x, keep);
    }

    // ------------------------------------------------------------------------------------------ integer helpers

    /** One-hot float32 encoding of int32 ids: shape ids.shape + (depth,). */
    public static Tensor oneHot(Tensor ids, long depth) {
        if (ids.dtype() != DType.INT32) {
            throw new IllegalArgumentException("one_hot: ids must be int32, got " + ids);
        }
        long[] d = ids.shape();
        long[] nd = Arrays.copyOf(d, d.length + 1);
        nd[d.length] = depth;
        Tensor out = Tensor.empty(ids.backend(), DType.FLOAT32, nd);
        ids.backend().oneHot(ids, out, depth);
        return out;
    }

    /** Index of the largest value along the last axis, int32. */
    public static Tensor argmax(Tensor x) {
        long[] d = x.shape();
        long n = d[d.length - 1];
        Tensor out = Tensor.empty(x.backend(), DType.INT32, Arrays.copyOf(d, d.length - 1));
        x.backend().argmax(x, out, x.size() / Math.max(n, 1), n);
        return out;
    }
}
