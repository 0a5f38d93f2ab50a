package io.jkeras.bench;

import static org.bytedeco.dnnl.global.dnnl.*;

import io.jkeras.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.dnnl.dnnl_memory_desc;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.javacpp.Pointer;

/**
 * The raw oneDNN reference for an LSTM / GRU layer: oneDNN's own RNN primitive of one fixed geometry (vanilla_lstm,
 * vanilla_gru, lbr_gru), called directly, as a user of the oneDNN API would: src / dst layer in ntc (batch-major,
 * as Keras's (N, T, C) tensors, no conversion), zero initial state and no final state (null iter descriptors),
 * weights reordered ONCE in setup into the layouts each primitive prefers (format tag any), every primitive,
 * buffer and workspace created up front; a call is one execute and a stream wait. Forward + backward =
 * forward_training + backward; the weight gradients stay in the backward primitive's layout and are zeroed before
 * each backward (oneDNN accumulates into them), as jkeras does.
 */
final class RawRnn implements AutoCloseable {
    enum Kind { LSTM, GRU, LBR_GRU }

    final Kind kind;
    final long n, t, in, h, gates, biasGates;
    private final List<Tensor> tensors = new ArrayList<>();
    private final List<dnnl_memory_desc> mds = new ArrayList<>();
    private final List<RawOneDnn.Prim> prims = new ArrayList<>();
    private RawOneDnn.Prim inference, training, backward;
    private long dwlAddr, dwiAddr, dwlBytes, dwiBytes, dbAddr, dbBytes;

    RawRnn(Kind kind, long n, long t, long in, long h, boolean withBackward) {
        RawOneDnn.load();
        this.kind = kind;
        this.n = n;
        this.t = t;
        this.in = in;
        this.h = h;
        gates = kind == Kind.LSTM ? 4 : 3;
        biasGates = kind == Kind.GRU ? 3 : 4;
        dnnl_memory_desc src = own(RawOneDnn.md(new long[] {t, n, in}, dnnl_ntc));
        dnnl_memory_desc dst = own(RawOneDnn.md(new long[] {t, n, h}, dnnl_ntc));
        dnnl_memory_desc wlUser = own(RawOneDnn.md(new long[] {1, 1, in, gates, h}, dnnl_ldigo));
        dnnl_memory_desc wiUser = own(RawOneDnn.md(new long[] {1, 1, h, gates, h}, dnnl_ldigo));
        dnnl_memory_desc wlAny = own(RawOneDnn.md(new long[] {1, 1, in, gates, h}, dnnl_format_tag_any));
        dnnl_memory_desc wiAny = own(RawOneDnn.md(new long[] {1, 1, h, gates, h}, dnnl_format_tag_any));
        dnnl_memory_desc bias = own(RawOneDnn.md(new long[] {1, 1, biasGates, h}, dnnl_ldgo));
        Tensor x = tensor(Data.uniform(21, n, t, in));
        Tensor y = tensor(Tensor.zeros(n, t, h));
        Tensor wl = tensor(Data.uniform(22, in * gates * h));
        Tensor wi = tensor(Data.uniform(23, h * gates * h));
        Tensor b = tensor(Data.uniform(24, biasGates * h));
        inference = prim(fwdPd(dnnl_forward_inference, src, wlAny, wiAny, bias, dst), "rnn forward (inference)");
        bindForward(inference, src, dst, wlUser, wiUser, bias, x, y, wl, wi, b, false);
        if (!withBackward) {
            return;
        }
        dnnl_primitive_desc hint = fwdPd(dnnl_forward_training, src, wlAny, wiAny, bias, dst);
        training = prim(hint, "rnn forward (training)");
        long ws = bindForward(training, src, dst, wlUser, wiUser, bias, x, y, wl, wi, b, true);
        Tensor dy = tensor(Data.uniform(25, n, t, h));
        Tensor dx = tensor(Tensor.zeros(n, t, in));
        dnnl_primitive_desc bpd = new dnnl_primitive_desc();
        int dir = dnnl_unidirectional_left2right;
        String what = "rnn backward primitive_desc_create";
        switch (kind) {
            case LSTM -> RawOneDnn.check(dnnl_lstm_backward_primitive_desc_create(bpd, RawOneDnn.Engine.ENGINE,
                    dnnl_backward, dir, src, null, null, wlAny, wiAny, null, null, bias, dst, null, null, src, null,
                    null, wlAny, wiAny, null, null, bias, dst, null, null, 0, hint, null), what);
            case GRU -> RawOneDnn.check(dnnl_gru_backward_primitive_desc_create(bpd, RawOneDnn.Engine.ENGINE,
                    dnnl_backward, dir, src, null, wlAny, wiAny, bias, dst, null, src, null, wlAny, wiAny, bias, dst,
                    null, 0, hint, null), what);
            default -> RawOneDnn.check(dnnl_lbr_gru_backward_primitive_desc_create(bpd, RawOneDnn.Engine.ENGINE,
                    dnnl_backward, dir, src, null, wlAny, wiAny, bias, dst, null, src, null, wlAny, wiAny, bias, dst,
                    null, 0, hint, null), what);
        }
        backward = prim(bpd, "rnn backward");
        dnnl_memory_desc dwl = dnnl_primitive_desc_query_md(bpd, dnnl_query_diff_weights_md, 0);
        dnnl_memory_desc dwi = dnnl_primitive_desc_query_md(bpd, dnnl_query_diff_weights_md, 1);
        dwlBytes = dnnl_memory_desc_get_size(dwl);
        dwiBytes = dnnl_memory_desc_get_size(dwi);
        dbBytes = 4 * biasGates * h;
        dwlAddr = tensor(Tensor.zeros(dwlBytes / 4 + 16)).address();
        dwiAddr = tensor(Tensor.zeros(dwiBytes / 4 + 16)).address();
        dbAddr = tensor(Tensor.zeros(biasGates * h)).address();
        backward.bind(DNNL_ARG_SRC_LAYER, src, x.address())
                .bind(DNNL_ARG_WEIGHTS_LAYER, dnnl_primitive_desc_query_md(bpd, dnnl_query_weights_md, 0),
                        preferred(wlUser, wl, dnnl_primitive_desc_query_md(bpd, dnnl_query_weights_md, 0)))
                .bind(DNNL_ARG_WEIGHTS_ITER, dnnl_primitive_desc_query_md(bpd, dnnl_query_weights_md, 1),
                        preferred(wiUser, wi, dnnl_primitive_desc_query_md(bpd, dnnl_query_weights_md, 1)))
                .bind(DNNL_ARG_BIAS, bias, b.address())
                .bind(DNNL_ARG_DST_LAYER, dst, y.address())
                .bind(DNNL_ARG_WORKSPACE, dnnl_primitive_desc_query_md(bpd, dnnl_query_workspace_md, 0), ws)
                .bind(DNNL_ARG_DIFF_SRC_LAYER, src, dx.address())
                .bind(DNNL_ARG_DIFF_WEIGHTS_LAYER, dwl, dwlAddr)
                .bind(DNNL_ARG_DIFF_WEIGHTS_ITER, dwi, dwiAddr)
                .bind(DNNL_ARG_DIFF_BIAS, bias, dbAddr)
                .bind(DNNL_ARG_DIFF_DST_LAYER, dst, dy.address());
    }

    /** 2 * T * N * G * H * (I + H): the input and recurrent products of every gate and step. */
    double forwardFlops() {
        return 2.0 * t * n * gates * h * (in + h);
    }

    private dnnl_primitive_desc fwdPd(int prop, dnnl_memory_desc src, dnnl_memory_desc wl, dnnl_memory_desc wi,
            dnnl_memory_desc bias, dnnl_memory_desc dst) {
        dnnl_primitive_desc pd = new dnnl_primitive_desc();
        int dir = dnnl_unidirectional_left2right;
        String what = "rnn forward primitive_desc_create";
        switch (kind) {
            case LSTM -> RawOneDnn.check(dnnl_lstm_forward_primitive_desc_create(pd, RawOneDnn.Engine.ENGINE, prop,
                    dir, src, null, null, wl, wi, null, null, bias, dst, null, null, 0, null), what);
            case GRU -> RawOneDnn.check(dnnl_gru_forward_primitive_desc_create(pd, RawOneDnn.Engine.ENGINE, prop,
                    dir, src, null, wl, wi, bias, dst, null, 0, null), what);
            default -> RawOneDnn.check(dnnl_lbr_gru_forward_primitive_desc_create(pd, RawOneDnn.Engine.ENGINE,
                    prop, dir, src, null, wl, wi, bias, dst, null, 0, null), what);
        }
        return pd;
    }

    /** Binds a forward primitive; returns the workspace address (0 for inference). */
    private long bindForward(RawOneDnn.Prim p, dnnl_memory_desc src, dnnl_memory_desc dst, dnnl_memory_desc wlUser,
            dnnl_memory_desc wiUser, dnnl_memory_desc bias, Tensor x, Tensor y, Tensor wl, Tensor wi, Tensor b,
            boolean training) {
        dnnl_memory_desc wlMd = p.query(dnnl_query_weights_md);
        dnnl_memory_desc wiMd = dnnl_primitive_desc_query_md(pdOf(p), dnnl_query_weights_md, 1);
        p.bind(DNNL_ARG_SRC_LAYER, src, x.address())
                .bind(DNNL_ARG_WEIGHTS_LAYER, wlMd, preferred(wlUser, wl, wlMd))
                .bind(DNNL_ARG_WEIGHTS_ITER, wiMd, preferred(wiUser, wi, wiMd))
                .bind(DNNL_ARG_BIAS, bias, b.address())
                .bind(DNNL_ARG_DST_LAYER, dst, y.address());
        if (!training) {
            return 0;
        }
        dnnl_memory_desc wsMd = p.query(dnnl_query_workspace_md);
        long ws = tensor(Tensor.zeros(dnnl_memory_desc_get_size(wsMd) / 4 + 16)).address();
        p.bind(DNNL_ARG_WORKSPACE, wsMd, ws);
        return ws;
    }

    private final java.util.Map<RawOneDnn.Prim, dnnl_primitive_desc> pds = new java.util.IdentityHashMap<>();

    private dnnl_primitive_desc pdOf(RawOneDnn.Prim p) {
        return pds.get(p);
    }

    /** The user's ldigo weights reordered (once, here) into a fresh buffer of the layout md. */
    private long preferred(dnnl_memory_desc userMd, Tensor user, dnnl_memory_desc md) {
        long addr = tensor(Tensor.zeros(dnnl_memory_desc_get_size(md) / 4 + 16)).address();
        RawOneDnn.reorder(userMd, user.address(), md, addr);
        return addr;
    }

    /** Forward inference: one execute and a wait. */
    int forward() {
        return inference.execute();
    }

    /** forward_training, the weight gradients zeroed, backward. */
    int forwardBackward() {
        int st = training.execute();
        Pointer.memset(new Pointer() { { address = dwlAddr; } }, 0, dwlBytes);
        Pointer.memset(new Pointer() { { address = dwiAddr; } }, 0, dwiBytes);
        Pointer.memset(new Pointer() { { address = dbAddr; } }, 0, dbBytes);
        return st | backward.execute();
    }

    private RawOneDnn.Prim prim(dnnl_primitive_desc pd, String what) {
        RawOneDnn.Prim p = new RawOneDnn.Prim(pd, what);
        prims.add(p);
        pds.put(p, pd);
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

    @Override
    public void close() {
        for (RawOneDnn.Prim p : prims) {
            p.close();
        }
        for (dnnl_memory_desc md : mds) {
            dnnl_memory_desc_destroy(md);
        }
        Data.closeAll(tensors.toArray(new Tensor[0]));
    }
}
