package io.jkeras.layers.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.jkeras.layers.Layer;
import io.jkeras.layers.Layers;
import io.jkeras.ops.GradientTape;
import io.jkeras.ops.Ops;
import io.jkeras.saving.Json;
import io.jkeras.tensor.Scope;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import io.jkeras.testing.Golden;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every TF.js convolution fixture (golden/conv/*.json: Conv1D/2D/3D, SeparableConv1D/2D, DepthwiseConv2D,
 * Conv2DTranspose, Conv3DTranspose, both data formats, strides, dilation, valid / same / causal): the layer made
 * from the fixture's Keras config, given the fixture's weights, reproduces the forward output (1e-5 scaled), the
 * gradients of sum(output * upstream) for the input and every weight (1e-4 scaled), and every config value the
 * fixture gives.
 */
class ConvGoldenTest {
    private static final double FORWARD_TOL = 1e-5;
    private static final double GRAD_TOL = 1e-4;

    static Stream<String> cases() {
        return Golden.cases("conv");
    }

    private static Map<String, Object> configOf(Golden g) {
        JsonNode c = g.config();
        if (c == null || c.isNull()) {
            fail(g.name() + ": a layer fixture without a config");
        }
        return Json.parseObject(c.toString());
    }

    private static Layer makeLayer(Golden g) {
        Layer layer = Layers.deserialize(configOf(g));
        assertEquals(g.config().path("class_name").asText(), layer.className(), g.name() + ": class name");
        layer.build(Shape.of(g.inputs().get(0).shape()).withDim(0, Shape.UNKNOWN));
        List<Tensor> weights = g.tensors("weights");
        assertEquals(weights.size(), layer.weightVariables().size(), g.name() + ": number of weights");
        layer.setWeights(weights);
        return layer;
    }

    @Test
    void theFamiliesAreCovered() {
        List<String> names = cases().toList();
        for (String prefix : List.of("conv1d_", "conv2d_", "conv3d_", "separable_conv1d_", "separable_conv2d_",
                "depthwise_conv2d_", "conv2d_transpose_", "conv3d_transpose_")) {
            assertTrue(names.stream().anyMatch(n -> n.startsWith(prefix)), "no fixture " + prefix + "*: " + names);
        }
        assertTrue(names.stream().anyMatch(n -> n.endsWith("_cf")), "no channels_first fixture");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void forwardMatches(String name) {
        Golden g = Golden.load("conv", name);
        try (Scope scope = Scope.open()) {
            Layer layer = makeLayer(g);
            Tensor y = layer.apply(g.input(0));
            Golden.assertClose(name + " output", g.outputs().get(0), y, FORWARD_TOL);
            Shape symbolic = layer.computeOutputShape(Shape.of(g.inputs().get(0).shape()).withDim(0, Shape.UNKNOWN));
            assertArrayEquals(Shape.of(g.outputs().get(0).shape()).withDim(0, Shape.UNKNOWN).dims(), symbolic.dims(),
                    name + ": computeOutputShape");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientsMatch(String name) {
        Golden g = Golden.load("conv", name);
        try (Scope scope = Scope.open()) {
            Layer layer = makeLayer(g);
            Tensor x = g.input(0);
            List<Tensor> sources = new ArrayList<>();
            sources.add(x);
            layer.weightVariables().forEach(w -> sources.add(w.value()));
            List<Tensor> grads;
            try (GradientTape tape = new GradientTape()) {
                tape.watch(sources);
                Tensor y = layer.invoke(List.of(x), null, false).tensors().get(0);
                grads = tape.gradient(Ops.sum(Ops.mul(y, g.tensors("upstream").get(0))), sources);
            }
            assertNotNull(grads.get(0), name + ": no gradient reached the input");
            Golden.assertClose(name + " grad input", g.gradInputs().get(0), grads.get(0), GRAD_TOL);
            for (int j = 0; j < g.gradWeights().size(); j++) {
                String wn = layer.weightVariables().get(j).name();
                assertNotNull(grads.get(j + 1), name + ": no gradient reached weight " + wn);
                Golden.assertClose(name + " grad " + wn, g.gradWeights().get(j), grads.get(j + 1), GRAD_TOL);
            }
        }
    }

    /**
     * The fixture configs are what TF.js writes (Keras 2.2.4's keys); jkeras writes Keras 2's later key sets
     * (groups, and for SeparableConv the unused kernel_* keys), so every key the fixture gives must be present
     * with the same value.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void configAgrees(String name) {
        Golden g = Golden.load("conv", name);
        @SuppressWarnings("unchecked")
        Map<String, Object> want = (Map<String, Object>) configOf(g).get("config");
        Map<String, Object> got = Json.roundTrip(Layers.deserialize(configOf(g)).getConfig());
        for (Map.Entry<String, Object> e : want.entrySet()) {
            assertTrue(got.containsKey(e.getKey()), name + ": config lacks " + e.getKey() + ": " + got);
            assertEquals(normalize(e.getValue()), normalize(got.get(e.getKey())), name + ": config " + e.getKey());
        }
    }

    static Object normalize(Object o) {
        if (o instanceof Number n) {
            return n.doubleValue();
        }
        if (o instanceof Map<?, ?> m) {
            Map<Object, Object> out = new java.util.TreeMap<>();
            m.forEach((k, v) -> out.put(k, normalize(v)));
            return out;
        }
        if (o instanceof List<?> l) {
            return l.stream().map(ConvGoldenTest::normalize).toList();
        }
        return o;
    }
}
