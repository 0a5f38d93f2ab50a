package io.jkeras.backend;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BackendsTest {
    /** Where CUDA is unusable (this CI machine: nvcc but no driver), auto falls back to the CPU and says why. */
    @Test
    void withoutCudaTheCpuIsTheDefaultAndCudaSaysWhy() {
        Map<String, String> available = Backends.available();
        assertNull(available.get("cpu"));
        assumeTrue(available.get("cuda") != null, "CUDA is usable here");
        String reason = available.get("cuda");
        assertFalse(reason.isBlank());
        assertEquals("cpu", Backends.choose("auto", "test").name());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Backends.choose("cuda", "test"));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Backends.choose("tpu", "test"));
    }

    /** libjkeras_cuda loads with no CUDA library or driver present: the reason names the driver, not the loader. */
    @Test
    void theCudaLibraryLoadsWithoutADriverAndNamesWhatIsMissing() {
        assumeTrue(nvccOnPath(), "no nvcc on PATH: libjkeras_cuda is not built");
        String reason = Backends.available().get("cuda");
        assumeTrue(reason != null, "CUDA is usable here");
        assertFalse(reason.startsWith("libjkeras_cuda does not load"), reason);
        assertTrue(reason.contains("driver") || reason.contains("device") || reason.contains("cuDNN")
                || reason.contains("cuBLAS") || reason.contains("runtime"), reason);
    }

    private static boolean nvccOnPath() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "nvcc"))) {
                return true;
            }
        }
        return false;
    }

    /** Where nvcc exists the build compiles the CUDA kernels into libjkeras_cuda, with device code inside. */
    @Test
    void cudaKernelsAreCompiledWhereNvccExists() throws Exception {
        assumeTrue(nvccOnPath(), "no nvcc on PATH: libjkeras_cuda is not built");
        try (InputStream in = getClass().getResourceAsStream("/io/jkeras/backend/cuda/linux-x86_64/libjkeras_cuda.so")) {
            assertNotNull(in, "libjkeras_cuda.so missing from the jar's CUDA platform folder");
            String bytes = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(bytes.contains(".nv_fatbin"), "no fat binary section in libjkeras_cuda.so");
            assertTrue(bytes.contains("jkc_unary"), "the activation kernels' entry point is missing");
            // the PTX for compute_90 is embedded as text
            assertTrue(bytes.contains(".target sm_90"), "no compute_90 PTX in libjkeras_cuda.so");
        }
    }
}
