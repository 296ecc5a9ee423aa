package io.github.jring.core.nio;

import java.lang.foreign.Arena;
import java.util.Arrays;

/**
 * Pooled native memory for heap buffers: one stack per power-of-two size class from 4 KiB to 1 MiB. Memory taken
 * once is kept and reused, so heap-buffer I/O allocates nothing in a steady state; a transfer larger than 1 MiB gets
 * a one-off allocation, freed when its operation completes. A lock per class: taking and giving are a few
 * instructions under it, and a lock-free stack of reused nodes would need ABA protection.
 */
final class BouncePool {

    private static final int MIN_SHIFT = 12;
    private static final int MAX_SHIFT = 20;
    private static final int CLASSES = MAX_SHIFT - MIN_SHIFT + 1;
    /** How many free chunks a class keeps at most; more are left to the garbage collector. */
    private static final int KEEP = 1024;

    private final Object[] locks = new Object[CLASSES];
    private final Bounce[][] free = new Bounce[CLASSES][];
    private final int[] count = new int[CLASSES];

    BouncePool() {
        for (int i = 0; i < CLASSES; i++) {
            locks[i] = new Object();
            free[i] = new Bounce[16];
        }
    }

    /** Memory of at least {@code bytes} bytes, 4096-byte aligned. */
    Bounce take(int bytes) {
        int shift = Math.max(MIN_SHIFT, 32 - Integer.numberOfLeadingZeros(Math.max(1, bytes) - 1));
        if (shift > MAX_SHIFT) {
            Arena arena = Arena.ofShared();
            return new Bounce(arena.allocate(bytes, 4096), -1, arena);
        }
        int c = shift - MIN_SHIFT;
        synchronized (locks[c]) {
            int n = count[c];
            if (n > 0) {
                Bounce b = free[c][n - 1];
                free[c][n - 1] = null;
                count[c] = n - 1;
                return b;
            }
        }
        // Arena.ofAuto: a chunk lives as long as the pool or an operation in flight refers to it
        return new Bounce(Arena.ofAuto().allocate(1L << shift, 4096), c, null);
    }

    void give(Bounce b) {
        if (b.oneOff != null) {
            b.oneOff.close();
            return;
        }
        int c = b.sizeClass;
        synchronized (locks[c]) {
            int n = count[c];
            if (n == free[c].length) {
                if (n >= KEEP) {
                    return;
                }
                free[c] = Arrays.copyOf(free[c], n * 2);
            }
            free[c][n] = b;
            count[c] = n + 1;
        }
    }
}
