package io.jkeras.ops;

import io.jkeras.tensor.Tensor;
import java.util.Arrays;

/** Products of the merge layers, composed of {@link Ops}. */
public final class MergeOps {
    private MergeOps() {
    }

    /**
     * Keras's batch_dot: for each batch item, the dot product of x and y over x's axis {@code axisX} and y's axis
     * {@code axisY} (both non-negative and not the batch axis, equal sizes). The result has x's shape without
     * axisX followed by y's shape without its batch axis and axisY; a result of rank 1 becomes (batch, 1).
     * Computed as one batched product: x to (batch, M, k), y to (batch, k, N).
     */
    public static Tensor batchDot(Tensor x, Tensor y, int axisX, int axisY) {
        long[] dx = x.shape(), dy = y.shape();
        if (axisX <= 0 || axisX >= dx.length || axisY <= 0 || axisY >= dy.length) {
            throw new IllegalArgumentException("batch_dot: axes (" + axisX + ", " + axisY + ") must name a non-batch "
                    + "axis of each operand; shapes " + x.getShape() + " and " + y.getShape());
        }
        if (dx[0] != dy[0]) {
            throw new IllegalArgumentException("batch_dot: batch sizes differ: " + x.getShape() + " and "
                    + y.getShape());
        }
        if (dx[axisX] != dy[axisY]) {
            throw new IllegalArgumentException("batch_dot: dimension incompatibility " + dx[axisX] + " != "
                    + dy[axisY] + " on axes (" + axisX + ", " + axisY + ") of shapes " + x.getShape() + " and "
                    + y.getShape());
        }
        long batch = dx[0], k = dx[axisX];
        // x: move axisX last
        int[] px = new int[dx.length];
        long[] restX = new long[dx.length - 2];
        int j = 0;
        for (int i = 0; i < dx.length; i++) {
            if (i != axisX) {
                px[j] = i;
                if (i > 0) {
                    restX[j - 1] = dx[i];
                }
                j++;
            }
        }
        px[dx.length - 1] = axisX;
        // y: move axisY right after the batch axis
        int[] py = new int[dy.length];
        long[] restY = new long[dy.length - 2];
        py[0] = 0;
        py[1] = axisY;
        j = 2;
        for (int i = 1; i < dy.length; i++) {
            if (i != axisY) {
                restY[j - 2] = dy[i];
                py[j++] = i;
            }
        }
        long m = prod(restX), n = prod(restY);
        Tensor x3 = Ops.reshape(Ops.transpose(x, px), batch, m, k);
        Tensor y3 = Ops.reshape(Ops.transpose(y, py), batch, k, n);
        Tensor out = Ops.matmul(x3, y3);
        long[] shape = new long[1 + restX.length + restY.length];
        shape[0] = batch;
        System.arraycopy(restX, 0, shape, 1, restX.length);
        System.arraycopy(restY, 0, shape, 1 + restX.length, restY.length);
        if (shape.length == 1) {
            shape = new long[] {batch, 1};
        }
        return Ops.reshape(out, shape);
    }

    private static long prod(long[] d) {
        return Arrays.stream(d).reduce(1, (a, b) -> a * b);
    }
}
