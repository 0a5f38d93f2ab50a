package io.jkeras.layers.attention;

import io.jkeras.layers.merge.FamilyGoldens;
import io.jkeras.testing.Golden;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every TF.js fixture of golden/attention (see tools/golden/README.md): forward outputs, output shapes and masks,
 * gradients for every input and trainable weight, configs and their round trip.
 */
class AttentionGoldenTest {
    static Stream<String> cases() {
        return FamilyGoldens.cases("attention");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void forwardMatches(String name) {
        FamilyGoldens.checkForward(Golden.load("attention", name));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientsMatch(String name) {
        FamilyGoldens.checkGradients(Golden.load("attention", name));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void configAgrees(String name) {
        FamilyGoldens.checkConfig(Golden.load("attention", name));
    }
}
