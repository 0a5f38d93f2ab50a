package io.jkeras.ops;

import io.jkeras.tensor.Tensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reverse-mode automatic differentiation, define-by-run, like TensorFlow's GradientTape: while a tape is open on
 * this thread, every op whose inputs depend on a watched tensor records how to take its gradient.
 *
 * <pre>{@code
 * try (GradientTape tape = new GradientTape()) {
 *     tape.watch(w);
 *     Tensor loss = Ops.sum(Ops.square(Ops.matmul(x, w)), null, false);
 *     Tensor dw = tape.gradient(loss, List.of(w)).get(0);
 * }
 * }</pre>
 */
public final class GradientTape implements AutoCloseable {
    private static final ThreadLocal<ArrayDeque<GradientTape>> ACTIVE = ThreadLocal.withInitial(ArrayDeque::new);

    /** How an op maps the gradient of its output to the gradients of its inputs (null: no gradient). */
    @FunctionalInterface
    public interface Backward {
        Tensor[] apply(Tensor outputGradient);
    }

    /** How an op with several outputs maps their gradients (null for an output that got none) to its inputs'. */
    @FunctionalInterface
    public interface MultiBackward {
        Tensor[] apply(Tensor[] outputGradients);
    }

    private record Entry(String op, Tensor[] inputs, Tensor[] outputs, MultiBackward backward) {
    }

    private final Set<Tensor> tracked = Collections.newSetFromMap(new IdentityHashMap<>());
    private final List<Entry> entries = new ArrayList<>();
    private boolean recording = true;
    private boolean closed;

    public GradientTape() {
        ACTIVE.get().push(this);
    }

    /** Gradients will be taken with respect to these tensors. */
    public GradientTape watch(Tensor... tensors) {
        for (Tensor t : tensors) {
            tracked.add(t);
        }
        return this;
    }

    public GradientTape watch(List<Tensor> tensors) {
        tracked.addAll(tensors);
        return this;
    }

    /** Whether an open, recording tape of this thread would record an op on x: lets ops skip saving for backward. */
    static boolean isWatched(Tensor x) {
        for (GradientTape tape : ACTIVE.get()) {
            if (tape.recording && tape.tracked.contains(x)) {
                return true;
            }
        }
        return false;
    }

    /** Called by every differentiable op after computing its output. */
    static void record(String op, Tensor[] inputs, Tensor output, Backward backward) {
        record(op, inputs, new Tensor[] {output}, dys -> backward.apply(dys[0]));
    }

    /**
     * As {@link #record(String, Tensor[], Tensor, Backward)} for an op with several outputs (null entries allowed):
     * its backward runs once, when the gradient reaches the op, with the gradients of all outputs that got one.
     */
    static void record(String op, Tensor[] inputs, Tensor[] outputs, MultiBackward backward) {
        for (GradientTape tape : ACTIVE.get()) {
            if (!tape.recording) {
                continue;
            }
            for (Tensor in : inputs) {
                if (in != null && tape.tracked.contains(in)) {
                    tape.entries.add(new Entry(op, inputs, outputs, backward));
                    for (Tensor out : outputs) {
                        if (out != null) {
                            tape.tracked.add(out);
                        }
                    }
                    break;
                }
            }
        }
    }

    /**
     * d target / d source for each source, the target's gradient being ones (its sum is differentiated);
     * null for a source the target does not depend on.
     */
    public List<Tensor> gradient(Tensor target, List<Tensor> sources) {
        return gradient(target, sources, null);
    }

    /** As {@link #gradient(Tensor, List)}, with the target's gradient given (null: ones). */
    public List<Tensor> gradient(Tensor target, List<Tensor> sources, Tensor targetGradient) {
        if (closed) {
            throw new IllegalStateException("gradient() on a closed GradientTape");
        }
        Map<Tensor, Tensor> grads = new IdentityHashMap<>();
        grads.put(target, targetGradient != null ? targetGradient : Ops.onesLike(target));
        boolean was = recording;
        recording = false;
        try {
            for (int i = entries.size() - 1; i >= 0; i--) {
                Entry e = entries.get(i);
                Tensor[] dys = new Tensor[e.outputs.length];
                boolean any = false;
                for (int k = 0; k < dys.length; k++) {
                    dys[k] = e.outputs[k] == null ? null : grads.get(e.outputs[k]);
                    any |= dys[k] != null;
                }
                if (!any) {
                    continue;
                }
                Tensor[] dxs = e.backward.apply(dys);
                for (int j = 0; j < e.inputs.length; j++) {
                    Tensor in = e.inputs[j];
                    Tensor dx = dxs[j];
                    if (in == null || dx == null || !tracked.contains(in)) {
                        continue;
                    }
                    Tensor prev = grads.get(in);
                    grads.put(in, prev == null ? dx : Ops.add(prev, dx));
                }
            }
        } finally {
            recording = was;
        }
        List<Tensor> out = new ArrayList<>(sources.size());
        for (Tensor s : sources) {
            out.add(grads.get(s));
        }
        return out;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        ArrayDeque<GradientTape> stack = ACTIVE.get();
        stack.remove(this);
        entries.clear();
        tracked.clear();
    }
}
