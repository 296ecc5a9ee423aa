package io.github.jring.core;

import io.github.jring.bindings.Uapi;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicInteger;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Error reporting: errno names, failed syscalls, failed completions, and misuse refused before the kernel. */
class ErrorsTest {

    @Test
    void errnoNamesAndDescriptions() {
        assertEquals("ENOENT", Errno.name(Uapi.ENOENT()));
        assertEquals("ENOENT", Errno.name(-Uapi.ENOENT()), "a CQE's negative res can be passed as is");
        assertEquals("ECANCELED", Errno.name(Uapi.ECANCELED()));
        assertEquals("ETIME", Errno.name(Uapi.ETIME()));
        assertEquals("No such file or directory", Errno.description(Uapi.ENOENT()));
        assertEquals("EAGAIN (Resource temporarily unavailable)", Errno.describe(Uapi.EAGAIN()));
        assertEquals("ENOTSUPP", Errno.name(524), "kernel-internal errnos that leak into CQEs have names too");
        assertEquals("errno 4000", Errno.name(4000));
        assertEquals("errno 99999", Errno.name(99999));
        assertTrue(Errno.description(99999).contains("99999"));
    }

    @Test
    void builtInTableAgreesWithTheCLibrary() {
        int checked = 0;
        for (int e = 1; e < 512; e++) { // user-visible errnos; the C library does not know 512+
            String name = Errno.fallbackName(e);
            if (name != null) {
                assertEquals(name, Errno.name(e), "errno " + e);
                assertEquals(Errno.fallbackDescription(e), Errno.description(e), "errno " + e);
                checked++;
            }
        }
        assertTrue(checked > 50, "the table covers the common errnos: " + checked);
    }

    @Test
    void setupFailureNamesTheErrnoAndTheFlags() {
        ErrnoException e = assertThrows(ErrnoException.class,
                () -> IoUring.builder().taskrunFlag().useSqArray().build(4));
        assertInstanceOf(IOException.class, e);
        assertEquals(Uapi.EINVAL(), e.errno());
        assertEquals("EINVAL", e.errnoName());
        assertEquals("io_uring_setup", e.operation());
        assertTrue(e.getMessage().startsWith("io_uring_setup: EINVAL (Invalid argument)"), e.getMessage());
        assertTrue(e.getMessage().contains("TASKRUN_FLAG"), e.getMessage());
    }

    @Test
    void registerFailureNamesTheOpcode() throws Exception {
        try (IoUring ring = IoUring.open(4)) {
            ErrnoException e = assertThrows(ErrnoException.class, () -> ring.registerFiles(123456));
            assertEquals(Uapi.EBADF(), e.errno());
            assertTrue(e.getMessage().contains("IORING_REGISTER_FILES"), e.getMessage());
        }
    }

    @Test
    void negativeResBecomesTheSameErrno() throws Exception {
        try (IoUring ring = IoUring.open(4)) {
            ring.getSqe().prepClose(-1).userData(77);
            ring.submit();
            Cqe c = ring.waitCqe();
            assertTrue(c.isError());
            assertEquals(Uapi.EBADF(), c.errno());
            assertEquals("EBADF", Errno.name(c.res()));
            ErrnoException e = assertThrows(ErrnoException.class, c::throwIfError);
            assertEquals(Uapi.EBADF(), e.errno());
            assertTrue(e.getMessage().contains("user_data 77") && e.getMessage().contains("EBADF"), e.getMessage());
            ErrnoException named = assertThrows(ErrnoException.class, () -> c.throwIfError("close"));
            assertEquals("close: EBADF (Bad file descriptor)", named.getMessage());
            assertTrue(c.toString().contains("EBADF"));
            ring.cqeSeen(c);
        }
    }

    @Test
    void closedRingIsRefused() throws Exception {
        IoUring ring = IoUring.open(4);
        ring.close();
        for (ThrowingRunnable r : new ThrowingRunnable[] {ring::getSqe, ring::submit, () -> ring.submitAndWait(1),
            ring::peekCqe, ring::waitCqe, () -> ring.cqAdvance(0), ring::probe, ring::sqReady, ring::cqReady,
            ring::registerPersonality, () -> ring.forEachCqe(c -> { })}) {
            IllegalStateException e = assertThrows(IllegalStateException.class, r::run);
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
        }
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void heapAndTooSmallAndDeadBuffersAreRefused() throws Exception {
        try (IoUring ring = IoUring.open(4); Arena arena = Arena.ofConfined()) {
            Sqe sqe = ring.getSqe();
            MemorySegment heap = MemorySegment.ofArray(new byte[16]);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sqe.prepRead(0, heap, 0));
            assertTrue(e.getMessage().contains("native"), e.getMessage());
            MemorySegment small = arena.allocate(16);
            e = assertThrows(IllegalArgumentException.class, () -> sqe.prepRead(0, small, 32, 0));
            assertTrue(e.getMessage().contains("16 bytes") && e.getMessage().contains("32"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> sqe.prepWrite(0, small, 17, 0));
            assertThrows(IllegalArgumentException.class,
                    () -> sqe.prepStatx(0, arena.allocateFrom("/"), 0, 0, arena.allocate(100)));
            assertThrows(IllegalArgumentException.class, () -> sqe.prepTimeout(arena.allocate(8), 0, 0));
            assertThrows(IllegalArgumentException.class, () -> sqe.prepReadv(0, arena.allocate(16), 2, 0));
            e = assertThrows(IllegalArgumentException.class,
                    () -> sqe.prepOpenat(0, arena.allocateFrom(JAVA_BYTE, (byte) 'a', (byte) 'b'), 0, 0));
            assertTrue(e.getMessage().contains("NUL"), e.getMessage());
            MemorySegment dead;
            try (Arena temp = Arena.ofConfined()) {
                dead = temp.allocate(16);
            }
            MemorySegment deadSeg = dead;
            assertThrows(IllegalStateException.class, () -> sqe.prepRead(0, deadSeg, 0));
            assertThrows(IllegalArgumentException.class, () -> sqe.bufIndex(70000));
            assertThrows(IllegalArgumentException.class, () -> sqe.personality(-1));
            assertThrows(IllegalArgumentException.class, () -> sqe.flags(256));
            assertThrows(IllegalArgumentException.class, () -> ring.registerBuffers(heap));
            assertThrows(IllegalArgumentException.class, ring::registerBuffers);
            sqe.prepNop(); // nothing above reached the ring: the entry is still usable
            assertEquals(1, ring.submit());
            assertEquals(0, ring.waitCqe().res());
        }
    }

    @Test
    void uringCmdPayloadMustFitTheSqe() throws Exception {
        try (IoUring small = IoUring.open(4); IoUring big = IoUring.builder().sqe128().build(4);
             Arena arena = Arena.ofConfined()) {
            MemorySegment nvmeSized = arena.allocate(72);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> small.getSqe().prepUringCmd(Uapi.NVME_URING_CMD_IO(), 0, nvmeSized));
            assertTrue(e.getMessage().contains("72 bytes") && e.getMessage().contains("16-byte")
                    && e.getMessage().contains("SQE128"), e.getMessage());
            big.getSqe().prepUringCmd(Uapi.NVME_URING_CMD_IO(), 0, nvmeSized).prepNop();
            assertThrows(IllegalArgumentException.class,
                    () -> big.getSqe().prepUringCmd(0, 0, arena.allocate(81)));
        }
    }

    @Test
    void bigCqeNeedsCqe32() throws Exception {
        try (IoUring ring = IoUring.open(4)) {
            ring.getSqe().prepNop();
            ring.submit();
            Cqe c = ring.waitCqe();
            IllegalStateException e = assertThrows(IllegalStateException.class, c::bigCqe0);
            assertTrue(e.getMessage().contains("CQE32"), e.getMessage());
            assertThrows(IllegalStateException.class, c::bigCqe1);
        }
    }

    @Test
    void aThrowingConsumerStillMarksDeliveredCompletionsSeen() throws Exception {
        try (IoUring ring = IoUring.open(4)) {
            for (int i = 0; i < 3; i++) {
                ring.getSqe().prepNop().userData(i);
            }
            ring.submitAndWait(3);
            AtomicInteger calls = new AtomicInteger();
            assertThrows(IllegalStateException.class, () -> ring.forEachCqe(c -> {
                if (calls.incrementAndGet() == 2) {
                    throw new IllegalStateException("boom");
                }
            }));
            assertEquals(1, ring.cqReady(), "the two delivered completions were released, the third is still there");
            assertEquals(2, ring.waitCqe().userData());
        }
    }

    @Test
    void argumentChecks() throws Exception {
        try (IoUring ring = IoUring.open(4)) {
            assertThrows(IllegalArgumentException.class, () -> ring.waitCqeNr(0));
            assertThrows(IllegalArgumentException.class, () -> ring.submitAndWait(-1));
            assertThrows(IllegalArgumentException.class, () -> ring.copyCqes(new long[4], new int[2], null));
            assertThrows(IllegalArgumentException.class, () -> KernelTimespec.set(MemorySegment.NULL, -1));
        }
    }
}
