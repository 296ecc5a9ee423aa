package io.github.jring.core;

import io.github.jring.bindings.Uapi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Closing a ring with requests in flight: when {@link IoUring#close()} returns, the kernel has finished with every
 * request, so nothing it does afterwards can touch their buffers or consume data meant for someone else. Checked from
 * the outside: after the close, data written to the pipe or socket a cancelled read was waiting on must still be
 * there for a plain read, and the read's buffer must be untouched.
 */
class CloseInFlightTest {

    private static final byte FILL = 0x55;
    /** Far below the default close timeout (5 s): a close that had to wait for it failed to cancel. */
    private static final long PROMPT_MS = 2000;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Reads {@code fd} without blocking and checks that exactly {@code expected} is there. */
    private static void assertStillHolds(int fd, byte[] expected, String what) throws ErrnoException {
        TestFds.setNonBlocking(fd);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(expected.length + 16);
            int n = Posix.read(fd, buf);
            assertArrayEquals(expected, buf.asSlice(0, n).toArray(JAVA_BYTE), what
                    + ": the data written after close() must still be there (no cancelled read took it)");
        }
    }

    private static void assertUntouched(MemorySegment buf) {
        for (long i = 0; i < buf.byteSize(); i++) {
            assertEquals(FILL, buf.get(JAVA_BYTE, i), "the buffer of a request cancelled by close() was written at "
                    + i);
        }
    }

    /** Closes, checks it took well under the close timeout, and returns the milliseconds it took. */
    private static long closePromptly(IoUring ring) {
        long t0 = System.nanoTime();
        ring.close();
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(ring.isClosed());
        assertTrue(ms < PROMPT_MS, "close() took " + ms + " ms: it waited for its timeout instead of cancelling");
        return ms;
    }

    @Test
    void aPendingPipeReadIsCancelledBeforeCloseReturns() throws Exception {
        int[] p = Posix.pipe(0);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(64).fill(FILL);
            IoUring ring = IoUring.open(8);
            ring.getSqe().prepRead(p[0], buf, -1).userData(1);
            assertEquals(1, ring.submit());
            assertNull(ring.waitCqe(20, TimeUnit.MILLISECONDS), "the pipe is empty: the read waits");
            assertEquals(1, ring.inFlight());
            closePromptly(ring);
            TestFds.write(p[1], bytes("after close"));
            assertStillHolds(p[0], bytes("after close"), "pipe");
            assertUntouched(buf);
        } finally {
            Posix.close(p[0]);
            Posix.close(p[1]);
        }
    }

    /**
     * A buffered read of a cached 32 MiB file, forced into io-wq: cancelling it only signals the worker, which goes on
     * copying (only fatal signals stop a page-cache read). close() must wait until it is done: the buffer must not
     * change after close() returned. (Before close() waited, it returned while the worker was still copying.)
     */
    @Test
    void aRunningReadThatNoCancelStopsHasFinishedWhenCloseReturns(@TempDir Path dir) throws Exception {
        int size = 32 << 20;
        byte[] content = new byte[size];
        Arrays.fill(content, (byte) 0xAA);
        Path file = dir.resolve("big");
        Files.write(file, content); // now in the page cache
        int fd = Posix.open(file, Uapi.O_RDONLY(), 0);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(size, 4096).fill(FILL);
            IoUring ring = IoUring.open(8);
            ring.getSqe().prepRead(fd, buf, 0).userData(1).async();
            ring.submit();
            closePromptly(ring);
            byte lastAtClose = buf.get(JAVA_BYTE, size - 1);
            Thread.sleep(100);
            assertEquals(lastAtClose, buf.get(JAVA_BYTE, size - 1), "the kernel wrote the buffer after close()");
        } finally {
            Posix.close(fd);
        }
    }

    @Test
    void aPendingRecvOnAnIdleLoopbackSocketIsCancelledBeforeCloseReturns() throws Exception {
        int[] tcp = TestFds.tcpPair();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(128).fill(FILL);
            IoUring ring = IoUring.open(8);
            ring.getSqe().prepRecv(tcp[1], buf, 0).userData(1);
            ring.submit();
            assertNull(ring.waitCqe(20, TimeUnit.MILLISECONDS), "nothing was sent: the recv waits");
            assertEquals(1, ring.inFlight());
            closePromptly(ring);
            TestFds.write(tcp[0], bytes("sent after close"));
            Thread.sleep(20); // loopback delivery
            assertStillHolds(tcp[1], bytes("sent after close"), "socket");
            assertUntouched(buf);
        } finally {
            Posix.close(tcp[0]);
            Posix.close(tcp[1]);
        }
    }

    /** Polls and reads on four pipes, 64 in all, into a ring whose CQ holds 16: their cancellations overflow it. */
    private static int[][] submitManyPending(IoUring ring, MemorySegment bufs) throws ErrnoException {
        int[][] pipes = new int[4][];
        for (int i = 0; i < pipes.length; i++) {
            pipes[i] = Posix.pipe(0);
        }
        for (int i = 0; i < 64; i++) {
            Sqe sqe = ring.getSqe();
            if (sqe == null) {
                ring.submit();
                sqe = ring.getSqe();
            }
            int fd = pipes[i % 4][0];
            if (i % 3 == 0) {
                sqe.prepRead(fd, bufs.asSlice(i * 16L, 16), -1);
            } else {
                sqe.prepPollAdd(fd, Uapi.POLLIN());
            }
            sqe.userData(1000 + i);
        }
        ring.submit();
        return pipes;
    }

    @Test
    void cancelAndDrainReapsMoreCancellationsThanTheCqHolds() throws Exception {
        int[][] pipes = null;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment bufs = arena.allocate(64 * 16).fill(FILL);
            IoUring ring = IoUring.builder().cqSize(16).build(16);
            try {
                assertEquals(16, ring.cqEntries());
                pipes = submitManyPending(ring, bufs);
                assertEquals(64, ring.inFlight());
                Map<Long, Integer> seen = new HashMap<>();
                int left = ring.cancelAndDrain(5, TimeUnit.SECONDS, c -> {
                    assertNull(seen.put(c.userData(), c.res()), "one completion per request");
                    assertFalse(c.hasMore());
                });
                assertEquals(0, left);
                assertEquals(64, seen.size(), "every request's completion was handed over: " + seen);
                for (Map.Entry<Long, Integer> e : seen.entrySet()) {
                    assertEquals(-Uapi.ECANCELED(), e.getValue(), "request " + e.getKey());
                }
                assertEquals(0, ring.inFlight());
                assertEquals(0, ring.cqOverflow(), "nothing was dropped");
                // The ring is still usable.
                ring.getSqe().prepNop().userData(7);
                ring.submit();
                assertEquals(7, ring.waitCqe().userData());
                ring.cqAdvance(1);
            } finally {
                closePromptly(ring);
            }
            for (int[] p : pipes) {
                TestFds.write(p[1], bytes("still here"));
                assertStillHolds(p[0], bytes("still here"), "pipe " + p[0]);
            }
            assertUntouched(bufs);
        } finally {
            closePipes(pipes);
        }
    }

    @Test
    void closeDrainsMoreCancellationsThanTheCqHolds() throws Exception {
        int[][] pipes = null;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment bufs = arena.allocate(64 * 16).fill(FILL);
            IoUring ring = IoUring.builder().cqSize(16).build(16);
            pipes = submitManyPending(ring, bufs);
            assertEquals(64, ring.inFlight());
            closePromptly(ring);
            for (int[] p : pipes) {
                TestFds.write(p[1], bytes("still here"));
                assertStillHolds(p[0], bytes("still here"), "pipe " + p[0]);
            }
            assertUntouched(bufs);
        } finally {
            closePipes(pipes);
        }
    }

    private static void closePipes(int[][] pipes) {
        if (pipes != null) {
            for (int[] p : pipes) {
                Posix.closeQuietly(p[0]);
                Posix.closeQuietly(p[1]);
            }
        }
    }

    @Test
    void closeOnAnSqpollRingWithPendingWork() throws Exception {
        for (int round = 0; round < 3; round++) {
            int[] p = Posix.pipe(0);
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment buf = arena.allocate(64).fill(FILL);
                // A short idle time: in later rounds the thread may be asleep when close() needs it.
                IoUring ring = IoUring.builder().sqPoll(round == 0 ? 1000 : 1).build(8);
                ring.getSqe().prepRead(p[0], buf, -1).userData(1);
                ring.getSqe().prepPollAdd(p[0], Uapi.POLLIN()).userData(2);
                ring.submit(); // published: the SQ thread consumes them when it gets to it, maybe after close began
                if (round == 2) {
                    Thread.sleep(30);
                    assertEquals(2, ring.inFlight(), "the SQ thread consumed both (its SQ head moved)");
                }
                closePromptly(ring);
                TestFds.write(p[1], bytes("sqpoll"));
                assertStillHolds(p[0], bytes("sqpoll"), "pipe, round " + round);
                assertUntouched(buf);
            } finally {
                Posix.close(p[0]);
                Posix.close(p[1]);
            }
        }
    }

    @Test
    void completionsThatArriveDuringTheDrainAreHandedOverNotLost() throws Exception {
        int[] a = Posix.pipe(0);
        int[] b = Posix.pipe(0);
        try (Arena arena = Arena.ofConfined(); IoUring ring = IoUring.open(8)) {
            MemorySegment bufA = arena.allocate(32).fill(FILL);
            MemorySegment bufB = arena.allocate(32).fill(FILL);
            ring.getSqe().prepNop().userData(1);                 // completes at once, never reaped
            ring.getSqe().prepRead(a[0], bufA, -1).userData(2);  // waits: cancelled
            ring.getSqe().prepRead(b[0], bufB, -1).userData(3);  // completes normally
            ring.submit();
            TestFds.write(b[1], bytes("done"));
            Map<Long, Integer> seen = new HashMap<>();
            assertEquals(0, ring.cancelAndDrain(5, TimeUnit.SECONDS, c -> seen.put(c.userData(), c.res())));
            assertEquals(Map.of(1L, 0, 2L, -Uapi.ECANCELED(), 3L, 4), seen);
            assertArrayEquals(bytes("done"), bufB.asSlice(0, 4).toArray(JAVA_BYTE));
            assertUntouched(bufA);
            assertEquals(0, ring.inFlight());
            TestFds.write(a[1], bytes("later"));
            assertStillHolds(a[0], bytes("later"), "pipe a");
        } finally {
            for (int fd : new int[] {a[0], a[1], b[0], b[1]}) {
                Posix.close(fd);
            }
        }
    }

    @Test
    void aMultishotRequestStaysInFlightUntilItsLastCompletion() throws Exception {
        int[] p = Posix.pipe(0);
        try (IoUring ring = IoUring.open(8)) {
            ring.getSqe().prepPollMultishot(p[0], Uapi.POLLIN()).userData(5);
            ring.submit();
            TestFds.write(p[1], bytes("x"));
            Cqe c = ring.waitCqe(5, TimeUnit.SECONDS);
            assertNotNull(c);
            assertEquals(5, c.userData());
            assertTrue(c.hasMore(), "a multishot poll stays armed");
            ring.cqeSeen(c);
            ring.forEachCqe(x -> assertTrue(x.hasMore()));
            assertEquals(1, ring.inFlight(), "F_MORE completions do not end the request");
            int[] last = new int[2];
            assertEquals(0, ring.cancelAndDrain(5, TimeUnit.SECONDS, x -> {
                if (!x.hasMore()) {
                    last[0]++;
                    last[1] = x.res();
                }
            }));
            assertEquals(1, last[0], "the cancelled multishot poll's last completion");
            assertEquals(-Uapi.ECANCELED(), last[1]);
            assertEquals(0, ring.inFlight());
        } finally {
            Posix.close(p[0]);
            Posix.close(p[1]);
        }
    }

    @Test
    void aReadWithALinkedTimeoutIsTwoRequestsBothCancelled() throws Exception {
        int[] p = Posix.pipe(0);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(16).fill(FILL);
            MemorySegment ts = KernelTimespec.allocate(arena, Duration.ofSeconds(30));
            IoUring ring = IoUring.open(8);
            ring.getSqe().prepRead(p[0], buf, -1).userData(1).ioLink();
            ring.getSqe().prepLinkTimeout(ts, 0).userData(2);
            ring.submit();
            assertNull(ring.waitCqe(20, TimeUnit.MILLISECONDS));
            assertEquals(2, ring.inFlight());
            closePromptly(ring);
            TestFds.write(p[1], bytes("linked"));
            assertStillHolds(p[0], bytes("linked"), "pipe");
            assertUntouched(buf);
        } finally {
            Posix.close(p[0]);
            Posix.close(p[1]);
        }
    }

    @Test
    void withCqeSkipSuccessTheCountIsHighButCloseStillCancelsAndReturns() throws Exception {
        int[] p = Posix.pipe(0);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(16).fill(FILL);
            IoUring ring = IoUring.open(8);
            ring.getSqe().prepNop().userData(1).cqeSkipSuccess(); // succeeds without a completion
            ring.getSqe().prepRead(p[0], buf, -1).userData(2);
            ring.submit();
            assertNull(ring.waitCqe(20, TimeUnit.MILLISECONDS));
            assertEquals(2, ring.inFlight(), "the skipped NOP stays counted: the kernel never says it ended");
            closePromptly(ring); // the kernel refuses IO_DRAIN now; close waits for the cancel and 100 ms at most
            TestFds.write(p[1], bytes("skip"));
            assertStillHolds(p[0], bytes("skip"), "pipe");
            assertUntouched(buf);
        } finally {
            Posix.close(p[0]);
            Posix.close(p[1]);
        }
    }

    @Test
    void whenNothingCanBeCancelledCloseGivesUpAndKeepsTheRingOpen() throws Exception {
        int[] p = Posix.pipe(0);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(16).fill(FILL);
            // The kernel answers EINVAL to the cancel-everything, as before 5.19: the read cannot be stopped.
            IoUring ring = IoUring.builder().closeTimeout(Duration.ofMillis(300)).rejectCancelAny().build(8);
            ring.getSqe().prepRead(p[0], buf, -1).userData(1);
            ring.submit();
            long t0 = System.nanoTime();
            IllegalStateException e = assertThrows(IllegalStateException.class, ring::close);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(ms >= 250, "close() gave up after " + ms + " ms, before its 300 ms timeout");
            assertTrue(e.getMessage().contains("1 request is still in flight"), e.getMessage());
            assertTrue(e.getMessage().contains("stays open"), e.getMessage());
            assertFalse(ring.isClosed());
            assertEquals(2, ring.inFlight(), "the read, and the close's draining NOP that waits behind it");
            // The ring still works, and the kernel did still own the buffer: the read completes into it now.
            TestFds.write(p[1], bytes("late"));
            Cqe c = ring.waitCqe(5, TimeUnit.SECONDS);
            assertNotNull(c);
            assertEquals(1, c.userData());
            assertEquals(4, c.res());
            ring.cqeSeen(c);
            assertArrayEquals(bytes("late"), buf.asSlice(0, 4).toArray(JAVA_BYTE));
            // Then the failed close's NOP completes, with a reserved user_data.
            c = ring.waitCqe(5, TimeUnit.SECONDS);
            assertNotNull(c);
            long own = c.userData() - IoUring.DRAIN_USER_DATA_BASE;
            assertTrue(own >= 0 && own < 65536, "user_data " + c.userData());
            ring.cqeSeen(c);
            assertEquals(0, ring.inFlight());
            closePromptly(ring);
        } finally {
            Posix.close(p[0]);
            Posix.close(p[1]);
        }
    }

    @Test
    void aSingleIssuerRingClosedFromAnotherThreadStaysOpenWhileRequestsAreInFlight() throws Exception {
        int[] p = Posix.pipe(0);
        try (Arena arena = Arena.ofShared()) {
            MemorySegment buf = arena.allocate(16).fill(FILL);
            IoUring ring = IoUring.builder().singleIssuer().deferTaskrun().build(8);
            ring.getSqe().prepRead(p[0], buf, -1).userData(1);
            ring.submit();
            assertNull(ring.waitCqe(20, TimeUnit.MILLISECONDS));
            CompletableFuture<Void> other = CompletableFuture.runAsync(ring::close, r -> new Thread(r).start());
            ExecutionException ex = assertThrows(ExecutionException.class, other::get);
            IllegalStateException e = assertInstanceOf(IllegalStateException.class, ex.getCause());
            ErrnoException cause = assertInstanceOf(ErrnoException.class, e.getCause(), e.getMessage());
            assertEquals(Uapi.EEXIST(), cause.errno(), cause.getMessage());
            assertFalse(ring.isClosed(), "the ring stays open: " + e.getMessage());
            closePromptly(ring); // from the submitting thread
            TestFds.write(p[1], bytes("owner"));
            assertStillHolds(p[0], bytes("owner"), "pipe");
            assertUntouched(buf);
        } finally {
            Posix.close(p[0]);
            Posix.close(p[1]);
        }
    }

    @Test
    void entriesNeverSubmittedAreDroppedNotRun() throws Exception {
        int[] p = Posix.pipe(0);
        try (Arena arena = Arena.ofConfined()) {
            IoUring ring = IoUring.open(8);
            ring.getSqe().prepNop().userData(1);
            ring.submit();
            ring.getSqe().prepWrite(p[1], arena.allocateFrom(JAVA_BYTE, bytes("never")), -1).userData(2);
            assertEquals(1, ring.inFlight(), "the NOP's completion was not reaped; the write was not submitted");
            closePromptly(ring);
            TestFds.setNonBlocking(p[0]);
            ErrnoException e = assertThrows(ErrnoException.class, () -> Posix.read(p[0], arena.allocate(8)));
            assertEquals(Uapi.EAGAIN(), e.errno(), "the unsubmitted write must not have run");
        } finally {
            Posix.close(p[0]);
            Posix.close(p[1]);
        }
    }

    @Test
    void aRingThatNeverSubmittedClosesWithoutEnteringTheKernel() throws Exception {
        IoUring ring = IoUring.open(8);
        ring.getSqe().prepNop(); // obtained, never submitted
        ring.close();
        assertEquals(0, ring.enterCount());
        assertTrue(ring.isClosed());
        ring.close(); // idempotent
        assertThrows(IllegalStateException.class, ring::inFlight);
    }

    @Test
    void anIopollRingWithAnUnreapedCompletionCloses() throws Exception {
        IoUring ring = IoUring.builder().ioPoll().build(8);
        ring.getSqe().prepNop().userData(1);
        ring.submit();
        assertEquals(1, ring.inFlight());
        closePromptly(ring);
    }
}
