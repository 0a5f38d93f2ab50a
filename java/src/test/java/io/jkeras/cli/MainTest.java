package io.jkeras.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MainTest {
    @Test
    void digitsDataSet() {
        Main.Digits d = Main.loadDigits();
        assertEquals(1797, d.labels().length);
        assertEquals(64, d.pixels()[0].length);
        int[] counts = new int[10];
        for (int l : d.labels()) {
            counts[l]++;
        }
        for (int c : counts) {
            assertTrue(c >= 170 && c <= 190, "class sizes " + java.util.Arrays.toString(counts));
        }
        for (float[] row : d.pixels()) {
            for (float v : row) {
                assertTrue(v >= 0 && v <= 16);
            }
        }
    }

    /** The default job: 20 epochs of Adam must reach 95% test accuracy. */
    @Test
    void trainDigitsReachesNinetyFivePercent() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        PrintStream old = System.out;
        System.setOut(out);
        Main.DigitsResult r;
        try {
            r = Main.trainDigits(20, Main.DEFAULT_SEED, out);
        } finally {
            System.setOut(old);
        }
        String text = buf.toString(StandardCharsets.UTF_8);
        assertTrue(r.testAccuracy() >= 0.95, "test accuracy " + r.testAccuracy() + "\n" + text);
        assertTrue(text.contains("Total params: 4,810"), text);
        assertTrue(text.contains("Train on 1294 samples, validate on 144 samples"), text);
        assertTrue(text.contains("Epoch 20/20"), text);
        assertTrue(text.contains("test accuracy: "), text);
        assertTrue(text.contains("backend: "), text);
        assertTrue(text.contains("time per epoch: "), text);
        assertEquals(20, r.history().get("val_accuracy").size());
    }

    @Test
    void arguments() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        assertEquals(0, Main.run(new String[] {"--help"}, new PrintStream(buf, true, StandardCharsets.UTF_8)));
        assertTrue(buf.toString(StandardCharsets.UTF_8).contains("train-digits"));
        assertThrows(IllegalArgumentException.class, () -> Main.run(new String[] {"train-mnist"}, System.out));
        assertThrows(IllegalArgumentException.class, () -> Main.run(new String[] {"--epochs"}, System.out));
        assertThrows(IllegalArgumentException.class, () -> Main.run(new String[] {"--epochs", "x"}, System.out));
        assertThrows(IllegalArgumentException.class, () -> Main.run(new String[] {"--epochs", "0"}, System.out));
    }
}
