package io.github.jring.core;

import io.github.jring.bindings.Uapi;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Waiting for several completions on an IOPOLL ring. The kernel polls, and posts what completed, only while the CQ is
 * empty: {@code io_iopoll_check()} returns at once when the CQ holds a completion. So a wait for two completions with
 * one in the CQ must return and let the caller reap; entering again and again never brings the second. Before jring's
 * waits returned, a polled NVMe passthrough job waiting for batches of 2 (the benchmark's configuration ladder, 6.1
 * guest) spun until the driver's 30 s I/O timeout found its completion on the poll queue, and on for ever.
 *
 * <p>Here without a device: a NOP, whose completion is in the CQ when the submit returns, and a NOP with
 * {@code IOSQE_ASYNC}, which an io-wq worker runs and whose completion the kernel posts from task work. On a
 * {@code DEFER_TASKRUN} ring (as the benchmark sets its rings up) only an enter that finds the CQ empty runs that
 * task work, so the old loop of enters spun for ever (Linux 6.18); on a plain ring it spun until the task work ran on
 * the way back from one of them. Each wait runs on the test's preemptive-timeout thread, ring and all (a
 * {@code SINGLE_ISSUER} ring has one submitter), and must end within 20 s, in at most two enters.
 */
class IoPollWaitTest {
    private static final long ASYNC_NOP = 1, NOP = 2;

    private interface Wait {
        void waitForBoth(IoUring ring) throws ErrnoException;
    }

    private static void bothCompletionsArrive(IoUringBuilder builder, Wait wait) {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try (IoUring ring = builder.ioPoll().build(4)) {
                ring.getSqe().prepNop().userData(NOP);
                ring.getSqe().prepNop().flags(Uapi.IOSQE_ASYNC()).userData(ASYNC_NOP);
                long enters = ring.enterCount();
                wait.waitForBoth(ring);
                assertTrue(ring.cqReady() >= 1, "the wait returned with the NOP's completion in the CQ");
                assertTrue(ring.enterCount() - enters <= 2, "no spinning: " + (ring.enterCount() - enters) + " enters");
                // Reap, then wait again (with the CQ empty the kernel runs the task work) until both are in.
                Map<Long, Integer> seen = new HashMap<>();
                long[] userData = new long[4];
                int[] res = new int[4];
                while (true) {
                    int n = ring.copyCqes(userData, res, null);
                    for (int i = 0; i < n; i++) seen.put(userData[i], res[i]);
                    if (seen.size() == 2) break;
                    ring.submitAndWait(1);
                }
                assertEquals(0, seen.get(NOP));
                assertEquals(0, seen.get(ASYNC_NOP));
            }
        }, "a wait for two completions on an IOPOLL ring with one of them in the CQ returns");
    }

    private static IoUringBuilder deferTaskrun() {
        return IoUring.builder().singleIssuer().deferTaskrun();
    }

    @Test
    void submitAndWaitForTwoReturnsWhenTheCqHoldsOne() {
        bothCompletionsArrive(deferTaskrun(), ring -> ring.submitAndWait(2));
    }

    @Test
    void aTimedSubmitAndWaitForTwoReturnsWhenTheCqHoldsOne() {
        // A limit far beyond the test's: the wait must end on the completion, not on the time.
        bothCompletionsArrive(deferTaskrun(), ring -> ring.submitAndWait(2, 60, TimeUnit.SECONDS));
    }

    @Test
    void waitCqeNrForTwoReturnsWhenTheCqHoldsOne() {
        bothCompletionsArrive(deferTaskrun(), ring -> {
            ring.submit();
            ring.waitCqeNr(2);
        });
    }

    @Test
    void onAPlainIopollRingTheWaitReturnsWithoutSpinning() {
        bothCompletionsArrive(IoUring.builder(), ring -> ring.submitAndWait(2));
    }
}
