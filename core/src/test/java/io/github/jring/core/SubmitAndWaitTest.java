package io.github.jring.core;

import io.github.jring.bindings.Uapi;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;

import static io.github.jring.core.IoUring.INLINE_PROBE_INTERVAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link IoUring#submitAndWait(int)}'s two ways: submit without waiting and find the completions inline, or submit
 * and wait in one {@code io_uring_enter}; the switch between them, as {@link IoUring#enterCount()} shows, and that
 * every call returns only with its completions in the CQ.
 */
class SubmitAndWaitTest {

    /** Submits the one prepared request and waits for it; checks its completion; returns the enters the call made. */
    private static long submitAndWaitOne(IoUring ring, long userData, int expectedRes) throws ErrnoException {
        long before = ring.enterCount();
        assertEquals(1, ring.submitAndWait(1));
        long enters = ring.enterCount() - before;
        assertEquals(1, ring.cqReady(), "returned with the completion in the CQ");
        Cqe c = ring.peekCqe();
        assertEquals(userData, c.userData());
        assertEquals(expectedRes, c.res());
        ring.cqeSeen(c);
        return enters;
    }

    /** {@code n} NOPs, one submitAndWait each: each takes exactly one enter. */
    private static void nopsTakeOneEnterEach(IoUring ring, int n) throws ErrnoException {
        for (int i = 0; i < n; i++) {
            ring.getSqe().prepNop().userData(i);
            assertEquals(1, submitAndWaitOne(ring, i, 0), "NOP " + i);
        }
    }

    @Test
    void inlineCompletionsTakeOneEnter() throws Exception {
        try (IoUring ring = IoUring.open(8)) {
            nopsTakeOneEnterEach(ring, 3 * INLINE_PROBE_INTERVAL);
        }
    }

    @Test
    void completionsThatAreNotInlineAreWaitedForAndTheGuessFollows() throws Exception {
        try (IoUring ring = IoUring.open(8); Arena arena = Arena.ofConfined()) {
            MemorySegment ts = KernelTimespec.allocate(arena, Duration.ofMillis(1));
            int calls = 2 * INLINE_PROBE_INTERVAL;
            long enters = 0;
            for (int i = 0; i < calls; i++) {
                ring.getSqe().prepTimeout(ts, 0, 0).userData(100 + i);
                long e = submitAndWaitOne(ring, 100 + i, -Uapi.ETIME());
                assertTrue(e == 1 || e == 2, "timeout " + i + ": " + e + " enters");
                enters += e;
            }
            // The first call submits alone, finds nothing and waits (2 enters); the next INTERVAL - 1 submit and
            // wait in one; then it tries once more: 2 calls of 2 enters in 2 intervals.
            // Under tcg (core's suite in the NVMe VM's guest) a 1 ms timeout can expire before the probing submit
            // returns, so that probe finds it inline and saves one enter.
            if (System.getenv("JRING_VM") != null) {
                assertTrue(enters == calls + 1 || enters == calls + 2, "enters for " + calls + " timeouts: " + enters);
            } else {
                assertEquals(calls + 2, enters, "enters for " + calls + " timeouts");
            }

            // Inline completions again: right in both ways, and after the next try back to submitting alone.
            nopsTakeOneEnterEach(ring, 2 * INLINE_PROBE_INTERVAL);
        }
    }

    @Test
    void aBatchWaitsForAllItsCompletionsWhenOnlySomeAreInline() throws Exception {
        try (IoUring ring = IoUring.open(8); Arena arena = Arena.ofConfined()) {
            MemorySegment ts = KernelTimespec.allocate(arena, Duration.ofMillis(20));
            ring.getSqe().prepNop().userData(1);
            ring.getSqe().prepTimeout(ts, 0, 0).userData(2);
            ring.getSqe().prepNop().userData(3);
            long before = ring.enterCount();
            long t0 = System.nanoTime();
            assertEquals(3, ring.submitAndWait(3));
            long ms = Duration.ofNanos(System.nanoTime() - t0).toMillis();
            assertEquals(2, ring.enterCount() - before, "a submit that found 2 of 3, then a wait");
            assertEquals(3, ring.cqReady());
            assertTrue(ms >= 19, "returned after " + ms + " ms, before the 20 ms timeout");
            long[] ud = new long[3];
            int[] res = new int[3];
            assertEquals(3, ring.copyCqes(ud, res, null));
            assertEquals(2, ud[2], "the timeout completes last");
            assertEquals(-Uapi.ETIME(), res[2]);
        }
    }
}
