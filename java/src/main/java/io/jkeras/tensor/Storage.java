package io.jkeras.tensor;

import io.jkeras.backend.Backend;
import java.lang.ref.Cleaner;

/**
 * A block of device memory shared by a tensor and its views (reshapes), freed when the last of them closes.
 * A {@link Cleaner} frees it if every owner was dropped without closing: the last resort, not the plan.
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

    final Backend backend;
    final long address;
    final long bytes;
    private int owners;
    private final Cleaner.Cleanable cleanable;

    Storage(Backend backend, long bytes) {
        this.backend = backend;
        this.bytes = bytes;
        this.address = backend.allocate(bytes);
        this.cleanable = CLEANER.register(this, new Release(backend, address));
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
