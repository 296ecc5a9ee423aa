package io.github.jring.core;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hot path (getSqe, prep, submit, reap) allocates nothing per operation once compiled. Not a timing test: it
 * counts this thread's allocated bytes over many operations; a single 16-byte allocation per operation would show as
 * megabytes. Several rounds give the JIT time to compile the path.
 */
class ZeroAllocationTest {

    private static long sink;
    /** One consumer instance for every reap: creating one per reap would allocate. */
    private static final CqeHandler CONSUMER = c -> sink += c.userData() + c.res();

    @Test
    void submitAndReapAllocateNothing() throws Exception {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int ops = 200_000;
        long best = Long.MAX_VALUE;
        Cqe[] batch = new Cqe[32];
        long[] ud = new long[32];
        int[] res = new int[32];
        try (IoUring ring = IoUring.open(32)) {
            for (int round = 0; round < 15 && best > 1024; round++) {
                long before = mx.getCurrentThreadAllocatedBytes();
                for (int done = 0; done < ops; ) {
                    for (int i = 0; i < 32; i++) {
                        ring.getSqe().prepNop().userData(i).ioprio(0);
                    }
                    ring.submitAndWait(32);
                    switch ((done >> 5) % 3) {
                        case 0 -> done += ring.forEachCqe(CONSUMER);
                        case 1 -> {
                            int n = ring.peekBatchCqe(batch);
                            ring.cqAdvance(n);
                            done += n;
                        }
                        default -> done += ring.copyCqes(ud, res, null);
                    }
                }
                best = Math.min(best, mx.getCurrentThreadAllocatedBytes() - before);
            }
        }
        assertTrue(best <= 1024, "best round allocated " + best + " bytes for " + ops + " operations");
    }
}
