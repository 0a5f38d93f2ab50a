package io.jkeras.testing;

import io.jkeras.backend.UnaryOp;
import java.util.Random;

/**
 * The parameter sets of each {@link UnaryOp} the backend tests run (a, b, c as the primitive takes them), with an
 * input range and the kinks of the function, so that inputs can be kept away from points where the derivative
 * jumps. Shared by the CPU backend test and the backend parity test.
 */
public final class UnaryCases {
    private UnaryCases() {
    }

    /** One parameter set of op, inputs drawn from [lo, hi), derivative discontinuous at kinks. */
    public record Case(UnaryOp op, float a, float b, float c, float lo, float hi, float[] kinks) {
        /** The op and its parameters, for messages. */
        public String label() {
            return op + "(a=" + a + ", b=" + b + ", c=" + c + ")";
        }

        /** n inputs in [lo, hi), each at least 1e-2 away from every kink. */
        public float[] inputs(Random rnd, int n) {
            float[] x = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = lo + (hi - lo) * rnd.nextFloat();
                for (float k : kinks) {
                    if (Math.abs(x[i] - k) < 1e-2f) {
                        x[i] = k + (x[i] >= k ? 1e-2f : -1e-2f);
                    }
                }
            }
            return x;
        }
    }

    /** The parameter sets of op (RELU: negative slope, max value (NaN: none), threshold). */
    public static Case[] of(UnaryOp op) {
        return switch (op) {
            case RELU -> new Case[] {
                new Case(op, 0, Float.NaN, 0, -3, 3, new float[] {0}),
                new Case(op, 0.2f, Float.NaN, 0, -3, 3, new float[] {0}),
                new Case(op, 0, 1.5f, 0, -3, 3, new float[] {0, 1.5f}),
                new Case(op, 0.1f, 2f, 0.5f, -3, 3, new float[] {0, 0.5f, 2}),
                new Case(op, 0, 6f, -0.5f, -3, 8, new float[] {-0.5f, 0, 6}),
                new Case(op, 0.3f, Float.NaN, -1f, -3, 3, new float[] {-1, 0}),
            };
            case ELU -> new Case[] {
                new Case(op, 1, 0, 0, -3, 3, new float[] {0}),
                new Case(op, 0.5f, 0, 0, -3, 3, new float[] {0})};
            case SELU, SOFTSIGN, SIGN, ABS -> new Case[] {new Case(op, 0, 0, 0, -3, 3, new float[] {0})};
            case HARD_SIGMOID -> new Case[] {new Case(op, 0, 0, 0, -4, 4, new float[] {-2.5f, 2.5f})};
            case LOG, SQRT -> new Case[] {new Case(op, 0, 0, 0, 0.1f, 4, new float[] {})};
            case RECIPROCAL -> new Case[] {new Case(op, 0, 0, 0, -3, 3, new float[] {-0.2f, 0, 0.2f})};
            case AFFINE -> new Case[] {new Case(op, -1.5f, 0.25f, 0, -3, 3, new float[] {})};
            case CLIP -> new Case[] {new Case(op, -0.5f, 1.25f, 0, -3, 3, new float[] {-0.5f, 1.25f})};
            case POW -> new Case[] {
                new Case(op, 1.7f, 0, 0, 0.1f, 3, new float[] {}),
                new Case(op, 3f, 0, 0, -2, 2, new float[] {}),
                new Case(op, -0.5f, 0, 0, 0.2f, 3, new float[] {})};
            case STEP -> new Case[] {new Case(op, 0.3f, 0, 0, -3, 3, new float[] {0.3f})};
            case THRESHOLDED_RELU -> new Case[] {new Case(op, 1f, 0, 0, -3, 3, new float[] {1})};
            default -> new Case[] {new Case(op, 0, 0, 0, -3, 3, new float[] {})};
        };
    }
}
