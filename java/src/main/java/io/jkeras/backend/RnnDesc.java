package io.jkeras.backend;

/**
 * A whole recurrence as the backends take it (native/include/jkeras/rnn.h): the cell, batch N, steps T, units H,
 * the direction, and the two elementwise activations with their parameters (a, b, c as {@link UnaryOp} uses them).
 * Tensors: xw (N, T, G*H), recurrent kernel (H, G*H), recurrent bias (G*H) or none, states (N, H), mask (N, T),
 * sequence (N, T, H); G = {@link Cell#gates()}.
 */
public record RnnDesc(Cell cell, long batch, long steps, long units, boolean goBackwards, UnaryOp activation,
        float[] activationParams, UnaryOp recurrentActivation, float[] recurrentActivationParams) {

    /** The built-in cells; codes are jk_rnn_cell's. */
    public enum Cell {
        SIMPLE(0, 1), GRU(1, 3), GRU_RESET_AFTER(2, 3), LSTM(3, 4);

        public final int code;
        private final int gates;

        Cell(int code, int gates) {
            this.code = code;
            this.gates = gates;
        }

        /** Gates per cell: SIMPLE 1, GRU 3, GRU_RESET_AFTER 3, LSTM 4. */
        public int gates() {
            return gates;
        }
    }

    public RnnDesc {
        if (activationParams.length != 3 || recurrentActivationParams.length != 3) {
            throw new IllegalArgumentException("RnnDesc: activation parameters are (a, b, c)");
        }
        activationParams = activationParams.clone();
        recurrentActivationParams = recurrentActivationParams.clone();
    }

    public long gateUnits() {
        return cell.gates() * units;
    }

    /** The descriptor as the C struct's int64 fields. */
    public long[] toArray() {
        return new long[] {cell.code, batch, steps, units, goBackwards ? 1 : 0, activation.code,
                recurrentActivation.code};
    }

    /** The activations' parameters as the native calls take them: activation a, b, c, then the recurrent one's. */
    public float[] params() {
        return new float[] {activationParams[0], activationParams[1], activationParams[2],
                recurrentActivationParams[0], recurrentActivationParams[1], recurrentActivationParams[2]};
    }
}
