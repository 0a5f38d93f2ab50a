package io.jkeras.backend.cuda;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * JavaCPP pointers onto memory we already own (device or pinned host), for the preset APIs that take pointers:
 * they neither allocate nor free.
 */
final class DeviceMemory {
    private DeviceMemory() {
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
    static Pointer at(long address) {
        return address == 0 ? null : new Raw(address);
    }

    static FloatPointer floats(long address) {
        return address == 0 ? null : new Floats(address, 0);
    }

    /** n floats at a host address, for bulk copies to and from Java arrays. */
    static FloatPointer hostFloats(long address, long n) {
        return new Floats(address, n);
    }

    static IntPointer hostInts(long address, long n) {
        return new Ints(address, n);
    }
}
