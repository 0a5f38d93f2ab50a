package io.jkeras.layers.recurrent;

import io.jkeras.layers.Layer;
import io.jkeras.layers.Layers;
import io.jkeras.layers.Weight;
import io.jkeras.saving.ConfigMap;
import io.jkeras.tensor.Shape;
import io.jkeras.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keras 2's StackedRNNCells: cells run one after the other within each timestep, each cell's output the next
 * one's input. As in Keras 2.2, the states are one flat list in reverse cell order (for two LSTM cells
 * [h2, c2, h1, c1]), so the first state has the size of the output; initial states and returned states use that
 * order. The weights are the cells' weights, cell by cell.
 */
public class StackedRNNCells extends AbstractRNNCell {
    private static final Set<String> KEYS = keys("cells");

    private final List<AbstractRNNCell> cells;

    public StackedRNNCells(List<? extends AbstractRNNCell> cells) {
        this.cells = checked(cells);
    }

    public StackedRNNCells(AbstractRNNCell... cells) {
        this(List.of(cells));
    }

    private StackedRNNCells(ConfigMap c) {
        super(c);
        c.checkKnown(KEYS);
        Object list = c.get("cells");
        if (!(list instanceof List<?> l)) {
            throw new IllegalArgumentException("StackedRNNCells: argument 'cells' must be a list of serialized cells, "
                    + "got " + list);
        }
        List<AbstractRNNCell> out = new ArrayList<>();
        for (Object o : l) {
            out.add(RNN.cellFrom(o, "StackedRNNCells"));
        }
        this.cells = checked(out);
    }

    private static List<AbstractRNNCell> checked(List<? extends AbstractRNNCell> cells) {
        if (cells == null || cells.isEmpty()) {
            throw new IllegalArgumentException("StackedRNNCells: needs at least one cell");
        }
        for (AbstractRNNCell cell : cells) {
            if (cell == null) {
                throw new IllegalArgumentException("StackedRNNCells: a cell is null");
            }
        }
        return List.copyOf(cells);
    }

    public static StackedRNNCells fromConfig(Map<String, Object> config) {
        return new StackedRNNCells(new ConfigMap("StackedRNNCells", config));
    }

    public List<AbstractRNNCell> cells() {
        return cells;
    }

    @Override
    public int[] stateSize() {
        List<Integer> sizes = new ArrayList<>();
        for (int k = cells.size() - 1; k >= 0; k--) {
            for (int s : cells.get(k).stateSize()) {
                sizes.add(s);
            }
        }
        return sizes.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public int outputSize() {
        return cells.get(cells.size() - 1).outputSize();
    }

    /** The sequence shape each cell sees: the input's, then (batch, steps, previous output...). */
    private List<Shape> sequenceShapes(Shape sequenceShape) {
        List<Shape> out = new ArrayList<>();
        Shape s = sequenceShape;
        for (AbstractRNNCell cell : cells) {
            out.add(s);
            Shape step = cell.stepOutputShape(s);
            long[] d = new long[step.rank() + 1];
            d[0] = s.dim(0);
            d[1] = s.dim(1);
            System.arraycopy(step.dims(), 1, d, 2, step.rank() - 1);
            s = Shape.of(d);
        }
        return out;
    }

    @Override
    public List<Shape> stateShapes(Shape sequenceShape) {
        List<Shape> seq = sequenceShapes(sequenceShape);
        List<Shape> out = new ArrayList<>();
        for (int k = cells.size() - 1; k >= 0; k--) {
            out.addAll(cells.get(k).stateShapes(seq.get(k)));
        }
        return out;
    }

    @Override
    public Shape stepOutputShape(Shape sequenceShape) {
        List<Shape> seq = sequenceShapes(sequenceShape);
        return cells.get(cells.size() - 1).stepOutputShape(seq.get(seq.size() - 1));
    }

    @Override
    public boolean acceptsConstants() {
        return cells.stream().anyMatch(AbstractRNNCell::acceptsConstants);
    }

    @Override
    protected void doBuild(List<Shape> inputShapes) {
        Shape step = inputShapes.get(0);
        List<Shape> constants = inputShapes.subList(1, inputShapes.size());
        for (AbstractRNNCell cell : cells) {
            List<Shape> shapes = new ArrayList<>();
            shapes.add(step);
            if (cell.acceptsConstants()) {
                shapes.addAll(constants);
            }
            cell.build(shapes);
            // the next cell's step input: (batch, this cell's output...)
            long[] seq = new long[step.rank() + 1];
            seq[0] = step.dim(0);
            seq[1] = Shape.UNKNOWN;
            System.arraycopy(step.dims(), 1, seq, 2, step.rank() - 1);
            step = cell.stepOutputShape(Shape.of(seq));
        }
    }

    @Override
    public CellOutput call(Tensor input, List<Tensor> states, boolean training) {
        return call(input, states, List.of(), training);
    }

    @Override
    public CellOutput call(Tensor input, List<Tensor> states, List<Tensor> constants, boolean training) {
        // states are in reverse cell order
        List<List<Tensor>> nested = new ArrayList<>();
        int at = 0;
        for (int k = cells.size() - 1; k >= 0; k--) {
            int n = cells.get(k).stateSize().length;
            nested.add(states.subList(at, at + n));
            at += n;
        }
        Collections.reverse(nested);
        List<List<Tensor>> newNested = new ArrayList<>();
        Tensor x = input;
        for (int k = 0; k < cells.size(); k++) {
            AbstractRNNCell cell = cells.get(k);
            CellOutput o = cell.acceptsConstants() ? cell.call(x, nested.get(k), constants, training)
                    : cell.call(x, nested.get(k), training);
            x = o.output();
            newNested.add(o.states());
        }
        List<Tensor> flat = new ArrayList<>();
        for (int k = cells.size() - 1; k >= 0; k--) {
            flat.addAll(newNested.get(k));
        }
        return new CellOutput(x, flat);
    }

    @Override
    public void resetDropoutMasks() {
        for (AbstractRNNCell cell : cells) {
            cell.resetDropoutMasks();
        }
    }

    // ------------------------------------------------------------------------------------- the cells' weights

    @Override
    public List<Weight> weightVariables() {
        List<Weight> out = new ArrayList<>();
        for (AbstractRNNCell cell : cells) {
            out.addAll(cell.weightVariables());
        }
        return Collections.unmodifiableList(out);
    }

    @Override
    public List<Weight> trainableWeightVariables() {
        List<Weight> out = new ArrayList<>();
        if (isTrainable()) {
            for (AbstractRNNCell cell : cells) {
                out.addAll(cell.trainableWeightVariables());
            }
        }
        return out;
    }

    @Override
    public List<Weight> nonTrainableWeightVariables() {
        List<Weight> out = new ArrayList<>();
        for (AbstractRNNCell cell : cells) {
            out.addAll(isTrainable() ? cell.nonTrainableWeightVariables() : cell.weightVariables());
        }
        return out;
    }

    @Override
    public List<Tensor> losses() {
        List<Tensor> out = new ArrayList<>(super.losses());
        for (AbstractRNNCell cell : cells) {
            out.addAll(cell.losses());
        }
        return out;
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        List<Object> list = new ArrayList<>();
        for (Layer cell : cells) {
            list.add(Layers.serialize(cell));
        }
        c.put("cells", list);
        return c;
    }
}
