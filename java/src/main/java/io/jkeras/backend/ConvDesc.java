package io.jkeras.backend;

import java.util.Arrays;

/**
 * The geometry of a convolution as the backends take it (native/include/jkeras/conv.h): 1 to 3 spatial axes,
 * channels_last or channels_first activations, Keras's kernel layout (k..., in / groups, out), explicit padding
 * at each end (pad_end may be negative: a cropped output). Dilation is Keras's dilation_rate (1 = none).
 */
public record ConvDesc(int spatial, boolean channelsFirst, long batch, long inChannels, long outChannels, long groups,
        long[] inSize, long[] outSize, long[] kernel, long[] stride, long[] dilation, long[] padBegin, long[] padEnd) {

    /** The descriptor as the C struct's int64 fields, unused spatial slots filled with neutral values. */
    public long[] toArray() {
        long[] a = new long[6 + 7 * 3];
        a[0] = spatial;
        a[1] = channelsFirst ? 1 : 0;
        a[2] = batch;
        a[3] = inChannels;
        a[4] = outChannels;
        a[5] = groups;
        long[][] fields = {inSize, outSize, kernel, stride, dilation, padBegin, padEnd};
        long[] neutral = {1, 1, 1, 1, 1, 0, 0};
        for (int f = 0; f < fields.length; f++) {
            for (int i = 0; i < 3; i++) {
                a[6 + 3 * f + i] = i < spatial ? fields[f][i] : neutral[f];
            }
        }
        return a;
    }

    /** Activation shape of the input side: (N, C, spatial...) or (N, spatial..., C). */
    public long[] inputShape() {
        return activationShape(inChannels, inSize);
    }

    public long[] outputShape() {
        return activationShape(outChannels, outSize);
    }

    /** Keras's kernel shape: (k..., in / groups, out). */
    public long[] kernelShape() {
        long[] s = Arrays.copyOf(kernel, spatial + 2);
        s[spatial] = inChannels / groups;
        s[spatial + 1] = outChannels;
        return s;
    }

    private long[] activationShape(long channels, long[] size) {
        long[] s = new long[spatial + 2];
        s[0] = batch;
        int sizeAt = channelsFirst ? 2 : 1;
        s[channelsFirst ? 1 : spatial + 1] = channels;
        System.arraycopy(size, 0, s, sizeAt, spatial);
        return s;
    }
}
