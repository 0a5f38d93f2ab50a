package io.jkeras.bench;

import static org.bytedeco.cuda.global.cudnn.*;

import io.jkeras.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;
import org.bytedeco.cuda.cudnn.cudnnConvolutionBwdDataAlgoPerf_t;
import org.bytedeco.cuda.cudnn.cudnnConvolutionBwdFilterAlgoPerf_t;
import org.bytedeco.cuda.cudnn.cudnnConvolutionFwdAlgoPerf_t;
import org.bytedeco.cuda.cudnn.cudnnConvolutionStruct;
import org.bytedeco.cuda.cudnn.cudnnFilterStruct;
import org.bytedeco.cuda.cudnn.cudnnTensorStruct;

/**
 * The raw cuDNN reference for a Conv2D layer: the best case a user of cuDNN's convolution API could write for one
 * fixed geometry. Activations stay channels_last (NHWC tensors, as Keras's, no conversion), the filter is held in
 * cuDNN's NHWC filter layout (KRSC) from the start (a layout change made once, never per call), the algorithms
 * are the fastest that {@code cudnnFind*Algorithm} measures with the math type of {@link RawCuda#cudnnMath()}
 * (no workspace limit), descriptors and buffers are made up front. Forward = {@code cudnnConvolutionForward} +
 * {@code cudnnAddTensor} (the bias); forward + backward adds {@code cudnnConvolutionBackwardData},
 * {@code cudnnConvolutionBackwardFilter} and {@code cudnnConvolutionBackwardBias} for a given output gradient.
 * A call ends with a synchronisation of the raw stream.
 */
final class RawCudnnConv implements AutoCloseable {
    final RawConv.Geometry g;
    private final RawCuda cu = RawCuda.get();
    private final List<Tensor> tensors = new ArrayList<>();
    private final cudnnTensorStruct xDesc = new cudnnTensorStruct();
    private final cudnnTensorStruct yDesc = new cudnnTensorStruct();
    private final cudnnTensorStruct bDesc = new cudnnTensorStruct();
    private final cudnnFilterStruct wDesc = new cudnnFilterStruct();
    private final cudnnConvolutionStruct convDesc = new cudnnConvolutionStruct();
    private final Tensor x, w, bias, y, dy, dx, dw, dBias, workspace;
    private final int fwdAlgo;
    private final int bwdDataAlgo, bwdFilterAlgo;
    private final long workspaceBytes;

    RawCudnnConv(RawConv.Geometry g, boolean withBackward) {
        if (g.spatial() != 2 || g.groups() != 1 || g.padL()[0] != g.padR()[0] || g.padL()[1] != g.padR()[1]) {
            throw new IllegalArgumentException("RawCudnnConv: a 2-D, ungrouped, symmetrically padded convolution");
        }
        this.g = g;
        int n = Math.toIntExact(g.batch()), c = Math.toIntExact(g.inC()), k = Math.toIntExact(g.outC());
        int kh = Math.toIntExact(g.kernel()[0]), kw = Math.toIntExact(g.kernel()[1]);
        x = own(Gpu.uniform(11, g.inShape()));
        w = own(Gpu.uniform(12, k, kh, kw, c));
        bias = own(Gpu.uniform(13, k));
        y = own(Gpu.zeros(g.outShape()));
        check(cudnnCreateTensorDescriptor(xDesc), "cudnnCreateTensorDescriptor");
        check(cudnnCreateTensorDescriptor(yDesc), "cudnnCreateTensorDescriptor");
        check(cudnnCreateTensorDescriptor(bDesc), "cudnnCreateTensorDescriptor");
        check(cudnnCreateFilterDescriptor(wDesc), "cudnnCreateFilterDescriptor");
        check(cudnnCreateConvolutionDescriptor(convDesc), "cudnnCreateConvolutionDescriptor");
        check(cudnnSetTensor4dDescriptor(xDesc, CUDNN_TENSOR_NHWC, CUDNN_DATA_FLOAT, n, c, (int) g.in()[0],
                (int) g.in()[1]), "x descriptor");
        check(cudnnSetTensor4dDescriptor(yDesc, CUDNN_TENSOR_NHWC, CUDNN_DATA_FLOAT, n, k, (int) g.out()[0],
                (int) g.out()[1]), "y descriptor");
        check(cudnnSetTensor4dDescriptor(bDesc, CUDNN_TENSOR_NHWC, CUDNN_DATA_FLOAT, 1, k, 1, 1), "bias descriptor");
        check(cudnnSetFilter4dDescriptor(wDesc, CUDNN_DATA_FLOAT, CUDNN_TENSOR_NHWC, k, c, kh, kw), "filter");
        check(cudnnSetConvolution2dDescriptor(convDesc, (int) g.padL()[0], (int) g.padL()[1], (int) g.stride()[0],
                (int) g.stride()[1], 1, 1, CUDNN_CROSS_CORRELATION, CUDNN_DATA_FLOAT), "convolution descriptor");
        check(cudnnSetConvolutionMathType(convDesc, RawCuda.cudnnMath()), "cudnnSetConvolutionMathType");

        int[] returned = new int[1];
        cudnnConvolutionFwdAlgoPerf_t fwd = new cudnnConvolutionFwdAlgoPerf_t(CUDNN_CONVOLUTION_FWD_ALGO_COUNT);
        check(cudnnFindConvolutionForwardAlgorithm(cu.dnn, xDesc, wDesc, convDesc, yDesc,
                CUDNN_CONVOLUTION_FWD_ALGO_COUNT, returned, fwd), "cudnnFindConvolutionForwardAlgorithm");
        int best = choose("forward", returned[0], i -> fwd.getPointer(i).status(), i -> fwd.getPointer(i).mathType(),
                i -> fwd.getPointer(i).algo());
        fwdAlgo = fwd.getPointer(best).algo();
        long ws = fwd.getPointer(best).memory();
        if (withBackward) {
            dy = own(Gpu.uniform(14, g.outShape()));
            dx = own(Gpu.zeros(g.inShape()));
            dw = own(Gpu.zeros(k, kh, kw, c));
            dBias = own(Gpu.zeros(k));
            cudnnConvolutionBwdDataAlgoPerf_t bd =
                    new cudnnConvolutionBwdDataAlgoPerf_t(CUDNN_CONVOLUTION_BWD_DATA_ALGO_COUNT);
            check(cudnnFindConvolutionBackwardDataAlgorithm(cu.dnn, wDesc, yDesc, convDesc, xDesc,
                    CUDNN_CONVOLUTION_BWD_DATA_ALGO_COUNT, returned, bd), "cudnnFindConvolutionBackwardDataAlgorithm");
            best = choose("backward-data", returned[0], i -> bd.getPointer(i).status(),
                    i -> bd.getPointer(i).mathType(), i -> bd.getPointer(i).algo());
            bwdDataAlgo = bd.getPointer(best).algo();
            ws = Math.max(ws, bd.getPointer(best).memory());
            cudnnConvolutionBwdFilterAlgoPerf_t bf =
                    new cudnnConvolutionBwdFilterAlgoPerf_t(CUDNN_CONVOLUTION_BWD_FILTER_ALGO_COUNT);
            check(cudnnFindConvolutionBackwardFilterAlgorithm(cu.dnn, xDesc, yDesc, convDesc, wDesc,
                    CUDNN_CONVOLUTION_BWD_FILTER_ALGO_COUNT, returned, bf),
                    "cudnnFindConvolutionBackwardFilterAlgorithm");
            best = choose("backward-filter", returned[0], i -> bf.getPointer(i).status(),
                    i -> bf.getPointer(i).mathType(), i -> bf.getPointer(i).algo());
            bwdFilterAlgo = bf.getPointer(best).algo();
            ws = Math.max(ws, bf.getPointer(best).memory());
        } else {
            dy = dx = dw = dBias = null;
            bwdDataAlgo = bwdFilterAlgo = -1;
        }
        workspaceBytes = ws;
        workspace = own(Gpu.bytes(ws));
        Gpu.sync();  // the buffers are filled on jkeras's stream
    }

    /**
     * The index of the fastest measured algorithm (cudnnFind sorts them by time) that ran with FMA math (any math
     * type where TF32 is allowed), as CudaBackend's CudnnConvolution chooses; failing that, the fastest that ran,
     * with a warning naming its math type.
     */
    private int choose(String what, int returned, IntUnaryOperator status, IntUnaryOperator math,
            IntUnaryOperator algo) {
        int wanted = RawCuda.cudnnMath();
        int anyMath = -1;
        for (int i = 0; i < returned; i++) {
            if (status.applyAsInt(i) == CUDNN_STATUS_SUCCESS) {
                if (RawCuda.TF32 || math.applyAsInt(i) == wanted) {
                    return i;
                }
                if (anyMath < 0) {
                    anyMath = i;
                }
            }
        }
        if (anyMath < 0) {
            throw new IllegalStateException("cuDNN has no " + what + " algorithm for " + this);
        }
        System.err.println("RawCudnnConv: no " + what + " algorithm with math type " + wanted + " for " + this
                + "; using algo " + algo.applyAsInt(anyMath) + " with math type " + math.applyAsInt(anyMath));
        return anyMath;
    }

    private Tensor own(Tensor t) {
        tensors.add(t);
        return t;
    }

    private static void check(int status, String what) {
        RawCuda.cudnnCheck(status, what);
    }

    private void queueForward() {
        check(cudnnConvolutionForward(cu.dnn, cu.one, xDesc, Data.view(x), wDesc, Data.view(w), convDesc, fwdAlgo,
                Data.view(workspace), workspaceBytes, cu.zero, yDesc, Data.view(y)), "cudnnConvolutionForward");
        check(cudnnAddTensor(cu.dnn, cu.one, bDesc, Data.view(bias), cu.one, yDesc, Data.view(y)), "cudnnAddTensor");
    }

    /** y = conv(x, w) + bias, waited for. */
    int forward() {
        queueForward();
        return cu.sync();
    }

    /** The forward, then dx, dw and the bias gradient for the given dy, waited for. */
    int forwardBackward() {
        queueForward();
        check(cudnnConvolutionBackwardData(cu.dnn, cu.one, wDesc, Data.view(w), yDesc, Data.view(dy), convDesc,
                bwdDataAlgo, Data.view(workspace), workspaceBytes, cu.zero, xDesc, Data.view(dx)),
                "cudnnConvolutionBackwardData");
        check(cudnnConvolutionBackwardFilter(cu.dnn, cu.one, xDesc, Data.view(x), yDesc, Data.view(dy), convDesc,
                bwdFilterAlgo, Data.view(workspace), workspaceBytes, cu.zero, wDesc, Data.view(dw)),
                "cudnnConvolutionBackwardFilter");
        check(cudnnConvolutionBackwardBias(cu.dnn, cu.one, yDesc, Data.view(dy), cu.zero, bDesc, Data.view(dBias)),
                "cudnnConvolutionBackwardBias");
        return cu.sync();
    }

    /** The algorithms chosen, for the log. */
    String algorithms() {
        return "forward algo " + fwdAlgo + (bwdDataAlgo >= 0 ? ", backward-data algo " + bwdDataAlgo
                + ", backward-filter algo " + bwdFilterAlgo : "") + ", workspace " + (workspaceBytes >> 10) + " KiB";
    }

    @Override
    public String toString() {
        return "conv " + java.util.Arrays.toString(g.inShape()) + " -> " + java.util.Arrays.toString(g.outShape())
                + ", kernel " + java.util.Arrays.toString(g.kernel());
    }

    @Override
    public void close() {
        cudnnDestroyTensorDescriptor(xDesc);
        cudnnDestroyTensorDescriptor(yDesc);
        cudnnDestroyTensorDescriptor(bDesc);
        cudnnDestroyFilterDescriptor(wDesc);
        cudnnDestroyConvolutionDescriptor(convDesc);
        Data.closeAll(tensors.toArray(new Tensor[0]));
    }
}
