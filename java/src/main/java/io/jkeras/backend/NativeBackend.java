package io.jkeras.backend;

import io.jkeras.tensor.Tensor;

/**
 * What the native backends share: turning tensors into the addresses their C entry points take, refusing any
 * tensor of another device (see {@link Backend#addressOn}) so that native code never dereferences foreign memory.
 */
public abstract class NativeBackend implements Backend {
    /** The address of t, which must live on this backend's device. */
    protected final long at(Tensor t) {
        return Backend.addressOn(this, t, 0);
    }

    /** The address of t's element offsetElements. */
    protected final long at(Tensor t, long offsetElements) {
        return Backend.addressOn(this, t, offsetElements);
    }

    /** The address of t, or 0 (NULL) for an absent tensor. */
    protected final long atOrNull(Tensor t) {
        return t == null ? 0 : at(t);
    }
}
