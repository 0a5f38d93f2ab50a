package io.jkeras.bench;

import static org.bytedeco.cuda.global.cudnn.*;

import io.jkeras.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.cuda.cudnn.cudnnDropoutStruct;
import org.bytedeco.cuda.cudnn.cudnnRNNDataStruct;
import org.bytedeco.cuda.cudnn.cudnnRNNStruct;
import org.bytedeco.cuda.cudnn.cudnnTensorStruct;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.SizeTPointer;

/**
 * The raw cuDNN reference for an LSTM / GRU layer: cuDNN's own recurrence of one fixed geometry (CUDNN_LSTM, or
 * CUDNN_GRU: sigmoid gates, tanh, two bias vectors, the reset gate applied after the recurrent product, i.e. Keras's
 * GRU with reset_after=True), through the cuDNN 8+ API ({@code cudnnRNNForward}, {@code cudnnRNNBackwardData_v8},
 * {@code cudnnRNNBackwardWeights_v8}), as a user of cuDNN would call it: algorithm CUDNN_RNN_ALGO_STANDARD, one
 * layer, unidirectional, linear input, float32 with the math type of {@link RawCuda#cudnnMath()}; input and output
 * batch-major unpacked (Keras's (N, T, C) tensors, no conversion), every sequence full length; zero initial state
 * and no final state (null hx / cx / hy / cy); weights in cuDNN's own weight space, made once; descriptors,
 * workspace and reserve space made up front. Forward = CUDNN_FWD_MODE_INFERENCE; forward + backward = the
 * TRAINING forward, backward-data for a given output gradient, and backward-weights into a weight gradient zeroed
 * before (cuDNN only accumulates into it). A call ends with a synchronisation of the raw stream.
 */
final class RawCudnnRnn implements AutoCloseable {
    enum Kind { LSTM, GRU }

    final Kind kind;
    final long n, t, in, h;
    private final RawCuda cu = RawCuda.get();
    private final List<Tensor> tensors = new ArrayList<>();
    private final cudnnDropoutStruct dropout = new cudnnDropoutStruct();
    private final cudnnRNNStruct rnn = new cudnnRNNStruct();
    private final cudnnRNNDataStruct xDesc = new cudnnRNNDataStruct();
    private final cudnnRNNDataStruct yDesc = new cudnnRNNDataStruct();
    private final cudnnTensorStruct hDesc = new cudnnTensorStruct();
    private final Tensor seqLengths, dropoutStates, x, y, weights, workspace, reserve, dy, dx, dWeights;
    private final IntPointer devSeqLengths;
    private final long weightBytes, workspaceBytes, reserveBytes;

    RawCudnnRnn(Kind kind, long n, long t, long in, long h, boolean withBackward) {
        this.kind = kind;
        this.n = n;
        this.t = t;
        this.in = in;
        this.h = h;
        int batch = Math.toIntExact(n), steps = Math.toIntExact(t), units = Math.toIntExact(h);
        SizeTPointer size = new SizeTPointer(1);
        SizeTPointer size2 = new SizeTPointer(1);

        check(cudnnCreateDropoutDescriptor(dropout), "cudnnCreateDropoutDescriptor");
        check(cudnnDropoutGetStatesSize(cu.dnn, size), "cudnnDropoutGetStatesSize");
        dropoutStates = own(Gpu.bytes(size.get()));
        Gpu.sync();
        check(cudnnSetDropoutDescriptor(dropout, cu.dnn, 0f, Data.view(dropoutStates), size.get(), 0),
                "cudnnSetDropoutDescriptor");

        check(cudnnCreateRNNDescriptor(rnn), "cudnnCreateRNNDescriptor");
        check(cudnnSetRNNDescriptor_v8(rnn, CUDNN_RNN_ALGO_STANDARD, kind == Kind.LSTM ? CUDNN_LSTM : CUDNN_GRU,
                CUDNN_RNN_DOUBLE_BIAS, CUDNN_UNIDIRECTIONAL, CUDNN_LINEAR_INPUT, CUDNN_DATA_FLOAT, CUDNN_DATA_FLOAT,
                RawCuda.cudnnMath(), Math.toIntExact(in), units, units, 1, dropout, CUDNN_RNN_PADDED_IO_ENABLED),
                "cudnnSetRNNDescriptor_v8");

        int[] lengths = new int[batch];
        Arrays.fill(lengths, steps);
        check(cudnnCreateRNNDataDescriptor(xDesc), "cudnnCreateRNNDataDescriptor");
        check(cudnnCreateRNNDataDescriptor(yDesc), "cudnnCreateRNNDataDescriptor");
        check(cudnnSetRNNDataDescriptor(xDesc, CUDNN_DATA_FLOAT, CUDNN_RNN_DATA_LAYOUT_BATCH_MAJOR_UNPACKED, steps,
                batch, Math.toIntExact(in), lengths, null), "x data descriptor");
        check(cudnnSetRNNDataDescriptor(yDesc, CUDNN_DATA_FLOAT, CUDNN_RNN_DATA_LAYOUT_BATCH_MAJOR_UNPACKED, steps,
                batch, units, lengths, null), "y data descriptor");
        check(cudnnCreateTensorDescriptor(hDesc), "cudnnCreateTensorDescriptor");
        check(cudnnSetTensorNdDescriptor(hDesc, CUDNN_DATA_FLOAT, 3, new int[] {1, batch, units},
                new int[] {batch * units, units, 1}), "state descriptor");

        Tensor lengthsOnDevice = Tensor.ofInts(lengths, n);
        lengthsOnDevice.moveTo(Gpu.DEVICE);
        seqLengths = own(lengthsOnDevice);
        devSeqLengths = new IntPointer(Data.view(seqLengths));

        check(cudnnGetRNNWeightSpaceSize(cu.dnn, rnn, size), "cudnnGetRNNWeightSpaceSize");
        weightBytes = size.get();
        weights = own(Gpu.uniform(31, (weightBytes + 3) / 4));
        x = own(Gpu.uniform(32, n, t, in));
        y = own(Gpu.zeros(n, t, h));
        check(cudnnGetRNNTempSpaceSizes(cu.dnn, rnn, withBackward ? CUDNN_FWD_MODE_TRAINING
                : CUDNN_FWD_MODE_INFERENCE, xDesc, size, size2), "cudnnGetRNNTempSpaceSizes");
        long ws = size.get(), rs = size2.get();
        if (withBackward) {
            // the inference forward may want a larger workspace than the training one: take the larger
            check(cudnnGetRNNTempSpaceSizes(cu.dnn, rnn, CUDNN_FWD_MODE_INFERENCE, xDesc, size, size2),
                    "cudnnGetRNNTempSpaceSizes");
            ws = Math.max(ws, size.get());
            dy = own(Gpu.uniform(33, n, t, h));
            dx = own(Gpu.zeros(n, t, in));
            dWeights = own(Gpu.zeros((weightBytes + 3) / 4));
        } else {
            dy = dx = dWeights = null;
        }
        workspaceBytes = ws;
        reserveBytes = rs;
        workspace = own(Gpu.bytes(ws));
        reserve = own(Gpu.bytes(rs));
        Gpu.sync();  // the buffers are filled on jkeras's stream
    }

    private Tensor own(Tensor t) {
        tensors.add(t);
        return t;
    }

    private static void check(int status, String what) {
        RawCuda.cudnnCheck(status, what);
    }

    private void queueForward(int mode) {
        check(cudnnRNNForward(cu.dnn, rnn, mode, devSeqLengths, xDesc, Data.view(x), yDesc, Data.view(y), hDesc,
                null, null, hDesc, null, null, weightBytes, Data.view(weights), workspaceBytes,
                Data.view(workspace), mode == CUDNN_FWD_MODE_TRAINING ? reserveBytes : 0,
                mode == CUDNN_FWD_MODE_TRAINING ? Data.view(reserve) : null), "cudnnRNNForward");
    }

    /** The inference forward, waited for. */
    int forward() {
        queueForward(CUDNN_FWD_MODE_INFERENCE);
        return cu.sync();
    }

    /** The training forward, then dx and the weight gradient for the given dy, waited for. */
    int forwardBackward() {
        queueForward(CUDNN_FWD_MODE_TRAINING);
        check(cudnnRNNBackwardData_v8(cu.dnn, rnn, devSeqLengths, yDesc, Data.view(y), Data.view(dy), xDesc,
                Data.view(dx), hDesc, null, null, null, hDesc, null, null, null, weightBytes, Data.view(weights),
                workspaceBytes, Data.view(workspace), reserveBytes, Data.view(reserve)), "cudnnRNNBackwardData_v8");
        cu.clear(dWeights);
        check(cudnnRNNBackwardWeights_v8(cu.dnn, rnn, CUDNN_WGRAD_MODE_ADD, devSeqLengths, xDesc, Data.view(x),
                hDesc, null, yDesc, Data.view(y), weightBytes, Data.view(dWeights), workspaceBytes,
                Data.view(workspace), reserveBytes, Data.view(reserve)), "cudnnRNNBackwardWeights_v8");
        return cu.sync();
    }

    @Override
    public void close() {
        cudnnDestroyRNNDataDescriptor(xDesc);
        cudnnDestroyRNNDataDescriptor(yDesc);
        cudnnDestroyTensorDescriptor(hDesc);
        cudnnDestroyRNNDescriptor(rnn);
        cudnnDestroyDropoutDescriptor(dropout);
        Data.closeAll(tensors.toArray(new Tensor[0]));
    }
}
