package io.jkeras.layers.core;

/** Keras's data_format values. */
public final class DataFormats {
    public static final String CHANNELS_LAST = "channels_last";
    public static final String CHANNELS_FIRST = "channels_first";

    private DataFormats() {
    }

    public static String check(String layer, String dataFormat) {
        if (dataFormat == null) {
            return CHANNELS_LAST;
        }
        if (!dataFormat.equals(CHANNELS_LAST) && !dataFormat.equals(CHANNELS_FIRST)) {
            throw new IllegalArgumentException(layer + ": argument 'data_format' must be \"channels_last\" or "
                    + "\"channels_first\", got \"" + dataFormat + "\"");
        }
        return dataFormat;
    }
}
