package io.jkeras.backend.cuda;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jkeras.backend.Backend;
import io.jkeras.backend.Backends;
import io.jkeras.backend.cpu.CpuBackend;
import io.jkeras.tensor.DType;
import io.jkeras.tensor.Device;
import io.jkeras.tensor.Tensor;

/**
 * What the parity tests share: the reference (the CPU backend), the device under test (CUDA device 0), the
 * assumption that skips the tests where CUDA is unusable, and host-to-device copies.
 *
 * <p>With {@code -Djkeras.parity.reference=cpu} the device under test is the CPU backend as well: every case then
 * runs for real on a machine without a GPU and must pass CPU against CPU, which checks the tests themselves (inputs,
 * harness, tolerances). Without it the tests compare CUDA against the CPU and skip themselves where CUDA is
 * unusable.
 */
final class ParityHarness {
    /** The system property that turns the CPU-against-CPU mode on (value "cpu"). */
    static final String PROPERTY = "jkeras.parity.reference";

    private ParityHarness() {
    }

    /** Whether the device under test is the CPU backend too (checking the tests where no GPU is). */
    static boolean cpuReferenceMode() {
        return "cpu".equalsIgnoreCase(System.getProperty(PROPERTY, "").trim());
    }

    /** The first thing every parity test class does: skip unless CUDA can serve (or the CPU-against-CPU mode). */
    static void assumeDeviceUnderTest() {
        if (cpuReferenceMode()) {
            return;
        }
        assumeTrue(CudaBackend.unavailableReason() == null, () -> "no CUDA: " + CudaBackend.unavailableReason());
    }

    /** The device under test: CUDA device 0, or the CPU in the CPU-against-CPU mode. */
    static Device device() {
        return cpuReferenceMode() ? Device.CPU : Device.cuda(0);
    }

    static Backend reference() {
        return CpuBackend.instance();
    }

    static Backend underTest() {
        return Backends.forDevice(device());
    }

    /** A new host (CPU) tensor holding data. */
    static Tensor host(float[] data, long... shape) {
        Tensor t = Tensor.empty(CpuBackend.instance(), DType.FLOAT32, shape);
        CpuBackend.instance().write(t, data);
        return t;
    }

    static Tensor hostInts(int[] data, long... shape) {
        Tensor t = Tensor.empty(CpuBackend.instance(), DType.INT32, shape);
        CpuBackend.instance().write(t, data);
        return t;
    }

    /**
     * A copy of a host tensor on be's device, with its own memory: {@link Tensor#to} for another device; for the CPU
     * a fresh tensor (to() would return a view sharing the host tensor's memory, so in-place primitives on one side
     * would change the other side's inputs).
     */
    static Tensor copyTo(Tensor hostTensor, Backend be) {
        if (be.device().kind() != Device.Kind.CPU) {
            return hostTensor.to(be.device());
        }
        Tensor t = Tensor.empty(be, hostTensor.dtype(), hostTensor.shape());
        if (hostTensor.dtype() == DType.INT32) {
            be.write(t, hostTensor.toIntArray());
        } else {
            be.write(t, hostTensor.toFloatArray());
        }
        return t;
    }
}
