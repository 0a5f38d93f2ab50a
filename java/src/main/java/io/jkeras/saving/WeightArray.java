package io.jkeras.saving;

import io.jkeras.tensor.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * A weight value on the Java heap while a file is read or written: float32 data in row-major order and its shape.
 * The layout conversions of old files (transposes, concatenations, kernel flips) work on these, once per load.
 */
final class WeightArray {
    final float[] data;
    final long[] shape;
    /** Where it came from (a dataset path or a manifest name), for messages. */
    final String name;

    WeightArray(String name, float[] data, long[] shape) {
        long n = size(shape);
        if (n != data.length) {
            throw new IllegalArgumentException("weight " + name + ": " + data.length + " values do not fill shape "
                    + Arrays.toString(shape));
        }
        this.name = name;
        this.data = data;
        this.shape = shape.clone();
    }

    static long size(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    static WeightArray of(String name, Tensor t) {
        return new WeightArray(name, t.toFloatArray(), t.shape());
    }

    Tensor toTensor() {
        return Tensor.of(data, shape);
    }

    int rank() {
        return shape.length;
    }

    String shapeString() {
        return shapeString(shape);
    }

    static String shapeString(long[] shape) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            b.append(i > 0 ? ", " : "").append(shape[i]);
        }
        return b.append(shape.length == 1 ? ",)" : ")").toString();
    }

    WeightArray reshape(long... newShape) {
        return new WeightArray(name, data, newShape);
    }

    /** numpy.transpose(a, perm). */
    WeightArray transpose(int... perm) {
        int r = rank();
        if (perm.length != r) {
            throw new IllegalArgumentException("weight " + name + ": transpose " + Arrays.toString(perm)
                    + " of a rank-" + r + " array");
        }
        long[] outShape = new long[r];
        for (int i = 0; i < r; i++) {
            outShape[i] = shape[perm[i]];
        }
        long[] inStrides = strides(shape);
        float[] out = new float[data.length];
        long[] idx = new long[r];
        for (int o = 0; o < out.length; o++) {
            long src = 0;
            for (int i = 0; i < r; i++) {
                src += idx[i] * inStrides[perm[i]];
            }
            out[o] = data[(int) src];
            for (int i = r - 1; i >= 0; i--) {
                if (++idx[i] < outShape[i]) {
                    break;
                }
                idx[i] = 0;
            }
        }
        return new WeightArray(name, out, outShape);
    }

    /** Reverses every axis but the last two: Keras's conv_utils.convert_kernel (Theano's flipped filters). */
    WeightArray flipSpatial() {
        int r = rank();
        if (r < 3) {
            return this;
        }
        long[] st = strides(shape);
        float[] out = new float[data.length];
        long[] idx = new long[r];
        for (int o = 0; o < out.length; o++) {
            long src = 0;
            for (int i = 0; i < r; i++) {
                long j = i < r - 2 ? shape[i] - 1 - idx[i] : idx[i];
                src += j * st[i];
            }
            out[o] = data[(int) src];
            for (int i = r - 1; i >= 0; i--) {
                if (++idx[i] < shape[i]) {
                    break;
                }
                idx[i] = 0;
            }
        }
        return new WeightArray(name, out, shape);
    }

    /** numpy.concatenate(parts, axis=-1); every part has the same leading dimensions. */
    static WeightArray concatLast(String name, List<WeightArray> parts) {
        WeightArray first = parts.get(0);
        int r = first.rank();
        long rows = 1;
        for (int i = 0; i < r - 1; i++) {
            rows *= first.shape[i];
        }
        long total = 0;
        for (WeightArray p : parts) {
            if (p.rank() != r || !Arrays.equals(Arrays.copyOf(p.shape, r - 1), Arrays.copyOf(first.shape, r - 1))) {
                throw new IllegalArgumentException("weight " + name + ": cannot concatenate shapes "
                        + first.shapeString() + " and " + p.shapeString());
            }
            total += p.shape[r - 1];
        }
        float[] out = new float[Math.toIntExact(rows * total)];
        long offset = 0;
        for (WeightArray p : parts) {
            int cols = (int) p.shape[r - 1];
            for (int row = 0; row < rows; row++) {
                System.arraycopy(p.data, row * cols, out, (int) (row * total + offset), cols);
            }
            offset += cols;
        }
        long[] s = first.shape.clone();
        s[r - 1] = total;
        return new WeightArray(name, out, s);
    }

    /** The k-th of n equal pieces along the last axis. */
    WeightArray splitLast(int n, int k) {
        int r = rank();
        long cols = shape[r - 1];
        if (cols % n != 0) {
            throw new IllegalArgumentException("weight " + name + ": last axis " + cols + " does not split in " + n);
        }
        long part = cols / n;
        long rows = data.length / Math.max(1, cols);
        float[] out = new float[(int) (rows * part)];
        for (int row = 0; row < rows; row++) {
            System.arraycopy(data, (int) (row * cols + k * part), out, (int) (row * part), (int) part);
        }
        long[] s = shape.clone();
        s[r - 1] = part;
        return new WeightArray(name, out, s);
    }

    /** Drops axis (which must have length 1). */
    WeightArray squeeze(int axis) {
        if (shape[axis] != 1) {
            throw new IllegalArgumentException("weight " + name + ": axis " + axis + " of " + shapeString()
                    + " is not 1");
        }
        long[] s = new long[rank() - 1];
        for (int i = 0, j = 0; i < rank(); i++) {
            if (i != axis) {
                s[j++] = shape[i];
            }
        }
        return new WeightArray(name, data, s);
    }

    static long[] strides(long[] shape) {
        long[] st = new long[shape.length];
        long s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            st[i] = s;
            s *= shape[i];
        }
        return st;
    }
}
