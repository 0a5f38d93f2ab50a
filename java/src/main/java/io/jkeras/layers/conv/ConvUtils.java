package io.jkeras.layers.conv;

import io.jkeras.tensor.Shape;

/** Keras's conv_utils: output lengths and the explicit padding of valid / same / causal / full. */
public final class ConvUtils {
    private ConvUtils() {
    }

    public static String checkPadding(String layer, String padding, boolean causalAllowed) {
        if (padding.equals("valid") || padding.equals("same") || causalAllowed && padding.equals("causal")) {
            return padding;
        }
        throw new IllegalArgumentException(layer + ": argument 'padding' must be \"valid\" or \"same\""
                + (causalAllowed ? " or \"causal\"" : "") + ", got \"" + padding + "\"");
    }

    /** n ones: the default strides and dilation of an n-dimensional convolution. */
    public static long[] ones(int n) {
        long[] a = new long[n];
        java.util.Arrays.fill(a, 1);
        return a;
    }

    /** The dilated kernel's extent. */
    public static long span(long kernel, long dilation) {
        return (kernel - 1) * dilation + 1;
    }

    /** Keras's conv_output_length; unknown stays unknown. */
    public static long outputLength(long in, long kernel, String padding, long stride, long dilation) {
        if (in == Shape.UNKNOWN) {
            return Shape.UNKNOWN;
        }
        long span = span(kernel, dilation);
        long out = switch (padding) {
            case "same", "causal" -> in;
            case "valid" -> in - span + 1;
            case "full" -> in + span - 1;
            default -> throw new IllegalArgumentException("unknown padding " + padding);
        };
        return Math.floorDiv(out + stride - 1, stride);
    }

    /** {begin, end} padding that makes a stride-s convolution of in give out (TensorFlow's split for same). */
    public static long[] padding(long in, long out, long kernel, String padding, long stride, long dilation) {
        long span = span(kernel, dilation);
        return switch (padding) {
            case "valid" -> new long[] {0, 0};
            case "causal" -> new long[] {span - 1, 0};
            default -> {
                long total = Math.max((out - 1) * stride + span - in, 0);
                yield new long[] {total / 2, total - total / 2};
            }
        };
    }

    /** Keras's deconv_output_length for transposed convolutions (outputPadding null: inferred). */
    public static long deconvOutputLength(long in, long kernel, String padding, Long outputPadding, long stride,
            long dilation) {
        if (in == Shape.UNKNOWN) {
            return Shape.UNKNOWN;
        }
        long span = span(kernel, dilation);
        if (outputPadding == null) {
            return switch (padding) {
                case "valid" -> in * stride + Math.max(span - stride, 0);
                case "full" -> in * stride - (stride + span - 2);
                default -> in * stride;
            };
        }
        long pad = switch (padding) {
            case "same" -> span / 2;
            case "valid" -> 0;
            default -> span - 1;
        };
        return (in - 1) * stride + span - 2 * pad + outputPadding;
    }
}
