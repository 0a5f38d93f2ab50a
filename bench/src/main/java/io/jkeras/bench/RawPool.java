package io.jkeras.bench;

import static org.bytedeco.dnnl.global.dnnl.*;

import io.jkeras.tensor.DType;
import io.jkeras.tensor.Tensor;
import org.bytedeco.dnnl.dnnl_memory_desc;
import org.bytedeco.dnnl.dnnl_primitive_desc;

/**
 * The raw oneDNN reference for 2-D max pooling (nhwc, valid padding): a forward-inference primitive (no
 * workspace), a forward-training primitive that fills the workspace, and the backward primitive that reads it;
 * buffers and primitives created once.
 */
final class RawPool implements AutoCloseable {
    final long batch, channels, h, w, oh, ow, k, stride;
    final Tensor x, y, dy, dx, workspace;
    private final dnnl_memory_desc srcMd, dstMd;
    private final RawOneDnn.Prim inference, training, backward;

    RawPool(long batch, long h, long w, long channels, long k, long stride) {
        RawOneDnn.load();
        this.batch = batch;
        this.channels = channels;
        this.h = h;
        this.w = w;
        this.k = k;
        this.stride = stride;
        this.oh = (h - k) / stride + 1;
        this.ow = (w - k) / stride + 1;
        srcMd = RawOneDnn.md(new long[] {batch, channels, h, w}, dnnl_nhwc);
        dstMd = RawOneDnn.md(new long[] {batch, channels, oh, ow}, dnnl_nhwc);
        x = Data.uniform(21, batch, h, w, channels);
        y = Tensor.zeros(batch, oh, ow, channels);
        dy = Data.uniform(22, batch, oh, ow, channels);
        dx = Tensor.zeros(batch, h, w, channels);
        inference = new RawOneDnn.Prim(pd(dnnl_forward_inference), "pooling forward (inference)");
        inference.bind(DNNL_ARG_SRC, srcMd, x.address()).bind(DNNL_ARG_DST, dstMd, y.address());
        dnnl_primitive_desc hint = pd(dnnl_forward_training);
        training = new RawOneDnn.Prim(hint, "pooling forward (training)");
        dnnl_memory_desc wsMd = training.query(dnnl_query_workspace_md);
        workspace = Tensor.empty(DType.FLOAT32, (dnnl_memory_desc_get_size(wsMd) + 3) / 4 + 16);
        training.bind(DNNL_ARG_SRC, srcMd, x.address()).bind(DNNL_ARG_DST, dstMd, y.address())
                .bind(DNNL_ARG_WORKSPACE, wsMd, workspace.address());
        dnnl_primitive_desc bd = new dnnl_primitive_desc();
        RawOneDnn.check(dnnl_pooling_backward_primitive_desc_create(bd, RawOneDnn.Engine.ENGINE, dnnl_pooling_max,
                srcMd, dstMd, new long[] {stride, stride}, new long[] {k, k}, new long[2], new long[2], new long[2],
                hint, null), "dnnl_pooling_backward_primitive_desc_create");
        backward = new RawOneDnn.Prim(bd, "pooling backward");
        backward.bind(DNNL_ARG_DIFF_DST, dstMd, dy.address()).bind(DNNL_ARG_WORKSPACE, wsMd, workspace.address())
                .bind(DNNL_ARG_DIFF_SRC, srcMd, dx.address());
        training.execute();  // a valid workspace for the backward benchmark
    }

    private dnnl_primitive_desc pd(int prop) {
        dnnl_primitive_desc pd = new dnnl_primitive_desc();
        RawOneDnn.check(dnnl_pooling_forward_primitive_desc_create(pd, RawOneDnn.Engine.ENGINE, prop,
                dnnl_pooling_max, srcMd, dstMd, new long[] {stride, stride}, new long[] {k, k}, new long[2],
                new long[2], new long[2], null), "dnnl_pooling_forward_primitive_desc_create");
        return pd;
    }

    int forwardInference() {
        return inference.execute();
    }

    int forwardTraining() {
        return training.execute();
    }

    int forwardBackward() {
        return training.execute() + backward.execute();
    }

    long inElems() {
        return batch * h * w * channels;
    }

    long outElems() {
        return batch * oh * ow * channels;
    }

    @Override
    public void close() {
        inference.close();
        training.close();
        backward.close();
        dnnl_memory_desc_destroy(srcMd);
        dnnl_memory_desc_destroy(dstMd);
        Data.closeAll(x, y, dy, dx, workspace);
    }
}
