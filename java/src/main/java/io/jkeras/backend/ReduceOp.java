package io.jkeras.backend;

/** Reductions; codes match native/include/jkeras/reduce.h. */
public enum ReduceOp {
    SUM(0), MEAN(1), MAX(2), MIN(3);

    public final int code;

    ReduceOp(int code) {
        this.code = code;
    }
}
