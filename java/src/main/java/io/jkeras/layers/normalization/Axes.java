package io.jkeras.layers.normalization;

import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Shape;
import java.util.Arrays;
import java.util.List;

/** The 'axis' argument of the normalization layers: one int or a list of them, kept as given for get_config. */
final class Axes {
    private final int[] axes;
    private final boolean list;

    private Axes(int[] axes, boolean list) {
        this.axes = axes;
        this.list = list;
    }

    static Axes of(int axis) {
        return new Axes(new int[] {axis}, false);
    }

    static Axes of(int[] axes) {
        if (axes == null || axes.length == 0) {
            throw new IllegalArgumentException("argument 'axis' must name at least one axis");
        }
        return new Axes(axes.clone(), true);
    }

    static Axes read(String layer, ConfigMap c, int dflt) {
        Object v = c.get("axis");
        if (v == null) {
            return of(dflt);
        }
        if (v instanceof List<?>) {
            int[] a = c.getInts("axis", 0);
            if (a.length == 0) {
                throw new IllegalArgumentException(layer + ": argument 'axis' must name at least one axis, got []");
            }
            return new Axes(a, true);
        }
        return of(c.getInt("axis", dflt));
    }

    /** The axes as non-negative, sorted, distinct indices for an input of this rank. */
    int[] resolve(String layer, String name, Shape shape) {
        int rank = shape.rank();
        int[] out = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            int a = axes[i] < 0 ? axes[i] + rank : axes[i];
            if (a < 0 || a >= rank) {
                throw new IllegalArgumentException(layer + " " + name + ": invalid axis " + axes[i] + " for an input of "
                        + "shape " + shape + " (rank " + rank + ")");
            }
            out[i] = a;
        }
        int[] sorted = out.clone();
        Arrays.sort(sorted);
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] == sorted[i - 1]) {
                throw new IllegalArgumentException(layer + " " + name + ": duplicate axis " + Arrays.toString(axes));
            }
        }
        return out;
    }

    /** What get_config writes: the int, or the list. */
    Object serialize() {
        return list ? Arrays.stream(axes).boxed().toList() : (Object) axes[0];
    }

    int[] raw() {
        return axes.clone();
    }
}
