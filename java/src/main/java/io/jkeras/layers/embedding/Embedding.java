package io.jkeras.layers.embedding;

import io.jkeras.constraints.Constraint;
import io.jkeras.constraints.Constraints;
import io.jkeras.initializers.Initializer;
import io.jkeras.initializers.Initializers;
import io.jkeras.layers.Layer;
import io.jkeras.ops.IndexOps;
import io.jkeras.ops.Ops;
import io.jkeras.regularizers.Regularizer;
import io.jkeras.regularizers.Regularizers;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.DType;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keras's Embedding: ids (int32, any shape; float ids are cast to int32 as Keras does) to rows of the embeddings
 * matrix (input_dim, output_dim): output ids.shape + (output_dim,). An id outside [0, input_dim) is an error. With
 * mask_zero, the output mask is ids != 0 (so id 0 is padding and input_dim should be the vocabulary size + 1).
 * input_length fixes the input's length (an int, or a list for inputs of rank > 2) for the output shape; a
 * different length is an error. The gradient is a scatter-add into the embeddings.
 */
public final class Embedding extends Layer {
    private static final Set<String> KEYS = keys("input_dim", "output_dim", "embeddings_initializer",
            "embeddings_regularizer", "activity_regularizer", "embeddings_constraint", "mask_zero", "input_length");

    private final int inputDim;
    private final int outputDim;
    private final Initializer embeddingsInitializer;
    private final Regularizer embeddingsRegularizer;
    private final Constraint embeddingsConstraint;
    private final boolean maskZero;
    /** Keras's input_length as given: null, an Integer, or a list (entries may be null). */
    private final Object inputLength;
    private final long[] inputLengths;
    private Tensor embeddings;

    public Embedding(int inputDim, int outputDim) {
        this(new ConfigMap("Embedding", map("input_dim", inputDim, "output_dim", outputDim)));
    }

    private Embedding(ConfigMap c) {
        super(c);
        c.checkKnown(KEYS);
        this.inputDim = c.getInt("input_dim", -1);
        if (inputDim <= 0) {
            throw new IllegalArgumentException("Embedding: argument 'input_dim' must be a positive integer, got "
                    + c.get("input_dim"));
        }
        this.outputDim = c.getInt("output_dim", -1);
        if (outputDim <= 0) {
            throw new IllegalArgumentException("Embedding: argument 'output_dim' must be a positive integer, got "
                    + c.get("output_dim"));
        }
        this.embeddingsInitializer = Initializers.get(c.has("embeddings_initializer")
                ? c.get("embeddings_initializer") : "uniform");
        this.embeddingsRegularizer = Regularizers.get(c.get("embeddings_regularizer"));
        this.embeddingsConstraint = Constraints.get(c.get("embeddings_constraint"));
        setActivityRegularizer(Regularizers.get(c.get("activity_regularizer")));
        this.maskZero = c.getBoolean("mask_zero", false);
        Object il = c.get("input_length");
        if (il != null && !(il instanceof Number) && !(il instanceof List<?>)) {
            throw new IllegalArgumentException("Embedding: argument 'input_length' must be an integer, a list of "
                    + "integers or null, got " + il);
        }
        this.inputLengths = c.getLongs("input_length", 0);
        this.inputLength = il instanceof List<?> l ? new ArrayList<>(l) : il == null ? null : c.getLong(
                "input_length", 0);
        if (batchInputShape() == null) {
            // Keras: input_shape = (input_length,) or (None,)
            setInputShape(inputLengths == null ? new long[] {Shape.UNKNOWN} : inputLengths);
        }
        supportsMasking = maskZero;
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    public static Embedding fromConfig(Map<String, Object> config) {
        return new Embedding(new ConfigMap("Embedding", config));
    }

    /** A builder over Keras's arguments: Embedding.builder(1000, 64).maskZero(true).build(). */
    public static Builder builder(int inputDim, int outputDim) {
        return new Builder(inputDim, outputDim);
    }

    /** Embedding's arguments by their Java names. */
    public static final class Builder {
        private final Map<String, Object> c;

        private Builder(int inputDim, int outputDim) {
            c = map("input_dim", inputDim, "output_dim", outputDim);
        }

        public Builder embeddingsInitializer(Object i) {
            c.put("embeddings_initializer", i);
            return this;
        }

        public Builder embeddingsRegularizer(Object r) {
            c.put("embeddings_regularizer", r);
            return this;
        }

        public Builder activityRegularizer(Object r) {
            c.put("activity_regularizer", r);
            return this;
        }

        public Builder embeddingsConstraint(Object k) {
            c.put("embeddings_constraint", k);
            return this;
        }

        public Builder maskZero(boolean b) {
            c.put("mask_zero", b);
            return this;
        }

        public Builder inputLength(Integer n) {
            c.put("input_length", n);
            return this;
        }

        /** input_length for inputs of rank > 2 (null entries: any length). */
        public Builder inputLength(List<Integer> lengths) {
            c.put("input_length", lengths);
            return this;
        }

        public Builder name(String name) {
            c.put("name", name);
            return this;
        }

        public Embedding build() {
            return Embedding.fromConfig(c);
        }
    }

    public int inputDim() {
        return inputDim;
    }

    public int outputDim() {
        return outputDim;
    }

    public boolean maskZero() {
        return maskZero;
    }

    public Tensor embeddings() {
        return embeddings;
    }

    @Override
    protected void doBuild(Shape inputShape) {
        embeddings = addWeight("embeddings", new long[] {inputDim, outputDim}, embeddingsInitializer,
                embeddingsRegularizer, embeddingsConstraint, true);
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        long[] in = inputShape.dims();
        long[] out = Arrays.copyOf(in, in.length + 1);
        out[in.length] = outputDim;
        if (inputLengths != null) {
            if (inputLengths.length != in.length - 1) {
                throw lengthError(inputShape);
            }
            for (int i = 0; i < inputLengths.length; i++) {
                long s1 = inputLengths[i];
                long s2 = in[i + 1];
                if (s1 != Shape.UNKNOWN && s2 != Shape.UNKNOWN && s1 != s2) {
                    throw lengthError(inputShape);
                }
                out[i + 1] = s1 == Shape.UNKNOWN ? s2 : s1;
            }
        }
        return Shape.of(out);
    }

    private IllegalArgumentException lengthError(Shape inputShape) {
        return new IllegalArgumentException("Embedding " + getName() + ": \"input_length\" is " + inputLength
                + ", but received input has shape " + inputShape);
    }

    /** int32 ids; float ids are truncated to int32 as Keras's cast does. */
    private static Tensor ids(Tensor x) {
        if (x.dtype() == DType.INT32) {
            return x;
        }
        float[] v = x.toFloatArray();
        int[] ids = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            ids[i] = (int) v[i];
        }
        return Tensor.ofInts(ids, x.shape());
    }

    @Override
    protected Tensor call(Tensor input, Tensor mask, boolean training) {
        computeOutputShape(input.getShape());
        try {
            return IndexOps.gather(embeddings, ids(input));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Embedding " + getName() + " (input_dim " + inputDim + "): ids must be in "
                    + "[0, " + inputDim + "): " + e.getMessage(), e);
        }
    }

    /** ids != 0 as a float 0/1 mask of the ids' shape (with mask_zero), else null. */
    @Override
    public Tensor computeMask(Tensor input, Tensor mask) {
        if (!maskZero) {
            return null;
        }
        Tensor f = Ops.toFloat(ids(input));
        return Ops.affine(Ops.equal(f, Tensor.scalar(0f)), -1f, 1f);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("input_dim", inputDim);
        c.put("output_dim", outputDim);
        c.put("embeddings_initializer", Initializers.serialize(embeddingsInitializer));
        c.put("embeddings_regularizer", Regularizers.serialize(embeddingsRegularizer));
        c.put("activity_regularizer", Regularizers.serialize(activityRegularizer()));
        c.put("embeddings_constraint", Constraints.serialize(embeddingsConstraint));
        c.put("mask_zero", maskZero);
        c.put("input_length", inputLength);
        return c;
    }
}
