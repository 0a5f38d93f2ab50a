package io.jkeras.tensor;

import io.jkeras.backend.Backend;
import io.jkeras.backend.Backends;
import java.util.Arrays;

/**
 * An n-dimensional array in native memory (64-byte aligned on the host), row-major, batch first.
 * Tensors are {@link AutoCloseable}; temporaries created inside a {@link Scope} are closed with it.
 * Reshapes share memory with their source: the memory is freed when the last of them closes.
 */
public final class Tensor implements AutoCloseable {
    private final long[] dims;
    private final long size;
    private final DType dtype;
    private final Storage storage;
    private boolean closed;

    /**
     * owning: the tensor shares in its storage and joins the current scope; otherwise it is a bare handle on memory
     * it neither keeps alive nor frees (a transfer's destination while a storage moves).
     */
    private Tensor(long[] dims, DType dtype, Storage storage, boolean owning) {
        this.dims = dims;
        this.size = sizeOf(dims);
        this.dtype = dtype;
        this.storage = storage;
        if (owning) {
            storage.retain();
            Scope scope = Scope.current();
            if (scope != null) {
                scope.adopt(this);
            }
        }
    }

    /** A copy of this tensor on device (a view sharing this one's memory if it is already there). */
    public Tensor to(Device device) {
        checkOpen();
        Backend target = Backends.forDevice(device);
        if (target == backend()) {
            return reshapeView(dims);
        }
        Tensor out = empty(target, dtype, dims);
        try {
            transfer(this, out);
        } catch (RuntimeException e) {
            out.close();
            throw e;
        }
        return out;
    }

    /**
     * Moves this tensor's memory to device in place: it, and every view sharing its memory, then live there.
     * How {@code Layer.to} moves weights that layers and optimizers hold on to.
     */
    public void moveTo(Device device) {
        checkOpen();
        Backend target = Backends.forDevice(device);
        if (target == backend()) {
            return;
        }
        synchronized (storage) {
            long address = target.allocate(storage.bytes);
            try {
                transfer(this, new Tensor(dims, dtype, Storage.borrowed(target, address, storage.bytes), false));
            } catch (RuntimeException e) {
                target.free(address);
                throw e;
            }
            storage.swap(target, address);
        }
    }

    /** Copies src's elements into dst on another device, through the host where neither is the host. */
    private static void transfer(Tensor src, Tensor dst) {
        long bytes = src.size * src.dtype.byteSize();
        if (src.device().kind() == Device.Kind.CPU) {
            dst.backend().copyFromHost(src.address(), dst, bytes);
        } else if (dst.device().kind() == Device.Kind.CPU) {
            src.backend().copyToHost(src, dst.address(), bytes);
        } else {
            try (Tensor host = src.to(Device.CPU)) {
                transfer(host, dst);
            }
        }
    }

    private static long sizeOf(long[] dims) {
        long n = 1;
        for (long d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("a tensor's dimensions must be >= 0, got " + Arrays.toString(dims));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** Uninitialised memory of the given shape on the default backend's device. */
    public static Tensor empty(DType dtype, long... shape) {
        return empty(Backends.defaultBackend(), dtype, shape);
    }

    public static Tensor empty(Backend backend, DType dtype, long... shape) {
        long[] dims = shape.clone();
        long bytes = Math.multiplyExact(sizeOf(dims), (long) dtype.byteSize());
        return new Tensor(dims, dtype, new Storage(backend, bytes), true);
    }

    /** Uninitialised float32 memory shaped like {@code shape}, on the same device as {@code like}. */
    public static Tensor emptyLike(Tensor like, long... shape) {
        return empty(like.backend(), DType.FLOAT32, shape);
    }

    public static Tensor zeros(long... shape) {
        return full(0f, shape);
    }

    public static Tensor ones(long... shape) {
        return full(1f, shape);
    }

    public static Tensor full(float value, long... shape) {
        Tensor t = empty(DType.FLOAT32, shape);
        t.backend().fill(t, value);
        return t;
    }

    public static Tensor scalar(float value) {
        return full(value);
    }

    /** float32 tensor holding a copy of data, row-major. */
    public static Tensor of(float[] data, long... shape) {
        long n = sizeOf(shape);
        if (n != data.length) {
            throw new IllegalArgumentException("Tensor.of: " + data.length + " values do not fill shape "
                    + Shape.of(shape) + " (" + n + " elements)");
        }
        Tensor t = empty(DType.FLOAT32, shape);
        t.backend().write(t, data);
        return t;
    }

    /** int32 tensor holding a copy of data (ids for Embedding, labels), row-major. */
    public static Tensor ofInts(int[] data, long... shape) {
        long n = sizeOf(shape);
        if (n != data.length) {
            throw new IllegalArgumentException("Tensor.ofInts: " + data.length + " values do not fill shape "
                    + Shape.of(shape) + " (" + n + " elements)");
        }
        Tensor t = empty(DType.INT32, shape);
        t.backend().write(t, data);
        return t;
    }

    public long[] shape() {
        return dims.clone();
    }

    public Shape getShape() {
        return Shape.of(dims);
    }

    public long dim(int axis) {
        return dims[getShape().axis(axis)];
    }

    public int rank() {
        return dims.length;
    }

    public long size() {
        return size;
    }

    public DType dtype() {
        return dtype;
    }

    public Device device() {
        return storage.backend.device();
    }

    public Backend backend() {
        return storage.backend;
    }

    /** The native address of the first element; fails on a closed tensor. */
    public long address() {
        checkOpen();
        return storage.address;
    }

    public boolean isClosed() {
        return closed;
    }

    /** A tensor of another shape with the same elements, sharing this one's memory. */
    public Tensor reshapeView(long... shape) {
        checkOpen();
        long n = sizeOf(shape);
        if (n != size) {
            throw new IllegalArgumentException("cannot view a tensor of shape " + getShape() + " (" + size
                    + " elements) as " + Shape.of(shape) + " (" + n + " elements)");
        }
        return new Tensor(shape.clone(), dtype, storage, true);
    }

    public float[] toFloatArray() {
        checkOpen();
        float[] out = new float[Math.toIntExact(size)];
        if (dtype == DType.FLOAT32) {
            backend().read(this, out);
        } else {
            int[] ints = toIntArray();
            for (int i = 0; i < ints.length; i++) {
                out[i] = ints[i];
            }
        }
        return out;
    }

    public int[] toIntArray() {
        checkOpen();
        if (dtype != DType.INT32) {
            throw new IllegalStateException("toIntArray on a " + dtype.kerasName() + " tensor");
        }
        int[] out = new int[Math.toIntExact(size)];
        backend().read(this, out);
        return out;
    }

    /** The single value of a one-element tensor. */
    public float item() {
        if (size != 1) {
            throw new IllegalStateException("item() needs a tensor of one element, this one has shape " + getShape());
        }
        return toFloatArray()[0];
    }

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("use of a closed tensor of shape " + Shape.of(dims));
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            storage.release();
        }
    }

    @Override
    public String toString() {
        return "Tensor(shape=" + Shape.of(dims) + ", " + dtype.kerasName() + ", " + device()
                + (closed ? ", closed" : "") + ")";
    }
}
