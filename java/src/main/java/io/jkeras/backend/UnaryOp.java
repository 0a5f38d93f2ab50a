package io.jkeras.backend;

/** The unary element functions of the backends; codes match native/include/jkeras/eltwise.h. */
public enum UnaryOp {
    LINEAR(0), RELU(1), ELU(2), SELU(3), SOFTPLUS(4), SOFTSIGN(5), TANH(6), SIGMOID(7), HARD_SIGMOID(8), EXP(9),
    NEG(10), LOG(11), SQRT(12), SQUARE(13), ABS(14), RECIPROCAL(15), AFFINE(16), CLIP(17), POW(18), STEP(19),
    SIGN(20), THRESHOLDED_RELU(21);

    public final int code;

    UnaryOp(int code) {
        this.code = code;
    }
}
