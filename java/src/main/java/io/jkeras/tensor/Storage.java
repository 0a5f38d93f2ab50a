package io.jkeras.tensor;

import io.jkeras.backend.Backend;
import java.lang.ref.Cleaner;

/**
 * A block of device memory shared by a tensor and its views (reshapes), freed when the last of them closes.
 * Its memory may move to another device in place ({@link Tensor#moveTo}). A {@link Cleaner} frees it if every
 * owner was dropped without closing: the last resort, not the plan.
 */
final class Storage {
    private static final Cleaner CLEANER = Cleaner.create();

    /** What the cleaner runs: must not refer to the Storage itself. */
    private static final class Release implements Runnable {
        private final Backend backend;
        private long address;

        Release(Backend backend, long address) {
            this.backend = backend;
            this.address = address;
        }

        @Override
        public synchronized void run() {
            if (address != 0) {
                backend.free(address);
                address = 0;
            }
        }
    }

    volatile Backend backend;
    volatile long address;
    final long bytes;
    private int owners;
    private Cleaner.Cleanable cleanable;

    Storage(Backend backend, long bytes) {
        this.backend = backend;
        this.bytes = bytes;
        this.address = backend.allocate(bytes);
        this.cleanable = CLEANER.register(this, new Release(backend, address));
    }

    /** Takes over memory of the same size on another backend, already holding a copy, and frees the old. */
    synchronized void swap(Backend newBackend, long newAddress) {
        cleanable.clean();
        backend = newBackend;
        address = newAddress;
        cleanable = CLEANER.register(this, new Release(newBackend, newAddress));
    }

    /** Memory at address that this storage does not own (never freed through it): a transfer's destination. */
    static Storage borrowed(Backend backend, long address, long bytes) {
        return new Storage(backend, address, bytes);
    }

    private Storage(Backend backend, long address, long bytes) {
        this.backend = backend;
        this.bytes = bytes;
        this.address = address;
    }

    synchronized void retain() {
        owners++;
    }

    synchronized void release() {
        if (--owners == 0) {
            cleanable.clean();
        }
    }
}
