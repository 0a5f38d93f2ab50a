package io.jkeras.backend;

/** The broadcasting binary element functions; codes match native/include/jkeras/eltwise.h. */
public enum BinaryOp {
    ADD(0), SUB(1), MUL(2), DIV(3), MAXIMUM(4), MINIMUM(5), GREATER_EQUAL(6), EQUAL(7), POW(8);

    public final int code;

    BinaryOp(int code) {
        this.code = code;
    }
}
