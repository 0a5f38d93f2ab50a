package io.jkeras.layers.reshaping;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.testing.Golden;
import io.jkeras.testing.LayerGoldens;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every TF.js fixture of golden/reshaping: forward outputs (1e-5 scaled), gradients of sum(output * upstream) (1e-4
 * scaled; a fixture with "grad_inputs": null skips only that comparison) and Keras's config keys and values.
 */
class ReshapingGoldenTest {
    static Stream<String> cases() {
        return Golden.cases("reshaping");
    }

    @Test
    void theFixturesAreThere() {
        List<String> names = cases().toList();
        assertTrue(names.size() >= 16, "expected at least 16 fixtures in golden/reshaping, found " + names);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void forwardMatches(String name) {
        LayerGoldens.checkForward(Golden.load("reshaping", name));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientsMatch(String name) {
        Golden g = Golden.load("reshaping", name);
        if (LayerGoldens.hasGradients(g)) {
            LayerGoldens.checkGradients(g);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void configMatchesKeras(String name) {
        LayerGoldens.checkConfig(Golden.load("reshaping", name), Set.of());
    }
}
