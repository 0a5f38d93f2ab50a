package io.jkeras.ops;

import java.util.concurrent.ThreadLocalRandom;

/**
 * A seeded source of random draws: each draw takes the next block of counter values of the seed, so a stream
 * built from the same seed yields the same sequence of tensors on every backend.
 */
public final class RandomStream {
    private final long seed;
    private long offset;

    public RandomStream(long seed) {
        this.seed = seed;
    }

    /** A stream seeded from seed, or from a random seed where it is null (Keras's seed=None). */
    public static RandomStream of(Long seed) {
        return new RandomStream(seed != null ? seed : ThreadLocalRandom.current().nextLong());
    }

    public long seed() {
        return seed;
    }

    /** Reserves n counter values and returns the first. */
    synchronized long take(long n) {
        long first = offset;
        offset += n;
        return first;
    }
}
