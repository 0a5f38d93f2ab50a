package io.jkeras.initializers;

import io.jkeras.saving.ConfigMap;
import io.jkeras.saving.Registry;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** Keras's initializers under their class names and string aliases. */
final class BuiltinInitializers {
    private BuiltinInitializers() {
    }

    static void registerAll(Registry<Initializer> r) {
        names(r, Zeros::fromConfig, "Zeros", "zeros", "zero");
        names(r, Ones::fromConfig, "Ones", "ones", "one");
        names(r, Constant::fromConfig, "Constant", "constant");
        names(r, RandomNormal::fromConfig, "RandomNormal", "random_normal", "normal");
        names(r, RandomUniform::fromConfig, "RandomUniform", "random_uniform", "uniform");
        names(r, TruncatedNormal::fromConfig, "TruncatedNormal", "truncated_normal");
        names(r, VarianceScaling::fromConfig, "VarianceScaling", "variance_scaling");
        // Keras 3 writes the class names OrthogonalInitializer and IdentityInitializer in .keras files.
        names(r, Orthogonal::fromConfig, "Orthogonal", "orthogonal", "OrthogonalInitializer");
        names(r, Identity::fromConfig, "Identity", "identity", "IdentityInitializer");
        names(r, GlorotUniform::fromConfig, "GlorotUniform", "glorot_uniform");
        names(r, GlorotNormal::fromConfig, "GlorotNormal", "glorot_normal");
        names(r, HeNormal::fromConfig, "HeNormal", "he_normal");
        names(r, HeUniform::fromConfig, "HeUniform", "he_uniform");
        names(r, LecunNormal::fromConfig, "LecunNormal", "lecun_normal");
        names(r, LecunUniform::fromConfig, "LecunUniform", "lecun_uniform");
    }

    private static void names(Registry<Initializer> r, Function<Map<String, Object>, Initializer> f, String... names) {
        for (String n : names) {
            r.register(n, f);
        }
    }

    /**
     * The config of owner, checked against its keys; "dtype" is accepted and ignored as Keras does (tf.keras
     * writes it, Keras's Initializer.from_config drops it), and tf.keras 1.x's Constant adds "verify_shape".
     */
    static ConfigMap config(String owner, Map<String, Object> cfg, String... keys) {
        ConfigMap c = new ConfigMap(owner, cfg);
        Set<String> known = new HashSet<>(List.of(keys));
        known.add("dtype");
        c.checkKnown(known);
        return c;
    }
}
