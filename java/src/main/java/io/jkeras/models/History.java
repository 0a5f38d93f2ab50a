package io.jkeras.models;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What fit returns, as Keras's History callback: per log name ("loss", "accuracy", "val_loss", ...) one value
 * per epoch, the epoch indices, and the parameters of the run. The seconds each epoch took are kept as well.
 */
public final class History {
    private final Map<String, List<Double>> history = new LinkedHashMap<>();
    private final List<Integer> epoch = new ArrayList<>();
    private final List<Double> epochSeconds = new ArrayList<>();
    private Map<String, Object> params = Map.of();

    void append(Map<String, Double> epochLogs) {
        append(epoch.size(), epochLogs, Double.NaN);
    }

    void append(int epochIndex, Map<String, Double> epochLogs, double seconds) {
        epoch.add(epochIndex);
        epochSeconds.add(seconds);
        for (Map.Entry<String, Double> e : epochLogs.entrySet()) {
            history.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue());
        }
    }

    void setParams(Map<String, Object> params) {
        this.params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /** Keras's {@code history.history}: log name to its value after each epoch. */
    public Map<String, List<Double>> history() {
        return history;
    }

    /** The values of one log ("loss", "val_accuracy", ...) per epoch; fails naming the known logs. */
    public List<Double> get(String key) {
        List<Double> v = history.get(key);
        if (v == null) {
            throw new IllegalArgumentException("no log '" + key + "' in this history (known: " + history.keySet()
                    + ")");
        }
        return Collections.unmodifiableList(v);
    }

    /** Keras's {@code history.epoch}: 0, 1, ... for the epochs run. */
    public List<Integer> epoch() {
        return Collections.unmodifiableList(epoch);
    }

    /** Keras's {@code history.params}: batch_size, epochs, steps, samples, verbose, do_validation, metrics. */
    public Map<String, Object> params() {
        return params;
    }

    /** Wall-clock seconds of each epoch (training and validation). */
    public List<Double> epochSeconds() {
        return Collections.unmodifiableList(epochSeconds);
    }

    @Override
    public String toString() {
        return "History" + history;
    }
}
