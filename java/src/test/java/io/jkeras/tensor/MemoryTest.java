package io.jkeras.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.backend.cpu.CpuBackend;
import io.jkeras.ops.GradientTape;
import io.jkeras.ops.Ops;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Native memory is accounted exactly: scopes free a step's temporaries, kept tensors survive their scope, views
 * share their source's memory and free it with the last of them.
 */
class MemoryTest {
    private static final CpuBackend CPU = CpuBackend.instance();

    /**
     * The backend's count once tensors other tests dropped without closing are gone: their Cleaners run after a
     * GC, asynchronously, so wait until the count stops moving.
     */
    static long settledBytes() throws InterruptedException {
        long last = CPU.allocatedBytes();
        int stable = 0;
        for (int i = 0; i < 100 && stable < 3; i++) {
            System.gc();
            Thread.sleep(20);
            long now = CPU.allocatedBytes();
            stable = now == last ? stable + 1 : 0;
            last = now;
        }
        return last;
    }

    private static float[] random(java.util.Random rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = 2f * rnd.nextFloat() - 1f;
        }
        return v;
    }

    @Test
    void tenThousandTrainingStepsInScopesLeakNothing() throws InterruptedException {
        java.util.Random rnd = new java.util.Random(1);
        long start = settledBytes();
        Tensor w = Tensor.of(random(rnd, 8 * 4), 8, 4);
        Tensor b = Tensor.of(random(rnd, 4), 4);
        Tensor x = Tensor.of(random(rnd, 16 * 8), 16, 8);
        Tensor target = Tensor.of(random(rnd, 16 * 4), 16, 4);
        long withInputs = CPU.allocatedBytes();
        assertEquals(4L * (32 + 4 + 128 + 64), withInputs - start, "four float32 tensors of 228 elements");
        long peak = 0;
        for (int step = 0; step < 10_000; step++) {
            try (Scope scope = Scope.open(); GradientTape tape = new GradientTape()) {
                tape.watch(w, b);
                Tensor h = Ops.relu(Ops.biasAdd(Ops.matmul(x, w), b));
                Tensor p = Ops.softmax(h, -1);
                Tensor loss = Ops.sum(Ops.mul(p, target));
                List<Tensor> g = tape.gradient(loss, List.of(w, b));
                assertNotNull(g.get(0));
                assertNotNull(g.get(1));
                if (step == 0) {
                    assertEquals(1, loss.size());
                    assertTrue(Float.isFinite(loss.item()));
                }
                peak = Math.max(peak, CPU.allocatedBytes());
            }
            if (step % 1000 == 0) {
                assertEquals(withInputs, CPU.allocatedBytes(), "bytes held after step " + step);
            }
        }
        assertEquals(withInputs, CPU.allocatedBytes(), "every temporary of the 10 000 steps is freed");
        assertTrue(peak > withInputs, "the steps did allocate");
        assertFalse(w.isClosed(), "tensors created outside the scopes are not closed by them");
        for (Tensor t : new Tensor[] {w, b, x, target}) {
            t.close();
        }
        assertEquals(start, CPU.allocatedBytes(), "back to the starting level exactly");
        assertEquals(start, settledBytes(), "still there after a GC");
    }

    @Test
    void aKeptTensorSurvivesItsScopeAndClosingItFreesItsBytes() throws InterruptedException {
        long start = settledBytes();
        Tensor kept;
        Tensor dropped;
        try (Scope scope = Scope.open()) {
            Tensor a = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
            dropped = Ops.square(a);
            kept = scope.keep(Ops.add(a, a));
        }
        assertTrue(dropped.isClosed(), "a temporary is closed with its scope");
        assertFalse(kept.isClosed(), "a kept tensor survives its scope");
        assertArrayEquals(new float[] {2, 4, 6, 8}, kept.toFloatArray());
        assertEquals(start + 16, CPU.allocatedBytes(), "only the kept tensor's 16 bytes are held");
        kept.close();
        assertEquals(start, CPU.allocatedBytes());
        assertThrows(IllegalStateException.class, kept::toFloatArray);
    }

    @Test
    void keepMovesATensorToTheEnclosingScope() throws InterruptedException {
        long start = settledBytes();
        Tensor inner;
        try (Scope outer = Scope.open()) {
            try (Scope s = Scope.open()) {
                inner = s.keep(Tensor.ones(3));
            }
            assertFalse(inner.isClosed(), "kept out of the inner scope");
            assertEquals(start + 12, CPU.allocatedBytes());
        }
        assertTrue(inner.isClosed(), "closed with the outer scope it moved to");
        assertEquals(start, CPU.allocatedBytes());

        Tensor detached;
        try (Scope outer = Scope.open(); Scope s = Scope.open()) {
            detached = Scope.detach(Tensor.ones(5));
        }
        assertFalse(detached.isClosed(), "a detached tensor belongs to no scope");
        detached.close();
        assertEquals(start, CPU.allocatedBytes());
    }

    @Test
    void reshapeViewsShareMemoryFreedAfterTheLastViewCloses() throws InterruptedException {
        long start = settledBytes();
        Tensor t = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertEquals(start + 24, CPU.allocatedBytes());
        Tensor v = t.reshapeView(3, 2);
        Tensor w = Ops.reshape(t, 6);
        assertEquals(start + 24, CPU.allocatedBytes(), "views allocate nothing");
        assertEquals(t.address(), v.address(), "a view shares its source's memory");
        assertEquals(t.address(), w.address(), "Ops.reshape is a view too");

        // A write through one is seen through the others.
        CPU.fill(v, 7f);
        assertArrayEquals(new float[] {7, 7, 7, 7, 7, 7}, t.toFloatArray());
        assertArrayEquals(new long[] {6}, w.shape());

        t.close();
        assertEquals(start + 24, CPU.allocatedBytes(), "the memory stays while views are open");
        assertArrayEquals(new float[] {7, 7, 7, 7, 7, 7}, v.toFloatArray());
        v.close();
        assertEquals(start + 24, CPU.allocatedBytes());
        w.close();
        assertEquals(start, CPU.allocatedBytes(), "freed with the last view");
    }

    @Test
    void aViewInAScopeOfATensorOutsideItKeepsTheSourceAlive() throws InterruptedException {
        long start = settledBytes();
        Tensor t = Tensor.of(new float[] {1, 2, 3, 4}, 4);
        try (Scope s = Scope.open()) {
            Tensor v = t.reshapeView(2, 2);
            Tensor y = Ops.exp(v);
            assertEquals(4, y.size());
        }
        assertFalse(t.isClosed());
        assertArrayEquals(new float[] {1, 2, 3, 4}, t.toFloatArray());
        assertEquals(start + 16, CPU.allocatedBytes());
        t.close();
        assertEquals(start, CPU.allocatedBytes());
    }

    @Test
    void closingTwiceReleasesOnce() throws InterruptedException {
        long start = settledBytes();
        Tensor t = Tensor.zeros(10);
        Tensor v = t.reshapeView(2, 5);
        t.close();
        t.close();
        assertEquals(start + 40, CPU.allocatedBytes(), "a second close of one owner must not release the view's share");
        v.close();
        assertEquals(start, CPU.allocatedBytes());
    }

    /**
     * Closing an outer scope before an inner one is refused; after the inner one closes, the outer one must
     * still close normally (run on its own thread: scopes are per thread, so a failure cannot leak into other tests).
     */
    @Test
    void aScopeClosedOutOfOrderCanStillBeClosedLater() throws Exception {
        Throwable[] failure = new Throwable[1];
        Thread th = new Thread(() -> {
            try {
                Scope a = Scope.open();
                Tensor t = Tensor.ones(2);
                Scope b = Scope.open();
                assertThrows(IllegalStateException.class, a::close, "outer scope closed before the inner one");
                b.close();
                a.close();
                assertTrue(t.isClosed(), "the outer scope's tensor is freed when it finally closes");
                assertEquals(null, Scope.current(), "no scope may stay open on the thread");
            } catch (Throwable e) {
                failure[0] = e;
            }
        });
        th.start();
        th.join();
        if (failure[0] != null) {
            throw new AssertionError(failure[0].getMessage(), failure[0]);
        }
    }
}
