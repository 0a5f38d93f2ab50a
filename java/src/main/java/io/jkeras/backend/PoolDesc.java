package io.jkeras.backend;

/**
 * The geometry of a max or average pooling as the backends take it (native/include/jkeras/pool.h): 1 to 3 spatial
 * axes, channels_last or channels_first activations, explicit padding at each end (each smaller than the window).
 * Average pooling never counts the padding; max pooling's gradient goes to the first maximal element of a window.
 */
public record PoolDesc(int spatial, boolean channelsFirst, Algorithm algorithm, long batch, long channels,
        long[] inSize, long[] outSize, long[] kernel, long[] stride, long[] padBegin, long[] padEnd) {

    /** The pooling function; the codes are jk_pool_algorithm's. */
    public enum Algorithm {
        MAX(0), AVG(1);

        public final int code;

        Algorithm(int code) {
            this.code = code;
        }
    }

    /** The descriptor as the C struct's int64 fields, unused spatial slots filled with neutral values. */
    public long[] toArray() {
        long[] a = new long[5 + 6 * 3];
        a[0] = spatial;
        a[1] = channelsFirst ? 1 : 0;
        a[2] = algorithm.code;
        a[3] = batch;
        a[4] = channels;
        long[][] fields = {inSize, outSize, kernel, stride, padBegin, padEnd};
        long[] neutral = {1, 1, 1, 1, 0, 0};
        for (int f = 0; f < fields.length; f++) {
            for (int i = 0; i < 3; i++) {
                a[5 + 3 * f + i] = i < spatial ? fields[f][i] : neutral[f];
            }
        }
        return a;
    }

    /** (N, C, spatial...) or (N, spatial..., C). */
    public long[] inputShape() {
        return activationShape(inSize);
    }

    public long[] outputShape() {
        return activationShape(outSize);
    }

    private long[] activationShape(long[] size) {
        long[] s = new long[spatial + 2];
        s[0] = batch;
        s[channelsFirst ? 1 : spatial + 1] = channels;
        System.arraycopy(size, 0, s, channelsFirst ? 2 : 1, spatial);
        return s;
    }
}
