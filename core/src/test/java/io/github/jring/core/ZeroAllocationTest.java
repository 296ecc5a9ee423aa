package io.github.jring.core;

import io.github.jring.bindings.Uapi;
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
        try (IoUring ring = IoUring.open(32)) {
            long best = bestRound(ring, false);
            assertTrue(best <= 1024, "best round allocated " + best + " bytes for " + OPS + " operations");
        }
    }

    @Test
    void reapingAMixedRingAllocatesNothing() throws Exception {
        Caps.assumeSetupFlag(Uapi.IORING_SETUP_CQE_MIXED());
        try (IoUring ring = IoUring.builder().cqeMixed().cqSize(64).build(32)) {
            long best = bestRound(ring, true);
            assertTrue(best <= 1024, "best round allocated " + best + " bytes for " + OPS + " operations, half of "
                    + "them with 32-byte CQEs");
        }
    }

    private static final int OPS = 200_000;

    /** The fewest bytes this thread allocated in a round of {@link #OPS} NOPs (every other one a 32-byte CQE). */
    private static long bestRound(IoUring ring, boolean bigCqes) throws ErrnoException {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long best = Long.MAX_VALUE;
        Cqe[] batch = new Cqe[32];
        long[] ud = new long[32];
        int[] res = new int[32];
        int cqe32 = Uapi.IORING_NOP_CQE32();
        for (int round = 0; round < 15 && best > 1024; round++) {
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int done = 0; done < OPS; ) {
                for (int i = 0; i < 32; i++) {
                    Sqe sqe = ring.getSqe().prepNop().userData(i).ioprio(0);
                    if (bigCqes && (i & 1) != 0) {
                        sqe.opFlags(cqe32);
                    }
                }
                ring.submitAndWait(32);
                int reaped = 0;
                while (reaped < 32) { // a mixed ring's batch stops before a filler: reap until all 32 are in
                    switch ((done >> 5) % 3) {
                        case 0 -> reaped += ring.forEachCqe(CONSUMER);
                        case 1 -> {
                            int n = ring.peekBatchCqe(batch);
                            ring.cqAdvance(n);
                            reaped += n;
                        }
                        default -> reaped += ring.copyCqes(ud, res, null);
                    }
                }
                done += reaped;
            }
            best = Math.min(best, mx.getCurrentThreadAllocatedBytes() - before);
        }
        return best;
    }
}
