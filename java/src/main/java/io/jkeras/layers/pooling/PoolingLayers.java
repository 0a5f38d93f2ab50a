package io.jkeras.layers.pooling;

import io.jkeras.layers.Layer;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/** The pooling layers' Keras class names and Keras's aliases (MaxPool2D is MaxPooling2D), for {@code Layers.deserialize}. */
public final class PoolingLayers {
    private PoolingLayers() {
    }

    public static void registerAll(BiConsumer<String, Function<Map<String, Object>, Layer>> register) {
        register.accept("MaxPooling1D", MaxPooling1D::fromConfig);
        register.accept("MaxPool1D", MaxPooling1D::fromConfig);
        register.accept("MaxPooling2D", MaxPooling2D::fromConfig);
        register.accept("MaxPool2D", MaxPooling2D::fromConfig);
        register.accept("MaxPooling3D", MaxPooling3D::fromConfig);
        register.accept("MaxPool3D", MaxPooling3D::fromConfig);
        register.accept("AveragePooling1D", AveragePooling1D::fromConfig);
        register.accept("AvgPool1D", AveragePooling1D::fromConfig);
        register.accept("AveragePooling2D", AveragePooling2D::fromConfig);
        register.accept("AvgPool2D", AveragePooling2D::fromConfig);
        register.accept("AveragePooling3D", AveragePooling3D::fromConfig);
        register.accept("AvgPool3D", AveragePooling3D::fromConfig);
        register.accept("GlobalMaxPooling1D", GlobalMaxPooling1D::fromConfig);
        register.accept("GlobalMaxPool1D", GlobalMaxPooling1D::fromConfig);
        register.accept("GlobalMaxPooling2D", GlobalMaxPooling2D::fromConfig);
        register.accept("GlobalMaxPool2D", GlobalMaxPooling2D::fromConfig);
        register.accept("GlobalMaxPooling3D", GlobalMaxPooling3D::fromConfig);
        register.accept("GlobalMaxPool3D", GlobalMaxPooling3D::fromConfig);
        register.accept("GlobalAveragePooling1D", GlobalAveragePooling1D::fromConfig);
        register.accept("GlobalAvgPool1D", GlobalAveragePooling1D::fromConfig);
        register.accept("GlobalAveragePooling2D", GlobalAveragePooling2D::fromConfig);
        register.accept("GlobalAvgPool2D", GlobalAveragePooling2D::fromConfig);
        register.accept("GlobalAveragePooling3D", GlobalAveragePooling3D::fromConfig);
        register.accept("GlobalAvgPool3D", GlobalAveragePooling3D::fromConfig);
    }
}
