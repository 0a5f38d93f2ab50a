package io.jkeras.backend;

/** A native primitive reported an error: the status code and the message of the native side. */
public final class NativeException extends RuntimeException {
    private final int status;

    public NativeException(int status, String message) {
        super(message + " (status " + status + ")");
        this.status = status;
    }

    public int status() {
        return status;
    }
}
