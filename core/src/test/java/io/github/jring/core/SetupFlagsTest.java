package io.github.jring.core;

import io.github.jring.bindings.Uapi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every setup flag reaches the kernel: read back from {@code io_uring_params.flags} and, where the kernel shows it,
 * observed in behaviour (ring sizes, rejected combinations, SQ thread affinity, deferred task work ...).
 */
class SetupFlagsTest {

    @TempDir
    Path dir;

    private static boolean has(IoUring ring, int flag) {
        return (ring.flags() & flag) == flag;
    }

    @Test
    void sqe128AndCqe32ChangeEntrySizesAndAreDecidedByFlags() throws Exception {
        try (IoUring big = IoUring.builder().sqe128().cqe32().build(8);
             IoUring sqeOnly = IoUring.builder().sqe128().build(8);
             IoUring cqeOnly = IoUring.builder().cqe32().build(8)) {
            // Bits 10 and 11: an int, not a byte, carries them.
            assertTrue(has(big, Uapi.IORING_SETUP_SQE128()) && has(big, Uapi.IORING_SETUP_CQE32()));
            assertEquals(128, big.sqeSize());
            assertEquals(32, big.cqeSize());
            assertEquals(128, sqeOnly.sqeSize());
            assertEquals(16, sqeOnly.cqeSize());
            assertEquals(64, cqeOnly.sqeSize());
            assertEquals(32, cqeOnly.cqeSize());
            // IORING_FEAT_RSRC_TAGS is bit 10 of features: it must not make the SQE 128 bytes.
            try (IoUring plain = IoUring.open(8)) {
                assertTrue(plain.hasFeature(Uapi.IORING_FEAT_RSRC_TAGS()));
                assertEquals(64, plain.sqeSize());
                assertEquals(16, plain.cqeSize());
            }
            // Behaviour: with 32-byte CQEs the kernel writes the second completion 32 bytes after the first; with
            // 128-byte SQEs it reads the second entry 128 bytes after the first. Both round trips must match.
            for (IoUring ring : new IoUring[] {big, sqeOnly, cqeOnly}) {
                for (int i = 0; i < 6; i++) {
                    ring.getSqe().prepNop().userData(1000 + i);
                }
                assertEquals(6, ring.submitAndWait(6));
                Set<Long> seen = new HashSet<>();
                ring.forEachCqe(c -> {
                    assertEquals(0, c.res());
                    seen.add(c.userData());
                    if (c.isBig()) {
                        assertEquals(0L, c.bigCqe0());
                        assertEquals(0L, c.bigCqe1());
                    }
                });
                assertEquals(Set.of(1000L, 1001L, 1002L, 1003L, 1004L, 1005L), seen);
            }
            assertEquals(80, big.getSqe().cmdCapacity());
            assertEquals(16, cqeOnly.getSqe().cmdCapacity());
        }
    }

    @Test
    void cqSizeSetsTheCompletionQueueSize() throws Exception {
        try (IoUring ring = IoUring.builder().cqSize(100).build(8)) {
            assertTrue(has(ring, Uapi.IORING_SETUP_CQSIZE()));
            assertEquals(128, ring.cqEntries(), "rounded up to a power of two");
            assertEquals(8, ring.sqEntries());
        }
        ErrnoException e = assertThrows(ErrnoException.class, () -> IoUring.builder().cqSize(4).build(8));
        assertEquals("EINVAL", e.errnoName(), "a CQ smaller than the SQ is refused: " + e.getMessage());
        assertTrue(e.getMessage().contains("CQSIZE"), e.getMessage());
    }

    @Test
    void clampClampsOversizedRingsInsteadOfFailing() throws Exception {
        ErrnoException e = assertThrows(ErrnoException.class, () -> IoUring.open(1 << 20));
        assertEquals(Uapi.EINVAL(), e.errno());
        try (IoUring ring = IoUring.builder().clamp().build(1 << 20)) {
            assertTrue(has(ring, Uapi.IORING_SETUP_CLAMP()));
            assertEquals(32768, ring.sqEntries());
            assertEquals(65536, ring.cqEntries());
            ring.getSqe().prepNop().userData(5);
            ring.submitAndWait(1);
            assertEquals(5, ring.waitCqe().userData());
        }
    }

    @Test
    void sqPollWithIdleTimeAndCpuAffinity() throws Exception {
        Set<String> before = sqPollThreads();
        try (IoUring ring = IoUring.builder().sqPoll(1234).sqThreadCpu(1).build(8)) {
            assertTrue(has(ring, Uapi.IORING_SETUP_SQPOLL()));
            assertTrue(has(ring, Uapi.IORING_SETUP_SQ_AFF()));
            assertEquals(1234, ring.sqThreadIdle());
            assertEquals(1, ring.sqThreadCpu());
            Set<String> after = sqPollThreads();
            after.removeAll(before);
            for (int i = 0; i < 200 && after.isEmpty(); i++) { // the kernel thread shows up in /proc shortly after
                Thread.sleep(10);
                after = sqPollThreads();
                after.removeAll(before);
            }
            assertEquals(1, after.size(), "one new iou-sqp kernel thread in this process: " + after);
            String tid = after.iterator().next();
            String status = Files.readString(Path.of("/proc/self/task", tid, "status"));
            String cpus = status.lines().filter(l -> l.startsWith("Cpus_allowed_list:")).findFirst().orElseThrow();
            assertEquals("1", cpus.substring(cpus.indexOf(':') + 1).trim(), "the SQ thread is pinned to CPU 1");
        }
    }

    /** Thread ids of this process's SQPOLL threads ({@code comm} "iou-sqp-PID"). */
    static Set<String> sqPollThreads() throws IOException {
        Set<String> out = new HashSet<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    if (Files.readString(t.resolve("comm")).startsWith("iou-sqp")) {
                        out.add(t.getFileName().toString());
                    }
                } catch (IOException gone) {
                    // the thread exited meanwhile
                }
            }
        }
        return out;
    }

    @Test
    void ioPollRefusesBufferedReads() throws Exception {
        Path file = dir.resolve("f");
        Files.write(file, new byte[4096]);
        int fd = Posix.open(file, Uapi.O_RDONLY(), 0);
        try (IoUring ring = IoUring.builder().ioPoll().build(4); Arena arena = Arena.ofConfined()) {
            assertTrue(has(ring, Uapi.IORING_SETUP_IOPOLL()));
            ring.getSqe().prepRead(fd, arena.allocate(4096, 4096), 0).userData(1);
            ring.submit();
            Cqe c = ring.waitCqe();
            assertEquals(-Uapi.EOPNOTSUPP(), c.res(), "IOPOLL needs O_DIRECT with a pollable device: " + c);
            ring.cqeSeen(c);
        } finally {
            Posix.close(fd);
        }
        try (IoUring plain = IoUring.open(4); Arena arena = Arena.ofConfined()) {
            int fd2 = Posix.open(file, Uapi.O_RDONLY(), 0);
            plain.getSqe().prepRead(fd2, arena.allocate(4096), 0);
            plain.submit();
            assertEquals(4096, plain.waitCqe().res(), "the same read works without IOPOLL");
            Posix.close(fd2);
        }
    }

    @Test
    void hybridIoPollNeedsIoPoll() throws Exception {
        ErrnoException e = assertThrows(ErrnoException.class, () -> IoUring.builder().hybridIoPoll().build(4));
        assertEquals(Uapi.EINVAL(), e.errno());
        if (!Kernel.atLeast(6, 13)) {
            // Added in 6.13: older kernels refuse the unknown bit, which also shows it reached them.
            e = assertThrows(ErrnoException.class, () -> IoUring.builder().ioPoll().hybridIoPoll().build(4));
            assertEquals(Uapi.EINVAL(), e.errno());
            return;
        }
        try (IoUring ring = IoUring.builder().ioPoll().hybridIoPoll().build(4)) {
            assertTrue(has(ring, Uapi.IORING_SETUP_HYBRID_IOPOLL()));
        }
    }

    @Test
    void submitAllKeepsSubmittingPastAFailingEntry() throws Exception {
        for (boolean submitAll : new boolean[] {false, true}) {
            IoUringBuilder b = IoUring.builder();
            if (submitAll) {
                b.submitAll();
            }
            try (IoUring ring = b.build(4)) {
                assertEquals(submitAll, has(ring, Uapi.IORING_SETUP_SUBMIT_ALL()));
                ring.getSqe().prepRw(250, -1, 0, 0, 0).userData(1); // no such opcode: fails at submission
                ring.getSqe().prepNop().userData(2);
                ring.getSqe().prepNop().userData(3);
                int submitted = ring.submit();
                assertEquals(submitAll ? 3 : 1, submitted);
                if (!submitAll) {
                    assertEquals(2, ring.sqReady(), "the two NOPs stay queued");
                    assertEquals(2, ring.submit());
                }
                Set<Long> seen = new HashSet<>();
                while (seen.size() < 3) {
                    Cqe c = ring.waitCqe();
                    assertEquals(c.userData() == 1 ? -Uapi.EINVAL() : 0, c.res(), c.toString());
                    seen.add(c.userData());
                    ring.cqeSeen(c);
                }
            }
        }
    }

    @Test
    void taskrunFlagNeedsCoopTaskrunAndFlagsPendingWork() throws Exception {
        ErrnoException e = assertThrows(ErrnoException.class, () -> IoUring.builder().taskrunFlag().build(4));
        assertEquals(Uapi.EINVAL(), e.errno(), "TASKRUN_FLAG alone is refused, so the bit did reach the kernel");
        int[] p = Posix.pipe(0);
        try (IoUring ring = IoUring.builder().coopTaskrun().taskrunFlag().build(4); Arena arena = Arena.ofConfined()) {
            assertTrue(has(ring, Uapi.IORING_SETUP_COOP_TASKRUN()));
            assertTrue(has(ring, Uapi.IORING_SETUP_TASKRUN_FLAG()));
            ring.getSqe().prepRead(p[0], arena.allocate(16), -1).userData(7);
            ring.submit();
            assertEquals(0, ring.cqReady());
            TestFds.write(p[1], new byte[] {1, 2, 3});
            // COOP_TASKRUN: the completion work waits for our next kernel entry, and TASKRUN_FLAG advertises it.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while ((ring.sqFlags() & Uapi.IORING_SQ_TASKRUN()) == 0 && ring.cqReady() == 0
                    && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertTrue((ring.sqFlags() & Uapi.IORING_SQ_TASKRUN()) != 0 || ring.cqReady() > 0);
            Cqe c = ring.peekCqe(); // enters the kernel because of IORING_SQ_TASKRUN
            assertNotNull(c);
            assertEquals(7, c.userData());
            assertEquals(3, c.res());
            ring.cqeSeen(c);
        } finally {
            Posix.close(p[0]);
            Posix.close(p[1]);
        }
    }

    @Test
    void singleIssuerRefusesOtherThreads() throws Exception {
        try (IoUring ring = IoUring.builder().singleIssuer().build(4)) {
            assertTrue(has(ring, Uapi.IORING_SETUP_SINGLE_ISSUER()));
            ring.getSqe().prepNop().userData(1);
            ring.submit();
            assertEquals(1, ring.waitCqe().userData());
            ring.cqAdvance(1);
            CompletableFuture<Integer> other = CompletableFuture.supplyAsync(() -> {
                ring.getSqe().prepNop().userData(2);
                try {
                    return ring.submit();
                } catch (ErrnoException ex) {
                    throw new RuntimeException(ex);
                }
            }, r -> new Thread(r).start());
            ExecutionException ex = assertThrows(ExecutionException.class, other::get);
            ErrnoException cause = assertInstanceOf(ErrnoException.class, ex.getCause().getCause());
            assertEquals(Uapi.EEXIST(), cause.errno(), cause.getMessage());
            assertEquals(1, ring.submit(), "the owner thread can still submit the queued entry");
            assertEquals(2, ring.waitCqe().userData());
        }
    }

    @Test
    void deferTaskrunNeedsSingleIssuerAndDefersCompletionsUntilWaiting() throws Exception {
        ErrnoException e = assertThrows(ErrnoException.class, () -> IoUring.builder().deferTaskrun().build(4));
        assertEquals(Uapi.EINVAL(), e.errno());
        for (boolean defer : new boolean[] {false, true}) {
            int[] p = Posix.pipe(0);
            IoUringBuilder b = IoUring.builder().singleIssuer();
            if (defer) {
                b.deferTaskrun();
            }
            try (IoUring ring = b.build(4); Arena arena = Arena.ofConfined()) {
                assertEquals(defer, has(ring, Uapi.IORING_SETUP_DEFER_TASKRUN()));
                ring.getSqe().prepRead(p[0], arena.allocate(16), -1).userData(9);
                ring.submit();
                TestFds.write(p[1], new byte[] {42});
                Thread.sleep(50);
                if (defer) {
                    assertEquals(0, ring.cqReady(), "DEFER_TASKRUN: nothing is posted until we wait");
                } else {
                    assertEquals(1, ring.cqReady(), "without it, the completion is posted on its own");
                }
                Cqe c = ring.waitCqe();
                assertEquals(9, c.userData());
                assertEquals(1, c.res());
                ring.cqeSeen(c);
            } finally {
                Posix.close(p[0]);
                Posix.close(p[1]);
            }
        }
    }

    @Test
    void noSqArrayIsUsedWhenSupportedAndCanBeRefused() throws Exception {
        if (!Kernel.atLeast(6, 6)) {
            // Before 6.6 the kernel refuses the flag: the default setup falls back to the SQ array, a required one fails.
            try (IoUring auto = IoUring.open(4)) {
                assertFalse(has(auto, Uapi.IORING_SETUP_NO_SQARRAY()));
                auto.getSqe().prepNop().userData(1);
                auto.submitAndWait(1);
                assertEquals(1, auto.waitCqe().userData());
            }
            ErrnoException e = assertThrows(ErrnoException.class, () -> IoUring.builder().noSqArray().build(4));
            assertEquals(Uapi.EINVAL(), e.errno());
            return;
        }
        try (IoUring auto = IoUring.open(4);
             IoUring required = IoUring.builder().noSqArray().build(4);
             IoUring array = IoUring.builder().useSqArray().build(4)) {
            assertTrue(has(auto, Uapi.IORING_SETUP_NO_SQARRAY()), auto.toString());
            assertTrue(has(required, Uapi.IORING_SETUP_NO_SQARRAY()));
            assertFalse(has(array, Uapi.IORING_SETUP_NO_SQARRAY()));
            for (IoUring ring : new IoUring[] {auto, required, array}) {
                for (int round = 0; round < 3; round++) { // wraps the 4-entry SQ
                    for (int i = 0; i < 4; i++) {
                        ring.getSqe().prepNop().userData(round * 10 + i);
                    }
                    assertEquals(4, ring.submitAndWait(4));
                    long[] ud = new long[8];
                    assertEquals(4, ring.copyCqes(ud, null, null));
                    for (int i = 0; i < 4; i++) {
                        assertEquals(round * 10 + i, ud[i]);
                    }
                }
            }
        }
    }

    @Test
    void noSqArrayFallsBackWhenTheKernelRefusesIt() throws Exception {
        // As on a kernel before 6.6: the first setup answers EINVAL, the second (with the SQ array) works.
        try (IoUring ring = IoUring.builder().rejectNoSqArray().build(4)) {
            assertFalse(has(ring, Uapi.IORING_SETUP_NO_SQARRAY()));
            ring.getSqe().prepNop().userData(3);
            ring.submitAndWait(1);
            assertEquals(3, ring.waitCqe().userData());
        }
        // When NO_SQARRAY is required there is no fallback.
        ErrnoException e = assertThrows(ErrnoException.class,
                () -> IoUring.builder().noSqArray().rejectNoSqArray().build(4));
        assertEquals(Uapi.EINVAL(), e.errno());
        assertTrue(e.getMessage().contains("NO_SQARRAY"), e.getMessage());
    }

    @Test
    void attachWqSharesTheWorkerPoolOfAnotherRing() throws Exception {
        try (IoUring first = IoUring.open(4); IoUring second = IoUring.builder().attachWq(first).build(4)) {
            assertTrue(has(second, Uapi.IORING_SETUP_ATTACH_WQ()));
            second.getSqe().prepNop().async().userData(11); // IOSQE_ASYNC: runs on the shared io-wq
            second.submitAndWait(1);
            Cqe c = second.waitCqe();
            assertEquals(11, c.userData());
            assertEquals(0, c.res());
        }
        int[] p = Posix.pipe(0);
        try {
            ErrnoException e = assertThrows(ErrnoException.class, () -> IoUring.builder().attachWq(p[0]).build(4));
            assertEquals(Uapi.EINVAL(), e.errno(), "a pipe is not a ring: " + e.getMessage());
        } finally {
            Posix.close(p[0]);
            Posix.close(p[1]);
        }
    }

    @Test
    void disabledRingRefusesSubmissionUntilEnabled() throws Exception {
        try (IoUring ring = IoUring.builder().disabled().build(4)) {
            assertTrue(has(ring, Uapi.IORING_SETUP_R_DISABLED()));
            ring.getSqe().prepNop().userData(21);
            ErrnoException e = assertThrows(ErrnoException.class, ring::submit);
            assertEquals(Uapi.EBADFD(), e.errno(), e.getMessage());
            ring.enableRings();
            assertEquals(1, ring.submit(), "the queued entry went in after enabling");
            assertEquals(21, ring.waitCqe().userData());
        }
    }

    @Test
    void flagNamesAndUnsupportedFlags() {
        assertEquals("SQPOLL|SQE128|CQE32", IoUring.setupFlagNames(Uapi.IORING_SETUP_SQPOLL()
                | Uapi.IORING_SETUP_SQE128() | Uapi.IORING_SETUP_CQE32()));
        assertEquals("0", IoUring.setupFlagNames(0));
        assertEquals("IOPOLL|0x80000000", IoUring.setupFlagNames(1 | 0x80000000));
        assertThrows(IllegalArgumentException.class, () -> IoUring.builder().flags(Uapi.IORING_SETUP_NO_MMAP()));
        assertThrows(IllegalArgumentException.class,
                () -> IoUring.builder().flags(Uapi.IORING_SETUP_REGISTERED_FD_ONLY()));
        assertThrows(IllegalArgumentException.class, () -> IoUring.builder().sqPoll(-1));
        assertThrows(IllegalArgumentException.class, () -> IoUring.builder().build(0));
    }

    @Test
    void rawFlagsPassThroughOpen() throws Exception {
        int flags = Uapi.IORING_SETUP_SQE128() | Uapi.IORING_SETUP_CQE32() | Uapi.IORING_SETUP_COOP_TASKRUN()
                | Uapi.IORING_SETUP_SINGLE_ISSUER();
        try (IoUring ring = IoUring.open(16, flags)) {
            assertEquals(flags, ring.flags() & ~Uapi.IORING_SETUP_NO_SQARRAY());
            assertNotEquals(0, ring.flags() & 0xFF00, "flags above bit 8 survive");
        }
    }

    @Test
    void cmdAreaIsTheSqeTail() throws Exception {
        try (IoUring ring = IoUring.builder().sqe128().build(4); Arena arena = Arena.ofConfined()) {
            Sqe sqe = ring.getSqe();
            MemorySegment payload = arena.allocate(80);
            for (int i = 0; i < 80; i++) {
                payload.set(JAVA_BYTE, i, (byte) (i + 1));
            }
            sqe.prepUringCmd(0x1234, 5, payload);
            assertEquals(Uapi.IORING_OP_URING_CMD(), sqe.opcode());
            assertEquals(0x1234, sqe.cmdOp());
            assertEquals(5, sqe.fd());
            assertEquals(80, sqe.cmd().byteSize());
            assertEquals(1, sqe.cmd().get(JAVA_BYTE, 0));
            assertEquals(80, sqe.cmd().get(JAVA_BYTE, 79));
            sqe.prepUringCmd(0x1234, 5); // zeroes the whole area
            for (int i = 0; i < 80; i++) {
                assertEquals(0, sqe.cmd().get(JAVA_BYTE, i));
            }
            sqe.prepNop(); // leave the ring consistent
        }
    }
}
