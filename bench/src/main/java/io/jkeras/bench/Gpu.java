package io.jkeras.bench;

import io.jkeras.backend.Backends;
import io.jkeras.backend.cuda.CudaBackend;
import io.jkeras.tensor.DType;
import io.jkeras.tensor.Device;
import io.jkeras.tensor.Scope;
import io.jkeras.tensor.Tensor;
import java.util.function.Supplier;

/**
 * The jkeras side of the GPU benchmarks: CUDA device 0 through {@link CudaBackend}. Inputs are made on the host
 * ({@link Data#uniform}) and moved once, in setup; layers are moved with {@code Layer.to}. Every measured jkeras
 * call runs with the device as the thread's default ({@code Backends.onDevice}, so the loss and the tape's seed
 * gradient are made there too), in a {@link Scope} closed inside the call, and ends with
 * {@link CudaBackend#synchronize()}: a call's time is the time until its GPU work is done.
 */
final class Gpu {
    static final Device DEVICE = Device.cuda(0);

    private Gpu() {
    }

    /** Null where the CUDA backend can serve, else why not (CudaBackend's reason, or why it does not load). */
    static String unavailableReason() {
        try {
            return CudaBackend.unavailableReason();
        } catch (Throwable e) {
            return "the CUDA backend does not load: " + e;
        }
    }

    /** The backend of device 0; refuses, saying why, where there is none (a GPU benchmark run without a GPU). */
    static CudaBackend backend() {
        CudaBackend b = backend;
        if (b == null) {
            String reason = unavailableReason();
            if (reason != null) {
                throw new IllegalStateException("GPU benchmark, but the CUDA backend is unavailable: " + reason);
            }
            backend = b = CudaBackend.forDevice(DEVICE.index());
        }
        return b;
    }

    private static volatile CudaBackend backend;

    /** Waits for everything queued on jkeras's stream. */
    static void sync() {
        backend().synchronize();
    }

    /** Uniform values in [-1, 1) on the GPU. */
    static Tensor uniform(long seed, long... shape) {
        Tensor t = Data.uniform(seed, shape);
        t.moveTo(DEVICE);
        return t;
    }

    /** Zeros on the GPU. */
    static Tensor zeros(long... shape) {
        Tensor t = Tensor.empty(backend(), DType.FLOAT32, shape);
        backend().fill(t, 0f);
        return t;
    }

    /** At least {@code bytes} of uninitialised GPU memory (workspaces of the raw references). */
    static Tensor bytes(long bytes) {
        return Tensor.empty(backend(), DType.FLOAT32, Math.max(1, (bytes + 3) / 4));
    }

    /** Moves a benchmark layer and its input to the GPU (their tensors keep their identity: moved in place). */
    static void place(ConvBench.LayerState s) {
        s.layer.to(DEVICE);
        s.x.moveTo(DEVICE);
        sync();
    }

    /** {@link ConvBench#forward} on the GPU, waited for. */
    static Object forward(ConvBench.LayerState s) {
        return run(() -> ConvBench.forward(s));
    }

    /** {@link ConvBench#forwardBackwardSum} on the GPU, waited for. */
    static Object forwardBackwardSum(ConvBench.LayerState s) {
        return run(() -> ConvBench.forwardBackwardSum(s));
    }

    /** One op (its output allocated and freed in a scope closed inside the call), waited for. */
    static Object op(Supplier<Tensor> op) {
        return run(() -> {
            try (Scope scope = Scope.open()) {
                return op.get();
            }
        });
    }

    private static Object run(Supplier<Object> call) {
        try (Backends.DeviceScope on = Backends.onDevice(DEVICE)) {
            Object out = call.get();
            sync();
            return out;
        }
    }
}
