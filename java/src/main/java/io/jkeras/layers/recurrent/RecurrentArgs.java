package io.jkeras.layers.recurrent;

import io.jkeras.saving.ConfigMap;
import io.jkeras.layers.Layer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The builder of the recurrent layers and cells: Keras's arguments by their Java names, collected as the Keras
 * config they stand for and handed to the class's {@code fromConfig} (so Java and JSON construction share one
 * reading, its defaults and its errors). A value may be what a config holds (a name, a serialized map) or an
 * object (an {@code Activation}, {@code Initializer}, {@code Regularizer}, {@code Constraint}). An argument the
 * class does not take is reported by {@link #build()}.
 *
 * <pre>{@code
 * LSTM lstm = LSTM.builder(64).returnSequences(true).recurrentActivation("sigmoid").dropout(0.2).build();
 * }</pre>
 */
public final class RecurrentArgs<L extends Layer> {
    private final Map<String, Object> config = new LinkedHashMap<>();
    private final Function<Map<String, Object>, L> factory;

    RecurrentArgs(Function<Map<String, Object>, L> factory) {
        this.factory = factory;
    }

    /** Any Keras argument by its config key (snake_case). */
    public RecurrentArgs<L> set(String kerasKey, Object value) {
        config.put(kerasKey, value);
        return this;
    }

    public RecurrentArgs<L> name(String name) {
        return set("name", name);
    }

    public RecurrentArgs<L> trainable(boolean b) {
        return set("trainable", b);
    }

    /** The input shape without the batch dimension (Keras's input_shape). */
    public RecurrentArgs<L> inputShape(long... shape) {
        return set("input_shape", ConfigMap.list(shape));
    }

    /** The input shape with the batch dimension (-1: unknown), Keras's batch_input_shape (needed by stateful). */
    public RecurrentArgs<L> batchInputShape(long... shape) {
        return set("batch_input_shape", io.jkeras.tensor.Shape.of(shape).toList());
    }

    public RecurrentArgs<L> units(int units) {
        return set("units", units);
    }

    public RecurrentArgs<L> activation(Object a) {
        return set("activation", a);
    }

    public RecurrentArgs<L> recurrentActivation(Object a) {
        return set("recurrent_activation", a);
    }

    public RecurrentArgs<L> useBias(boolean b) {
        return set("use_bias", b);
    }

    public RecurrentArgs<L> kernelInitializer(Object i) {
        return set("kernel_initializer", i);
    }

    public RecurrentArgs<L> recurrentInitializer(Object i) {
        return set("recurrent_initializer", i);
    }

    public RecurrentArgs<L> biasInitializer(Object i) {
        return set("bias_initializer", i);
    }

    public RecurrentArgs<L> unitForgetBias(boolean b) {
        return set("unit_forget_bias", b);
    }

    public RecurrentArgs<L> kernelRegularizer(Object r) {
        return set("kernel_regularizer", r);
    }

    public RecurrentArgs<L> recurrentRegularizer(Object r) {
        return set("recurrent_regularizer", r);
    }

    public RecurrentArgs<L> biasRegularizer(Object r) {
        return set("bias_regularizer", r);
    }

    public RecurrentArgs<L> activityRegularizer(Object r) {
        return set("activity_regularizer", r);
    }

    public RecurrentArgs<L> kernelConstraint(Object c) {
        return set("kernel_constraint", c);
    }

    public RecurrentArgs<L> recurrentConstraint(Object c) {
        return set("recurrent_constraint", c);
    }

    public RecurrentArgs<L> biasConstraint(Object c) {
        return set("bias_constraint", c);
    }

    public RecurrentArgs<L> dropout(double rate) {
        return set("dropout", rate);
    }

    public RecurrentArgs<L> recurrentDropout(double rate) {
        return set("recurrent_dropout", rate);
    }

    public RecurrentArgs<L> implementation(int mode) {
        return set("implementation", mode);
    }

    public RecurrentArgs<L> resetAfter(boolean b) {
        return set("reset_after", b);
    }

    public RecurrentArgs<L> returnSequences(boolean b) {
        return set("return_sequences", b);
    }

    public RecurrentArgs<L> returnState(boolean b) {
        return set("return_state", b);
    }

    public RecurrentArgs<L> goBackwards(boolean b) {
        return set("go_backwards", b);
    }

    public RecurrentArgs<L> stateful(boolean b) {
        return set("stateful", b);
    }

    public RecurrentArgs<L> unroll(boolean b) {
        return set("unroll", b);
    }

    // ConvLSTM2D

    public RecurrentArgs<L> strides(long... s) {
        return set("strides", java.util.Arrays.stream(s).boxed().toList());
    }

    public RecurrentArgs<L> padding(String p) {
        return set("padding", p);
    }

    public RecurrentArgs<L> dataFormat(String f) {
        return set("data_format", f);
    }

    public RecurrentArgs<L> dilationRate(long... d) {
        return set("dilation_rate", java.util.Arrays.stream(d).boxed().toList());
    }

    /** A config map from alternating keys and values (null values allowed). */
    static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    public L build() {
        return factory.apply(new LinkedHashMap<>(config));
    }
}
