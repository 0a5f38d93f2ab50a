package io.jkeras.layers.activation;

/** Argument checks shared by the advanced activation layers. */
final class ActivationArgs {
    private ActivationArgs() {
    }

    static double finite(String layer, String arg, double v) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(layer + ": argument '" + arg + "' must be a finite number, got " + v);
        }
        return v;
    }

    static double nonNegative(String layer, String arg, double v) {
        if (!(v >= 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(layer + ": argument '" + arg + "' cannot be negative value: " + v);
        }
        return v;
    }
}
