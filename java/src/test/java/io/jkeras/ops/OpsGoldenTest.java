package io.jkeras.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.jkeras.tensor.Scope;
import io.jkeras.tensor.Tensor;
import io.jkeras.testing.Golden;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every TensorFlow.js op fixture (golden/ops/*.json): the forward pass to 1e-5 and, through the GradientTape,
 * the gradient of sum(output * upstream) with respect to every input to 1e-4. An op this test cannot map fails.
 */
class OpsGoldenTest {
    static final double FORWARD_TOL = 1e-5;
    static final double GRADIENT_TOL = 1e-4;

    static Stream<String> cases() {
        return Golden.cases("ops");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesTfjs(String name) {
        Golden g = Golden.load("ops", name);
        assertEquals("op", g.kind(), name + ": not an op fixture");
        List<Golden.Array> expectedOut = g.outputs();
        List<Golden.Array> upstream = g.upstream();
        List<Golden.Array> expectedGrads = g.gradInputs();
        assertEquals(1, expectedOut.size(), name + ": one output expected");
        assertEquals(1, upstream.size(), name + ": one upstream gradient expected");
        try (Scope scope = Scope.open(); GradientTape tape = new GradientTape()) {
            List<Tensor> inputs = g.tensors("inputs");
            tape.watch(inputs);
            Tensor out = apply(name, g.op(), g.args(), inputs);
            Golden.assertClose(name + " forward", expectedOut.get(0), out, FORWARD_TOL);

            Tensor up = upstream.get(0).tensor();
            Tensor loss = Ops.sum(Ops.mul(out, up));
            List<Tensor> grads = tape.gradient(loss, inputs);
            assertEquals(inputs.size(), expectedGrads.size(), name + ": one grad_inputs entry per input");
            for (int i = 0; i < inputs.size(); i++) {
                assertNotNull(grads.get(i), name + ": no gradient reached input " + i);
                Golden.assertClose(name + " d loss / d input " + i, expectedGrads.get(i), grads.get(i), GRADIENT_TOL);
            }
        }
    }

    /** The fixture folder must hold every op family the generator writes (guards against an empty listing). */
    @Test
    void everyOpHasFixtures() {
        Set<String> ops = cases().map(n -> Golden.load("ops", n).op()).collect(Collectors.toCollection(TreeSet::new));
        for (String op : List.of("relu", "elu", "selu", "softplus", "softsign", "tanh", "sigmoid", "hard_sigmoid",
                "exponential", "linear", "softmax", "matmul", "add", "subtract", "multiply", "divide", "maximum",
                "minimum", "sum", "mean", "max", "transpose", "reshape", "concat", "slice", "stack", "bias_add", "log",
                "exp", "sqrt", "square", "abs", "negative")) {
            assertTrue(ops.contains(op), "no fixture for op '" + op + "' (found " + ops + ")");
        }
    }

    /** Maps a fixture's op name and args to the Ops call; an unknown op fails the case. */
    static Tensor apply(String name, String op, JsonNode args, List<Tensor> in) {
        if (op == null) {
            fail(name + ": the fixture names no op");
        }
        switch (op) {
            case "relu":
                return Ops.relu(one(name, in), Golden.floatArg(args, "alpha", 0f), Golden.floatOrNull(args, "max_value"),
                        Golden.floatArg(args, "threshold", 0f));
            case "elu":
                return Ops.elu(one(name, in), Golden.floatArg(args, "alpha", 1f));
            case "selu":
                return Ops.selu(one(name, in));
            case "softplus":
                return Ops.softplus(one(name, in));
            case "softsign":
                return Ops.softsign(one(name, in));
            case "tanh":
                return Ops.tanh(one(name, in));
            case "sigmoid":
                return Ops.sigmoid(one(name, in));
            case "hard_sigmoid":
                return Ops.hardSigmoid(one(name, in));
            case "exponential":
                return Ops.exponential(one(name, in));
            case "linear":
                return Ops.linear(one(name, in));
            case "softmax":
                return Ops.softmax(one(name, in), Golden.intArg(args, "axis", -1));
            case "matmul":
                return Ops.matmul(two(name, in, 0), two(name, in, 1), Golden.boolArg(args, "transpose_a", false),
                        Golden.boolArg(args, "transpose_b", false));
            case "add":
                return Ops.add(two(name, in, 0), two(name, in, 1));
            case "subtract":
                return Ops.sub(two(name, in, 0), two(name, in, 1));
            case "multiply":
                return Ops.mul(two(name, in, 0), two(name, in, 1));
            case "divide":
                return Ops.div(two(name, in, 0), two(name, in, 1));
            case "maximum":
                return Ops.maximum(two(name, in, 0), two(name, in, 1));
            case "minimum":
                return Ops.minimum(two(name, in, 0), two(name, in, 1));
            case "sum":
                return Ops.sum(one(name, in), Golden.intsOrNull(args, "axis"), Golden.boolArg(args, "keepdims", false));
            case "mean":
                return Ops.mean(one(name, in), Golden.intsOrNull(args, "axis"), Golden.boolArg(args, "keepdims", false));
            case "max":
                return Ops.max(one(name, in), Golden.intsOrNull(args, "axis"), Golden.boolArg(args, "keepdims", false));
            case "min":
                return Ops.min(one(name, in), Golden.intsOrNull(args, "axis"), Golden.boolArg(args, "keepdims", false));
            case "transpose":
                return Ops.transpose(one(name, in), required(name, Golden.intsOrNull(args, "perm"), "perm"));
            case "reshape":
                return Ops.reshape(one(name, in), required(name, Golden.longsOrNull(args, "shape"), "shape"));
            case "concat":
                return Ops.concat(in, Golden.intArg(args, "axis", -1));
            case "stack":
                return Ops.stack(in, Golden.intArg(args, "axis", 0));
            case "slice":
                return Ops.slice(one(name, in), required(name, Golden.longsOrNull(args, "begin"), "begin"),
                        required(name, Golden.longsOrNull(args, "size"), "size"));
            case "bias_add":
                return Ops.biasAdd(two(name, in, 0), two(name, in, 1));
            case "log":
                return Ops.log(one(name, in));
            case "exp":
                return Ops.exp(one(name, in));
            case "sqrt":
                return Ops.sqrt(one(name, in));
            case "square":
                return Ops.square(one(name, in));
            case "abs":
                return Ops.abs(one(name, in));
            case "negative":
                return Ops.neg(one(name, in));
            default:
                return fail(name + ": op '" + op + "' (args " + args + ") is not mapped by OpsGoldenTest; map it to "
                        + "its Ops call");
        }
    }

    private static Tensor one(String name, List<Tensor> in) {
        assertEquals(1, in.size(), name + ": expected one input");
        return in.get(0);
    }

    private static Tensor two(String name, List<Tensor> in, int i) {
        assertEquals(2, in.size(), name + ": expected two inputs");
        return in.get(i);
    }

    private static <T> T required(String name, T value, String arg) {
        assertNotNull(value, name + ": missing argument '" + arg + "'");
        return value;
    }
}
