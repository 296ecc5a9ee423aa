package io.github.jring.nvme;

import io.github.jring.core.internal.Syscalls;
import io.github.jring.bindings.Uapi;
import io.github.jring.core.Cqe;
import io.github.jring.core.IoUring;
import io.github.jring.core.Sqe;
import io.github.jring.nvme.command.NvmeCommand;
import io.github.jring.nvme.command.Read;
import io.github.jring.nvme.command.Write;
import io.github.jring.nvme.status.PassthroughOutcome;
import io.github.jring.vm.GuestTools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The kernel's own io_uring regression topics, in the spirit of liburing's {@code test/} suite, replayed with NVMe
 * passthrough ({@code IORING_OP_URING_CMD} on {@code /dev/ng0n1}) against the VM's emulated controller. Every test
 * checks the data, not just the completion codes: what was written is read back (through jring and, where simple,
 * through {@code nvme read}) and compared. What each one pins:
 * <ul>
 *   <li>{@link #cqOverflowKeepsEveryPassthroughCompletion}: more passthrough commands in flight than the CQ has
 *       entries, with nothing reaped meanwhile. Since 5.5 ({@code IORING_FEAT_NODROP}, "io_uring: add support for
 *       backlogged CQ ring") the kernel parks completions that do not fit in an overflow list and raises
 *       {@code IORING_SQ_CQ_OVERFLOW}; since 5.19 (the SQE128/CQE32 series, "io_uring: overflow processing for
 *       CQE32") an overflow entry of a CQE32 ring holds the whole 32-byte CQE. jring's reaping flushes that list, so
 *       every command completes exactly once, none is dropped ({@code cq.overflow} stays 0), and the data is
 *       right.</li>
 *   <li>{@link #sqFullRefusesWithoutOverwriting}: preparing into a full SQ returns {@code false} ({@code getSqe()}
 *       {@code null}) and overwrites nothing; a submit frees the SQ slots (the kernel's SQ head moves when it consumes
 *       the entries, which for passthrough is at issue, long before the completion), and the queue then takes commands
 *       up to its CQ size and no more, so the CQ of an {@code NvmeQueue} can never overflow.</li>
 *   <li>{@link #submitterThatExitsWithCommandsInFlight}: a request belongs to the task that submitted it (io_uring's
 *       {@code tctx}); when that thread exits, {@code io_uring_files_cancel()} in {@code do_exit()} cancels what it
 *       can, and task work queued to a dead task goes to the ring's fallback work. A passthrough command is not
 *       cancellable on 6.1 ({@code IORING_URING_CMD_CANCELABLE} came in 6.7) and its completion callback
 *       ({@code nvme_uring_task_cb}) posts the device's status even from the fallback, so on 6.1 every command
 *       completes with its real result; later kernels may report {@code -ECANCELED} for some. The test allows both,
 *       and requires every command to complete exactly once and the medium to hold every write that reported success
 *       (and, for a cancelled one, either the old or the new data, never anything else). Under the VM's TCG
 *       emulation the controller finishes most writes before {@code submit} returns, so only some are still in
 *       flight at the exit (the test prints how many). Not covered: the same on an IOPOLL ring. There, on 6.1, the
 *       commands of an exited submitter were never reaped by another thread's {@code io_uring_enter(GETEVENTS)}: the
 *       wait hung, and so did the teardown (seen in the VM; left out until it is understood).</li>
 *   <li>{@link #closeWithCommandsInFlightWaitsForThem}: {@code NvmeQueue.close()} (that is, {@code IoUring.close()})
 *       with writes and then reads in flight returns only once the kernel is done with all of them: after it returns
 *       every write is on the medium and every read buffer holds its data, so freeing the buffers then is safe; a new
 *       ring afterwards works.</li>
 *   <li>{@link #sqeSlotsAreReusedOnlyAfterTheKernelConsumedThem}: many rounds at a queue depth equal to the ring size,
 *       one command object reused (re-aimed) for every SQE. On 6.1 a {@code URING_CMD} reads its 80-byte command
 *       from the SQE in the ring when it is issued (inside the submitting {@code io_uring_enter}), and copies it only
 *       when it has to be retried asynchronously; the slot is free again once the kernel's SQ head has passed it.
 *       (Later kernels fixed reuse bugs here for commands deferred by links or drains, and since 6.14 copy the SQE at
 *       prep time, "io_uring/uring_cmd: unconditionally copy SQEs at prep time": a reused SQE must never
 *       change a command already taken), so every completion matches its own command's data.</li>
 *   <li>{@link #spawningAChildWithCommandsInFlight}: Java cannot {@code fork()}, but {@code ProcessBuilder} spawns a
 *       child (posix_spawn/vfork) while commands are in flight; the queue carries on and every command completes with
 *       the right data. The ring fd and the queue's device fds are {@code O_CLOEXEC} (io_uring_setup always creates
 *       its fd close-on-exec; jring opens and dups with {@code O_CLOEXEC}/{@code F_DUPFD_CLOEXEC}), checked in
 *       {@code /proc/self/fdinfo}; the child's {@code /proc/self/fd} shows no io_uring and no NVMe device. (The JDK's
 *       spawn helper closes inherited fds itself, so the fdinfo flags are the real evidence.)</li>
 * </ul>
 */
@SuppressWarnings("restricted") // one downcall, gettid(2), to see the submitter thread's exit in /proc
@Timeout(value = 180, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PassthroughRegressionIT {

    /** Far from the LBAs other ITs use: 512 MiB into the namespace. */
    private static final long BASE = 1L << 20;
    /** LBAs per test region. */
    private static final long REGION_LBAS = 1L << 16;
    private static final int CHUNK = 4096;
    /** Chunks written at setup into region 0, read by several tests. */
    private static final int SEEDED = 64;

    private static final MethodHandle GETTID = Syscalls.link("gettid", FunctionDescriptor.of(ValueLayout.JAVA_INT));

    private static NvmeNamespace ns;
    private static int lba;
    private static int blocksPerChunk;
    private static Arena arena;

    @BeforeAll
    static void prepare() throws IOException {
        GuestTools.requireVm();
        ns = NvmeNamespace.open(GuestTools.NS1_CHAR);
        lba = ns.lbaSize();
        blocksPerChunk = CHUNK / lba;
        arena = Arena.ofShared();
        MemorySegment all = arena.allocate((long) SEEDED * CHUNK, 4096);
        for (int i = 0; i < SEEDED; i++) {
            Patterns.fill(chunk(all, i), seed(0, i));
        }
        ns.write(lbaOf(0, 0), all);
    }

    @AfterAll
    static void close() {
        if (ns != null) {
            ns.close();
        }
        if (arena != null) {
            arena.close();
        }
    }

    private static long lbaOf(int region, int chunk) {
        return BASE + region * REGION_LBAS + (long) chunk * blocksPerChunk;
    }

    private static long seed(int region, int chunk) {
        return region * 1_000_000L + chunk;
    }

    private static MemorySegment chunk(MemorySegment all, int i) {
        return all.asSlice((long) i * CHUNK, CHUNK);
    }

    private static void assertChunk(MemorySegment got, long seed, String what) {
        Patterns.assertSame(Patterns.bytes(CHUNK, seed), got.toArray(ValueLayout.JAVA_BYTE), what);
    }

    private static Read readOf(int region, int chunk, MemorySegment bufs, int slot) {
        return new Read(ns.nsid(), lbaOf(region, chunk), blocksPerChunk).data(bufs, (long) slot * CHUNK, CHUNK);
    }

    private static Write writeOf(int region, int chunk, MemorySegment bufs, int slot) {
        return new Write(ns.nsid(), lbaOf(region, chunk), blocksPerChunk).data(bufs, (long) slot * CHUNK, CHUNK);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 1. CQ overflow
    // ---------------------------------------------------------------------------------------------------------------

    @Test
    void cqOverflowKeepsEveryPassthroughCompletion() throws Exception {
        int sq = 8;
        int total = 32;
        try (IoUring ring = IoUring.builder().sqe128().cqe32().cqSize(sq).build(sq);
             Arena a = Arena.ofShared()) {
            assertTrue(ring.hasFeature(Uapi.IORING_FEAT_NODROP()), "IORING_FEAT_NODROP");
            assertEquals(sq, ring.cqEntries(), "CQ as small as the SQ");
            MemorySegment wbufs = a.allocate((long) total * CHUNK, 4096);
            MemorySegment rbufs = a.allocate((long) total * CHUNK, 4096);
            for (int i = 0; i < total; i++) {
                Patterns.fill(chunk(wbufs, i), seed(1, i));
            }
            // Writes: four rounds of a full SQ, nothing reaped, so 24 of the 32 completions cannot fit in the CQ.
            boolean overflowed = submitUnreaped(ring, total, sq, i -> writeOf(1, i, wbufs, i));
            assertTrue(overflowed, "IORING_SQ_CQ_OVERFLOW was raised");
            reapExactlyOnce(ring, total, "write");
            assertEquals(0, ring.cqOverflow(), "completions dropped (cq.overflow)");
            // The medium holds every write: nvme-cli as the judge for the first and the last, jring for all.
            assertChunk(MemorySegment.ofArray(GuestTools.nvmeRead(GuestTools.NS1_CHAR, lbaOf(1, 0), blocksPerChunk)),
                    seed(1, 0), "nvme read of chunk 0");
            assertChunk(MemorySegment.ofArray(GuestTools.nvmeRead(GuestTools.NS1_CHAR, lbaOf(1, total - 1),
                    blocksPerChunk)), seed(1, total - 1), "nvme read of chunk " + (total - 1));
            // Reads, overflowing the same way: every buffer gets its own chunk.
            rbufs.fill((byte) 0);
            assertTrue(submitUnreaped(ring, total, sq, i -> readOf(1, i, rbufs, i)), "overflow again");
            reapExactlyOnce(ring, total, "read");
            assertEquals(0, ring.cqOverflow(), "completions dropped (cq.overflow)");
            for (int i = 0; i < total; i++) {
                assertChunk(chunk(rbufs, i), seed(1, i), "read " + i + " after overflow");
            }
        }
    }

    /** Submits {@code total} commands in rounds of {@code sq}, reaping nothing; returns whether the CQ overflowed. */
    private static boolean submitUnreaped(IoUring ring, int total, int sq,
                                          java.util.function.IntFunction<NvmeCommand<?>> command) throws Exception {
        int fd = ns.fd();
        for (int round = 0; round < total / sq; round++) {
            for (int k = 0; k < sq; k++) {
                int i = round * sq + k;
                Sqe sqe = ring.getSqe();
                assertNotNull(sqe, "SQE " + i);
                NvmeQueue.prepare(sqe, fd, false, command.apply(i), lba);
                sqe.userData(i);
            }
            assertEquals(sq, ring.submit(), "round " + round);
            if (round == 0) {
                // Let the first round fill the CQ, so that the later ones must overflow.
                for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); ring.cqReady() < sq; ) {
                    assertTrue(System.nanoTime() < end, "first round complete: " + ring.cqReady());
                    Thread.sleep(1);
                }
            }
        }
        int flag = Uapi.IORING_SQ_CQ_OVERFLOW();
        for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); (ring.sqFlags() & flag) == 0; ) {
            if (System.nanoTime() > end) {
                return false;
            }
            Thread.sleep(1);
        }
        assertEquals(sq, ring.cqReady(), "the CQ is full");
        return true;
    }

    private static void reapExactlyOnce(IoUring ring, int total, String what) throws Exception {
        int[] seen = new int[total];
        int[] res = new int[total];
        AtomicReference<String> odd = new AtomicReference<>();
        int reaped = 0;
        for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); reaped < total; ) {
            assertTrue(System.nanoTime() < end, what + ": only " + reaped + " of " + total + " completions");
            int n = ring.forEachCqe((Cqe c) -> {
                long ud = c.userData();
                if (ud < 0 || ud >= total) {
                    odd.set("unexpected user_data " + ud);
                    return;
                }
                seen[(int) ud]++;
                res[(int) ud] = c.res();
            });
            reaped += n;
            if (n == 0) {
                ring.waitCqe(1, TimeUnit.SECONDS);
            }
        }
        assertNull(odd.get());
        assertEquals(total, reaped);
        assertNull(ring.peekCqe(), "nothing more");
        for (int i = 0; i < total; i++) {
            assertEquals(1, seen[i], what + " " + i + ": completions");
            assertEquals(0, res[i], what + " " + i + ": " + PassthroughOutcome.describe(res[i]));
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 2. SQ full
    // ---------------------------------------------------------------------------------------------------------------

    @Test
    void sqFullRefusesWithoutOverwriting() throws Exception {
        try (NvmeQueue q = NvmeQueue.open(ns, 8); Arena a = Arena.ofShared()) {
            int sq = q.ring().sqEntries();
            int cq = q.ring().cqEntries();
            assertEquals(8, sq);
            assertEquals(16, cq);
            MemorySegment bufs = a.allocate((long) (cq + 1) * CHUNK, 4096);
            bufs.fill((byte) 0);
            int n = 0;
            while (q.prep(readOf(0, n, bufs, n), n)) {
                n++;
                assertTrue(n <= sq, "prep accepted more than the SQ holds");
            }
            assertEquals(sq, n, "prep refuses once the SQ is full");
            assertEquals(0, q.ring().sqSpaceLeft());
            assertNull(q.ring().getSqe(), "getSqe on a full SQ");
            assertEquals(sq, q.inFlight());
            assertEquals(sq, q.submit(), "the submit takes every prepared command");
            assertEquals(sq, q.ring().sqSpaceLeft(), "the kernel consumed the SQ entries");
            while (q.prep(readOf(0, n, bufs, n), n)) {
                n++;
                assertTrue(n <= cq, "prep accepted more than the CQ holds");
            }
            assertEquals(cq, n, "the queue keeps no more in flight than the CQ holds");
            q.submit();
            int[] seen = new int[cq];
            int[] res = new int[cq];
            int reaped = q.waitAndReap(cq, (ud, r, result) -> {
                seen[(int) ud]++;
                res[(int) ud] = r;
            });
            assertEquals(cq, reaped);
            assertEquals(0, q.inFlight());
            for (int i = 0; i < cq; i++) {
                assertEquals(1, seen[i], "completions of " + i);
                assertEquals(0, res[i], PassthroughOutcome.describe(res[i]));
                assertChunk(chunk(bufs, i), seed(0, i), "read " + i);
            }
            Patterns.assertFilled(chunk(bufs, cq), (byte) 0, "the refused command's buffer");
            // And the queue goes on.
            assertTrue(q.prep(readOf(0, cq, bufs, cq), 99));
            q.submit();
            q.waitAndReap(1, (ud, r, result) -> assertEquals(0, r, PassthroughOutcome.describe(r)));
            assertChunk(chunk(bufs, cq), seed(0, cq), "read after the refusals");
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 3. Submitter exits
    // ---------------------------------------------------------------------------------------------------------------

    @Test
    void submitterThatExitsWithCommandsInFlight() throws Exception {
        submitterExits(3);
    }

    private static void submitterExits(int region) throws Exception {
        int count = 16;
        int size = 256 * 1024;                      // large writes, so that some are still in flight at the exit
        int blocks = size / lba;
        try (NvmeQueue q = NvmeQueue.builder(ns).entries(32).build(); Arena a = Arena.ofShared()) {
            MemorySegment wbufs = a.allocate((long) count * size, 4096);
            for (int i = 0; i < count; i++) {
                Patterns.fill(wbufs.asSlice((long) i * size, size), seed(region, i));
            }
            AtomicReference<Throwable> failed = new AtomicReference<>();
            int[] tid = new int[1];
            int[] doneAtSubmit = new int[1];
            Thread submitter = Thread.ofPlatform().start(() -> {
                try {
                    tid[0] = (int) GETTID.invokeExact();
                    for (int i = 0; i < count; i++) {
                        assertTrue(q.prep(new Write(ns.nsid(), lbaOf(region, 0) + (long) i * blocks, blocks)
                                .data(wbufs, (long) i * size, size), i));
                    }
                    assertEquals(count, q.submit());
                    doneAtSubmit[0] = q.ring().cqReady(); // the thread exits right after this
                } catch (Throwable t) {
                    failed.set(t);
                }
            });
            long t0 = System.nanoTime();
            submitter.join();
            if (failed.get() != null) {
                throw new AssertionError("submitting failed", failed.get());
            }
            Path task = Path.of("/proc/self/task/" + tid[0]);
            for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); Files.exists(task); ) {
                assertTrue(System.nanoTime() < end, task + " still exists");
                Thread.sleep(1);
            }
            long exitMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            int cqReadyAtExit = q.ring().cqReady();
            int[] seen = new int[count];
            int[] res = new int[count];
            assertEquals(count, q.waitAndReap(count, (ud, r, result) -> {
                seen[(int) ud]++;
                res[(int) ud] = r;
            }));
            assertEquals(0, q.inFlight());
            int ok = 0;
            int cancelled = 0;
            MemorySegment back = a.allocate(size, 4096);
            for (int i = 0; i < count; i++) {
                assertEquals(1, seen[i], "completions of write " + i);
                ns.read(lbaOf(region, 0) + (long) i * blocks, back);
                MemorySegment wrote = wbufs.asSlice((long) i * size, size);
                if (res[i] == 0) {
                    ok++;
                    Patterns.assertSame(wrote, back, "write " + i + " completed, so the medium holds it");
                } else if (res[i] == -Uapi.ECANCELED()) {
                    cancelled++;
                    boolean isNew = back.mismatch(wrote) < 0;
                    boolean isOld = true;
                    for (long b = 0; b < size && isOld; b++) {
                        isOld = back.get(ValueLayout.JAVA_BYTE, b) == 0;
                    }
                    assertTrue(isNew || isOld, "cancelled write " + i + ": the medium holds old or new data");
                } else {
                    fail("write " + i + " after its submitter exited: " + PassthroughOutcome.describe(res[i]));
                }
            }
            System.out.println("PassthroughRegressionIT: submitter exit with " + count
                    + " writes in flight on "
                    + System.getProperty("os.version") + ": " + ok + " completed, " + cancelled
                    + " ECANCELED; " + doneAtSubmit[0] + " had completed when submit returned, " + cqReadyAtExit
                    + " when the thread was gone (" + exitMillis + " ms)");
            // The queue is still usable from this thread.
            MemorySegment one = a.allocate(CHUNK, 4096);
            q.execute(readOf(0, 1, one, 0));
            assertChunk(one, seed(0, 1), "read after the submitter exited");
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 4. Close with commands in flight
    // ---------------------------------------------------------------------------------------------------------------

    @Test
    void closeWithCommandsInFlightWaitsForThem() throws Exception {
        int count = 16;
        int size = 128 * 1024;
        int blocks = size / lba;
        try (Arena a = Arena.ofShared()) {
            MemorySegment wbufs = a.allocate((long) count * size, 4096);
            MemorySegment rbufs = a.allocate((long) count * size, 4096);
            for (int i = 0; i < count; i++) {
                Patterns.fill(wbufs.asSlice((long) i * size, size), seed(4, i));
            }
            NvmeQueue q = NvmeQueue.open(ns, 32);
            for (int i = 0; i < count; i++) {
                assertTrue(q.prep(new Write(ns.nsid(), lbaOf(4, 0) + (long) i * blocks, blocks)
                        .data(wbufs, (long) i * size, size), i));
            }
            assertEquals(count, q.submit());
            q.close();                               // nothing reaped: close must wait for all 16
            assertTrue(q.ring().isClosed());
            MemorySegment back = a.allocate(size, 4096);
            for (int i = 0; i < count; i++) {
                ns.read(lbaOf(4, 0) + (long) i * blocks, back);
                Patterns.assertSame(wbufs.asSlice((long) i * size, size), back, "write " + i + " before close");
            }
            // Reads in flight at close: once close returns, the device has filled every buffer.
            rbufs.fill((byte) 0);
            NvmeQueue q2 = NvmeQueue.open(ns, 32);
            for (int i = 0; i < count; i++) {
                assertTrue(q2.prep(new Read(ns.nsid(), lbaOf(4, 0) + (long) i * blocks, blocks)
                        .data(rbufs, (long) i * size, size), i));
            }
            assertEquals(count, q2.submit());
            q2.close();
            for (int i = 0; i < count; i++) {
                Patterns.assertSame(wbufs.asSlice((long) i * size, size), rbufs.asSlice((long) i * size, size),
                        "read " + i + " in flight at close");
            }
            // A new ring afterwards works.
            try (NvmeQueue q3 = NvmeQueue.open(ns, 32)) {
                q3.execute(new Read(ns.nsid(), lbaOf(4, 0), blocks).data(back));
                Patterns.assertSame(wbufs.asSlice(0, size), back, "read on a new queue");
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 5. SQE slot reuse
    // ---------------------------------------------------------------------------------------------------------------

    @Test
    void sqeSlotsAreReusedOnlyAfterTheKernelConsumedThem() throws Exception {
        int rounds = 40;
        try (NvmeQueue q = NvmeQueue.open(ns, 8); Arena a = Arena.ofShared()) {
            int depth = q.ring().sqEntries();
            MemorySegment wbufs = a.allocate((long) depth * CHUNK, 4096);
            MemorySegment rbufs = a.allocate((long) depth * CHUNK, 4096);
            Write w = new Write(ns.nsid(), lbaOf(5, 0), blocksPerChunk);   // one object, re-aimed for every SQE
            Read r = new Read(ns.nsid(), lbaOf(5, 0), blocksPerChunk);
            int[] seen = new int[depth];
            int[] res = new int[depth];
            NvmeCompletionHandler h = (ud, rr, result) -> {
                seen[(int) ud]++;
                res[(int) ud] = rr;
            };
            for (int round = 0; round < rounds; round++) {
                // Each round writes the slots' chunks with new data, at QD = SQ size, then reads them back.
                for (int k = 0; k < depth; k++) {
                    Patterns.fill(chunk(wbufs, k), seed(5, round * depth + k));
                    // Chunk (k + round) % depth: the same SQE slot gets a different LBA every round.
                    int c = (k + round) % depth;
                    assertTrue(q.prep(w.slba(lbaOf(5, c)).data(wbufs, (long) k * CHUNK, CHUNK), k),
                            "round " + round + " write " + k);
                }
                assertFalse(q.prep(w, 99), "SQ full at QD " + depth);
                q.submit();
                java.util.Arrays.fill(seen, 0);
                assertEquals(depth, q.waitAndReap(depth, h));
                for (int k = 0; k < depth; k++) {
                    assertEquals(1, seen[k], "round " + round + " write " + k);
                    assertEquals(0, res[k], PassthroughOutcome.describe(res[k]));
                }
                rbufs.fill((byte) 0);
                for (int k = 0; k < depth; k++) {
                    int c = (k + round) % depth;
                    assertTrue(q.prep(r.slba(lbaOf(5, c)).data(rbufs, (long) k * CHUNK, CHUNK), k));
                }
                q.submit();
                java.util.Arrays.fill(seen, 0);
                assertEquals(depth, q.waitAndReap(depth, h));
                for (int k = 0; k < depth; k++) {
                    assertEquals(1, seen[k], "round " + round + " read " + k);
                    assertEquals(0, res[k], PassthroughOutcome.describe(res[k]));
                    assertChunk(chunk(rbufs, k), seed(5, round * depth + k), "round " + round + " read " + k);
                }
            }
        }
        // The last round as nvme-cli sees it.
        int last = rounds - 1;
        for (int k = 0; k < 2; k++) {
            int c = (k + last) % 8;
            assertChunk(MemorySegment.ofArray(GuestTools.nvmeRead(GuestTools.NS1_CHAR, lbaOf(5, c), blocksPerChunk)),
                    seed(5, last * 8 + k), "nvme read of chunk " + c);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 6. A child process with commands in flight
    // ---------------------------------------------------------------------------------------------------------------

    @Test
    void spawningAChildWithCommandsInFlight() throws Exception {
        int count = 16;
        try (NvmeQueue q = NvmeQueue.open(ns, 16); Arena a = Arena.ofShared()) {
            assertCloseOnExec(q.ring().fd(), "the ring fd");
            assertCloseOnExec(ns.fd(), "the namespace fd");
            for (String fd : fdsLinkingTo(GuestTools.NS1_CHAR.toString())) {
                assertCloseOnExec(Integer.parseInt(fd), "fd " + fd + " on " + GuestTools.NS1_CHAR);
            }
            MemorySegment bufs = a.allocate((long) count * CHUNK, 4096);
            for (int pass = 0; pass < 2; pass++) {
                bufs.fill((byte) 0);
                for (int i = 0; i < count; i++) {
                    assertTrue(q.prep(readOf(0, pass * count + i, bufs, i), i));
                }
                assertEquals(count, q.submit());
                if (pass == 0) {
                    Process p = new ProcessBuilder("ls", "-l", "/proc/self/fd").redirectErrorStream(true).start();
                    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
                    assertEquals(0, p.exitValue(), out);
                    assertFalse(out.contains("io_uring"), "the child inherited an io_uring fd:\n" + out);
                    assertFalse(out.contains("ng0n1"), "the child inherited the NVMe device:\n" + out);
                }
                int[] seen = new int[count];
                int[] res = new int[count];
                assertEquals(count, q.waitAndReap(count, (ud, r, result) -> {
                    seen[(int) ud]++;
                    res[(int) ud] = r;
                }));
                for (int i = 0; i < count; i++) {
                    assertEquals(1, seen[i], "pass " + pass + " read " + i);
                    assertEquals(0, res[i], PassthroughOutcome.describe(res[i]));
                    assertChunk(chunk(bufs, i), seed(0, pass * count + i), "pass " + pass + " read " + i);
                }
            }
        }
    }

    private static void assertCloseOnExec(int fd, String what) throws IOException {
        String info = Files.readString(Path.of("/proc/self/fdinfo/" + fd));
        String flags = info.lines().filter(l -> l.startsWith("flags:")).findFirst().orElseThrow()
                .substring("flags:".length()).trim();
        assertTrue((Integer.parseInt(flags, 8) & Uapi.O_CLOEXEC()) != 0, what + " (" + fd + ") flags " + flags
                + " lack O_CLOEXEC");
    }

    private static java.util.List<String> fdsLinkingTo(String target) throws IOException {
        java.util.List<String> fds = new java.util.ArrayList<>();
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            for (Path p : (Iterable<Path>) s::iterator) {
                try {
                    if (Files.readSymbolicLink(p).toString().equals(target)) {
                        fds.add(p.getFileName().toString());
                    }
                } catch (IOException e) {
                    // the fd of the listing itself is gone
                }
            }
        }
        assertTrue(fds.size() >= 2, "the namespace's fd and the queue's own dup: " + fds);
        return fds;
    }
}
