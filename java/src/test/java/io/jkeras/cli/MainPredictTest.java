package io.jkeras.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.layers.KerasTensor;
import io.jkeras.layers.core.Dense;
import io.jkeras.models.Input;
import io.jkeras.models.Model;
import io.jkeras.saving.KerasModels;
import io.jkeras.saving.Npy;
import io.jkeras.tensor.Tensor;
import io.jkeras.testing.Golden;
import io.jkeras.testing.KerasGolden;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code predict} and {@code summary} on a real Keras file, with .npy files from our writer. */
@Timeout(120)
class MainPredictTest {
    @TempDir
    Path dir;

    private static String run(String... args) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        assertEquals(0, Main.run(args, new PrintStream(buf, true, StandardCharsets.UTF_8)));
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void predictGoldenModel() {
        String name = "conv1d_k4_s2_d1_cl_valid";
        Path model = KerasGolden.dir("conv1d").resolve(name + "_model.h5");
        Tensor x = KerasGolden.arrays("conv1d", name, "inputs").values().iterator().next();
        Tensor expected = KerasGolden.arrays("conv1d", name, "predictions").values().iterator().next();
        Path in = dir.resolve("in.npy");
        Path out = dir.resolve("out.npy");
        Npy.write(in, x);
        String text = run("predict", model.toString(), in.toString(), out.toString(), "--batch-size", "1");
        assertTrue(text.contains("wrote " + out), text);
        Tensor y = Npy.read(out);
        assertArrayEquals(expected.shape(), y.shape());
        Golden.assertClose("cli predict", expected.toFloatArray(), y.toFloatArray(), 1e-5);
    }

    @Test
    void summaryOfGoldenModel() {
        Path model = KerasGolden.dir("activations").resolve("ReLU_1_model.h5");
        String text = run("summary", model.toString());
        assertTrue(text.contains("dense (Dense)") && text.contains("re_lu_1 (ReLU)") && text.contains("Total params: 544"),
                text);
    }

    /** Two inputs (one given as int32 values), two outputs written as OUT_0.npy and OUT_1.npy. */
    @Test
    void multipleInputsAndOutputs() {
        KerasTensor a = Input.create(3);
        KerasTensor b = Input.create(3);
        Dense shared = new Dense(2);
        Model m = new Model(List.of(a, b), List.of(shared.apply(a), shared.apply(b)));
        Path file = dir.resolve("m.keras");
        KerasModels.save(m, file);
        Path ia = dir.resolve("a.npy");
        Path ib = dir.resolve("b.npy");
        Npy.write(ia, Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        Npy.write(ib, Tensor.ofInts(new int[] {1, 0, 0, 0, 1, 0}, 2, 3));
        run("predict", file.toString(), ia.toString(), ib.toString(), dir.resolve("y.npy").toString());
        Tensor y0 = Npy.read(dir.resolve("y_0.npy"));
        Tensor y1 = Npy.read(dir.resolve("y_1.npy"));
        List<Tensor> want = m.predict(List.of(Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3),
                Tensor.of(new float[] {1, 0, 0, 0, 1, 0}, 2, 3)));
        assertArrayEquals(want.get(0).toFloatArray(), y0.toFloatArray(), 0f);
        assertArrayEquals(want.get(1).toFloatArray(), y1.toFloatArray(), 0f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> run("predict", file.toString(), ia.toString(), dir.resolve("z.npy").toString()));
        assertTrue(e.getMessage().contains("2 input(s)"), e.getMessage());
    }

    @Test
    void badArguments() {
        assertThrows(IllegalArgumentException.class, () -> run("predict", "m.h5"));
        assertThrows(IllegalArgumentException.class, () -> run("summary"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> run("summary", dir.resolve("missing.h5").toString()));
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
    }
}
