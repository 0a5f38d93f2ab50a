package io.jkeras.backend;

import io.jkeras.backend.cpu.CpuBackend;
import io.jkeras.tensor.Device;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Chooses the backend: system property {@code jkeras.backend} or environment variable {@code JKERAS_BACKEND}
 * ({@code auto}, {@code cpu}, {@code cuda}); {@code auto} takes CUDA where it is usable and the CPU otherwise.
 * The choice and its reason are logged once.
 */
public final class Backends {
    private static final System.Logger LOG = System.getLogger(Backends.class.getName());
    private static volatile Backend defaultBackend;

    private Backends() {
    }

    /** The backend new tensors are created on unless a device is named. */
    public static Backend defaultBackend() {
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

    public static Backend forDevice(Device device) {
        if (device.kind() == Device.Kind.CPU) {
            return CpuBackend.instance();
        }
        throw new UnsupportedOperationException("no backend for " + device + ": " + cudaUnavailableReason());
    }

    /** Every backend kind with null where it is usable, or the reason it is not. */
    public static Map<String, String> available() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("cpu", null);
        m.put("cuda", cudaUnavailableReason());
        return m;
    }

    private static String cudaUnavailableReason() {
        return "this build has no CUDA backend yet (libjkeras_cuda's kernels are compiled, the Java side is not)";
    }

    private static Backend choose() {
        String prop = System.getProperty("jkeras.backend");
        String env = System.getenv("JKERAS_BACKEND");
        String wanted = prop != null ? prop : env != null ? env : "auto";
        String source = prop != null ? "system property jkeras.backend" : env != null ? "JKERAS_BACKEND" : "default";
        switch (wanted.trim().toLowerCase()) {
            case "cpu" -> {
                LOG.log(System.Logger.Level.INFO, "jkeras backend: cpu (" + source + ")");
                return CpuBackend.instance();
            }
            case "cuda" -> throw new IllegalStateException("jkeras backend 'cuda' requested by " + source
                    + " but it is unavailable: " + cudaUnavailableReason());
            case "auto" -> {
                LOG.log(System.Logger.Level.INFO, "jkeras backend: cpu (auto; cuda unavailable: "
                        + cudaUnavailableReason() + ")");
                return CpuBackend.instance();
            }
            default -> throw new IllegalArgumentException("unknown jkeras backend '" + wanted + "' from " + source
                    + " (expected auto, cpu or cuda)");
        }
    }
}
