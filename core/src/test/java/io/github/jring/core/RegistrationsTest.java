package io.github.jring.core;

import io.github.jring.bindings.Uapi;
import io.github.jring.bindings.io_uring_reg_wait;
import io.github.jring.core.internal.Syscalls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The registrations of issue 19.5, each shown by its effect on the running kernel; each skips what it lacks. */
class RegistrationsTest {

    private final Arena arena = Arena.ofConfined();

    @AfterEach
    void close() {
        arena.close();
    }

    @Test
    void aRestrictedRingRefusesWhatIsNotAllowed() throws Exception {
        Caps.assumeRegisterOp(Uapi.IORING_REGISTER_RESTRICTIONS());
        try (IoUring ring = IoUring.builder().disabled().build(4)) {
            ring.registerRestrictions(Restrictions.none().allowOps(Uapi.IORING_OP_NOP())
                    .allowRegisterOps(Uapi.IORING_REGISTER_PROBE()));
            ring.enableRings();
            ring.getSqe().prepNop().userData(1);
            assertEquals(0, Reap.one(ring), "NOP is allowed");
            int[] p = Posix.pipe(0);
            try {
                MemorySegment buf = arena.allocate(8);
                ring.getSqe().prepRead(p[0], buf, 0).userData(2);
                assertEquals(-Uapi.EACCES(), Reap.one(ring), "READ is not");
                ring.getSqe().prepNop().userData(3).ioLink();
                ring.getSqe().prepNop().userData(4);
                ring.submit();
                assertEquals(-Uapi.EACCES(), Reap.await(ring, 2).get(3L), "nor is any SQE flag");
            } finally {
                Posix.closeQuietly(p);
            }
            ring.probe(); // an allowed register opcode
            ErrnoException e = assertThrows(ErrnoException.class, () -> ring.registerFilesSparse(4));
            assertEquals(Uapi.EACCES(), e.errno(), "a register opcode not allowed");
            e = assertThrows(ErrnoException.class, () -> ring.registerRestrictions(Restrictions.none()));
            assertEquals(Uapi.EACCES(), e.errno(), "and the restrictions cannot be changed");
        }
    }

    @Test
    void ioWqMaxWorkersAreReadBack() throws Exception {
        Caps.assumeRegisterOp(Uapi.IORING_REGISTER_IOWQ_MAX_WORKERS());
        try (IoUring ring = IoUring.open(4)) {
            int[] before = ring.ioWqMaxWorkers(0, 0);
            assertTrue(before[0] > 0 && before[1] > 0, "defaults: " + before[0] + ", " + before[1]);
            ring.ioWqMaxWorkers(2, 3);
            assertArrayEquals(new int[] {2, 3}, ring.ioWqMaxWorkers(0, 0));
            ring.ioWqMaxWorkers(0, 5);
            assertArrayEquals(new int[] {2, 5}, ring.ioWqMaxWorkers(0, 0), "0 leaves a limit as it was");
        }
    }

    @Test
    void ioWqAffinityIsSetAndCleared() throws Exception {
        Caps.assumeRegisterOp(Uapi.IORING_REGISTER_IOWQ_AFF());
        try (IoUring ring = IoUring.open(4)) {
            BitSet cpu0 = new BitSet();
            cpu0.set(0);
            ring.registerIoWqAffinity(cpu0);
            ring.getSqe().prepNop().userData(1).async(); // runs on an io-wq worker, now on CPU 0
            assertEquals(0, Reap.one(ring));
            ring.unregisterIoWqAffinity();
            assertThrows(IllegalArgumentException.class, () -> ring.registerIoWqAffinity(new BitSet()));
        }
    }

    @Test
    void directOpensAllocateInsideTheRegisteredRange() throws Exception {
        Caps.assumeRegisterOp(Uapi.IORING_REGISTER_FILE_ALLOC_RANGE());
        try (IoUring ring = IoUring.open(4)) {
            ring.registerFilesSparse(8);
            ring.registerFileAllocRange(4, 2);
            MemorySegment path = arena.allocateFrom("/dev/null");
            for (int expected : new int[] {4, 5}) {
                ring.getSqe().prepOpenatDirect(Uapi.AT_FDCWD(), path, Uapi.O_RDONLY(), 0,
                        Uapi.IORING_FILE_INDEX_ALLOC()).userData(expected);
                assertEquals(expected, Reap.one(ring), "the kernel picks slots 4 and 5 only");
            }
            ring.getSqe().prepOpenatDirect(Uapi.AT_FDCWD(), path, Uapi.O_RDONLY(), 0,
                    Uapi.IORING_FILE_INDEX_ALLOC()).userData(6);
            assertEquals(-Uapi.ENFILE(), Reap.one(ring), "and then the range is full");
            ErrnoException e = assertThrows(ErrnoException.class, () -> ring.registerFileAllocRange(6, 4));
            assertEquals(Uapi.EINVAL(), e.errno(), "a range past the table");
        }
    }

    @Test
    void syncCancelReturnsWithTheCancelledCompletionInTheCq() throws Exception {
        Caps.assumeRegisterOp(Uapi.IORING_REGISTER_SYNC_CANCEL());
        int[] p = Posix.pipe(0);
        try (IoUring ring = IoUring.open(4)) {
            ring.getSqe().prepPollAdd(p[0], Uapi.POLLIN()).userData(7);
            ring.submit();
            assertEquals(0, ring.syncCancel(7, -1, 0, Duration.ofSeconds(5)));
            assertEquals(1, ring.cqReady(), "the completion is there when the call returns");
            Cqe c = ring.peekCqe();
            assertEquals(7, c.userData());
            assertEquals(-Uapi.ECANCELED(), c.res());
            ring.cqeSeen(c);
            ErrnoException e = assertThrows(ErrnoException.class, () -> ring.syncCancel(7, -1, 0, null));
            assertEquals(Uapi.ENOENT(), e.errno());
        } finally {
            Posix.closeQuietly(p);
        }
    }

    @Test
    void theClockIsBoottimeOrMonotonic() throws Exception {
        Caps.assumeRegisterOp(Uapi.IORING_REGISTER_CLOCK());
        try (IoUring ring = IoUring.open(4)) {
            ring.registerClock(7); // CLOCK_BOOTTIME
            ring.registerClock(1); // CLOCK_MONOTONIC
            ErrnoException e = assertThrows(ErrnoException.class, () -> ring.registerClock(0));
            assertEquals(Uapi.EINVAL(), e.errno(), "CLOCK_REALTIME is refused");
        }
    }

    @Test
    void napiSettingsAreReadBackWhenUnregistered() throws Exception {
        Caps.assumeRegisterOp(Uapi.IORING_REGISTER_NAPI());
        try (IoUring ring = IoUring.open(4)) {
            ring.registerNapi(50, true);
            long was = ring.unregisterNapi();
            assertEquals(50, (int) was, "busy_poll_to");
            assertEquals(1L << 32, was & (1L << 32), "prefer_busy_poll");
        }
    }

    @Test
    void clonedBuffersServeFixedReadsOnTheSecondRing() throws Exception {
        Caps.assumeRegisterOp(Uapi.IORING_REGISTER_CLONE_BUFFERS());
        Path file = Files.createTempFile("jring-clone", ".bin");
        try (IoUring src = IoUring.open(4); IoUring dst = IoUring.open(4)) {
            Files.write(file, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
            int fd = Posix.open(file, Uapi.O_RDONLY());
            try {
                MemorySegment buf = arena.allocate(4096, 4096);
                src.registerBuffers(buf);
                dst.getSqe().prepReadFixed(fd, buf.asSlice(0, 8), 0, 0).userData(1);
                assertTrue(Reap.one(dst) < 0, "no buffers on the second ring yet");
                dst.cloneBuffers(src, 0, 0, 1, 0);
                dst.getSqe().prepReadFixed(fd, buf.asSlice(0, 8), 0, 0).userData(2);
                assertEquals(8, Reap.one(dst));
                assertEquals(8, buf.get(JAVA_BYTE, 7));
            } finally {
                Posix.close(fd);
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void sendMsgRingPostsOnARingFromNoRing() throws Exception {
        Caps.assumeRegisterOp(Uapi.IORING_REGISTER_SEND_MSG_RING());
        try (IoUring target = IoUring.open(4)) {
            IoUring.sendMsgRing(target.fd(), 1234, 99L, 0);
            Cqe c = target.waitCqe();
            assertEquals(99L, c.userData());
            assertEquals(1234, c.res());
            target.cqeSeen(c);
        }
        ErrnoException e = assertThrows(ErrnoException.class, () -> IoUring.sendMsgRing(0, 1, 1, 0));
        assertTrue(e.errno() == Uapi.EBADFD() || e.errno() == Uapi.EBADF(), e.getMessage());
    }

    @Test
    void aRegisteredWaitArgumentTimesTheWaitOut() throws Exception {
        Caps.assumeRegisterOp(Uapi.IORING_REGISTER_MEM_REGION());
        long page = Syscalls.pageSize();
        MemorySegment region = arena.allocate(page, page);
        MemorySegment w = region.asSlice(io_uring_reg_wait.layout().byteSize(), io_uring_reg_wait.layout().byteSize());
        KernelTimespec.set(io_uring_reg_wait.ts(w), Duration.ofMillis(50).toNanos());
        io_uring_reg_wait.flags(w, Uapi.IORING_REG_WAIT_TS());
        try (IoUring ring = IoUring.builder().disabled().build(4)) {
            ring.registerWaitRegion(region);
            ring.enableRings();
            long t0 = System.nanoTime();
            ErrnoException e = assertThrows(ErrnoException.class, () -> ring.waitRegistered(1, 1));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(Uapi.ETIME(), e.errno());
            assertTrue(ms >= 40, "waited the registered 50 ms: " + ms + " ms");
            ring.getSqe().prepNop().userData(5);
            assertEquals(1, ring.waitRegistered(1, 1), "submits, then waits");
            assertEquals(5, ring.waitCqe().userData());
        }
    }
}
