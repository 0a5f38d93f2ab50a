package io.jkeras.backend.cuda;

import static org.bytedeco.cuda.global.cudnn.*;

import io.jkeras.backend.NativeException;
import java.util.Arrays;
import org.bytedeco.cuda.cudnn.cudnnFilterStruct;
import org.bytedeco.cuda.cudnn.cudnnTensorStruct;

/** Helpers shared by the cuDNN convolutions and recurrences: status checks, descriptors, sizes. */
final class Cudnn {
    /** Alignment of the parts of one buffer that hold several cuDNN operands. */
    private static final long ALIGNMENT = 256;

    private Cudnn() {
    }

    /** Turns a cuDNN status into an exception naming the call (and whatever context what carries). */
    static void check(int status, String what) {
        if (status != CUDNN_STATUS_SUCCESS) {
            throw new NativeException(3, what + ": " + cudnnGetErrorString(status).getString());
        }
    }

    /** v as cuDNN's int, or a failure naming what where the legacy API's 32-bit sizes cannot hold it. */
    static int toInt(long v, String what) {
        if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) {
            throw new NativeException(4, what + ": " + v + " does not fit cuDNN's 32-bit sizes");
        }
        return (int) v;
    }

    static int[] toInts(long[] v, String what) {
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = toInt(v[i], what);
        }
        return out;
    }

    static long align(long bytes) {
        return (bytes + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    /** A float tensor descriptor of the given dimensions and strides (in elements). */
    static cudnnTensorStruct tensor(long[] dims, long[] strides, String what) {
        int[] d = toInts(dims, what);
        int[] s = toInts(strides, what);
        cudnnTensorStruct t = new cudnnTensorStruct();
        check(cudnnCreateTensorDescriptor(t), what + ": cudnnCreateTensorDescriptor");
        int status = cudnnSetTensorNdDescriptor(t, CUDNN_DATA_FLOAT, d.length, d, s);
        if (status != CUDNN_STATUS_SUCCESS) {
            cudnnDestroyTensorDescriptor(t);
            check(status, what + ": cudnnSetTensorNdDescriptor(dims " + Arrays.toString(d) + ", strides "
                    + Arrays.toString(s) + ")");
        }
        return t;
    }

    /** A float filter descriptor: dims (out, in / groups, spatial...), memory laid out as format says. */
    @SuppressWarnings("deprecation") // with the legacy convolution API that takes it (see CudnnConvolution)
    static cudnnFilterStruct filter(int format, long[] dims, String what) {
        int[] d = toInts(dims, what);
        cudnnFilterStruct f = new cudnnFilterStruct();
        check(cudnnCreateFilterDescriptor(f), what + ": cudnnCreateFilterDescriptor");
        int status = cudnnSetFilterNdDescriptor(f, CUDNN_DATA_FLOAT, format, d.length, d);
        if (status != CUDNN_STATUS_SUCCESS) {
            cudnnDestroyFilterDescriptor(f);
            check(status, what + ": cudnnSetFilterNdDescriptor(dims " + Arrays.toString(d) + ")");
        }
        return f;
    }
}
