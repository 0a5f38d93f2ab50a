package io.jkeras.layers;

import java.util.List;

/** One call of a layer in a functional graph: the symbolic tensors it took and made. */
public record Node(Layer layer, List<KerasTensor> inputs, List<KerasTensor> outputs) {
}
