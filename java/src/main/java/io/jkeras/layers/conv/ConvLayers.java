package io.jkeras.layers.conv;

import io.jkeras.layers.Layer;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/** The convolution layers' Keras class names (and Keras 1 / 2.0 aliases), for {@code Layers.deserialize}. */
public final class ConvLayers {
    private ConvLayers() {
    }

    public static void registerAll(BiConsumer<String, Function<Map<String, Object>, Layer>> register) {
        register.accept("Conv1D", Conv1D::fromConfig);
        register.accept("Convolution1D", Conv1D::fromConfig);
        register.accept("Conv2D", Conv2D::fromConfig);
        register.accept("Convolution2D", Conv2D::fromConfig);
        register.accept("Conv3D", Conv3D::fromConfig);
        register.accept("Convolution3D", Conv3D::fromConfig);

        register.accept("SeparableConv1D", SeparableConv1D::fromConfig);
        register.accept("SeparableConvolution1D", SeparableConv1D::fromConfig);
        register.accept("SeparableConv2D", SeparableConv2D::fromConfig);
        register.accept("SeparableConvolution2D", SeparableConv2D::fromConfig);

        register.accept("DepthwiseConv1D", DepthwiseConv1D::fromConfig);
        register.accept("DepthwiseConv2D", DepthwiseConv2D::fromConfig);
        register.accept("DepthwiseConv3D", DepthwiseConv3D::fromConfig);

        register.accept("Conv1DTranspose", Conv1DTranspose::fromConfig);
        register.accept("Convolution1DTranspose", Conv1DTranspose::fromConfig);
        register.accept("Conv2DTranspose", Conv2DTranspose::fromConfig);
        register.accept("Convolution2DTranspose", Conv2DTranspose::fromConfig);
        register.accept("Deconvolution2D", Conv2DTranspose::fromConfig);
        register.accept("Conv3DTranspose", Conv3DTranspose::fromConfig);
        register.accept("Convolution3DTranspose", Conv3DTranspose::fromConfig);
        register.accept("Deconvolution3D", Conv3DTranspose::fromConfig);
    }
}
