package io.jkeras.backend;

import io.jkeras.backend.cpu.CpuBackend;
import io.jkeras.backend.cuda.CudaBackend;
import io.jkeras.tensor.Device;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Chooses the backend: system property {@code jkeras.backend} or environment variable {@code JKERAS_BACKEND}
 * ({@code auto}, {@code cpu}, {@code cuda}); {@code auto} takes CUDA device 0 where it is usable and the CPU
 * otherwise. The choice and its reason are logged once. {@link #onDevice} overrides it for a thread, for a while.
 */
public final class Backends {
    private static final System.Logger LOG = System.getLogger(Backends.class.getName());
    private static final ThreadLocal<Backend> OVERRIDE = new ThreadLocal<>();
    private static volatile Backend defaultBackend;

    private Backends() {
    }

    /** The backend new tensors are created on unless a device is named: the thread's override, else the chosen one. */
    public static Backend defaultBackend() {
        Backend o = OVERRIDE.get();
        if (o != null) {
            return o;
        }
        Backend b = defaultBackend;
        if (b == null) {
            synchronized (Backends.class) {
                if (defaultBackend == null) {
                    defaultBackend = choose();
                }
                b = defaultBackend;
            }
        }
        return b;
    }

    /** Until closed, tensors this thread creates without naming a device go to device (scopes nest). */
    public static DeviceScope onDevice(Device device) {
        Backend previous = OVERRIDE.get();
        OVERRIDE.set(forDevice(device));
        return () -> {
            if (previous == null) {
                OVERRIDE.remove();
            } else {
                OVERRIDE.set(previous);
            }
        };
    }

    /** What {@link #onDevice} returns: closing it restores the previous default. */
    public interface DeviceScope extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * The backend of a device.
     *
     * @throws UnsupportedOperationException for a CUDA device where CUDA is unusable, saying what is missing
     */
    public static Backend forDevice(Device device) {
        return device.kind() == Device.Kind.CPU ? CpuBackend.instance() : CudaBackend.forDevice(device.index());
    }

    /** Every backend kind with null where it is usable, or the reason it is not. */
    public static Map<String, String> available() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("cpu", null);
        m.put("cuda", CudaBackend.unavailableReason());
        return m;
    }

    private static Backend choose() {
        String prop = System.getProperty("jkeras.backend");
        String env = System.getenv("JKERAS_BACKEND");
        String wanted = prop != null ? prop : env != null ? env : "auto";
        String source = prop != null ? "system property jkeras.backend" : env != null ? "JKERAS_BACKEND" : "default";
        return choose(wanted, source);
    }

    /** The backend named by wanted (auto, cpu or cuda), which came from source; logs the choice and its reason. */
    static Backend choose(String wanted, String source) {
        switch (wanted.trim().toLowerCase()) {
            case "cpu" -> {
                LOG.log(System.Logger.Level.INFO, "jkeras backend: cpu (" + source + ")");
                return CpuBackend.instance();
            }
            case "cuda" -> {
                String reason = CudaBackend.unavailableReason();
                if (reason != null) {
                    throw new IllegalStateException("jkeras backend 'cuda' requested by " + source
                            + " but it is unavailable: " + reason);
                }
                CudaBackend cuda = CudaBackend.forDevice(0);
                LOG.log(System.Logger.Level.INFO, "jkeras backend: cuda:0 (" + source + "): " + cuda.describe());
                return cuda;
            }
            case "auto" -> {
                String reason = CudaBackend.unavailableReason();
                if (reason != null) {
                    LOG.log(System.Logger.Level.INFO, "jkeras backend: cpu (auto; cuda unavailable: " + reason + ")");
                    return CpuBackend.instance();
                }
                CudaBackend cuda = CudaBackend.forDevice(0);
                LOG.log(System.Logger.Level.INFO, "jkeras backend: cuda:0 (auto): " + cuda.describe());
                return cuda;
            }
            default -> throw new IllegalArgumentException("unknown jkeras backend '" + wanted + "' from " + source
                    + " (expected auto, cpu or cuda)");
        }
    }
}
