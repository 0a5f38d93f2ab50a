package io.jkeras.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Frees the temporaries of a step: every tensor created on this thread while the scope is the innermost open
 * one is closed when the scope closes, except those handed to {@link #keep}, which move to the enclosing
 * scope (or to nobody, when there is none).
 *
 * <pre>{@code
 * try (Scope scope = Scope.open()) {
 *     Tensor y = model.call(x);
 *     return scope.keep(y);
 * }
 * }</pre>
 */
public final class Scope implements AutoCloseable {
    private static final ThreadLocal<ArrayDeque<Scope>> STACK = ThreadLocal.withInitial(ArrayDeque::new);

    private final Set<Tensor> owned = Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean closed;

    private Scope() {
    }

    public static Scope open() {
        Scope s = new Scope();
        STACK.get().push(s);
        return s;
    }

    /** The innermost open scope of this thread, or null. */
    static Scope current() {
        return STACK.get().peek();
    }

    void adopt(Tensor t) {
        owned.add(t);
    }

    /** Takes t out of this scope into the enclosing one; returns t. */
    public Tensor keep(Tensor t) {
        if (owned.remove(t)) {
            ArrayDeque<Scope> stack = STACK.get();
            Scope parent = null;
            boolean seen = false;
            for (Scope s : stack) {
                if (seen) {
                    parent = s;
                    break;
                }
                seen = s == this;
            }
            if (parent != null) {
                parent.adopt(t);
            }
        }
        return t;
    }

    public List<Tensor> keep(List<Tensor> ts) {
        for (Tensor t : ts) {
            if (t != null) {
                keep(t);
            }
        }
        return ts;
    }

    /** Takes t out of every scope: its owner is now the caller, who must close it. */
    public static Tensor detach(Tensor t) {
        for (Scope s : STACK.get()) {
            s.owned.remove(t);
        }
        return t;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        ArrayDeque<Scope> stack = STACK.get();
        if (stack.peek() != this) {
            throw new IllegalStateException("scopes must be closed in the reverse order of opening");
        }
        closed = true;
        stack.pop();
        for (Tensor t : new ArrayList<>(owned)) {
            t.close();
        }
        owned.clear();
    }
}
