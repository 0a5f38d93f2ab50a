package io.jkeras.layers.recurrent;

import io.jkeras.constraints.Constraints;
import io.jkeras.initializers.Initializer;
import io.jkeras.initializers.Initializers;
import io.jkeras.ops.Ops;
import io.jkeras.regularizers.Regularizer;
import io.jkeras.regularizers.Regularizers;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Tensor;
import java.util.Map;
import java.util.Set;

/**
 * The cells behind CuDNNGRU and CuDNNLSTM: Keras's GRU / LSTM gate order and kernel layouts, cuDNN's gate
 * formulas (sigmoid gates, tanh), and one flat bias of twice the size: the input biases, then the recurrent biases.
 * Not serialized on their own (the CuDNN layers write their arguments).
 */
final class CuDNNCells {
    /** The CuDNN layers' own keys besides the base ones. */
    static final Set<String> LAYER_KEYS = RNN.plus(keysOf(), "return_sequences",
            "return_state", "go_backwards", "stateful", "units", "kernel_initializer", "recurrent_initializer",
            "bias_initializer", "kernel_regularizer", "recurrent_regularizer", "bias_regularizer",
            "activity_regularizer", "kernel_constraint", "recurrent_constraint", "bias_constraint");
    static final Set<String> CELL_KEYS = Set.of("units", "kernel_initializer", "recurrent_initializer",
            "bias_initializer", "unit_forget_bias", "kernel_regularizer", "recurrent_regularizer", "bias_regularizer",
            "kernel_constraint", "recurrent_constraint", "bias_constraint");

    private CuDNNCells() {
    }

    private static Set<String> keysOf() {
        return Set.of("name", "trainable", "dtype", "batch_input_shape", "batch_shape", "input_shape", "batch_size");
    }

    static Tensor part(Tensor bias, long from, long size) {
        return Ops.slice(bias, new long[] {from}, new long[] {size});
    }

    /** The config keys of a CuDNN layer after the RNN ones, in Keras's order. */
    static void putConfig(Map<String, Object> c, GatedCell cell, Boolean unitForgetBias, Regularizer activity) {
        c.put("units", cell.units);
        c.put("kernel_initializer", Initializers.serialize(cell.kernelInitializer));
        c.put("recurrent_initializer", Initializers.serialize(cell.recurrentInitializer));
        c.put("bias_initializer", Initializers.serialize(cell.biasInitializer));
        if (unitForgetBias != null) {
            c.put("unit_forget_bias", unitForgetBias);
        }
        c.put("kernel_regularizer", Regularizers.serialize(cell.kernelRegularizer));
        c.put("recurrent_regularizer", Regularizers.serialize(cell.recurrentRegularizer));
        c.put("bias_regularizer", Regularizers.serialize(cell.biasRegularizer));
        c.put("activity_regularizer", Regularizers.serialize(activity));
        c.put("kernel_constraint", Constraints.serialize(cell.kernelConstraint));
        c.put("recurrent_constraint", Constraints.serialize(cell.recurrentConstraint));
        c.put("bias_constraint", Constraints.serialize(cell.biasConstraint));
    }

    /** CuDNNGRU's cell: Keras's GRU with reset_after (r * (h.U_h + b_Rh)), sigmoid / tanh, bias (6 units,). */
    static final class GRU extends GRUCell {
        GRU(ConfigMap c) {
            super(with(c, "reset_after", true, "implementation", 2), "sigmoid");
        }

        @Override
        protected long[] biasShape() {
            return new long[] {6L * units};
        }

        @Override
        protected Tensor inputBias() {
            return bias == null ? null : part(bias, 0, 3L * units);
        }

        @Override
        protected Tensor recurrentBias() {
            return bias == null ? null : part(bias, 3L * units, 3L * units);
        }
    }

    /** CuDNNLSTM's cell: Keras's LSTM with sigmoid / tanh and bias (8 units,): b_in + b_rec on every gate. */
    static final class LSTM extends LSTMCell {
        LSTM(ConfigMap c) {
            super(with(c, "implementation", 2), "sigmoid");
        }

        @Override
        protected long[] biasShape() {
            return new long[] {8L * units};
        }

        @Override
        protected Initializer biasInitializerForBuild() {
            // Keras: bias_initializer on 5 units, ones on the recurrent forget block, bias_initializer on 2 units
            return unitForgetBias() ? new ForgetBiasInitializer(biasInitializer, units, 5) : biasInitializer;
        }

        @Override
        protected Tensor inputBias() {
            return bias == null ? null : part(bias, 0, 4L * units);
        }

        @Override
        protected Tensor recurrentBias() {
            return bias == null ? null : part(bias, 4L * units, 4L * units);
        }
    }

    private static ConfigMap with(ConfigMap c, Object... kv) {
        Map<String, Object> m = new java.util.LinkedHashMap<>(c.raw());
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return new ConfigMap("CuDNN", m);
    }
}
