package io.jkeras.backend.cuda;

import static io.jkeras.backend.cuda.CudaNative.*;
import static org.bytedeco.cuda.global.cudnn.*;

import io.jkeras.backend.BinaryOp;
import io.jkeras.backend.ConvDesc;
import io.jkeras.backend.NativeException;
import io.jkeras.backend.NativeMemory;
import io.jkeras.backend.ReduceOp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.cuda.cudnn.cudnnContext;
import org.bytedeco.cuda.cudnn.cudnnConvolutionBwdDataAlgoPerf_t;
import org.bytedeco.cuda.cudnn.cudnnConvolutionBwdFilterAlgoPerf_t;
import org.bytedeco.cuda.cudnn.cudnnConvolutionFwdAlgoPerf_t;
import org.bytedeco.cuda.cudnn.cudnnConvolutionStruct;
import org.bytedeco.cuda.cudnn.cudnnFilterStruct;
import org.bytedeco.cuda.cudnn.cudnnTensorStruct;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.SizeTPointer;

/**
 * Convolutions on cuDNN in Keras's layouts (see {@link ConvDesc}), with the CPU backend's numbers
 * (native/src/cpu/conv.cpp). Activations stay where they are: cuDNN reads N[D]HWC or NC[D]HW through explicit
 * strides; 1D runs as 2D with a unit height. Keras's kernel (k..., in / groups, out) is reordered on every call
 * (training updates it in place) into cuDNN's filter layout matching the activations: (out, k..., in / groups) for
 * channels_last, (out, in / groups, k...) for channels_first. cuDNN pads symmetrically only: an axis whose padding
 * it cannot express runs on a zero-padded (or cropped) copy of the input. Descriptors are cached by geometry, and
 * so is each pass's algorithm, measured with cudnnFind*AlgorithmEx on the first call's own buffers (the heuristics
 * of cudnnGet*Algorithm_v7 size the search and stand in where it finds nothing usable); callers hold the backend's
 * lock, which also guards the scratch buffers.
 *
 * <p>cuDNN 9 marks this (legacy) convolution API deprecated in favour of its graph API; it still ships and serves.
 */
@SuppressWarnings("deprecation")
final class CudnnConvolution {
    /** The most workspace an algorithm may ask for: faster algorithms needing more are passed over. */
    private static final long WORKSPACE_LIMIT = 1L << 30;
    /** The most workspace algorithms are measured in beyond what the heuristics' first choice needs. */
    private static final long SEARCH_WORKSPACE = 256L << 20;

    private static final String WORKSPACE = "cudnn.conv.workspace";
    private static final String PADDED_INPUT = "cudnn.conv.paddedInput";
    private static final String FILTER = "cudnn.conv.filter";
    private static final String FILTER_GRADIENT = "cudnn.conv.filterGradient";
    private static final String BIAS_PARTIAL = "cudnn.conv.biasPartial";

    private final CudaBackend backend;
    private final Map<String, Plan> plans = new HashMap<>();
    private final FloatPointer one = new FloatPointer(new float[] {1f});
    private final FloatPointer zero = new FloatPointer(new float[] {0f});
    private final SizeTPointer workspaceBytes = new SizeTPointer(1);

    CudnnConvolution(CudaBackend backend) {
        this.backend = backend;
    }

    /** An algorithm of one pass, the math type it was chosen for, and its workspace. */
    private record Algo(int algo, int mathType, long workspace) {
    }

    /** Everything about one geometry that does not change between calls: its layouts, descriptors, algorithms. */
    private static final class Plan {
        final String geometry;
        final long[] inSize;
        final long[] outSize;
        final long inputFloats;
        // per spatial axis: the padding cuDNN applies and the input length it sees (x's, or its padded copy's)
        final long[] pad;
        final long[] seen;
        // the copy cuDNN reads where some axis needs explicit padding: paddedFloats floats, of which the region
        // copyShape is x's (at xOffset, xStrides) placed at xpOffset (xpStrides); shapes and strides in memory order
        boolean padded;
        long paddedFloats;
        long[] copyShape;
        long[] xStrides;
        long[] xpStrides;
        long xOffset;
        long xpOffset;
        boolean copies; // some input element lies inside the padded copy
        boolean zeroFills; // some element of the padded copy is padding
        boolean crops; // some input element lies outside the padded copy: its gradient is zero
        // Keras's kernel (k..., in / groups, out) and cuDNN's packed filter, both indexed along wShape (cuDNN's order)
        final long[] wShape;
        final long[] kerasStrides;
        final long[] cudnnStrides;
        final long wFloats;
        cudnnTensorStruct x;
        cudnnTensorStruct y;
        cudnnFilterStruct w;
        cudnnConvolutionStruct conv;
        Algo forward;
        Algo backwardData;
        Algo backwardFilter;

        /** The layouts of a validated geometry (no cuDNN call). */
        Plan(ConvDesc d, String op) {
            geometry = describe(d);
            int s = d.spatial();
            boolean cf = d.channelsFirst();
            inSize = Arrays.copyOf(d.inSize(), s);
            outSize = Arrays.copyOf(d.outSize(), s);
            long n = d.batch();
            long cin = d.inChannels();
            inputFloats = n * cin * product(inSize);
            pad = new long[s];
            seen = new long[s];
            long[] srcStart = new long[s];
            long[] dstStart = new long[s];
            long[] count = new long[s];
            for (int i = 0; i < s; i++) {
                long in = inSize[i];
                long stride = d.stride()[i];
                long span = (d.kernel()[i] - 1) * d.dilation()[i] + 1;
                long begin = d.padBegin()[i];
                long end = d.padEnd()[i];
                // padding begin at both ends gives the same windows wherever it gives as many of them
                if (begin >= 0 && in + 2 * begin >= span && (in + 2 * begin - span) / stride + 1 == outSize[i]) {
                    pad[i] = begin;
                    seen[i] = in;
                    count[i] = in;
                } else {
                    seen[i] = in + begin + end;
                    if (seen[i] < span) {
                        throw new NativeException(1, op + " on " + geometry + ": spatial axis " + i + ": input " + in
                                + " padded by " + begin + "/" + end + " is shorter than the kernel span " + span);
                    }
                    padded = true;
                    srcStart[i] = Math.max(0, -begin);
                    dstStart[i] = Math.max(0, begin);
                    count[i] = Math.min(in, seen[i] - begin) - srcStart[i];
                }
            }
            if (padded) {
                long[] xs = activationStrides(cin, inSize, cf);
                long[] xps = activationStrides(cin, seen, cf);
                long[] shape = new long[s + 2];
                shape[0] = n;
                shape[1] = cin;
                copies = true;
                for (int i = 0; i < s; i++) {
                    shape[2 + i] = count[i];
                    xOffset += srcStart[i] * xs[2 + i];
                    xpOffset += dstStart[i] * xps[2 + i];
                    copies &= count[i] > 0;
                    zeroFills |= count[i] < seen[i];
                    crops |= count[i] < inSize[i];
                }
                paddedFloats = n * cin * product(seen);
                copyShape = memoryOrder(shape, cf);
                xStrides = memoryOrder(xs, cf);
                xpStrides = memoryOrder(xps, cf);
            }
            // Keras's (k..., ci, o) against cuDNN's (o, k..., ci) for channels_last or (o, ci, k...) otherwise
            long ci = cin / d.groups();
            long o = d.outChannels();
            long[] kernelStrides = new long[s];
            long acc = ci * o;
            for (int i = s - 1; i >= 0; i--) {
                kernelStrides[i] = acc;
                acc *= d.kernel()[i];
            }
            wFloats = acc;
            wShape = new long[s + 2];
            kerasStrides = new long[s + 2];
            int k0 = cf ? 2 : 1;
            int c = cf ? 1 : s + 1;
            wShape[0] = o;
            kerasStrides[0] = 1;
            wShape[c] = ci;
            kerasStrides[c] = o;
            for (int i = 0; i < s; i++) {
                wShape[k0 + i] = d.kernel()[i];
                kerasStrides[k0 + i] = kernelStrides[i];
            }
            cudnnStrides = new long[s + 2];
            long packed = 1;
            for (int i = s + 1; i >= 0; i--) {
                cudnnStrides[i] = packed;
                packed *= wShape[i];
            }
        }
    }

    // ------------------------------------------------------------------------------------------ the passes

    void forward(ConvDesc d, long x, long w, long bias, long y) {
        String op = "convForward";
        if (d.batch() == 0) {
            validate(d, op);
            return;
        }
        Plan p = plan(d, op);
        long input = input(p, x);
        long filter = filter(p, w);
        Algo a = forwardAlgo(p, op, input, filter, y);
        long workspace = backend.scratch(WORKSPACE, a.workspace());
        setMath(p, a.mathType(), op);
        check(cudnnConvolutionForward(backend.cudnn(), one, p.x, NativeMemory.at(input), p.w,
                NativeMemory.at(filter), p.conv, a.algo(), NativeMemory.at(workspace), a.workspace(), zero, p.y,
                NativeMemory.at(y)), op, p, "cudnnConvolutionForward");
        if (bias != 0) {
            addBias(y, bias, d.batch(), d.outChannels(), p.outSize, d.channelsFirst());
        }
    }

    /** The transposed convolution of d (groups 1): its backward-data pass with x as dy, plus the bias. */
    void transposeForward(ConvDesc d, long x, long w, long bias, long y) {
        String op = "convTransposeForward";
        if (d.groups() != 1) {
            throw new NativeException(1, op + ": transposed convolutions take groups = 1, got " + d.groups());
        }
        if (d.batch() == 0) {
            validate(d, op);
            return;
        }
        Plan p = plan(d, op);
        backwardData(p, x, w, y, op);
        if (bias != 0) {
            addBias(y, bias, d.batch(), d.inChannels(), p.inSize, d.channelsFirst());
        }
    }

    void backwardData(ConvDesc d, long dy, long w, long dx) {
        String op = "convBackwardData";
        if (d.batch() == 0) {
            validate(d, op);
            return;
        }
        backwardData(plan(d, op), dy, w, dx, op);
    }

    /** dw (and dBias unless 0) overwritten with the gradients of the convolution given x and dy. */
    void backwardWeights(ConvDesc d, long x, long dy, long dw, long dBias) {
        String op = "convBackwardWeights";
        if (d.batch() == 0) {
            validate(d, op);
            CudaBackend.check(jkc_fill(backend.stream(), dw, product(d.kernelShape()), 0f));
            if (dBias != 0) {
                CudaBackend.check(jkc_fill(backend.stream(), dBias, d.outChannels(), 0f));
            }
            return;
        }
        Plan p = plan(d, op);
        long input = input(p, x);
        long filterGradient = backend.scratch(FILTER_GRADIENT, 4 * p.wFloats);
        Algo a = backwardFilterAlgo(p, op, input, dy, filterGradient);
        long workspace = backend.scratch(WORKSPACE, a.workspace());
        setMath(p, a.mathType(), op);
        check(cudnnConvolutionBackwardFilter(backend.cudnn(), one, p.x, NativeMemory.at(input), p.y,
                NativeMemory.at(dy), p.conv, a.algo(), NativeMemory.at(workspace), a.workspace(), zero, p.w,
                NativeMemory.at(filterGradient)), op, p, "cudnnConvolutionBackwardFilter");
        CudaBackend.check(jkc_copy_strided(backend.stream(), p.wShape.length, p.wShape, filterGradient,
                p.cudnnStrides, dw, p.kerasStrides));
        if (dBias != 0) {
            biasGradient(dy, dBias, d.batch(), d.outChannels(), p.outSize, d.channelsFirst());
        }
    }

    private void backwardData(Plan p, long dy, long w, long dx, String op) {
        long filter = filter(p, w);
        long target = p.padded ? backend.scratch(PADDED_INPUT, 4 * p.paddedFloats) : dx;
        Algo a = backwardDataAlgo(p, op, dy, filter, target);
        long workspace = backend.scratch(WORKSPACE, a.workspace());
        setMath(p, a.mathType(), op);
        check(cudnnConvolutionBackwardData(backend.cudnn(), one, p.w, NativeMemory.at(filter), p.y,
                NativeMemory.at(dy), p.conv, a.algo(), NativeMemory.at(workspace), a.workspace(), zero, p.x,
                NativeMemory.at(target)), op, p, "cudnnConvolutionBackwardData");
        if (p.padded) {
            // the gradient of the padded copy's interior is the input's; cropped input elements get zero
            if (p.crops) {
                CudaBackend.check(jkc_fill(backend.stream(), dx, p.inputFloats, 0f));
            }
            if (p.copies) {
                CudaBackend.check(jkc_copy_strided(backend.stream(), p.copyShape.length, p.copyShape,
                        target + 4 * p.xpOffset, p.xpStrides, dx + 4 * p.xOffset, p.xStrides));
            }
        }
    }

    /** The input cuDNN reads: x itself, or its padded / cropped copy. */
    private long input(Plan p, long x) {
        if (!p.padded) {
            return x;
        }
        long xp = backend.scratch(PADDED_INPUT, 4 * p.paddedFloats);
        if (p.zeroFills) {
            CudaBackend.check(jkc_fill(backend.stream(), xp, p.paddedFloats, 0f));
        }
        if (p.copies) {
            CudaBackend.check(jkc_copy_strided(backend.stream(), p.copyShape.length, p.copyShape,
                    x + 4 * p.xOffset, p.xStrides, xp + 4 * p.xpOffset, p.xpStrides));
        }
        return xp;
    }

    /** Keras's kernel w reordered into cuDNN's filter layout, in a scratch buffer. */
    private long filter(Plan p, long w) {
        long filter = backend.scratch(FILTER, 4 * p.wFloats);
        CudaBackend.check(jkc_copy_strided(backend.stream(), p.wShape.length, p.wShape, w, p.kerasStrides, filter,
                p.cudnnStrides));
        return filter;
    }

    /** y += bias along the channel axis of an activation (n, c, sizes...). */
    private void addBias(long y, long bias, long n, long c, long[] sizes, boolean channelsFirst) {
        long p = product(sizes);
        long[] shape = channelsFirst ? new long[] {n, c, p} : new long[] {n * p, c};
        long[] yStrides = channelsFirst ? new long[] {c * p, p, 1} : new long[] {c, 1};
        long[] biasStrides = channelsFirst ? new long[] {0, 1, 0} : new long[] {0, 1};
        CudaBackend.check(jkc_binary(backend.stream(), BinaryOp.ADD.code, shape.length, shape, y, yStrides, bias,
                biasStrides, y));
    }

    /** dBias = the sum of dy over all but its channel axis. */
    private void biasGradient(long dy, long dBias, long n, long c, long[] sizes, boolean channelsFirst) {
        long p = product(sizes);
        int sum = ReduceOp.SUM.code;
        if (channelsFirst) {
            long partial = backend.scratch(BIAS_PARTIAL, 4 * n * c);
            CudaBackend.check(jkc_reduce(backend.stream(), sum, dy, partial, n * c, p, 1));
            CudaBackend.check(jkc_reduce(backend.stream(), sum, partial, dBias, 1, n, c));
        } else {
            CudaBackend.check(jkc_reduce(backend.stream(), sum, dy, dBias, 1, n * p, c));
        }
    }

    // ------------------------------------------------------------------------------------------ algorithms

    private int baseMath() {
        return backend.tf32() ? CUDNN_DEFAULT_MATH : CUDNN_FMA_MATH;
    }

    /** Whether an algorithm runs here: supported, within the workspace limit, no TF32 unless allowed. */
    private boolean usable(int status, int mathType, long memory) {
        return status == CUDNN_STATUS_SUCCESS && memory <= WORKSPACE_LIMIT
                && (backend.tf32() || mathType == CUDNN_FMA_MATH);
    }

    /** cuDNN picks tensor-core kernels by algorithm and the descriptor's math type together. */
    private void setMath(Plan p, int mathType, String op) {
        check(cudnnSetConvolutionMathType(p.conv, mathType), op, p, "cudnnSetConvolutionMathType");
    }

    /**
     * The forward algorithm of p: on its first call, the fastest usable one cudnnFindConvolutionForwardAlgorithmEx
     * measures on this call's buffers (it writes only y, which the call overwrites), else the heuristics' first.
     */
    private Algo forwardAlgo(Plan p, String op, long x, long w, long y) {
        if (p.forward != null) {
            return p.forward;
        }
        cudnnContext h = backend.cudnn();
        int[] max = new int[1];
        int[] returned = new int[1];
        check(cudnnGetConvolutionForwardAlgorithmMaxCount(h, max), op, p,
                "cudnnGetConvolutionForwardAlgorithmMaxCount");
        Algo chosen;
        try (cudnnConvolutionFwdAlgoPerf_t perf = new cudnnConvolutionFwdAlgoPerf_t(max[0])) {
            setMath(p, baseMath(), op);
            check(cudnnGetConvolutionForwardAlgorithm_v7(h, p.x, p.w, p.conv, p.y, max[0], returned, perf), op, p,
                    "cudnnGetConvolutionForwardAlgorithm_v7");
            List<Algo> suggested = candidates(perf, returned[0]);
            long searchBytes = searchWorkspace(suggested, op, p);
            long workspace = backend.scratch(WORKSPACE, searchBytes);
            setMath(p, baseMath(), op);
            int status = cudnnFindConvolutionForwardAlgorithmEx(h, p.x, NativeMemory.at(x), p.w, NativeMemory.at(w),
                    p.conv, p.y, NativeMemory.at(y), max[0], returned, perf, NativeMemory.at(workspace), searchBytes);
            chosen = first(status == CUDNN_STATUS_SUCCESS ? candidates(perf, returned[0]) : List.of(), suggested);
        }
        setMath(p, chosen.mathType(), op);
        check(cudnnGetConvolutionForwardWorkspaceSize(h, p.x, p.w, p.conv, p.y, chosen.algo(), workspaceBytes), op,
                p, "cudnnGetConvolutionForwardWorkspaceSize");
        p.forward = new Algo(chosen.algo(), chosen.mathType(), workspaceBytes.get());
        return p.forward;
    }

    /** As {@link #forwardAlgo}, measured on dy, the filter and dx (or its padded scratch), which it writes. */
    private Algo backwardDataAlgo(Plan p, String op, long dy, long w, long dx) {
        if (p.backwardData != null) {
            return p.backwardData;
        }
        cudnnContext h = backend.cudnn();
        int[] max = new int[1];
        int[] returned = new int[1];
        check(cudnnGetConvolutionBackwardDataAlgorithmMaxCount(h, max), op, p,
                "cudnnGetConvolutionBackwardDataAlgorithmMaxCount");
        Algo chosen;
        try (cudnnConvolutionBwdDataAlgoPerf_t perf = new cudnnConvolutionBwdDataAlgoPerf_t(max[0])) {
            setMath(p, baseMath(), op);
            check(cudnnGetConvolutionBackwardDataAlgorithm_v7(h, p.w, p.y, p.conv, p.x, max[0], returned, perf), op,
                    p, "cudnnGetConvolutionBackwardDataAlgorithm_v7");
            List<Algo> suggested = candidates(perf, returned[0]);
            long searchBytes = searchWorkspace(suggested, op, p);
            long workspace = backend.scratch(WORKSPACE, searchBytes);
            setMath(p, baseMath(), op);
            int status = cudnnFindConvolutionBackwardDataAlgorithmEx(h, p.w, NativeMemory.at(w), p.y,
                    NativeMemory.at(dy), p.conv, p.x, NativeMemory.at(dx), max[0], returned, perf,
                    NativeMemory.at(workspace), searchBytes);
            chosen = first(status == CUDNN_STATUS_SUCCESS ? candidates(perf, returned[0]) : List.of(), suggested);
        }
        setMath(p, chosen.mathType(), op);
        check(cudnnGetConvolutionBackwardDataWorkspaceSize(h, p.w, p.y, p.conv, p.x, chosen.algo(), workspaceBytes),
                op, p, "cudnnGetConvolutionBackwardDataWorkspaceSize");
        p.backwardData = new Algo(chosen.algo(), chosen.mathType(), workspaceBytes.get());
        return p.backwardData;
    }

    /** As {@link #forwardAlgo}, measured on x (or its padded copy), dy and the filter-gradient scratch it writes. */
    private Algo backwardFilterAlgo(Plan p, String op, long x, long dy, long dw) {
        if (p.backwardFilter != null) {
            return p.backwardFilter;
        }
        cudnnContext h = backend.cudnn();
        int[] max = new int[1];
        int[] returned = new int[1];
        check(cudnnGetConvolutionBackwardFilterAlgorithmMaxCount(h, max), op, p,
                "cudnnGetConvolutionBackwardFilterAlgorithmMaxCount");
        Algo chosen;
        try (cudnnConvolutionBwdFilterAlgoPerf_t perf = new cudnnConvolutionBwdFilterAlgoPerf_t(max[0])) {
            setMath(p, baseMath(), op);
            check(cudnnGetConvolutionBackwardFilterAlgorithm_v7(h, p.x, p.y, p.conv, p.w, max[0], returned, perf),
                    op, p, "cudnnGetConvolutionBackwardFilterAlgorithm_v7");
            List<Algo> suggested = candidates(perf, returned[0]);
            long searchBytes = searchWorkspace(suggested, op, p);
            long workspace = backend.scratch(WORKSPACE, searchBytes);
            setMath(p, baseMath(), op);
            int status = cudnnFindConvolutionBackwardFilterAlgorithmEx(h, p.x, NativeMemory.at(x), p.y,
                    NativeMemory.at(dy), p.conv, p.w, NativeMemory.at(dw), max[0], returned, perf,
                    NativeMemory.at(workspace), searchBytes);
            chosen = first(status == CUDNN_STATUS_SUCCESS ? candidates(perf, returned[0]) : List.of(), suggested);
        }
        setMath(p, chosen.mathType(), op);
        check(cudnnGetConvolutionBackwardFilterWorkspaceSize(h, p.x, p.y, p.conv, p.w, chosen.algo(), workspaceBytes),
                op, p, "cudnnGetConvolutionBackwardFilterWorkspaceSize");
        p.backwardFilter = new Algo(chosen.algo(), chosen.mathType(), workspaceBytes.get());
        return p.backwardFilter;
    }

    /**
     * The workspace Find*Ex may try algorithms in: what the heuristics' usable suggestions ask for, at most
     * SEARCH_WORKSPACE, but never less than their first needs (so it is always among those measured).
     */
    private long searchWorkspace(List<Algo> suggested, String op, Plan p) {
        if (suggested.isEmpty()) {
            throw noAlgorithm(op, p);
        }
        long most = 0;
        for (Algo a : suggested) {
            most = Math.max(most, a.workspace());
        }
        return Math.max(suggested.get(0).workspace(), Math.min(most, SEARCH_WORKSPACE));
    }

    /** The fastest measured algorithm, or the heuristics' first where the measurement gave none usable. */
    private static Algo first(List<Algo> measured, List<Algo> suggested) {
        return measured.isEmpty() ? suggested.get(0) : measured.get(0);
    }

    // the usable entries of a Get_v7 or Find*Ex answer, in cuDNN's order (Find*Ex: fastest first)

    private List<Algo> candidates(cudnnConvolutionFwdAlgoPerf_t perf, int returned) {
        List<Algo> out = new ArrayList<>();
        for (int i = 0; i < returned; i++) {
            cudnnConvolutionFwdAlgoPerf_t e = perf.getPointer(i);
            if (usable(e.status(), e.mathType(), e.memory())) {
                out.add(new Algo(e.algo(), e.mathType(), e.memory()));
            }
        }
        return out;
    }

    private List<Algo> candidates(cudnnConvolutionBwdDataAlgoPerf_t perf, int returned) {
        List<Algo> out = new ArrayList<>();
        for (int i = 0; i < returned; i++) {
            cudnnConvolutionBwdDataAlgoPerf_t e = perf.getPointer(i);
            if (usable(e.status(), e.mathType(), e.memory())) {
                out.add(new Algo(e.algo(), e.mathType(), e.memory()));
            }
        }
        return out;
    }

    private List<Algo> candidates(cudnnConvolutionBwdFilterAlgoPerf_t perf, int returned) {
        List<Algo> out = new ArrayList<>();
        for (int i = 0; i < returned; i++) {
            cudnnConvolutionBwdFilterAlgoPerf_t e = perf.getPointer(i);
            if (usable(e.status(), e.mathType(), e.memory())) {
                out.add(new Algo(e.algo(), e.mathType(), e.memory()));
            }
        }
        return out;
    }

    private NativeException noAlgorithm(String op, Plan p) {
        return new NativeException(4, op + ": cuDNN has no algorithm for " + p.geometry
                + (backend.tf32() ? "" : " in full float32 (FMA math; -Djkeras.cuda.tf32=true allows TF32)")
                + " within a workspace of " + (WORKSPACE_LIMIT >> 20) + " MiB");
    }

    private static void check(int status, String op, Plan p, String call) {
        if (status != CUDNN_STATUS_SUCCESS) {
            Cudnn.check(status, op + " on " + p.geometry + ": " + call);
        }
    }

    // ------------------------------------------------------------------------------------------ geometry

    private Plan plan(ConvDesc d, String op) {
        String key = Arrays.toString(d.toArray());
        Plan p = plans.get(key);
        if (p == null) {
            validate(d, op);
            p = build(d, op);
            plans.put(key, p);
        }
        return p;
    }

    /** A plan with its cuDNN descriptors: 1D runs as 2D with a unit height, activations described by strides. */
    private Plan build(ConvDesc d, String op) {
        Plan p = new Plan(d, op);
        String where = op + " on " + p.geometry;
        boolean cf = d.channelsFirst();
        long cin = d.inChannels();
        long[] xDims = cudnnDims(d.batch(), cin, p.seen);
        p.x = Cudnn.tensor(xDims, activationStrides(cin, Arrays.copyOfRange(xDims, 2, xDims.length), cf),
                where + " (input)");
        long[] yDims = cudnnDims(d.batch(), d.outChannels(), p.outSize);
        p.y = Cudnn.tensor(yDims,
                activationStrides(d.outChannels(), Arrays.copyOfRange(yDims, 2, yDims.length), cf),
                where + " (output)");
        p.w = Cudnn.filter(cf ? CUDNN_TENSOR_NCHW : CUDNN_TENSOR_NHWC,
                cudnnDims(d.outChannels(), cin / d.groups(), Arrays.copyOf(d.kernel(), d.spatial())),
                where + " (kernel)");
        p.conv = convolution(d, p.pad, where);
        return p;
    }

    private cudnnConvolutionStruct convolution(ConvDesc d, long[] pad, String where) {
        int s = d.spatial();
        int[] pads = Cudnn.toInts(cudnnSpatial(pad, 0), where);
        int[] strides = Cudnn.toInts(cudnnSpatial(Arrays.copyOf(d.stride(), s), 1), where);
        int[] dilations = Cudnn.toInts(cudnnSpatial(Arrays.copyOf(d.dilation(), s), 1), where);
        cudnnConvolutionStruct conv = new cudnnConvolutionStruct();
        Cudnn.check(cudnnCreateConvolutionDescriptor(conv), where + ": cudnnCreateConvolutionDescriptor");
        int status = cudnnSetConvolutionNdDescriptor(conv, pads.length, pads, strides, dilations,
                CUDNN_CROSS_CORRELATION, CUDNN_DATA_FLOAT);
        if (status == CUDNN_STATUS_SUCCESS) {
            status = cudnnSetConvolutionGroupCount(conv, Cudnn.toInt(d.groups(), where));
        }
        if (status == CUDNN_STATUS_SUCCESS) {
            status = cudnnSetConvolutionMathType(conv, baseMath());
        }
        if (status != CUDNN_STATUS_SUCCESS) {
            cudnnDestroyConvolutionDescriptor(conv);
            Cudnn.check(status, where + ": cudnnSetConvolution (padding " + Arrays.toString(pads) + ", strides "
                    + Arrays.toString(strides) + ", dilations " + Arrays.toString(dilations) + ")");
        }
        return conv;
    }

    /** (a, b, spatial...) with a unit height in front of a single spatial axis: cuDNN convolves 2D and 3D only. */
    private static long[] cudnnDims(long a, long b, long[] spatial) {
        long[] s = cudnnSpatial(spatial, 1);
        long[] dims = new long[s.length + 2];
        dims[0] = a;
        dims[1] = b;
        System.arraycopy(s, 0, dims, 2, s.length);
        return dims;
    }

    private static long[] cudnnSpatial(long[] v, long unit) {
        return v.length == 1 ? new long[] {unit, v[0]} : v;
    }

    /** Packed strides of an activation (n, c, sizes...), listed in that order, laid out as the layout says. */
    private static long[] activationStrides(long c, long[] sizes, boolean channelsFirst) {
        int s = sizes.length;
        long[] strides = new long[s + 2];
        long acc = channelsFirst ? 1 : c;
        for (int i = s - 1; i >= 0; i--) {
            strides[2 + i] = acc;
            acc *= sizes[i];
        }
        strides[1] = channelsFirst ? acc : 1;
        strides[0] = channelsFirst ? acc * c : acc;
        return strides;
    }

    /** (n, c, spatial...) reordered to memory order, which keeps the strided copies' innermost axis contiguous. */
    private static long[] memoryOrder(long[] a, boolean channelsFirst) {
        if (channelsFirst) {
            return a;
        }
        long[] out = new long[a.length];
        out[0] = a[0];
        System.arraycopy(a, 2, out, 1, a.length - 2);
        out[a.length - 1] = a[1];
        return out;
    }

    private static long product(long[] v) {
        long p = 1;
        for (long x : v) {
            p *= x;
        }
        return p;
    }

    /** The CPU backend's checks (native/src/cpu/conv.cpp), with its messages. */
    private static void validate(ConvDesc d, String op) {
        int s = d.spatial();
        require(s >= 1 && s <= 3, op, "spatial must be 1, 2 or 3");
        require(d.batch() >= 0 && d.inChannels() > 0 && d.outChannels() > 0 && d.groups() > 0, op,
                "sizes must be positive");
        require(d.inChannels() % d.groups() == 0 && d.outChannels() % d.groups() == 0, op,
                "in_channels and out_channels must be multiples of groups");
        for (int i = 0; i < s; i++) {
            require(d.inSize()[i] > 0 && d.outSize()[i] > 0 && d.kernel()[i] > 0, op,
                    "spatial sizes must be positive");
            require(d.stride()[i] > 0 && d.dilation()[i] > 0, op, "strides and dilations must be positive");
            long span = (d.kernel()[i] - 1) * d.dilation()[i] + 1;
            long expected = (d.inSize()[i] + d.padBegin()[i] + d.padEnd()[i] - span) / d.stride()[i] + 1;
            if (expected != d.outSize()[i]) {
                throw new NativeException(1, op + ": spatial axis " + i + ": input " + d.inSize()[i]
                        + ", kernel span " + span + ", stride " + d.stride()[i] + " and padding " + d.padBegin()[i]
                        + "/" + d.padEnd()[i] + " give " + expected + " outputs, not " + d.outSize()[i]);
            }
        }
    }

    private static void require(boolean ok, String op, String what) {
        if (!ok) {
            throw new NativeException(1, op + ": " + what);
        }
    }

    private static String describe(ConvDesc d) {
        int s = d.spatial();
        return "input " + tuple(d.inputShape()) + (d.channelsFirst() ? " channels_first" : " channels_last")
                + ", kernel " + tuple(d.kernelShape()) + ", output " + tuple(d.outputShape()) + ", strides "
                + tuple(Arrays.copyOf(d.stride(), s)) + ", dilation " + tuple(Arrays.copyOf(d.dilation(), s))
                + ", padding " + tuple(Arrays.copyOf(d.padBegin(), s)) + "/" + tuple(Arrays.copyOf(d.padEnd(), s))
                + ", groups " + d.groups();
    }

    private static String tuple(long[] v) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < v.length; i++) {
            b.append(i == 0 ? "" : ", ").append(v[i]);
        }
        return b.append(v.length == 1 ? ",)" : ")").toString();
    }
}
