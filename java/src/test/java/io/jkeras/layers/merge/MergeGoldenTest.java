package io.jkeras.layers.merge;


import io.jkeras.testing.Golden;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every TF.js fixture of golden/merge (see tools/golden/README.md): forward outputs, output shapes and masks,
 * gradients for every input and trainable weight, configs and their round trip.
 */
class MergeGoldenTest {
    static Stream<String> cases() {
        return FamilyGoldens.cases("merge");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void forwardMatches(String name) {
        FamilyGoldens.checkForward(Golden.load("merge", name));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientsMatch(String name) {
        FamilyGoldens.checkGradients(Golden.load("merge", name));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void configAgrees(String name) {
        FamilyGoldens.checkConfig(Golden.load("merge", name));
    }
}
