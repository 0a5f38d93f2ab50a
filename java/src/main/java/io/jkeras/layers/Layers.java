package io.jkeras.layers;

import io.jkeras.layers.activation.ActivationLayers;
import io.jkeras.layers.attention.AttentionLayers;
import io.jkeras.layers.conv.ConvLayers;
import io.jkeras.layers.embedding.EmbeddingLayers;
import io.jkeras.layers.merge.MergeLayers;
import io.jkeras.layers.noise.NoiseLayers;
import io.jkeras.layers.normalization.NormalizationLayers;
import io.jkeras.layers.recurrent.RecurrentLayers;
import io.jkeras.layers.wrappers.WrapperLayers;
import io.jkeras.layers.local.LocalLayers;
import io.jkeras.layers.pooling.PoolingLayers;
import io.jkeras.layers.reshaping.ReshapingLayers;
import io.jkeras.layers.core.Activation;
import io.jkeras.layers.core.ActivityRegularization;
import io.jkeras.layers.core.Dense;
import io.jkeras.layers.core.Dropout;
import io.jkeras.layers.core.Flatten;
import io.jkeras.layers.core.InputLayer;
import io.jkeras.layers.core.Lambda;
import io.jkeras.layers.core.Masking;
import io.jkeras.layers.core.Permute;
import io.jkeras.layers.core.RepeatVector;
import io.jkeras.layers.core.Reshape;
import io.jkeras.layers.core.SpatialDropout1D;
import io.jkeras.layers.core.SpatialDropout2D;
import io.jkeras.layers.core.SpatialDropout3D;
import io.jkeras.models.Model;
import io.jkeras.models.Sequential;
import io.jkeras.saving.Json;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/** Layers from Keras's JSON: {"class_name": ..., "config": {...}}; custom layers register by class name. */
public final class Layers {
    private static final Map<String, Function<Map<String, Object>, Layer>> FACTORIES = new ConcurrentHashMap<>();

    static {
        register("InputLayer", InputLayer::fromConfig);
        register("Dense", Dense::fromConfig);
        register("Activation", Activation::fromConfig);
        register("Dropout", Dropout::fromConfig);
        register("SpatialDropout1D", SpatialDropout1D::fromConfig);
        register("SpatialDropout2D", SpatialDropout2D::fromConfig);
        register("SpatialDropout3D", SpatialDropout3D::fromConfig);
        register("Flatten", Flatten::fromConfig);
        register("Reshape", Reshape::fromConfig);
        register("Permute", Permute::fromConfig);
        register("RepeatVector", RepeatVector::fromConfig);
        register("Lambda", Lambda::fromConfig);
        register("ActivityRegularization", ActivityRegularization::fromConfig);
        register("Masking", Masking::fromConfig);
        ConvLayers.registerAll(Layers::register);
        PoolingLayers.registerAll(Layers::register);
        ReshapingLayers.registerAll(Layers::register);
        LocalLayers.registerAll(Layers::register);
        RecurrentLayers.registerAll(Layers::register);
        EmbeddingLayers.registerAll(Layers::register);
        WrapperLayers.registerAll(Layers::register);
        MergeLayers.registerAll(Layers::register);
        ActivationLayers.registerAll(Layers::register);
        NormalizationLayers.registerAll(Layers::register);
        NoiseLayers.registerAll(Layers::register);
        AttentionLayers.registerAll(Layers::register);
        register("Sequential", Sequential::fromConfig);
        register("Model", Model::fromConfig);
        register("Functional", Model::fromConfig);
    }

    private Layers() {
    }

    /** Makes a (custom) layer class deserializable by its Keras class name. */
    public static void register(String className, Function<Map<String, Object>, Layer> factory) {
        FACTORIES.put(className, factory);
    }

    public static Layer deserialize(String kerasJson) {
        return deserialize(Json.parseObject(kerasJson));
    }

    public static Layer deserialize(Map<String, Object> json) {
        Object cls = json.get("class_name");
        if (!(cls instanceof String className)) {
            throw new IllegalArgumentException("a serialized layer needs a string \"class_name\", got " + cls);
        }
        Function<Map<String, Object>, Layer> f = FACTORIES.get(className);
        if (f == null) {
            throw new IllegalArgumentException("Unknown layer: " + className + ". Known layers: "
                    + new TreeSet<>(FACTORIES.keySet()) + ". A custom layer must be registered with "
                    + "Layers.register(\"" + className + "\", config -> ...) before it is deserialized.");
        }
        Object config = json.get("config");
        if (config instanceof java.util.List<?> && className.equals("Sequential")) {
            return Sequential.fromConfig(config);  // Keras 2.0 and 2.1 write a Sequential's layers as a bare list
        }
        if (config != null && !(config instanceof Map)) {
            throw new IllegalArgumentException("layer " + className + ": \"config\" must be an object, got " + config);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> c = config == null ? Map.of() : (Map<String, Object>) config;
        return f.apply(c);
    }

    /** {"class_name", "config"} of a layer, as Keras writes it. */
    public static Map<String, Object> serialize(Layer layer) {
        return io.jkeras.saving.ConfigMap.serialized(layer.className(), layer.getConfig());
    }
}
