package io.github.jring.core;

import io.github.jring.bindings.Uapi;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.util.BitSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Completion side: CQ overflow without loss, waits with timeouts (and their fallback), reaping from another thread. */
class CompletionTest {

    /** Submits {@code total} NOPs in SQ-sized batches without reaping, so most of them overflow the CQ. */
    private static void flood(IoUring ring, int total) throws ErrnoException {
        int next = 0;
        while (next < total) {
            Sqe sqe;
            while (next < total && (sqe = ring.getSqe()) != null) {
                sqe.prepNop().userData(next++);
            }
            ring.submit();
        }
    }

    private static void assertAllSeenOnce(BitSet seen, int total) {
        assertEquals(total, seen.cardinality());
        assertEquals(total, seen.nextClearBit(0));
    }

    @Test
    void cqOverflowLosesNothingWithForEach() throws Exception {
        try (IoUring ring = IoUring.builder().cqSize(8).build(8)) {
            assertTrue(ring.hasFeature(Uapi.IORING_FEAT_NODROP()));
            int total = 200; // 25x the CQ
            flood(ring, total);
            assertEquals(8, ring.cqReady(), "the CQ is full");
            assertTrue((ring.sqFlags() & Uapi.IORING_SQ_CQ_OVERFLOW()) != 0, "the rest waits in the overflow list");
            BitSet seen = new BitSet();
            CqeHandler collect = c -> {
                assertEquals(0, c.res());
                assertFalse(seen.get((int) c.userData()), "delivered twice: " + c.userData());
                seen.set((int) c.userData());
            };
            int rounds = 0;
            while (ring.forEachCqe(collect) > 0) {
                rounds++;
            }
            assertAllSeenOnce(seen, total);
            assertTrue(rounds > 1);
            assertEquals(0, ring.cqOverflow(), "nothing dropped");
            assertEquals(0, ring.sqFlags() & Uapi.IORING_SQ_CQ_OVERFLOW());
        }
    }

    @Test
    void cqOverflowLosesNothingWithPeekAndCopy() throws Exception {
        try (IoUring ring = IoUring.builder().cqSize(8).build(8)) {
            int total = 100;
            flood(ring, total);
            BitSet seen = new BitSet();
            Cqe c;
            while ((c = ring.peekCqe()) != null) { // peekCqe flushes the overflow list when the CQ runs empty
                seen.set((int) c.userData());
                ring.cqeSeen(c);
                if (seen.cardinality() == 50) {
                    break;
                }
            }
            long[] ud = new long[5];
            int n;
            while ((n = ring.copyCqes(ud, null, null)) > 0) {
                for (int i = 0; i < n; i++) {
                    assertFalse(seen.get((int) ud[i]));
                    seen.set((int) ud[i]);
                }
            }
            assertAllSeenOnce(seen, total);
        }
    }

    @Test
    void cqOverflowLosesNothingWithBatchPeekAndWait() throws Exception {
        try (IoUring ring = IoUring.builder().cqSize(16).build(16)) {
            int total = 160;
            flood(ring, total);
            BitSet seen = new BitSet();
            Cqe[] batch = new Cqe[7];
            while (seen.cardinality() < total) {
                int n = ring.peekBatchCqe(batch);
                if (n == 0) {
                    Cqe c = ring.waitCqe(5, TimeUnit.SECONDS);
                    assertNotNull(c, "completions missing: " + seen.cardinality() + " of " + total);
                    continue;
                }
                for (int i = 0; i < n; i++) {
                    assertFalse(seen.get((int) batch[i].userData()));
                    seen.set((int) batch[i].userData());
                }
                ring.cqAdvance(n);
            }
            assertAllSeenOnce(seen, total);
            assertNull(ring.peekCqe());
        }
    }

    @Test
    void moreRequestsInFlightThanCqEntriesAllComplete() throws Exception {
        int[] p = Posix.pipe(0);
        try (IoUring ring = IoUring.builder().cqSize(16).build(16)) {
            int total = 64; // four times the CQ, all pending at once
            for (int i = 0; i < total; i++) {
                Sqe sqe = ring.getSqe();
                if (sqe == null) {
                    ring.submit();
                    sqe = ring.getSqe();
                }
                sqe.prepPollAdd(p[0], Uapi.POLLIN()).userData(i);
            }
            ring.submit();
            assertEquals(0, ring.cqReady(), "all 64 polls are in flight");
            TestFds.write(p[1], new byte[] {1}); // completes every one of them at once
            BitSet seen = new BitSet();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (seen.cardinality() < total && System.nanoTime() < deadline) {
                Cqe c = ring.waitCqe(1, TimeUnit.SECONDS);
                if (c == null) {
                    continue;
                }
                assertTrue((c.res() & Uapi.POLLIN()) != 0);
                assertFalse(seen.get((int) c.userData()));
                seen.set((int) c.userData());
                ring.cqeSeen(c);
            }
            assertAllSeenOnce(seen, total);
            assertEquals(0, ring.cqOverflow());
        } finally {
            Posix.close(p[0]);
            Posix.close(p[1]);
        }
    }

    @Test
    void separateRingMappingsWorkToo() throws Exception {
        try (IoUring single = IoUring.open(8)) {
            assertTrue(single.singleMmap());
        }
        for (IoUringBuilder b : new IoUringBuilder[] {IoUring.builder().ignoreSingleMmap(),
            IoUring.builder().ignoreSingleMmap().useSqArray()}) {
            try (IoUring separate = b.build(8)) {
                assertFalse(separate.singleMmap(), "rings mapped at IORING_OFF_SQ_RING and IORING_OFF_CQ_RING");
                int total = 100;
                flood(separate, total); // overflows the 16-entry CQ: the SQ flags word and the CQ both in use
                BitSet seen = new BitSet();
                while (separate.forEachCqe(c -> seen.set((int) c.userData())) > 0) {
                    // drain
                }
                assertAllSeenOnce(seen, total);
            }
        }
    }

    @Test
    void waitWithTimeout() throws Exception {
        try (IoUring ring = IoUring.open(4)) {
            long t0 = System.nanoTime();
            assertNull(ring.waitCqe(30, TimeUnit.MILLISECONDS));
            assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(30));
            assertNull(ring.waitCqe(0, TimeUnit.MILLISECONDS), "zero: just look");
            ring.getSqe().prepNop().userData(7);
            ring.submit();
            Cqe c = ring.waitCqe(5, TimeUnit.SECONDS);
            assertNotNull(c);
            assertEquals(7, c.userData());
            ring.cqeSeen(c);
        }
    }

    @Test
    void submitAndWaitWithTimeoutReturnsWhatWasSubmitted() throws Exception {
        int[] p = Posix.pipe(0);
        try (IoUring ring = IoUring.open(4); Arena arena = Arena.ofConfined()) {
            ring.getSqe().prepRead(p[0], arena.allocate(4), -1).userData(1);
            long t0 = System.nanoTime();
            assertEquals(1, ring.submitAndWait(1, 30, TimeUnit.MILLISECONDS));
            assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(30), "it waited");
            assertEquals(0, ring.cqReady(), "and nothing completed");
            assertEquals(0, ring.submitAndWait(1, 10, TimeUnit.MILLISECONDS), "a timeout with nothing to submit");
            TestFds.write(p[1], new byte[] {9});
            assertEquals(0, ring.submitAndWait(1, 5, TimeUnit.SECONDS));
            assertEquals(1, ring.cqReady());
            assertEquals(1, ring.waitCqe().res());
        } finally {
            Posix.close(p[0]);
            Posix.close(p[1]);
        }
    }

    @Test
    void timedWaitsWithoutExtArgUseAnInternalTimeoutThatIsNeverSeen() throws Exception {
        try (IoUring ring = IoUring.builder().ignoreExtArg().build(8)) {
            long t0 = System.nanoTime();
            assertNull(ring.waitCqe(30, TimeUnit.MILLISECONDS));
            assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(30));
            assertEquals(1, ring.submitAndWait(1, 20, TimeUnit.MILLISECONDS), "the internal timeout was submitted");
            for (int i = 0; i < 3; i++) {
                ring.getSqe().prepNop().userData(100 + i);
            }
            ring.submit();
            Cqe c = ring.waitCqe(5, TimeUnit.SECONDS);
            assertNotNull(c);
            Thread.sleep(50); // let every internal timeout expire
            long[] ud = new long[16];
            int n = ring.copyCqes(ud, null, null);
            assertEquals(3, n, "only the three NOPs are visible");
            for (int i = 0; i < n; i++) {
                assertNotEquals(IoUring.INTERNAL_TIMEOUT_USER_DATA, ud[i]);
                assertEquals(100 + i, ud[i]);
            }
            assertNull(ring.waitCqe(10, TimeUnit.MILLISECONDS));
            AtomicLong count = new AtomicLong();
            ring.forEachCqe(x -> count.incrementAndGet());
            assertEquals(0, count.get());
        }
    }

    @Test
    void batchReapsPassOverInternalTimeoutsBetweenCompletions() throws Exception {
        try (IoUring ring = IoUring.builder().ignoreExtArg().build(8)) {
            // A timed wait with nothing else in flight: its internal timeout expires into the CQ and stays there.
            assertEquals(1, ring.submitAndWait(1, 10, TimeUnit.MILLISECONDS));
            ring.getSqe().prepNop().userData(100);
            ring.getSqe().prepNop().userData(101);
            ring.submit(); // the CQ: timeout, 100, 101
            Cqe[] out = new Cqe[8];
            assertEquals(2, ring.peekBatchCqe(out), "the timeout at the head is passed over");
            assertEquals(100, out[0].userData());
            assertEquals(101, out[1].userData());
            ring.cqAdvance(1);
            // With 101 in the CQ, a wait for two returns when the internal timeout expires behind it.
            assertEquals(1, ring.submitAndWait(2, 10, TimeUnit.MILLISECONDS));
            ring.getSqe().prepNop().userData(102);
            ring.submit(); // the CQ: 101, timeout, 102
            assertEquals(1, ring.peekBatchCqe(out), "a batch stops before a timeout");
            assertEquals(101, out[0].userData());
            long[] seen = new long[4];
            AtomicLong count = new AtomicLong();
            assertEquals(2, ring.forEachCqe(x -> seen[(int) count.getAndIncrement()] = x.userData()));
            assertEquals(101, seen[0]);
            assertEquals(102, seen[1]);
            assertEquals(0, ring.cqReady());
            assertEquals(0, ring.inFlight(), "the timeouts end their requests like any completion");
        }
    }

    @Test
    void waitCqeNrWaitsForSeveral() throws Exception {
        try (IoUring ring = IoUring.open(8); Arena arena = Arena.ofConfined()) {
            ring.getSqe().prepTimeout(KernelTimespec.allocate(arena, ms(10)), 0, 0).userData(1);
            ring.getSqe().prepTimeout(KernelTimespec.allocate(arena, ms(20)), 0, 0).userData(2);
            ring.getSqe().prepTimeout(KernelTimespec.allocate(arena, ms(30)), 0, 0).userData(3);
            ring.submit();
            Cqe c = ring.waitCqeNr(3);
            assertEquals(3, ring.cqReady(), "returned only once all three had completed");
            assertTrue(c.userData() >= 1 && c.userData() <= 3);
            long[] ud = new long[3];
            assertEquals(3, ring.copyCqes(ud, null, null));
            java.util.Arrays.sort(ud);
            assertEquals("[1, 2, 3]", java.util.Arrays.toString(ud)); // order among near-simultaneous ones may vary
        }
    }

    private static long ms(long ms) {
        return TimeUnit.MILLISECONDS.toNanos(ms);
    }

    @Test
    void peekOnAnEmptyRingDoesNotEnterTheKernel() throws Exception {
        try (IoUring ring = IoUring.open(4)) {
            long before = ring.enterCount();
            for (int i = 0; i < 100; i++) {
                assertNull(ring.peekCqe());
            }
            assertEquals(0, ring.forEachCqe(c -> { }));
            assertEquals(before, ring.enterCount());
            assertEquals(0, ring.submit(), "nothing to submit");
            assertEquals(before, ring.enterCount(), "and no system call for it");
        }
    }

    @Test
    void reapOnAnotherThreadWhileSubmitting() throws Exception {
        int total = 20_000;
        try (IoUring ring = IoUring.builder().cqSize(256).build(64)) {
            CompletableFuture<BitSet> reaper = CompletableFuture.supplyAsync(() -> {
                BitSet seen = new BitSet();
                try {
                    while (seen.cardinality() < total) {
                        Cqe c = ring.waitCqe(10, TimeUnit.SECONDS);
                        if (c == null) {
                            break;
                        }
                        ring.forEachCqe(x -> seen.set((int) x.userData()));
                    }
                } catch (ErrnoException e) {
                    throw new RuntimeException(e);
                }
                return seen;
            }, r -> new Thread(r, "reaper").start());
            int next = 0;
            while (next < total) {
                Sqe sqe;
                while (next < total && (sqe = ring.getSqe()) != null) {
                    sqe.prepNop().userData(next++);
                }
                ring.submit();
            }
            BitSet seen = reaper.get(30, TimeUnit.SECONDS);
            assertAllSeenOnce(seen, total);
        }
    }

    @Test
    void cqeSeenAndCqAdvanceCheckTheirArgument() throws Exception {
        try (IoUring ring = IoUring.open(4)) {
            ring.getSqe().prepNop().userData(1);
            ring.getSqe().prepNop().userData(2);
            ring.submitAndWait(2);
            Cqe[] batch = new Cqe[2];
            assertEquals(2, ring.peekBatchCqe(batch));
            Cqe second = batch[1];
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ring.cqeSeen(second));
            assertTrue(e.getMessage().contains("not the completion at the CQ head"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> ring.cqAdvance(3));
            assertThrows(IllegalArgumentException.class, () -> ring.cqAdvance(-1));
            ring.cqeSeen(batch[0]);
            assertSame(second, ring.peekCqe());
            ring.cqeSeen(second);
            assertThrows(IllegalArgumentException.class, () -> ring.cqeSeen(second));
        }
    }
}
