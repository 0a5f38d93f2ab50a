package io.jkeras.ops;

import io.jkeras.backend.Backend;
import io.jkeras.backend.RnnDesc;
import io.jkeras.backend.UnaryOp;
import io.jkeras.tensor.DType;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import java.util.Arrays;

/**
 * Whole recurrences (SimpleRNN, GRU with reset_after false and true, LSTM) as one differentiable op: the backend
 * runs every step natively (one recurrent product and one fused gate kernel per step) and takes the gradient
 * through time natively too. {@link #recurrence} takes the input projection x.W + b of all steps from the caller;
 * {@link #recurrenceOnInputs} takes the layer's input and kernel and runs the backend's fused LSTM / GRU where it
 * applies (sigmoid gates, tanh, no mask: oneDNN's primitives on the CPU), which is faster for that case.
 */
public final class RnnOps {
    private RnnOps() {
    }

    /** The built-in cells the native recurrence runs; gates per cell: SIMPLE 1, GRU 3, GRU_RESET_AFTER 3, LSTM 4. */
    public enum Cell {
        SIMPLE(RnnDesc.Cell.SIMPLE), GRU(RnnDesc.Cell.GRU), GRU_RESET_AFTER(RnnDesc.Cell.GRU_RESET_AFTER),
        LSTM(RnnDesc.Cell.LSTM);

        private final RnnDesc.Cell backendCell;

        Cell(RnnDesc.Cell backendCell) {
            this.backendCell = backendCell;
        }

        public int gates() {
            return backendCell.gates();
        }
    }

    /**
     * An elementwise activation: a backend unary op and its parameters (RELU uses a, b, c as {@link Ops#relu} does:
     * negative slope, max value (NaN: none), threshold).
     */
    public record Act(UnaryOp op, float a, float b, float c) {
        public static final Act LINEAR = new Act(UnaryOp.LINEAR, 0, 0, 0);
        public static final Act TANH = new Act(UnaryOp.TANH, 0, 0, 0);
        public static final Act SIGMOID = new Act(UnaryOp.SIGMOID, 0, 0, 0);
        public static final Act HARD_SIGMOID = new Act(UnaryOp.HARD_SIGMOID, 0, 0, 0);
        public static final Act RELU = new Act(UnaryOp.RELU, 0, Float.NaN, 0);

        public Act {
            if (op == null) {
                throw new IllegalArgumentException("Act: op is null");
            }
        }

        public static Act of(UnaryOp op) {
            return op == UnaryOp.RELU ? RELU : new Act(op, 0, 0, 0);
        }

        /**
         * The Keras 2 activation of that name (null: linear) as an elementwise op, or null where it is not elementwise
         * (softmax) or not one of Keras's built-ins.
         */
        public static Act of(String kerasName) {
            if (kerasName == null) {
                return LINEAR;
            }
            return switch (kerasName) {
                case "linear" -> LINEAR;
                case "relu" -> RELU;
                case "elu" -> new Act(UnaryOp.ELU, 1f, 0, 0);
                case "selu" -> of(UnaryOp.SELU);
                case "softplus" -> of(UnaryOp.SOFTPLUS);
                case "softsign" -> of(UnaryOp.SOFTSIGN);
                case "tanh" -> TANH;
                case "sigmoid" -> SIGMOID;
                case "hard_sigmoid" -> HARD_SIGMOID;
                case "exponential" -> of(UnaryOp.EXP);
                default -> null;
            };
        }

        float[] params() {
            return new float[] {a, b, c};
        }
    }

    /** The outputs of a recurrence: sequence (N, T, H) and the final states (lastC null unless LSTM). */
    public record Result(Tensor sequence, Tensor lastH, Tensor lastC) {
    }

    /** Off only in tests, to compare the fused path with the step-by-step one. */
    static boolean fusedEnabled = !Boolean.getBoolean("jkeras.rnn.noFused");

    private static void requireFloat(String op, String what, Tensor t) {
        if (t.isClosed()) {
            throw new IllegalStateException(op + ": " + what + " is a closed tensor of shape " + t.getShape());
        }
        if (t.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException(op + ": " + what + " must be float32, got " + t);
        }
    }

    private static void expect(String op, String what, Tensor t, long[] shape, Backend backend) {
        if (!Arrays.equals(t.shape(), shape)) {
            throw new IllegalArgumentException(op + ": " + what + " has shape " + t.getShape() + ", expected "
                    + Shape.of(shape));
        }
        if (t.backend() != backend) {
            throw new IllegalArgumentException(op + ": " + what + " is on " + t.device() + ", the input on "
                    + backend.device());
        }
    }

    /** Checks the cell's arguments; returns the units H (from the recurrent kernel). */
    private static long checkCell(String op, Cell cell, Tensor recurrentKernel, Act activation,
            Act recurrentActivation) {
        if (cell == null) {
            throw new IllegalArgumentException(op + ": cell is null");
        }
        if (recurrentKernel == null) {
            throw new IllegalArgumentException(op + ": recurrentKernel is null");
        }
        if (activation == null) {
            throw new IllegalArgumentException(op + ": activation is null");
        }
        if (recurrentActivation == null && cell != Cell.SIMPLE) {
            throw new IllegalArgumentException(op + ": " + cell + " needs a recurrentActivation");
        }
        requireFloat(op, "recurrentKernel", recurrentKernel);
        int g = cell.gates();
        if (recurrentKernel.rank() != 2 || recurrentKernel.dim(1) != g * recurrentKernel.dim(0)) {
            throw new IllegalArgumentException(op + ": recurrentKernel has shape " + recurrentKernel.getShape()
                    + ", expected (units, " + g + " * units) for " + cell);
        }
        return recurrentKernel.dim(0);
    }

    /** Checks the optional inputs against (N, T, H); returns the mask as float32 (or null). */
    private static Tensor checkStates(String op, Cell cell, Backend be, long n, long t, long h,
            Tensor recurrentBias, Tensor h0, Tensor c0, Tensor mask) {
        long gh = cell.gates() * h;
        if (recurrentBias != null) {
            requireFloat(op, "recurrentBias", recurrentBias);
            expect(op, "recurrentBias", recurrentBias, new long[] {gh}, be);
        }
        if (h0 != null) {
            requireFloat(op, "h0", h0);
            expect(op, "h0", h0, new long[] {n, h}, be);
        }
        if (c0 != null) {
            if (cell != Cell.LSTM) {
                throw new IllegalArgumentException(op + ": c0 is given but " + cell + " has no cell state");
            }
            requireFloat(op, "c0", c0);
            expect(op, "c0", c0, new long[] {n, h}, be);
        }
        if (mask != null) {
            if (mask.isClosed()) {
                throw new IllegalStateException(op + ": mask is a closed tensor of shape " + mask.getShape());
            }
            expect(op, "mask", mask, new long[] {n, t}, be);
            mask = Ops.toFloat(mask);
        }
        return mask;
    }

    private static RnnDesc desc(Cell cell, long n, long t, long h, boolean goBackwards, Act activation,
            Act recurrentActivation) {
        Act ra = recurrentActivation == null ? Act.LINEAR : recurrentActivation;
        return new RnnDesc(cell.backendCell, n, t, h, goBackwards, activation.op(), activation.params(), ra.op(),
                ra.params());
    }

    /**
     * A whole recurrence in native code (no Java loop per step), with gradients on the tape for xw,
     * recurrentKernel, recurrentBias, h0 and c0.
     *
     * @param xw (N, T, gates*H): the input projection x.W + input bias, computed by the caller with Ops
     * @param recurrentKernel (H, gates*H), Keras's layout and gate order (LSTM i, f, c, o; GRU z, r, h)
     * @param recurrentBias (gates*H) or null: added to h.U (GRU_RESET_AFTER: the h-gate part inside
     *     r * (h.U_h + b_h), Keras's reset_after=True). For SIMPLE, LSTM and GRU it is the same as an input bias,
     *     so a layer may pass its Keras bias here instead of adding it to x.W (one pass over xw less)
     * @param h0 (N, H) initial state, or null for zeros
     * @param c0 (N, H) initial cell state (LSTM only), or null for zeros
     * @param mask (N, T) float 0/1 (int32 accepted) or null: a masked step keeps the previous states and outputs
     *     the previous output (zeros before the first unmasked step), exactly Keras 2's backend.rnn
     * @param activation the cell's activation (tanh by default in Keras)
     * @param recurrentActivation the gates' activation (GRU, LSTM; ignored by SIMPLE, may be null there)
     * @param goBackwards processes t = T-1 .. 0; sequence[:, s] is the output after the s-th processed step
     * @return sequence (N, T, H) and the final states (N, H)
     * @see #recurrenceOnInputs the same from the layer's input and kernel, on the backend's fused LSTM / GRU where
     *     it applies
     */
    public static Result recurrence(Cell cell, Tensor xw, Tensor recurrentKernel, Tensor recurrentBias, Tensor h0,
            Tensor c0, Tensor mask, Act activation, Act recurrentActivation, boolean goBackwards) {
        String op = "recurrence";
        long h = checkCell(op, cell, recurrentKernel, activation, recurrentActivation);
        if (xw == null) {
            throw new IllegalArgumentException(op + ": xw is null");
        }
        requireFloat(op, "xw", xw);
        int g = cell.gates();
        if (xw.rank() != 3 || xw.dim(2) != g * h) {
            throw new IllegalArgumentException(op + ": xw has shape " + xw.getShape() + ", expected (batch, steps, "
                    + g * h + ") for " + cell + " with " + h + " units (recurrentKernel " + recurrentKernel.getShape()
                    + ")");
        }
        Backend be = xw.backend();
        long n = xw.dim(0);
        long t = xw.dim(1);
        expect(op, "recurrentKernel", recurrentKernel, new long[] {h, g * h}, be);
        mask = checkStates(op, cell, be, n, t, h, recurrentBias, h0, c0, mask);
        RnnDesc d = desc(cell, n, t, h, goBackwards, activation, recurrentActivation);
        Tensor ws = Tensor.empty(be, DType.FLOAT32, Math.max(1, be.rnnWorkspaceFloats(d)));
        Tensor seq = Tensor.emptyLike(xw, n, t, h);
        Tensor lastH = Tensor.emptyLike(xw, n, h);
        Tensor lastC = cell == Cell.LSTM ? Tensor.emptyLike(xw, n, h) : null;
        be.rnnForward(d, xw, recurrentKernel, recurrentBias, h0, c0, mask, seq, lastH, lastC, ws);
        final Tensor m = mask;
        final Tensor bias = recurrentBias;
        final Tensor hInit = h0;
        final Tensor cInit = c0;
        GradientTape.record("rnn_" + cell.name().toLowerCase(), new Tensor[] {xw, recurrentKernel, recurrentBias, h0,
            c0}, new Tensor[] {seq, lastH, lastC}, dys -> {
                Tensor dxw = Tensor.emptyLike(xw, n, t, g * h);
                Tensor dU = Tensor.emptyLike(xw, h, g * h);
                Tensor dBias = bias == null ? null : Tensor.emptyLike(xw, g * h);
                Tensor dh0 = Tensor.emptyLike(xw, n, h);
                Tensor dc0 = cInit == null ? null : Tensor.emptyLike(xw, n, h);
                be.rnnBackward(d, recurrentKernel, m, ws, dys[0], dys[1], dys.length > 2 ? dys[2] : null, dxw, dU,
                        dBias, dh0, dc0);
                return new Tensor[] {dxw, dU, dBias, hInit == null ? null : dh0, dc0};
            });
        return new Result(seq, lastH, lastC);
    }

    /**
     * The recurrence of a whole layer from its input: as {@link #recurrence} with xw = x.kernel + bias, gradients
     * on the tape for x, kernel, bias, recurrentKernel, recurrentBias, h0 and c0. Where the backend has a fused
     * LSTM / GRU for the case (on the CPU: oneDNN's primitives for LSTM and both GRUs with sigmoid gates, tanh
     * activation and no mask) it runs that; otherwise the input product is one matrix product and the recurrence
     * runs as {@link #recurrence} (the input bias folded into the recurrent one where the cell allows).
     *
     * @param x (N, T, I) the layer's input
     * @param kernel (I, gates*H) Keras's kernel
     * @param bias (gates*H) or null: Keras's (input) bias
     */
    public static Result recurrenceOnInputs(Cell cell, Tensor x, Tensor kernel, Tensor bias, Tensor recurrentKernel,
            Tensor recurrentBias, Tensor h0, Tensor c0, Tensor mask, Act activation, Act recurrentActivation,
            boolean goBackwards) {
        String op = "recurrence";
        long h = checkCell(op, cell, recurrentKernel, activation, recurrentActivation);
        if (x == null || kernel == null) {
            throw new IllegalArgumentException(op + ": " + (x == null ? "x" : "kernel") + " is null");
        }
        requireFloat(op, "x", x);
        requireFloat(op, "kernel", kernel);
        if (x.rank() != 3) {
            throw new IllegalArgumentException(op + ": x has shape " + x.getShape() + ", expected (batch, steps, "
                    + "features)");
        }
        Backend be = x.backend();
        long n = x.dim(0);
        long t = x.dim(1);
        long in = x.dim(2);
        int g = cell.gates();
        expect(op, "kernel", kernel, new long[] {in, g * h}, be);
        expect(op, "recurrentKernel", recurrentKernel, new long[] {h, g * h}, be);
        if (bias != null) {
            requireFloat(op, "bias", bias);
            expect(op, "bias", bias, new long[] {g * h}, be);
        }
        mask = checkStates(op, cell, be, n, t, h, recurrentBias, h0, c0, mask);
        if (mask == null && fusedEnabled && n > 0 && t > 0 && in > 0) {
            RnnDesc d = desc(cell, n, t, h, goBackwards, activation, recurrentActivation);
            if (be.rnnFusedSupported(d)) {
                return fused(d, cell, x, kernel, bias, recurrentKernel, recurrentBias, h0, c0);
            }
        }
        Tensor xw = Ops.reshape(Ops.matmul(Ops.reshape(x, n * t, in), kernel), n, t, g * h);
        Tensor rb = recurrentBias;
        if (bias != null) {
            if (cell == Cell.GRU_RESET_AFTER) {
                xw = Ops.biasAdd(xw, bias);
            } else {
                rb = recurrentBias == null ? bias : Ops.add(bias, recurrentBias);
            }
        }
        return recurrence(cell, xw, recurrentKernel, rb, h0, c0, mask, activation, recurrentActivation,
                goBackwards);
    }

    private static boolean anyWatched(Tensor... ts) {
        for (Tensor t : ts) {
            if (t != null && GradientTape.isWatched(t)) {
                return true;
            }
        }
        return false;
    }

    private static Result fused(RnnDesc d, Cell cell, Tensor x, Tensor kernel, Tensor bias, Tensor recurrentKernel,
            Tensor recurrentBias, Tensor h0, Tensor c0) {
        Backend be = x.backend();
        long n = d.batch();
        long t = d.steps();
        long h = d.units();
        long gh = d.gateUnits();
        Tensor seq = Tensor.emptyLike(x, n, t, h);
        Tensor lastH = Tensor.emptyLike(x, n, h);
        Tensor lastC = cell == Cell.LSTM ? Tensor.emptyLike(x, n, h) : null;
        if (!anyWatched(x, kernel, bias, recurrentKernel, recurrentBias, h0, c0)) {
            // inference: no workspace, oneDNN's inference primitive
            be.rnnFusedForward(d, x, kernel, bias, recurrentKernel, recurrentBias, h0, c0, seq, lastH, lastC, null);
            return new Result(seq, lastH, lastC);
        }
        Tensor ws = Tensor.empty(be, DType.INT32, Math.max(1, (be.rnnFusedWorkspaceBytes(d, x.dim(2)) + 3) / 4));
        be.rnnFusedForward(d, x, kernel, bias, recurrentKernel, recurrentBias, h0, c0, seq, lastH, lastC, ws);
        GradientTape.record("rnn_fused_" + cell.name().toLowerCase(), new Tensor[] {x, kernel, bias,
            recurrentKernel, recurrentBias, h0, c0}, new Tensor[] {seq, lastH, lastC}, dys -> {
                Tensor dx = Tensor.emptyLike(x, x.shape());
                Tensor dKernel = Tensor.emptyLike(x, kernel.shape());
                Tensor dBias = bias == null ? null : Tensor.emptyLike(x, gh);
                Tensor dU = Tensor.emptyLike(x, h, gh);
                Tensor dRecBias = recurrentBias == null ? null : Tensor.emptyLike(x, gh);
                Tensor dh0 = Tensor.emptyLike(x, n, h);
                Tensor dc0 = c0 == null ? null : Tensor.emptyLike(x, n, h);
                be.rnnFusedBackward(d, x, kernel, bias, recurrentKernel, recurrentBias, h0, c0, ws, dys[0], dys[1],
                        dys.length > 2 ? dys[2] : null, dx, dKernel, dBias, dU, dRecBias, dh0, dc0);
                return new Tensor[] {dx, dKernel, dBias, dU, dRecBias, h0 == null ? null : dh0, dc0};
            });
        return new Result(seq, lastH, lastC);
    }
}
