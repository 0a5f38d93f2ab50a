package io.jkeras.backend;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * JavaCPP pointers onto native memory owned elsewhere (a tensor's, host or device, or a staging buffer): for bulk
 * copies to and from Java arrays and for library APIs that take pointers. They neither allocate nor free.
 */
public final class NativeMemory {
    private NativeMemory() {
    }

    private static final class Raw extends Pointer {
        Raw(long address) {
            this.address = address;
        }
    }

    private static final class Floats extends FloatPointer {
        Floats(long address, long n) {
            this.address = address;
            this.limit = n;
            this.capacity = n;
        }
    }

    private static final class Ints extends IntPointer {
        Ints(long address, long n) {
            this.address = address;
            this.limit = n;
            this.capacity = n;
        }
    }

    /** An untyped pointer at address (0: NULL). */
    public static Pointer at(long address) {
        return address == 0 ? null : new Raw(address);
    }

    /** n floats at address (n may be 0 for a device pointer that is only passed on). */
    public static FloatPointer floats(long address, long n) {
        return new Floats(address, n);
    }

    public static IntPointer ints(long address, long n) {
        return new Ints(address, n);
    }
}
