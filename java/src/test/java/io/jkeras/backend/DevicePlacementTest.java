package io.jkeras.backend;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jkeras.backend.cpu.CpuBackend;
import io.jkeras.backend.cuda.CudaBackend;
import io.jkeras.layers.core.Dense;
import io.jkeras.tensor.DType;
import io.jkeras.tensor.Device;
import io.jkeras.tensor.Tensor;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;

/** Where tensors live, how they move, and that no backend ever dereferences another device's memory. */
class DevicePlacementTest {
    /** A backend that claims to be a GPU but keeps its memory on the host through the CPU backend. */
    private static Backend pretendGpu() {
        Backend cpu = CpuBackend.instance();
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "device" -> Device.cuda(7);
                    case "name" -> "pretend-gpu";
                    case "allocate", "free", "allocatedBytes" -> method.invoke(cpu, args);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void theCpuBackendRefusesTensorsOfAnotherDevice() {
        Backend gpu = pretendGpu();
        try (Tensor x = Tensor.empty(gpu, DType.FLOAT32, 4); Tensor y = Tensor.zeros(4)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> CpuBackend.instance().unary(UnaryOp.RELU, 0, -1, 0, x, y));
            assertTrue(e.getMessage().contains("cuda:7"), e.getMessage());
            assertTrue(e.getMessage().contains("Tensor.to"), e.getMessage());
            assertArrayEquals(new float[4], y.toFloatArray());
        }
    }

    @Test
    void toTheSameDeviceIsAViewAndMoveToTheSameDeviceIsANoOp() {
        try (Tensor x = Tensor.of(new float[] {1, 2, 3}, 3); Tensor y = x.to(Device.CPU)) {
            assertNotSame(x, y);
            assertEquals(Device.CPU, y.device());
            assertEquals(x.address(), y.address());
            x.moveTo(Device.CPU);
            assertArrayEquals(new float[] {1, 2, 3}, x.toFloatArray());
        }
    }

    @Test
    void aLayerOnTheCpuRunsAsBefore() {
        Dense dense = new Dense(2);
        try (Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3)) {
            float[] before = dense.apply(x).toFloatArray();
            assertSame(dense, dense.to(Device.CPU));
            assertEquals(Device.CPU, dense.device());
            assertArrayEquals(before, dense.apply(x).toFloatArray());
        }
    }

    @Test
    void withoutCudaTheGpuSaysWhatIsMissing() {
        String reason = CudaBackend.unavailableReason();
        assumeTrue(reason != null, "CUDA is available here");
        assertFalse(reason.isBlank());
        assertEquals(reason, Backends.available().get("cuda"));
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> Backends.forDevice(Device.cuda(0)));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
        try (Tensor x = Tensor.zeros(2)) {
            assertThrows(UnsupportedOperationException.class, () -> x.to(Device.cuda(0)));
            assertThrows(UnsupportedOperationException.class, () -> x.moveTo(Device.cuda(0)));
            assertEquals(Device.CPU, x.device());
        }
        assertThrows(UnsupportedOperationException.class, () -> new Dense(2).to(Device.cuda(0)));
    }

    @Test
    void onDeviceScopesNestAndRestore() {
        Backend before = Backends.defaultBackend();
        try (Backends.DeviceScope outer = Backends.onDevice(Device.CPU)) {
            assertSame(CpuBackend.instance(), Backends.defaultBackend());
            try (Backends.DeviceScope inner = Backends.onDevice(Device.CPU)) {
                assertSame(CpuBackend.instance(), Backends.defaultBackend());
            }
            assertSame(CpuBackend.instance(), Backends.defaultBackend());
        }
        assertSame(before, Backends.defaultBackend());
    }
}
