package io.jkeras.layers.reshaping;

import io.jkeras.layers.Layer;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/** The cropping, up-sampling and zero-padding layers' Keras class names, for {@code Layers.deserialize}. */
public final class ReshapingLayers {
    private ReshapingLayers() {
    }

    public static void registerAll(BiConsumer<String, Function<Map<String, Object>, Layer>> register) {
        register.accept("Cropping1D", Cropping1D::fromConfig);
        register.accept("Cropping2D", Cropping2D::fromConfig);
        register.accept("Cropping3D", Cropping3D::fromConfig);
        register.accept("UpSampling1D", UpSampling1D::fromConfig);
        register.accept("UpSampling2D", UpSampling2D::fromConfig);
        register.accept("UpSampling3D", UpSampling3D::fromConfig);
        register.accept("ZeroPadding1D", ZeroPadding1D::fromConfig);
        register.accept("ZeroPadding2D", ZeroPadding2D::fromConfig);
        register.accept("ZeroPadding3D", ZeroPadding3D::fromConfig);
    }
}
