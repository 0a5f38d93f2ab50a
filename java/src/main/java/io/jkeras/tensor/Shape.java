package io.jkeras.tensor;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** An immutable list of dimensions; -1 stands for an unknown one (Keras's None, usually the batch). */
public final class Shape {
    public static final long UNKNOWN = -1;

    private final long[] dims;

    private Shape(long[] dims) {
        for (long d : dims) {
            if (d < UNKNOWN) {
                throw new IllegalArgumentException("invalid dimension " + d + " in shape " + Arrays.toString(dims));
            }
        }
        this.dims = dims;
    }

    public static Shape of(long... dims) {
        return new Shape(dims.clone());
    }

    public static Shape of(List<? extends Number> dims) {
        long[] d = new long[dims.size()];
        for (int i = 0; i < d.length; i++) {
            Number n = dims.get(i);
            d[i] = n == null ? UNKNOWN : n.longValue();
        }
        return new Shape(d);
    }

    public int rank() {
        return dims.length;
    }

    /** Dimension i; negative i counts from the end. */
    public long dim(int i) {
        return dims[axis(i)];
    }

    /** Normalises a possibly negative axis against this rank, with a clear error when out of range. */
    public int axis(int i) {
        int a = i < 0 ? i + dims.length : i;
        if (a < 0 || a >= dims.length) {
            throw new IllegalArgumentException("axis " + i + " is out of range for a shape of rank " + dims.length
                    + " " + this);
        }
        return a;
    }

    public long[] dims() {
        return dims.clone();
    }

    public boolean isFullyDefined() {
        for (long d : dims) {
            if (d == UNKNOWN) {
                return false;
            }
        }
        return true;
    }

    /** Number of elements; the shape must be fully defined. */
    public long size() {
        long n = 1;
        for (long d : dims) {
            if (d == UNKNOWN) {
                throw new IllegalStateException("shape " + this + " has an unknown dimension");
            }
            n *= d;
        }
        return n;
    }

    public Shape withDim(int i, long value) {
        long[] d = dims.clone();
        d[axis(i)] = value;
        return new Shape(d);
    }

    /** This shape without its first dimension (the batch). */
    public Shape dropFirst() {
        return new Shape(Arrays.copyOfRange(dims, 1, dims.length));
    }

    public Shape prepend(long first) {
        long[] d = new long[dims.length + 1];
        d[0] = first;
        System.arraycopy(dims, 0, d, 1, dims.length);
        return new Shape(d);
    }

    /** Dimensions as Keras writes them in JSON: null for unknown. */
    public List<Long> toList() {
        return Arrays.stream(dims).mapToObj(d -> d == UNKNOWN ? null : d).collect(Collectors.toList());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(s.dims, dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    /** Keras's notation: (None, 3). */
    @Override
    public String toString() {
        if (dims.length == 1) {
            return "(" + name(dims[0]) + ",)";
        }
        return Arrays.stream(dims).mapToObj(Shape::name).collect(Collectors.joining(", ", "(", ")"));
    }

    private static String name(long d) {
        return d == UNKNOWN ? "None" : Long.toString(d);
    }
}
