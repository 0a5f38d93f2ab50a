package io.jkeras.ops;

import io.jkeras.tensor.DType;
import io.jkeras.tensor.Tensor;
import java.util.Arrays;

/** Differentiable integer-indexed ops: the Embedding lookup (a row gather) and its scatter-add gradient. */
public final class IndexOps {
    private IndexOps() {
    }

    /**
     * Embedding lookup: table (V, D) float32, ids int32 of any shape -> ids.shape + (D). An id outside [0, V) is an
     * IllegalArgumentException naming the id and V (checked natively, nothing written). The gradient for table is
     * the scatter-add of the output gradient's rows; ids get none.
     */
    public static Tensor gather(Tensor table, Tensor ids) {
        if (table == null || ids == null) {
            throw new IllegalArgumentException("gather: " + (table == null ? "table" : "ids") + " is null");
        }
        if (table.isClosed() || ids.isClosed()) {
            throw new IllegalStateException("gather: use of a closed tensor ("
                    + (table.isClosed() ? "table " + table.getShape() : "ids " + ids.getShape()) + ")");
        }
        if (table.dtype() != DType.FLOAT32 || table.rank() != 2) {
            throw new IllegalArgumentException("gather: table must be a float32 matrix (V, D), got " + table);
        }
        if (ids.dtype() != DType.INT32) {
            throw new IllegalArgumentException("gather: ids must be int32, got " + ids);
        }
        if (ids.backend() != table.backend()) {
            throw new IllegalArgumentException("gather: table is on " + table.device() + ", ids on " + ids.device());
        }
        long v = table.dim(0);
        long dim = table.dim(1);
        long[] s = ids.shape();
        long[] os = Arrays.copyOf(s, s.length + 1);
        os[s.length] = dim;
        Tensor out = Tensor.emptyLike(table, os);
        try {
            table.backend().gatherRows(table, ids, out);
        } catch (RuntimeException e) {
            out.close();
            if (e instanceof io.jkeras.backend.NativeException ne && ne.status() == 1) {
                throw new IllegalArgumentException("gather: " + e.getMessage() + " (table has " + v + " rows)", e);
            }
            throw e;
        }
        GradientTape.record("gather", new Tensor[] {table, ids}, out, dy -> {
            Tensor dt = Tensor.emptyLike(table, v, dim);
            table.backend().fill(dt, 0f);
            table.backend().scatterAddRows(dy, ids, dt);
            return new Tensor[] {dt, null};
        });
        return out;
    }
}
