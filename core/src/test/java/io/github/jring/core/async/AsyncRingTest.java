package io.github.jring.core.async;

import io.github.jring.core.TestFds;
import io.github.jring.core.Posix;
import io.github.jring.bindings.Uapi;
import io.github.jring.core.ErrnoException;
import io.github.jring.core.IoUring;
import io.github.jring.core.Sqe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The futures API against the real kernel: results, concurrency, virtual threads, errors, cancel and close. */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AsyncRingTest {

    /**
     * In the jring VM (core's suite in the 6.1 guest, emulated by tcg, some 30 times slower): a tenth of the
     * operations in the ten-thousand tests, which otherwise run past the class's time limit there.
     */
    private static final boolean UNDER_TCG = System.getenv("JRING_VM") != null;


    private static final int BLOCK = 512;

    @TempDir
    Path dir;

    /** Block {@code i}'s content: distinct for every block and every byte position. */
    private static byte[] pattern(int i) {
        byte[] b = new byte[BLOCK];
        for (int k = 0; k < BLOCK; k++) {
            b[k] = (byte) (i * 31 + k * 7 + (i >>> 8));
        }
        b[0] = (byte) i;
        b[1] = (byte) (i >>> 8);
        return b;
    }

    private int openFile(String name) throws ErrnoException {
        return Posix.open(dir.resolve(name), Uapi.O_RDWR() | Uapi.O_CREAT() | Uapi.O_CLOEXEC(), 0600);
    }

    private static Throwable causeOf(CompletableFuture<?> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(30, TimeUnit.SECONDS));
        return e.getCause();
    }

    @Test
    void nopCompletesWithZeroAndRingUsesTheFlagsItAskedFor() throws Exception {
        try (AsyncRing ring = AsyncRing.open()) {
            assertEquals(0, ring.nop().get(10, TimeUnit.SECONDS));
            assertEquals(0, ring.nopBlocking());
            // The completion thread is the only issuer and waiter: the kernel (6.1+) accepts DEFER_TASKRUN for it.
            assertTrue((ring.ringFlags() & Uapi.IORING_SETUP_DEFER_TASKRUN()) != 0, IoUring.setupFlagNames(ring.ringFlags()));
            assertTrue((ring.ringFlags() & Uapi.IORING_SETUP_SINGLE_ISSUER()) != 0);
            assertEquals(ring.cqEntries(), ring.maxInFlight());
            assertEquals(64, ring.sqeSize());
            assertEquals(16, ring.cqeSize());
        }
        try (AsyncRing ring = AsyncRing.builder().deferTaskrun(false).entries(8).maxInFlight(3).build()) {
            assertEquals(0, ring.ringFlags() & Uapi.IORING_SETUP_DEFER_TASKRUN());
            assertTrue((ring.ringFlags() & Uapi.IORING_SETUP_COOP_TASKRUN()) != 0);
            assertEquals(8, ring.sqEntries());
            assertEquals(3, ring.maxInFlight());
            List<CompletableFuture<Integer>> fs = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                fs.add(ring.nop()); // far more than the SQ and the in-flight limit: they wait their turn
            }
            for (CompletableFuture<Integer> f : fs) {
                assertEquals(0, f.get(10, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    void ringOptionsTheKernelRefusesDeferTaskrunWithFallBackToFewerFlags() throws Exception {
        // The kernel refuses DEFER_TASKRUN with SQPOLL (6.18 refuses COOP_TASKRUN with it too): the ring gets what
        // the next choices give, as a plain IoUring asking for COOP_TASKRUN|SUBMIT_ALL would.
        int coopSubmitAll = Uapi.IORING_SETUP_COOP_TASKRUN() | Uapi.IORING_SETUP_SUBMIT_ALL();
        int expected;
        try (IoUring plain = IoUring.builder().sqPoll(0).preferFlags(coopSubmitAll).build(8)) {
            expected = plain.flags();
        }
        try (AsyncRing ring = AsyncRing.builder().ring(b -> b.sqPoll(0)).entries(8).build()) {
            int f = ring.ringFlags();
            assertEquals(IoUring.setupFlagNames(expected), IoUring.setupFlagNames(f));
            assertTrue((f & Uapi.IORING_SETUP_SQPOLL()) != 0, IoUring.setupFlagNames(f));
            assertEquals(0, f & (Uapi.IORING_SETUP_DEFER_TASKRUN() | Uapi.IORING_SETUP_SINGLE_ISSUER()));
            assertEquals(0, ring.nopBlocking());
        }
    }

    @Test
    void spinningRingHandsOverAndCompletesLikeASleepingOne() throws Exception {
        int fd = openFile("spin.dat");
        try (AsyncRing ring = AsyncRing.builder().spin(Duration.ofNanos(50_000)).build();
             ExecutorService vts = Executors.newVirtualThreadPerTaskExecutor(); Arena arena = Arena.ofShared()) {
            for (int i = 0; i < 2_000; i++) {
                assertEquals(0, ring.nop().join()); // platform thread: join spins, then parks
            }
            List<Future<?>> tasks = new ArrayList<>();
            for (int t = 0; t < 50; t++) {
                int first = t;
                tasks.add(vts.submit(() -> {
                    for (int i = first; i < 1_000; i += 50) {
                        MemorySegment b = arena.allocateFrom(JAVA_BYTE, pattern(i));
                        assertEquals(BLOCK, ring.writeBlocking(fd, b, (long) i * BLOCK));
                        MemorySegment back = arena.allocate(BLOCK);
                        assertEquals(BLOCK, ring.read(fd, back, (long) i * BLOCK).get());
                        assertArrayEquals(pattern(i), back.toArray(JAVA_BYTE));
                    }
                    return null;
                }));
            }
            for (Future<?> f : tasks) {
                f.get(60, TimeUnit.SECONDS);
            }
            // With long pauses between requests the thread sleeps in the kernel and is woken each time.
            for (int i = 0; i < 5; i++) {
                Thread.sleep(5);
                assertEquals(0, ring.nopBlocking());
            }
        } finally {
            Posix.close(fd);
        }
        assertThrows(IllegalArgumentException.class, () -> AsyncRing.builder().spin(Duration.ofNanos(-1)));
    }

    @Test
    void tenThousandWritesAndReadsFromVirtualThreadsThroughFutures() throws Exception {
        int ops = UNDER_TCG ? 1_000 : 10_000;
        int threads = 100;
        int fd = openFile("futures.dat");
        try (AsyncRing ring = AsyncRing.open(64); Arena arena = Arena.ofShared();
             ExecutorService vts = Executors.newVirtualThreadPerTaskExecutor()) {
            // Writes: each virtual thread submits its blocks as futures, then checks every result.
            List<Future<?>> tasks = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                tasks.add(vts.submit(() -> {
                    List<CompletableFuture<Integer>> fs = new ArrayList<>();
                    for (int i = first; i < ops; i += threads) {
                        MemorySegment buf = arena.allocateFrom(JAVA_BYTE, pattern(i));
                        fs.add(ring.write(fd, buf, (long) i * BLOCK));
                    }
                    for (CompletableFuture<Integer> f : fs) {
                        assertEquals(BLOCK, f.join());
                    }
                    return null;
                }));
            }
            for (Future<?> f : tasks) {
                f.get(60, TimeUnit.SECONDS);
            }
            // The file, read without the ring, holds every block.
            try (FileChannel ch = FileChannel.open(dir.resolve("futures.dat"), StandardOpenOption.READ)) {
                assertEquals((long) ops * BLOCK, ch.size());
                ByteBuffer bb = ByteBuffer.allocate(BLOCK);
                for (int i = 0; i < ops; i += 97) {
                    bb.clear();
                    ch.read(bb, (long) i * BLOCK);
                    assertArrayEquals(pattern(i), bb.array(), "block " + i);
                }
            }
            // Reads through the ring, again from many virtual threads, every block checked.
            tasks.clear();
            for (int t = 0; t < threads; t++) {
                int first = t;
                tasks.add(vts.submit(() -> {
                    List<CompletableFuture<Integer>> fs = new ArrayList<>();
                    List<MemorySegment> bufs = new ArrayList<>();
                    for (int i = first; i < ops; i += threads) {
                        MemorySegment buf = arena.allocate(BLOCK);
                        bufs.add(buf);
                        fs.add(ring.read(fd, buf, (long) i * BLOCK));
                    }
                    int k = 0;
                    for (int i = first; i < ops; i += threads, k++) {
                        assertEquals(BLOCK, fs.get(k).join());
                        assertArrayEquals(pattern(i), bufs.get(k).toArray(JAVA_BYTE), "block " + i);
                    }
                    return null;
                }));
            }
            for (Future<?> f : tasks) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            Posix.close(fd);
        }
    }

    @Test
    void blockingFormsFromTenThousandVirtualThreads() throws Exception {
        int ops = UNDER_TCG ? 1_000 : 10_000;
        int fd = openFile("blocking.dat");
        try (AsyncRing ring = AsyncRing.open(); ExecutorService vts = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> tasks = new ArrayList<>();
            for (int i = 0; i < ops; i++) {
                int block = i;
                tasks.add(vts.submit(() -> {
                    MemorySegment buf = Arena.ofAuto().allocateFrom(JAVA_BYTE, pattern(block));
                    assertEquals(BLOCK, ring.writeBlocking(fd, buf, (long) block * BLOCK));
                    MemorySegment back = Arena.ofAuto().allocate(BLOCK);
                    assertEquals(BLOCK, ring.readBlocking(fd, back, (long) block * BLOCK));
                    assertArrayEquals(pattern(block), back.toArray(JAVA_BYTE), "block " + block);
                    return null;
                }));
            }
            for (Future<?> f : tasks) {
                f.get(60, TimeUnit.SECONDS);
            }
            assertEquals(0, ring.fsyncBlocking(fd));
        } finally {
            Posix.close(fd);
        }
    }

    /**
     * A virtual thread blocked in a ring call is unmounted, not pinned: far more of them than carrier threads can be
     * blocked at once, each with its request in the kernel.
     */
    @Test
    void blockedVirtualThreadsDoNotPinCarriers() throws Exception {
        int n = 200; // the default scheduler has as many carriers as cores, here 2
        int[][] pipes = new int[n][];
        // The executor is closed after the ring, so that a failure cannot leave it waiting for blocked threads.
        try (ExecutorService vts = Executors.newVirtualThreadPerTaskExecutor();
             AsyncRing ring = AsyncRing.builder().maxInFlight(n + 8).build()) {
            List<Future<byte[]>> results = new ArrayList<>();
            List<Thread> threads = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int i = 0; i < n; i++) {
                pipes[i] = Posix.pipe(0);
                int rfd = pipes[i][0];
                results.add(vts.submit(() -> {
                    threads.add(Thread.currentThread());
                    MemorySegment buf = Arena.ofAuto().allocate(16);
                    int got = ring.readBlocking(rfd, buf, -1);
                    return buf.asSlice(0, got).toArray(JAVA_BYTE);
                }));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (threads.size() < n || threads.stream().anyMatch(t -> t.getState() != Thread.State.WAITING)) {
                if (System.nanoTime() > deadline) {
                    fail("only " + threads.stream().filter(t -> t.getState() == Thread.State.WAITING).count() + " of "
                            + n + " virtual threads got to wait: carriers are pinned");
                }
                Thread.sleep(10);
            }
            for (int i = n - 1; i >= 0; i--) {
                TestFds.write(pipes[i][1], new byte[] {(byte) i, 42});
            }
            for (int i = 0; i < n; i++) {
                assertArrayEquals(new byte[] {(byte) i, 42}, results.get(i).get(30, TimeUnit.SECONDS));
            }
        } finally {
            for (int[] p : pipes) {
                if (p != null) {
                    Posix.closeQuietly(p[0], p[1]);
                }
            }
        }
    }

    @Test
    void closeWithWorkInFlightFailsEveryFutureAndDoesNotHang() throws Exception {
        int n = 50;
        int[][] pipes = new int[n][];
        int[] sp = Posix.socketpair(Uapi.AF_UNIX(), Uapi.SOCK_STREAM(), 0);
        AsyncRing ring = AsyncRing.builder().maxInFlight(16).build(); // 16 in the kernel, the rest waiting
        List<CompletableFuture<?>> pending = new ArrayList<>();
        Future<?> blocked;
        AtomicReference<Throwable> blockedError = new AtomicReference<>();
        try (ExecutorService vts = Executors.newVirtualThreadPerTaskExecutor(); AsyncRing closeLast = ring) {
            for (int i = 0; i < n; i++) {
                pipes[i] = Posix.pipe(0);
                pending.add(ring.read(pipes[i][0], Arena.ofAuto().allocate(64), -1));
            }
            MemorySegment recvBuf = Arena.ofAuto().allocate(64);
            pending.add(ring.submit(sqe -> sqe.prepRecv(sp[0], recvBuf, 0))); // an idle socket
            CountDownLatch started = new CountDownLatch(1);
            blocked = vts.submit(() -> {
                started.countDown();
                try {
                    ring.readBlocking(sp[1], Arena.ofAuto().allocate(8), -1);
                } catch (Throwable t) {
                    blockedError.set(t);
                }
            });
            started.await();
            // A task runs on the completion thread after every request queued before it was taken: the first 16 have
            // their slots now, the others wait for room.
            assertEquals(16, ring.onRing(r -> ring.maxInFlight()).get(10, TimeUnit.SECONDS));
            for (CompletableFuture<?> f : pending) {
                assertFalse(f.isDone());
            }
            long t0 = System.nanoTime();
            ring.close();
            long closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(closeMillis < 5_000, "close took " + closeMillis + " ms");
            for (CompletableFuture<?> f : pending) {
                assertTrue(f.isDone(), "a future is still pending after close");
                Throwable c = causeOf(f);
                assertInstanceOf(RingClosedException.class, c);
            }
            // In flight ones were cancelled by the kernel; the ones beyond maxInFlight never reached it.
            long cancelledByKernel = pending.stream().map(AsyncRingTest::causeOfQuietly)
                    .filter(c -> c.getCause() instanceof ErrnoException e && e.errnoName().equals("ECANCELED")).count();
            assertEquals(16, cancelledByKernel);
            blocked.get(10, TimeUnit.SECONDS);
            assertInstanceOf(RingClosedException.class, blockedError.get());
            ring.terminated().get(10, TimeUnit.SECONDS);
            assertTrue(ring.isClosed());
            // Afterwards: refused, with the same typed exception, for futures and blocking forms alike.
            assertInstanceOf(RingClosedException.class, causeOf(ring.nop()));
            assertThrows(RingClosedException.class, ring::nopBlocking);
            ring.close(); // idempotent
            // The data written now stays in the pipe: no cancelled read took it.
            TestFds.write(pipes[0][1], new byte[] {7});
            assertArrayEquals(new byte[] {7}, TestFds.read(pipes[0][0], 8));
        } finally {
            ring.close();
            for (int[] p : pipes) {
                if (p != null) {
                    Posix.closeQuietly(p[0], p[1]);
                }
            }
            Posix.closeQuietly(sp[0], sp[1]);
        }
    }

    private static Throwable causeOfQuietly(CompletableFuture<?> f) {
        try {
            f.get();
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void closeFromManyThreadsWhileSubmittingCompletesEveryFuture() throws Exception {
        AsyncRing ring = AsyncRing.open(32);
        List<CompletableFuture<Integer>> all = java.util.Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService vts = Executors.newVirtualThreadPerTaskExecutor()) {
            CountDownLatch go = new CountDownLatch(1);
            for (int t = 0; t < 8; t++) {
                vts.submit(() -> {
                    go.await();
                    for (int i = 0; i < 5_000; i++) {
                        all.add(ring.nop());
                    }
                    return null;
                });
            }
            go.countDown();
            Thread.sleep(5);
            ring.close();
        }
        ring.terminated().get(10, TimeUnit.SECONDS);
        assertEquals(40_000, all.size());
        int ok = 0;
        int closed = 0;
        for (CompletableFuture<Integer> f : all) {
            assertTrue(f.isDone(), "a future was lost in the close");
            Throwable c = causeOfQuietly(f);
            if (c == null) {
                assertEquals(0, f.join());
                ok++;
            } else {
                assertInstanceOf(RingClosedException.class, c);
                closed++;
            }
        }
        assertEquals(40_000, ok + closed);
    }

    @Test
    void closeTimeoutFailsFuturesOfRequestsTheKernelDoesNotGiveBack() throws Exception {
        // A request the kernel cannot cancel at once: a read running in an io-wq worker... is hard to make reliably;
        // instead a zero close timeout shows the other half of the contract: close returns, the futures fail, and the
        // ring is really closed only once the kernel has answered.
        int[] p = Posix.pipe(0);
        AsyncRing ring = AsyncRing.builder().closeTimeout(Duration.ZERO).build();
        try {
            CompletableFuture<Integer> r = ring.read(p[0], Arena.ofAuto().allocate(8), -1);
            assertEquals(0, ring.nop().get(10, TimeUnit.SECONDS));
            ring.close();
            assertInstanceOf(RingClosedException.class, causeOf(r));
            ring.terminated().get(10, TimeUnit.SECONDS); // the cancel completed it soon after
        } finally {
            ring.close();
            Posix.closeQuietly(p[0], p[1]);
        }
    }

    @Test
    void inFlightBufferStaysReachableUntilItsCompletion() throws Exception {
        int[] p = Posix.pipe(0);
        try (AsyncRing ring = AsyncRing.open()) {
            MemorySegment buf = Arena.ofAuto().allocate(4096);
            WeakReference<MemorySegment> ref = new WeakReference<>(buf);
            CompletableFuture<Integer> read = ring.read(p[0], buf, -1);
            buf = null; // the caller drops its only reference; the ring must keep the memory for the kernel
            for (int i = 0; i < 5; i++) {
                System.gc();
                Thread.sleep(20);
            }
            assertNotNull(ref.get(), "the buffer of a request in flight was collected");
            assertFalse(read.isDone());
            byte[] data = "written while nobody but the ring held the buffer".getBytes();
            TestFds.write(p[1], data);
            assertEquals(data.length, read.get(10, TimeUnit.SECONDS));
            MemorySegment back = ref.get();
            if (back != null) { // a collection between completion and here would be legal
                assertArrayEquals(data, back.asSlice(0, data.length).toArray(JAVA_BYTE));
                back = null;
            }
            // Once completed, the ring lets go of it.
            for (int i = 0; i < 50 && ref.get() != null; i++) {
                ring.nop().get(); // moves the queue past the request
                System.gc();
                Thread.sleep(20);
            }
            assertNull(ref.get(), "the ring still holds the buffer after the completion");
        } finally {
            Posix.closeQuietly(p[0], p[1]);
        }
    }

    @Test
    void preparerAndWhatItCapturesStayReachableUntilTheCompletion() throws Exception {
        int[] p = Posix.pipe(0);
        try (AsyncRing ring = AsyncRing.open()) {
            List<WeakReference<MemorySegment>> refs = new ArrayList<>();
            CompletableFuture<Completion> f = readCapturing(ring, p[0], refs);
            WeakReference<MemorySegment> ref = refs.get(0);
            for (int i = 0; i < 5; i++) {
                System.gc();
                Thread.sleep(20);
            }
            assertNotNull(ref.get());
            TestFds.write(p[1], new byte[] {1, 2, 3});
            assertEquals(new Completion(3, 0, 0, 0), f.get(10, TimeUnit.SECONDS));
        } finally {
            Posix.closeQuietly(p[0], p[1]);
        }
    }

    /** A read whose buffer only the preparer lambda references once this method returns. */
    private static CompletableFuture<Completion> readCapturing(AsyncRing ring, int fd,
                                                              List<WeakReference<MemorySegment>> refs) {
        MemorySegment buf = Arena.ofAuto().allocate(64);
        refs.add(new WeakReference<>(buf));
        return ring.submit(sqe -> sqe.prepRead(fd, buf, -1));
    }

    @Test
    void errorsComeOutAsErrnoExceptionsWithNames() throws Exception {
        int[] p = {100_000}; // above RLIMIT_NOFILE here, so never an open fd
        int fd = openFile("errors.dat");
        try (AsyncRing ring = AsyncRing.open(); Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(BLOCK);
            Throwable c = causeOf(ring.read(p[0], buf, 0));
            ErrnoException e = assertInstanceOf(ErrnoException.class, c);
            assertEquals("EBADF", e.errnoName());
            assertEquals(Uapi.EBADF(), e.errno());
            assertTrue(e.getMessage().startsWith("read (fd " + p[0] + ", 512 bytes at offset 0): EBADF"),
                    e.getMessage());
            // The blocking form throws it directly.
            ErrnoException be = assertThrows(ErrnoException.class, () -> ring.writeBlocking(p[0], buf, 0));
            assertEquals("EBADF", be.errnoName());
            assertTrue(be.getMessage().startsWith("write (fd "), be.getMessage());
            // A directory cannot be read: EISDIR.
            int dfd = Posix.open(dir, Uapi.O_RDONLY() | Uapi.O_DIRECTORY(), 0);
            try {
                ErrnoException se = assertThrows(ErrnoException.class, () -> ring.readBlocking(dfd, buf, 0));
                assertEquals("EISDIR", se.errnoName());
            } finally {
                Posix.closeQuietly(dfd);
            }
            // The generic form reports the completion as it is.
            Completion raw = ring.submitBlocking(sqe -> sqe.prepFsync(p[0], 0));
            assertTrue(raw.isError());
            assertEquals("EBADF", raw.errnoName());
            assertEquals(-Uapi.EBADF(), raw.res());
            assertThrows(ErrnoException.class, () -> raw.resOrThrow("fsync"));
            // Misuse is refused before the kernel.
            assertThrows(IllegalArgumentException.class, () -> ring.read(fd, MemorySegment.ofArray(new byte[8]), 0));
            Arena closed = Arena.ofConfined();
            MemorySegment dead = closed.allocate(8);
            closed.close();
            assertThrows(IllegalStateException.class, () -> ring.write(fd, dead, 0));
            // A preparer that throws fails its future; the ring carries on.
            RuntimeException boom = new IllegalStateException("boom");
            assertSame(boom, causeOf(ring.submit(sqe -> {
                throw boom;
            })));
            assertSame(boom, assertThrows(IllegalStateException.class, () -> ring.submitBlocking(sqe -> {
                throw boom;
            })));
            assertEquals(0, ring.nopBlocking());
            assertEquals(BLOCK, ring.writeBlocking(fd, buf, 0));
        } finally {
            Posix.close(fd);
        }
    }

    @Test
    void cancellingAFutureCancelsTheRequestInTheKernel() throws Exception {
        int[] p = Posix.pipe(0);
        try (AsyncRing ring = AsyncRing.open()) {
            CompletableFuture<Integer> r = ring.read(p[0], Arena.ofAuto().allocate(8), -1);
            assertEquals(0, ring.nop().get(10, TimeUnit.SECONDS)); // r is in the kernel by now
            assertTrue(r.cancel(true));
            assertTrue(r.isCancelled());
            assertThrows(CancellationException.class, r::join);
            // If the cancelled read were still pending it would take these bytes; a new read gets them.
            assertEquals(0, ring.nop().get(10, TimeUnit.SECONDS));
            TestFds.write(p[1], new byte[] {5, 6});
            MemorySegment buf = Arena.ofAuto().allocate(8);
            assertEquals(2, ring.readBlocking(p[0], buf, -1));
            assertEquals(5, buf.get(JAVA_BYTE, 0));
        } finally {
            Posix.closeQuietly(p[0], p[1]);
        }
    }

    @Test
    void interruptingABlockedVirtualThreadCancelsItsRequest() throws Exception {
        int[] p = Posix.pipe(0);
        try (AsyncRing ring = AsyncRing.open()) {
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            AtomicReference<Boolean> flag = new AtomicReference<>();
            Thread vt = Thread.ofVirtual().start(() -> {
                try {
                    ring.readBlocking(p[0], Arena.ofAuto().allocate(8), -1);
                } catch (Throwable t) {
                    thrown.set(t);
                }
                flag.set(Thread.currentThread().isInterrupted());
            });
            while (vt.getState() != Thread.State.WAITING) {
                Thread.sleep(5);
            }
            vt.interrupt();
            vt.join(10_000);
            assertFalse(vt.isAlive());
            InterruptedIOException ie = assertInstanceOf(InterruptedIOException.class, thrown.get());
            assertEquals("ECANCELED", assertInstanceOf(ErrnoException.class, ie.getCause()).errnoName());
            assertTrue(flag.get(), "the interrupt status is kept");
            TestFds.write(p[1], new byte[] {9});
            MemorySegment buf = Arena.ofAuto().allocate(8);
            assertEquals(1, ring.readBlocking(p[0], buf, -1));
            assertEquals(9, buf.get(JAVA_BYTE, 0));
        } finally {
            Posix.closeQuietly(p[0], p[1]);
        }
    }

    @Test
    void interruptingAThreadWhoseRequestWaitsForASlotCancelsItThere() throws Exception {
        int[] busy = Posix.pipe(0);
        int[] p = Posix.pipe(0);
        try (AsyncRing ring = AsyncRing.builder().maxInFlight(1).build()) {
            CompletableFuture<Integer> first = ring.read(busy[0], Arena.ofAuto().allocate(8), -1); // takes the slot
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread vt = Thread.ofVirtual().start(() -> {
                try {
                    ring.readBlocking(p[0], Arena.ofAuto().allocate(8), -1);
                } catch (Throwable t) {
                    thrown.set(t);
                }
            });
            while (vt.getState() != Thread.State.WAITING) {
                Thread.sleep(5);
            }
            vt.interrupt();
            vt.join(10_000);
            assertFalse(vt.isAlive());
            InterruptedIOException ie = assertInstanceOf(InterruptedIOException.class, thrown.get());
            assertTrue(ie.getMessage().contains("cancelled before it was submitted"), ie.getMessage());
            assertFalse(first.isDone());
            TestFds.write(busy[1], new byte[] {1});
            assertEquals(1, first.get(10, TimeUnit.SECONDS));
            TestFds.write(p[1], new byte[] {2});
            assertArrayEquals(new byte[] {2}, TestFds.read(p[0], 8), "the cancelled read never reached the pipe");
        } finally {
            Posix.closeQuietly(busy[0], busy[1], p[0], p[1]);
        }
    }

    @Test
    void linksAndSkippedCompletionsAreRefused() throws Exception {
        try (AsyncRing ring = AsyncRing.open()) {
            assertInstanceOf(IllegalArgumentException.class, causeOf(ring.submit(sqe -> sqe.prepNop().ioLink())));
            assertInstanceOf(IllegalArgumentException.class,
                    causeOf(ring.submit(sqe -> sqe.prepNop().cqeSkipSuccess())));
            assertInstanceOf(IllegalArgumentException.class,
                    causeOf(ring.uringCmd(0, 0, sqe -> sqe.ioHardlink())));
            assertEquals(0, ring.nopBlocking()); // and the ring is fine
        }
    }

    @Test
    void multishotRequestKeepsItsSlotAndBufferUntilItsLastCompletion() throws Exception {
        int[] p = Posix.pipe(0);
        AsyncRing ring = AsyncRing.open();
        try {
            List<WeakReference<MemorySegment>> refs = new ArrayList<>();
            CompletableFuture<Completion> poll = pollCapturing(ring, p[0], refs);
            TestFds.write(p[1], new byte[] {1});
            Completion c = poll.get(10, TimeUnit.SECONDS);
            assertEquals(Uapi.POLLIN(), c.res() & Uapi.POLLIN());
            assertTrue((c.flags() & Uapi.IORING_CQE_F_MORE()) != 0, "multishot poll stays armed");
            TestFds.write(p[1], new byte[] {2}); // more completions of the same request: ignored, slot kept
            assertEquals(0, ring.nopBlocking());
            for (int i = 0; i < 5; i++) {
                System.gc();
                Thread.sleep(20);
            }
            assertNotNull(refs.get(0).get(), "released while the multishot request is still armed");
            ring.close(); // cancels it: its last completion comes, and only then is the memory let go
            ring.terminated().get(10, TimeUnit.SECONDS);
            for (int i = 0; i < 50 && refs.get(0).get() != null; i++) {
                System.gc();
                Thread.sleep(20);
            }
            assertNull(refs.get(0).get());
        } finally {
            ring.close();
            Posix.closeQuietly(p[0], p[1]);
        }
    }

    private static CompletableFuture<Completion> pollCapturing(AsyncRing ring, int fd,
                                                               List<WeakReference<MemorySegment>> refs) {
        MemorySegment attachment = Arena.ofAuto().allocate(64);
        refs.add(new WeakReference<>(attachment));
        return ring.submit(sqe -> {
            attachment.set(JAVA_BYTE, 0, (byte) 1); // captured: lives as long as the preparer
            sqe.prepPollMultishot(fd, Uapi.POLLIN());
        });
    }

    @Test
    void requestsBeyondMaxInFlightWaitTheirTurnAndCanBeCancelledThere() throws Exception {
        int n = 8;
        int[][] pipes = new int[n][];
        try (AsyncRing ring = AsyncRing.builder().maxInFlight(4).build()) {
            List<CompletableFuture<Integer>> reads = new ArrayList<>();
            List<MemorySegment> bufs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                pipes[i] = Posix.pipe(0);
                MemorySegment b = Arena.ofAuto().allocate(8);
                bufs.add(b);
                reads.add(ring.read(pipes[i][0], b, -1));
            }
            // 4 in the kernel, 4 waiting; cancel one that waits, then let the others through in reverse order.
            assertTrue(reads.get(6).cancel(false));
            for (int i = n - 1; i >= 0; i--) {
                TestFds.write(pipes[i][1], new byte[] {(byte) (i + 1)});
            }
            for (int i = 0; i < n; i++) {
                if (i == 6) {
                    assertTrue(reads.get(i).isCancelled());
                    assertArrayEquals(new byte[] {7}, TestFds.read(pipes[6][0], 8)); // never read by the ring
                    continue;
                }
                assertEquals(1, reads.get(i).get(10, TimeUnit.SECONDS));
                assertEquals(i + 1, bufs.get(i).get(JAVA_BYTE, 0));
            }
        } finally {
            for (int[] p : pipes) {
                if (p != null) {
                    Posix.closeQuietly(p[0], p[1]);
                }
            }
        }
    }

    @Test
    void onRingRegistersBuffersForFixedReadsThroughTheGenericForm() throws Exception {
        int fd = openFile("fixed.dat");
        try (AsyncRing ring = AsyncRing.open(); Arena arena = Arena.ofShared()) {
            MemorySegment fixed = arena.allocate(4096, 4096);
            fixed.asSlice(0, BLOCK).copyFrom(MemorySegment.ofArray(pattern(3)));
            assertNull(ring.onRing(r -> {
                r.registerBuffers(fixed);
                return null;
            }).get(10, TimeUnit.SECONDS));
            Completion w = ring.submitBlocking(sqe -> sqe.prepWriteFixed(fd, fixed.asSlice(0, BLOCK), 0, 0));
            assertEquals(BLOCK, w.resOrThrow("write_fixed"));
            fixed.fill((byte) 0);
            Completion r = ring.submitBlocking(sqe -> sqe.prepReadFixed(fd, fixed.asSlice(0, BLOCK), 0, 0));
            assertEquals(BLOCK, r.res());
            assertArrayEquals(pattern(3), fixed.asSlice(0, BLOCK).toArray(JAVA_BYTE));
            // The task runs on the completion thread, and its exception fails its future.
            assertSame(ring.completionThread(), ring.onRing(x -> Thread.currentThread()).get());
            Throwable c = causeOf(ring.onRing(x -> {
                x.registerBuffers(fixed); // already registered: EBUSY
                return null;
            }));
            assertEquals("EBUSY", assertInstanceOf(ErrnoException.class, c).errnoName());
        } finally {
            Posix.close(fd);
        }
    }

    @Test
    void callbacksRunOnTheCompletionThreadWhereBlockingIsRefusedAndCloseDoesNotWait() throws Exception {
        AsyncRing ring = AsyncRing.open();
        int[] p = Posix.pipe(0);
        try {
            // A read that cannot complete before the callback is attached: the callback runs where it completes.
            CompletableFuture<Thread> where = new CompletableFuture<>();
            CompletableFuture<Throwable> inCallback = ring.read(p[0], Arena.ofAuto().allocate(8), -1).handle((v, t) -> {
                where.complete(Thread.currentThread());
                try {
                    ring.nopBlocking();
                    return null;
                } catch (Throwable e) {
                    return e;
                }
            });
            TestFds.write(p[1], new byte[] {1});
            assertSame(ring.completionThread(), where.get(10, TimeUnit.SECONDS));
            assertInstanceOf(IllegalStateException.class, inCallback.get(10, TimeUnit.SECONDS));
            // Submitting from a callback is fine (it only queues).
            CompletableFuture<Integer> chained = ring.nop().thenCompose(v -> ring.nop()).thenCompose(v -> ring.nop());
            assertEquals(0, chained.get(10, TimeUnit.SECONDS));
            // close() from a callback starts the close and returns.
            ring.nop().thenRun(ring::close).get(10, TimeUnit.SECONDS);
            ring.terminated().get(10, TimeUnit.SECONDS);
            assertTrue(ring.isClosed());
        } finally {
            ring.close();
            Posix.closeQuietly(p[0], p[1]);
        }
    }

    @Test
    void sqe128AndCqe32RingPassesTheWholeCommandAreaAndBigCqe() throws Exception {
        try (AsyncRing ring = AsyncRing.builder().sqe128().cqe32().build()) {
            assertEquals(128, ring.sqeSize());
            assertEquals(32, ring.cqeSize());
            // A NOP on a CQE32 ring carries zero big-CQE words; the record reports them.
            Completion c = ring.submitBlocking(Sqe::prepNop);
            assertEquals(new Completion(0, 0, 0, 0), c);
            // uring_cmd on a file that has no uring_cmd handler: the kernel says EOPNOTSUPP, after the preparer saw
            // the 80-byte area.
            int[] p = Posix.pipe(0);
            try {
                AtomicReference<Long> area = new AtomicReference<>();
                Throwable t = causeOf(ring.uringCmd(1, p[0], sqe -> {
                    area.set(sqe.cmd().byteSize());
                    sqe.cmd().set(JAVA_INT, 76, 0x1234);
                }));
                assertEquals(80L, area.get());
                ErrnoException e = assertInstanceOf(ErrnoException.class, t);
                assertEquals("EOPNOTSUPP", e.errnoName());
                assertTrue(e.getMessage().startsWith("uring_cmd (cmd_op 0x1, fd " + p[0] + ")"), e.getMessage());
            } finally {
                Posix.closeQuietly(p[0], p[1]);
            }
            assertThrows(IllegalArgumentException.class, () -> ring.uringCmd(1L << 32, 0, null));
        }
    }

    @Test
    void awaitWaitsForAnyFutureAndUnwraps() throws Exception {
        try (AsyncRing ring = AsyncRing.open()) {
            assertEquals(0, ring.await(ring.nop()));
            CompletableFuture<String> other = CompletableFuture.supplyAsync(() -> "x");
            assertEquals("x", ring.await(other));
            CompletableFuture<String> failed = CompletableFuture.failedFuture(new IOException("io"));
            assertEquals("io", assertThrows(IOException.class, () -> ring.await(failed)).getMessage());
            assertTrue(ring.toString().startsWith("AsyncRing[jring-async-"), ring.toString());
        }
    }
}
