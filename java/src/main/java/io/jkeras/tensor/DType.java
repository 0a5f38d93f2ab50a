package io.jkeras.tensor;

/** Element types of a {@link Tensor}: both are 4 bytes wide. */
public enum DType {
    FLOAT32("float32"),
    INT32("int32");

    private final String kerasName;

    DType(String kerasName) {
        this.kerasName = kerasName;
    }

    public int byteSize() {
        return 4;
    }

    /** The name Keras uses in configs ("float32"). */
    public String kerasName() {
        return kerasName;
    }

    public static DType fromKerasName(String name) {
        for (DType t : values()) {
            if (t.kerasName.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unsupported dtype '" + name + "' (supported: float32, int32)");
    }
}
