package io.jkeras.backend.cuda;

import static io.jkeras.backend.cuda.CudaNative.*;
import static org.bytedeco.cuda.global.cudnn.*;

import io.jkeras.backend.NativeException;
import io.jkeras.backend.NativeMemory;
import io.jkeras.backend.RnnDesc;
import io.jkeras.backend.UnaryOp;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.cuda.cudnn.cudnnDropoutStruct;
import org.bytedeco.cuda.cudnn.cudnnRNNDataStruct;
import org.bytedeco.cuda.cudnn.cudnnRNNStruct;
import org.bytedeco.cuda.cudnn.cudnnTensorStruct;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.SizeTPointer;

/**
 * LSTM, GRU (reset_after) and SimpleRNN (tanh, relu) on cuDNN's RNN (v8 API) where its formulas are Keras's: one
 * unidirectional layer, two bias vectors, batch-major data. Keras's weights are written into cuDNN's weight space on
 * every call (training updates them in place): each cuDNN matrix (units x inputs, row-major) is the transpose of a
 * gate's column block of Keras's kernel; GRU's gates z, r, h are cuDNN's 1, 0, 2. go_backwards runs on the input
 * reversed in time, so that cuDNN's output is Keras's sequence (the s-th processed step at s) as is.
 *
 * <p>The workspace of a forward pass with a backward pass to follow holds the weight space, cuDNN's reserve space and
 * the output sequence, which cuDNN's backward passes read. Descriptors are cached by geometry; callers hold the
 * backend's lock, which also guards the scratch buffers.
 */
final class CudnnRnn {
    private static final String WEIGHTS = "cudnn.rnn.weights";
    private static final String WEIGHT_GRADIENTS = "cudnn.rnn.weightGradients";
    private static final String WORK = "cudnn.rnn.work";
    private static final String RESERVE = "cudnn.rnn.reserve";
    private static final String REVERSED_INPUT = "cudnn.rnn.reversedInput";
    private static final String REVERSED_INPUT_GRADIENT = "cudnn.rnn.reversedInputGradient";
    private static final String ZEROS = "cudnn.rnn.zeros";
    private static final String CELL_STATE_GRADIENT = "cudnn.rnn.cellStateGradient";

    private final CudaBackend backend;
    private final Map<List<Long>, Plan> plans = new HashMap<>();
    private final SizeTPointer sizeA = new SizeTPointer(1);
    private final SizeTPointer sizeB = new SizeTPointer(1);
    private cudnnDropoutStruct noDropout;

    CudnnRnn(CudaBackend backend) {
        this.backend = backend;
    }

    /** Descriptors, sizes and the weight space's layout of one geometry. */
    private static final class Plan {
        final String what;
        final RnnDesc.Cell cell;
        final int gates;
        final long n;
        final long t;
        final long h;
        final long in;
        final cudnnRNNStruct rnn = new cudnnRNNStruct();
        cudnnRNNDataStruct x;
        cudnnRNNDataStruct y;
        cudnnTensorStruct state;
        IntPointer lengths; // device int[n], every sequence t steps long
        long weightBytes;
        long trainingWork;
        long inferenceWork;
        long reserveBytes;
        // byte offsets in the weight space, by cuDNN's linLayerID: inputs 0..gates-1, recurrent gates..2*gates-1
        final long[] matrix;
        final long[] bias;
        // the workspace: weight space, then reserve space, then the output sequence
        long reserveAt;
        long outputAt;
        long workspaceBytes;

        Plan(RnnDesc d, long inputSize) {
            cell = d.cell();
            gates = cell.gates();
            n = d.batch();
            t = d.steps();
            h = d.units();
            in = inputSize;
            what = "cuDNN " + cell + " (batch " + n + ", steps " + t + ", units " + h + ", input size " + in + ")";
            matrix = new long[2 * gates];
            bias = new long[2 * gates];
        }
    }

    boolean supported(RnnDesc d) {
        return d.batch() > 0 && d.steps() > 0 && d.units() > 0 && d.batch() <= Integer.MAX_VALUE
                && d.steps() <= Integer.MAX_VALUE && d.units() <= Integer.MAX_VALUE && cellMode(d) >= 0;
    }

    /** cuDNN's cell mode computing exactly d's recurrence, or -1. */
    private static int cellMode(RnnDesc d) {
        boolean gated = d.activation() == UnaryOp.TANH && d.recurrentActivation() == UnaryOp.SIGMOID;
        switch (d.cell()) {
            case LSTM:
                return gated ? CUDNN_LSTM : -1;
            case GRU_RESET_AFTER:
                return gated ? CUDNN_GRU : -1;
            case SIMPLE:
                if (d.activation() == UnaryOp.TANH) {
                    return CUDNN_RNN_TANH;
                }
                return d.activation() == UnaryOp.RELU && plainRelu(d.activationParams()) ? CUDNN_RNN_RELU : -1;
            default:
                return -1;
        }
    }

    /** Keras's relu parameters (alpha, max_value, threshold) of max(x, 0): no slope, no cap (NaN), threshold 0. */
    private static boolean plainRelu(float[] p) {
        return p[0] == 0f && (Float.isNaN(p[1]) || p[1] == Float.POSITIVE_INFINITY) && p[2] == 0f;
    }

    long workspaceBytes(RnnDesc d, long inputSize) {
        return plan(d, inputSize).workspaceBytes;
    }

    void forward(RnnDesc d, long inputSize, long x, long kernel, long bias, long u, long recBias, long h0, long c0,
            long seq, long lastH, long lastC, long workspace) {
        Plan p = plan(d, inputSize);
        boolean training = workspace != 0;
        long weights = training ? workspace : backend.scratch(WEIGHTS, p.weightBytes);
        writeWeights(p, weights, kernel, bias, u, recBias);
        long input = d.goBackwards() ? reversed(p, x) : x;
        // without a backward pass to follow, cuDNN writes Keras's sequence directly
        long y = training ? workspace + p.outputAt : seq;
        long workBytes = training ? p.trainingWork : p.inferenceWork;
        long work = backend.scratch(WORK, workBytes);
        check(cudnnRNNForward(backend.cudnn(), p.rnn, training ? CUDNN_FWD_MODE_TRAINING : CUDNN_FWD_MODE_INFERENCE,
                p.lengths, p.x, NativeMemory.at(input), p.y, NativeMemory.at(y), p.state, NativeMemory.at(h0),
                NativeMemory.at(lastH), p.state, NativeMemory.at(c0), NativeMemory.at(lastC), p.weightBytes,
                NativeMemory.at(weights), workBytes, NativeMemory.at(work), training ? p.reserveBytes : 0,
                training ? NativeMemory.at(workspace + p.reserveAt) : null), p, "cudnnRNNForward");
        if (training) {
            CudaBackend.check(jkc_copy(backend.stream(), seq, y, 4 * p.n * p.t * p.h));
        }
    }

    void backward(RnnDesc d, long inputSize, long x, long kernel, long bias, long u, long recBias, long h0, long c0,
            long workspace, long dSeq, long dLastH, long dLastC, long dx, long dKernel, long dBias, long du,
            long dRecBias, long dh0, long dc0) {
        Plan p = plan(d, inputSize);
        long stream = backend.stream();
        boolean lstm = p.cell == RnnDesc.Cell.LSTM;
        long nh = p.n * p.h;
        long nth = nh * p.t;
        long weights = workspace;
        long y = workspace + p.outputAt;
        // cuDNN's backward-data pass writes into the reserve space: working on a copy keeps the workspace good for
        // another backward pass of the same forward pass, as on the CPU
        long reserve = backend.scratch(RESERVE, p.reserveBytes);
        CudaBackend.check(jkc_copy(stream, reserve, workspace + p.reserveAt, p.reserveBytes));
        long zerosNeeded = dSeq == 0 ? nth : dLastH == 0 || (lstm && dLastC == 0) ? nh : 0;
        long zeros = 0;
        if (zerosNeeded > 0) {
            zeros = backend.scratch(ZEROS, 4 * zerosNeeded);
            CudaBackend.check(jkc_fill(stream, zeros, zerosNeeded, 0f));
        }
        long dy = dSeq != 0 ? dSeq : zeros;
        long dhy = dLastH != 0 ? dLastH : zeros;
        long dcy = lstm ? (dLastC != 0 ? dLastC : zeros) : 0;
        long dcx = lstm ? (dc0 != 0 ? dc0 : backend.scratch(CELL_STATE_GRADIENT, 4 * nh)) : 0;
        long dInput = d.goBackwards() ? backend.scratch(REVERSED_INPUT_GRADIENT, 4 * p.n * p.t * p.in) : dx;
        long work = backend.scratch(WORK, p.trainingWork);
        check(cudnnRNNBackwardData_v8(backend.cudnn(), p.rnn, p.lengths, p.y, NativeMemory.at(y),
                NativeMemory.at(dy), p.x, NativeMemory.at(dInput), p.state, NativeMemory.at(h0),
                NativeMemory.at(dhy), NativeMemory.at(dh0), p.state, NativeMemory.at(c0), NativeMemory.at(dcy),
                NativeMemory.at(dcx), p.weightBytes, NativeMemory.at(weights), p.trainingWork, NativeMemory.at(work),
                p.reserveBytes, NativeMemory.at(reserve)), p, "cudnnRNNBackwardData_v8");
        long input = d.goBackwards() ? reversed(p, x) : x;
        long dWeights = backend.scratch(WEIGHT_GRADIENTS, p.weightBytes);
        CudaBackend.check(jkc_fill(stream, dWeights, p.weightBytes / 4, 0f));
        check(cudnnRNNBackwardWeights_v8(backend.cudnn(), p.rnn, CUDNN_WGRAD_MODE_ADD, p.lengths, p.x,
                NativeMemory.at(input), p.state, NativeMemory.at(h0), p.y, NativeMemory.at(y), p.weightBytes,
                NativeMemory.at(dWeights), p.trainingWork, NativeMemory.at(work), p.reserveBytes,
                NativeMemory.at(reserve)), p, "cudnnRNNBackwardWeights_v8");
        if (d.goBackwards()) {
            reverseTime(dInput, dx, p.n, p.t, p.in);
        }
        readWeights(p, dWeights, dKernel, dBias, du, dRecBias);
    }

    // ------------------------------------------------------------------------------------------ weights

    /** cuDNN's linLayerID of Keras's gate g on the input side (recurrent side: + gates). */
    private static int linLayer(Plan p, int g) {
        return p.cell == RnnDesc.Cell.GRU_RESET_AFTER && g < 2 ? 1 - g : g;
    }

    /** Keras's kernel (I, G*H), recurrent kernel (H, G*H) and biases (G*H, 0: zeros) into cuDNN's weight space. */
    private void writeWeights(Plan p, long space, long kernel, long bias, long u, long recBias) {
        long stream = backend.stream();
        long gh = p.gates * p.h;
        for (int g = 0; g < p.gates; g++) {
            int lin = linLayer(p, g);
            long column = 4 * g * p.h;
            // cuDNN's (j, i) is Keras's (i, g*H + j)
            copy2d(p.h, p.in, kernel + column, new long[] {1, gh}, space + p.matrix[lin], new long[] {p.in, 1});
            copy2d(p.h, p.h, u + column, new long[] {1, gh}, space + p.matrix[lin + p.gates], new long[] {p.h, 1});
            long[] sources = {bias, recBias};
            for (int side = 0; side < 2; side++) {
                long dst = space + p.bias[lin + side * p.gates];
                if (sources[side] == 0) {
                    CudaBackend.check(jkc_fill(stream, dst, p.h, 0f));
                } else {
                    CudaBackend.check(jkc_copy(stream, dst, sources[side] + column, 4 * p.h));
                }
            }
        }
    }

    /** The inverse of {@link #writeWeights} for gradients: dKernel and du overwritten, dBias / dRecBias unless 0. */
    private void readWeights(Plan p, long space, long dKernel, long dBias, long du, long dRecBias) {
        long stream = backend.stream();
        long gh = p.gates * p.h;
        for (int g = 0; g < p.gates; g++) {
            int lin = linLayer(p, g);
            long column = 4 * g * p.h;
            copy2d(p.h, p.in, space + p.matrix[lin], new long[] {p.in, 1}, dKernel + column, new long[] {1, gh});
            copy2d(p.h, p.h, space + p.matrix[lin + p.gates], new long[] {p.h, 1}, du + column, new long[] {1, gh});
            if (dBias != 0) {
                CudaBackend.check(jkc_copy(stream, dBias + column, space + p.bias[lin], 4 * p.h));
            }
            if (dRecBias != 0) {
                CudaBackend.check(jkc_copy(stream, dRecBias + column, space + p.bias[lin + p.gates], 4 * p.h));
            }
        }
    }

    private void copy2d(long rows, long cols, long src, long[] srcStrides, long dst, long[] dstStrides) {
        CudaBackend.check(jkc_copy_strided(backend.stream(), 2, new long[] {rows, cols}, src, srcStrides, dst,
                dstStrides));
    }

    /** x (N, T, I) reversed in time, in a scratch buffer. */
    private long reversed(Plan p, long x) {
        long out = backend.scratch(REVERSED_INPUT, 4 * p.n * p.t * p.in);
        reverseTime(x, out, p.n, p.t, p.in);
        return out;
    }

    /** dst[n, s] = src[n, T-1-s] for (N, T, F) tensors. */
    private void reverseTime(long src, long dst, long n, long t, long f) {
        CudaBackend.check(jkc_copy_strided(backend.stream(), 3, new long[] {n, t, f}, src + 4 * (t - 1) * f,
                new long[] {t * f, -f, 1}, dst, new long[] {t * f, f, 1}));
    }

    // ------------------------------------------------------------------------------------------ descriptors

    /** The plan of d; the key needs no activations beyond the cell mode because only supported descs get here. */
    private Plan plan(RnnDesc d, long inputSize) {
        int mode = cellMode(d);
        if (!supported(d) || inputSize <= 0 || inputSize > Integer.MAX_VALUE) {
            throw new NativeException(1, "cuDNN RNN: " + d.cell() + " with activation " + d.activation()
                    + ", recurrent activation " + d.recurrentActivation() + ", batch " + d.batch() + ", steps "
                    + d.steps() + ", units " + d.units() + " and input size " + inputSize + " is not supported");
        }
        List<Long> key = List.of((long) mode, d.batch(), d.steps(), d.units(), inputSize);
        Plan p = plans.get(key);
        if (p == null) {
            p = build(d, mode, inputSize);
            plans.put(key, p);
        }
        return p;
    }

    private Plan build(RnnDesc d, int mode, long inputSize) {
        Plan p = new Plan(d, inputSize);
        String what = p.what;
        int n = Cudnn.toInt(p.n, what);
        int t = Cudnn.toInt(p.t, what);
        int h = Cudnn.toInt(p.h, what);
        int in = Cudnn.toInt(p.in, what);
        Cudnn.check(cudnnCreateRNNDescriptor(p.rnn), what + ": cudnnCreateRNNDescriptor");
        check(cudnnSetRNNDescriptor_v8(p.rnn, CUDNN_RNN_ALGO_STANDARD, mode, CUDNN_RNN_DOUBLE_BIAS,
                CUDNN_UNIDIRECTIONAL, CUDNN_LINEAR_INPUT, CUDNN_DATA_FLOAT, CUDNN_DATA_FLOAT,
                backend.tf32() ? CUDNN_DEFAULT_MATH : CUDNN_FMA_MATH, in, h, h, 1, noDropout(),
                CUDNN_RNN_PADDED_IO_ENABLED), p, "cudnnSetRNNDescriptor_v8");
        int[] lengths = new int[n];
        Arrays.fill(lengths, t);
        p.x = data(t, n, in, lengths, what + " (input)");
        p.y = data(t, n, h, lengths, what + " (output)");
        p.state = Cudnn.tensor(new long[] {1, n, h}, new long[] {(long) n * h, h, 1}, what + " (states)");
        check(cudnnGetRNNWeightSpaceSize(backend.cudnn(), p.rnn, sizeA), p, "cudnnGetRNNWeightSpaceSize");
        p.weightBytes = sizeA.get();
        check(cudnnGetRNNTempSpaceSizes(backend.cudnn(), p.rnn, CUDNN_FWD_MODE_TRAINING, p.x, sizeA, sizeB), p,
                "cudnnGetRNNTempSpaceSizes (training)");
        p.trainingWork = sizeA.get();
        p.reserveBytes = sizeB.get();
        check(cudnnGetRNNTempSpaceSizes(backend.cudnn(), p.rnn, CUDNN_FWD_MODE_INFERENCE, p.x, sizeA, sizeB), p,
                "cudnnGetRNNTempSpaceSizes (inference)");
        p.inferenceWork = sizeA.get();
        locateWeights(p);
        p.lengths = deviceLengths(lengths, t);
        p.reserveAt = Cudnn.align(p.weightBytes);
        p.outputAt = p.reserveAt + Cudnn.align(p.reserveBytes);
        p.workspaceBytes = p.outputAt + Cudnn.align(4 * p.n * p.t * p.h);
        return p;
    }

    private static cudnnRNNDataStruct data(int t, int n, int vectorSize, int[] lengths, String what) {
        cudnnRNNDataStruct data = new cudnnRNNDataStruct();
        Cudnn.check(cudnnCreateRNNDataDescriptor(data), what + ": cudnnCreateRNNDataDescriptor");
        Cudnn.check(cudnnSetRNNDataDescriptor(data, CUDNN_DATA_FLOAT, CUDNN_RNN_DATA_LAYOUT_BATCH_MAJOR_UNPACKED, t,
                n, vectorSize, lengths, null), what + ": cudnnSetRNNDataDescriptor");
        return data;
    }

    /** One dropout descriptor for all plans: dropout 0 draws no random numbers, so it needs no state buffer. */
    private cudnnDropoutStruct noDropout() {
        if (noDropout == null) {
            cudnnDropoutStruct dropout = new cudnnDropoutStruct();
            Cudnn.check(cudnnCreateDropoutDescriptor(dropout), "cuDNN RNN: cudnnCreateDropoutDescriptor");
            Cudnn.check(cudnnSetDropoutDescriptor(dropout, backend.cudnn(), 0f, null, 0, 0),
                    "cuDNN RNN: cudnnSetDropoutDescriptor");
            noDropout = dropout;
        }
        return noDropout;
    }

    /**
     * The offsets of every matrix and bias in the weight space, checked against the layout the copies assume:
     * matrices (1, H, cols) row-major, cols = I on the input side and H on the recurrent one; biases of H floats.
     */
    private void locateWeights(Plan p) {
        long base = backend.scratch(WEIGHTS, p.weightBytes); // any buffer of the size: only offsets are kept
        cudnnTensorStruct m = new cudnnTensorStruct();
        cudnnTensorStruct b = new cudnnTensorStruct();
        Cudnn.check(cudnnCreateTensorDescriptor(m), p.what + ": cudnnCreateTensorDescriptor");
        Cudnn.check(cudnnCreateTensorDescriptor(b), p.what + ": cudnnCreateTensorDescriptor");
        try {
            int[] type = new int[1];
            int[] rank = new int[1];
            int[] dims = new int[3];
            int[] strides = new int[3];
            for (int lin = 0; lin < 2 * p.gates; lin++) {
                // the binding takes void** @ByPtrPtr: cuDNN's answer becomes these pointers' own address
                Pointer matrixAddress = new Pointer();
                Pointer biasAddress = new Pointer();
                check(cudnnGetRNNWeightParams(backend.cudnn(), p.rnn, 0, p.weightBytes, NativeMemory.at(base), lin, m,
                        matrixAddress, b, biasAddress), p, "cudnnGetRNNWeightParams(" + lin + ")");
                long cols = lin < p.gates ? p.in : p.h;
                check(cudnnGetTensorNdDescriptor(m, 3, type, rank, dims, strides), p, "cudnnGetTensorNdDescriptor");
                boolean matrixOk = rank[0] == 3 && dims[0] == 1 && dims[1] == p.h && dims[2] == cols
                        && strides[1] == cols && strides[2] == 1;
                String matrix = "dims " + Arrays.toString(Arrays.copyOf(dims, Math.min(rank[0], 3))) + " strides "
                        + Arrays.toString(Arrays.copyOf(strides, Math.min(rank[0], 3)));
                check(cudnnGetTensorNdDescriptor(b, 3, type, rank, dims, strides), p, "cudnnGetTensorNdDescriptor");
                long biasFloats = 1;
                for (int k = 0; k < Math.min(rank[0], 3); k++) {
                    biasFloats *= dims[k];
                }
                p.matrix[lin] = matrixAddress.address() - base;
                p.bias[lin] = biasAddress.address() - base;
                if (!matrixOk || biasFloats != p.h || matrixAddress.address() == 0 || biasAddress.address() == 0
                        || p.matrix[lin] < 0 || p.matrix[lin] + 4 * p.h * cols > p.weightBytes || p.bias[lin] < 0
                        || p.bias[lin] + 4 * p.h > p.weightBytes) {
                    throw new NativeException(4, p.what + ": cuDNN lays out weight " + lin + " as a matrix of "
                            + matrix + " at byte " + p.matrix[lin] + " and a bias of " + biasFloats + " floats at byte "
                            + p.bias[lin] + " in a weight space of " + p.weightBytes + " bytes; expected a row-major ("
                            + p.h + ", " + cols + ") matrix and " + p.h + " floats");
                }
            }
        } finally {
            cudnnDestroyTensorDescriptor(m);
            cudnnDestroyTensorDescriptor(b);
        }
    }

    /** cuDNN reads the sequence lengths on the device, asynchronously: a buffer per (N, T), written once. */
    private IntPointer deviceLengths(int[] lengths, int t) {
        long address = backend.scratch("cudnn.rnn.lengths." + lengths.length + "x" + t, 4L * lengths.length);
        try (IntPointer host = new IntPointer(lengths)) {
            CudaBackend.check(jkc_copy_to_device(backend.stream(), address, host.address(), 4L * lengths.length));
        }
        return new IntPointer(NativeMemory.at(address));
    }

    private static void check(int status, Plan p, String call) {
        if (status != CUDNN_STATUS_SUCCESS) {
            Cudnn.check(status, p.what + ": " + call);
        }
    }
}
