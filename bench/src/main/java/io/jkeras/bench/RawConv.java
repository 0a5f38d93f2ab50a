package io.jkeras.bench;

import static org.bytedeco.dnnl.global.dnnl.*;

import io.jkeras.tensor.DType;
import io.jkeras.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.dnnl.dnnl_memory_desc;
import org.bytedeco.dnnl.dnnl_primitive_desc;

/**
 * The raw oneDNN reference for a convolution layer: the best case a user of the oneDNN API could write for one
 * fixed geometry. Activations stay channels_last (nwc / nhwc, no conversion), the weights are reordered ONCE, in
 * setup, into the layout each primitive prefers (format tag any), the bias is fused, every primitive and buffer
 * is created up front, and a call is one execute plus a stream wait. The weight gradient stays in the layout the
 * backward-weights primitive prefers (a user who keeps the weights blocked never converts it back).
 *
 * <p>A convolution gets a forward-inference primitive and, when asked, forward-training, backward-data and
 * backward-weights (+ bias) primitives; a deconvolution (a transposed convolution) gets its forward primitive.
 */
final class RawConv implements AutoCloseable {
    /** One convolution's geometry: channels_last, explicit padding at each end, no dilation. */
    record Geometry(int spatial, long batch, long inC, long outC, long groups, long[] in, long[] out, long[] kernel,
            long[] stride, long[] padL, long[] padR) {

        /** 2 * N * prod(out) * OC * prod(kernel) * IC / groups: one multiply and one add per kernel tap. */
        double flops() {
            double f = 2.0 * batch * outC * (inC / groups);
            for (int i = 0; i < spatial; i++) {
                f *= out[i] * kernel[i];
            }
            return f;
        }

        long[] inShape() {
            return activation(inC, in);
        }

        long[] outShape() {
            return activation(outC, out);
        }

        long inElems() {
            return prod(inShape());
        }

        long outElems() {
            return prod(outShape());
        }

        long kernelElems() {
            long n = outC * (inC / groups);
            for (long k : kernel) {
                n *= k;
            }
            return n;
        }

        /** The same geometry with input and output swapped: the convolution a deconvolution transposes. */
        Geometry transposed() {
            return new Geometry(spatial, batch, outC, inC, groups, out, in, kernel, stride, padL, padR);
        }

        private long[] activation(long c, long[] size) {
            long[] s = new long[spatial + 2];
            s[0] = batch;
            System.arraycopy(size, 0, s, 1, spatial);
            s[spatial + 1] = c;
            return s;
        }

        /** oneDNN's logical dims (N, C, spatial...). */
        long[] dnnlDims(long c, long[] size) {
            long[] s = new long[spatial + 2];
            s[0] = batch;
            s[1] = c;
            System.arraycopy(size, 0, s, 2, spatial);
            return s;
        }

        /** oneDNN's logical weights dims: (OC, IC, k...) or (G, OC/G, IC/G, k...). */
        long[] weightDims() {
            int g = groups > 1 ? 1 : 0;
            long[] s = new long[spatial + 2 + g];
            if (g == 1) {
                s[0] = groups;
            }
            s[g] = outC / groups;
            s[g + 1] = inC / groups;
            System.arraycopy(kernel, 0, s, g + 2, spatial);
            return s;
        }

        static long prod(long[] s) {
            long n = 1;
            for (long d : s) {
                n *= d;
            }
            return n;
        }
    }

    final Geometry g;
    /** Buffers in the user's layouts: x (input), y (output), bias, dy (output gradient), dx (input gradient). */
    final Tensor x, y, bias, dy, dx, dBias;
    private final Tensor wUser;
    private final List<Tensor> tensors = new ArrayList<>();
    private final List<dnnl_memory_desc> mds = new ArrayList<>();
    private final List<RawOneDnn.Prim> prims = new ArrayList<>();
    private RawOneDnn.Prim fwdInference, fwdTraining, bwdData, bwdWeights, deconv;
    private final dnnl_memory_desc srcMd, dstMd, wUserMd, wAnyMd, biasMd;

    /** Bytes by which each reordered weights buffer is shifted from 64-byte alignment (profiling only). */
    private final long weightsOffset;

    private RawConv(Geometry g, boolean withBias, boolean backward, boolean deconvolution) {
        this(g, withBias, backward, deconvolution, 0);
    }

    private RawConv(Geometry g, boolean withBias, boolean backward, boolean deconvolution, long weightsOffset) {
        RawOneDnn.load();
        this.g = g;
        this.weightsOffset = weightsOffset;
        int s = g.spatial();
        int act = s == 1 ? dnnl_nwc : dnnl_nhwc;
        long[] dil = new long[s];
        srcMd = own(RawOneDnn.md(g.dnnlDims(g.inC(), g.in()), act));
        dstMd = own(RawOneDnn.md(g.dnnlDims(g.outC(), g.out()), act));
        int userTag = g.groups() > 1 ? (s == 1 ? dnnl_wigo : dnnl_hwigo) : (s == 1 ? dnnl_wio : dnnl_hwio);
        wUserMd = own(RawOneDnn.md(g.weightDims(), userTag));
        wAnyMd = own(RawOneDnn.md(g.weightDims(), dnnl_format_tag_any));
        biasMd = withBias ? own(RawOneDnn.md(new long[] {g.outC()}, dnnl_a)) : null;
        x = tensor(Data.uniform(11, g.inShape()));
        y = tensor(Tensor.zeros(g.outShape()));
        wUser = tensor(Data.uniform(12, g.kernelElems()));
        bias = withBias ? tensor(Data.uniform(13, g.outC())) : null;
        if (deconvolution) {
            dnnl_primitive_desc pd = new dnnl_primitive_desc();
            RawOneDnn.check(dnnl_deconvolution_forward_primitive_desc_create(pd, RawOneDnn.Engine.ENGINE,
                    dnnl_forward_inference, dnnl_deconvolution_direct, srcMd, wAnyMd, biasMd, dstMd, g.stride(), dil,
                    g.padL(), g.padR(), null), "dnnl_deconvolution_forward_primitive_desc_create");
            deconv = forward(pd, "deconvolution forward");
            dy = dx = dBias = null;
            return;
        }
        fwdInference = forward(convPd(dnnl_forward_inference, dil), "convolution forward (inference)");
        if (!backward) {
            dy = dx = dBias = null;
            return;
        }
        dy = tensor(Data.uniform(14, g.outShape()));
        dx = tensor(Tensor.zeros(g.inShape()));
        dBias = withBias ? tensor(Tensor.zeros(g.outC())) : null;
        dnnl_primitive_desc hint = convPd(dnnl_forward_training, dil);
        fwdTraining = forward(hint, "convolution forward (training)");
        dnnl_primitive_desc bd = new dnnl_primitive_desc();
        RawOneDnn.check(dnnl_convolution_backward_data_primitive_desc_create(bd, RawOneDnn.Engine.ENGINE,
                dnnl_convolution_direct, srcMd, wAnyMd, dstMd, g.stride(), dil, g.padL(), g.padR(), hint, null),
                "dnnl_convolution_backward_data_primitive_desc_create");
        bwdData = prim(bd, "convolution backward data");
        bwdData.bind(DNNL_ARG_DIFF_DST, dstMd, dy.address())
                .bind(DNNL_ARG_WEIGHTS, bwdData.query(dnnl_query_weights_md), preferredWeights(bwdData, false))
                .bind(DNNL_ARG_DIFF_SRC, srcMd, dx.address());
        dnnl_primitive_desc wd = new dnnl_primitive_desc();
        RawOneDnn.check(dnnl_convolution_backward_weights_primitive_desc_create(wd, RawOneDnn.Engine.ENGINE,
                dnnl_convolution_direct, srcMd, wAnyMd, biasMd, dstMd, g.stride(), dil, g.padL(), g.padR(), hint,
                null), "dnnl_convolution_backward_weights_primitive_desc_create");
        bwdWeights = prim(wd, "convolution backward weights");
        bwdWeights.bind(DNNL_ARG_SRC, srcMd, x.address())
                .bind(DNNL_ARG_DIFF_DST, dstMd, dy.address())
                .bind(DNNL_ARG_DIFF_WEIGHTS, bwdWeights.query(dnnl_query_diff_weights_md),
                        preferredWeights(bwdWeights, true));
        if (withBias) {
            bwdWeights.bind(DNNL_ARG_DIFF_BIAS, biasMd, dBias.address());
        }
    }

    /** A convolution: forward (inference) and, if backward, forward (training), backward data and weights. */
    static RawConv conv(Geometry g, boolean withBias, boolean backward) {
        return new RawConv(g, withBias, backward, false);
    }

    /**
     * A deconvolution (transposed convolution) from g's input to g's output: g.in is the small side, g.out the
     * large one; weights (OC, IC, k...).
     */
    static RawConv deconv(Geometry g, boolean withBias) {
        return new RawConv(g, withBias, false, true);
    }

    /** As {@link #conv}, every reordered weights buffer {@code offset} bytes past a 64-byte boundary. */
    static RawConv convMisaligned(Geometry g, boolean withBias, boolean backward, long offset) {
        return new RawConv(g, withBias, backward, false, offset);
    }

    private dnnl_primitive_desc convPd(int prop, long[] dil) {
        dnnl_primitive_desc pd = new dnnl_primitive_desc();
        RawOneDnn.check(dnnl_convolution_forward_primitive_desc_create(pd, RawOneDnn.Engine.ENGINE, prop,
                dnnl_convolution_direct, srcMd, wAnyMd, biasMd, dstMd, g.stride(), dil, g.padL(), g.padR(), null),
                "dnnl_convolution_forward_primitive_desc_create");
        return pd;
    }

    private RawOneDnn.Prim forward(dnnl_primitive_desc pd, String what) {
        RawOneDnn.Prim p = prim(pd, what);
        p.bind(DNNL_ARG_SRC, srcMd, x.address())
                .bind(DNNL_ARG_WEIGHTS, p.query(dnnl_query_weights_md), preferredWeights(p, false))
                .bind(DNNL_ARG_DST, dstMd, y.address());
        if (biasMd != null) {
            p.bind(DNNL_ARG_BIAS, biasMd, bias.address());
        }
        return p;
    }

    /** A buffer for the primitive's weights (or diff weights) layout; the weights reordered into it once. */
    private long preferredWeights(RawOneDnn.Prim p, boolean diff) {
        dnnl_memory_desc md = p.query(diff ? dnnl_query_diff_weights_md : dnnl_query_weights_md);
        Tensor buf = tensor(Tensor.empty(DType.FLOAT32, (dnnl_memory_desc_get_size(md) + 3) / 4 + 64));
        long address = buf.address() + weightsOffset;
        if (!diff) {
            RawOneDnn.reorder(wUserMd, wUser.address(), md, address);
        }
        return address;
    }

    private RawOneDnn.Prim prim(dnnl_primitive_desc pd, String what) {
        RawOneDnn.Prim p = new RawOneDnn.Prim(pd, what);
        prims.add(p);
        return p;
    }

    private dnnl_memory_desc own(dnnl_memory_desc md) {
        mds.add(md);
        return md;
    }

    private Tensor tensor(Tensor t) {
        tensors.add(t);
        return t;
    }

    /** Forward inference (convolution or deconvolution, bias fused). */
    int forward() {
        return deconv != null ? deconv.execute() : fwdInference.execute();
    }

    /** Forward (training), backward data, backward weights (+ bias): one training step's convolution work. */
    int forwardBackward() {
        return fwdTraining.execute() + bwdData.execute() + bwdWeights.execute();
    }

    /** Forward with the forward-training primitive (bias fused), as libjkeras runs every forward. */
    int forwardTraining() {
        return fwdTraining.execute();
    }

    /** Backward data alone: a transposed convolution from this convolution's output side to its input side. */
    int backwardData() {
        return bwdData.execute();
    }

    @Override
    public void close() {
        for (RawOneDnn.Prim p : prims) {
            p.close();
        }
        for (dnnl_memory_desc md : mds) {
            if (md != null) {
                dnnl_memory_desc_destroy(md);
            }
        }
        Data.closeAll(tensors.toArray(new Tensor[0]));
    }
}
