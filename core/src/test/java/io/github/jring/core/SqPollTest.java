package io.github.jring.core;

import io.github.jring.bindings.Uapi;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** SQPOLL: submission without io_uring_enter while the kernel thread is awake, and the wakeup protocol. */
class SqPollTest {

    /** Spins (without entering the kernel) until a completion is in the CQ. */
    private static Cqe spinForCqe(IoUring ring) throws ErrnoException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        Cqe c;
        while ((c = ring.peekCqe()) == null) {
            if (System.nanoTime() > deadline) {
                fail("no completion within 5 s");
            }
            Thread.onSpinWait();
        }
        return c;
    }

    @Test
    void submissionWithoutEnterWhileTheThreadIsAwake() throws Exception {
        try (IoUring ring = IoUring.builder().sqPoll(5000).build(16)) {
            // Warm up: the first submission may have to wake the thread.
            ring.getSqe().prepNop().userData(0);
            ring.submit();
            ring.cqeSeen(spinForCqe(ring));
            long before = ring.enterCount();
            int ops = 500;
            for (int i = 1; i <= ops; i++) {
                ring.getSqe().prepNop().userData(i);
                assertEquals(1, ring.submit());
                Cqe c = spinForCqe(ring);
                assertEquals(i, c.userData());
                assertEquals(0, c.res());
                ring.cqeSeen(c);
            }
            long enters = ring.enterCount() - before;
            assertTrue(enters == 0, ops + " submissions made " + enters + " io_uring_enter calls; the SQ thread"
                    + " (idle 5 s) should have picked them up without any");
        }
    }

    @Test
    void aSleepingThreadIsWokenBySubmit() throws Exception {
        try (IoUring ring = IoUring.builder().sqPoll(10).build(8)) {
            for (int round = 0; round < 3; round++) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while ((ring.sqFlags() & Uapi.IORING_SQ_NEED_WAKEUP()) == 0) {
                    if (System.nanoTime() > deadline) {
                        fail("the SQ thread never went to sleep after its 10 ms idle time");
                    }
                    Thread.sleep(5);
                }
                long before = ring.enterCount();
                ring.getSqe().prepNop().userData(round);
                assertEquals(1, ring.submit());
                assertEquals(before + 1, ring.enterCount(), "one io_uring_enter with IORING_ENTER_SQ_WAKEUP");
                Cqe c = spinForCqe(ring);
                assertEquals(round, c.userData());
                ring.cqeSeen(c);
            }
        }
    }

    @Test
    void batchesAndSqRingWait() throws Exception {
        try (IoUring ring = IoUring.builder().sqPoll(1000).build(8)) {
            int total = 1000;
            int next = 0;
            int done = 0;
            while (done < total) {
                Sqe sqe;
                while (next < total && (sqe = ring.getSqe()) != null) {
                    sqe.prepNop().userData(next++);
                }
                ring.submit();
                if (next < total && ring.sqSpaceLeft() == 0) {
                    ring.sqRingWait(); // returns once the SQ thread consumed something
                }
                done += ring.forEachCqe(c -> assertEquals(0, c.res()));
            }
            assertEquals(total, done);
            assertNotNull(ring.toString());
        }
    }
}
