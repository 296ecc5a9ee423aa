package io.github.jring.core;

import io.github.jring.bindings.Uapi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** io_uring_register: buffers, files (sparse and updates), the ring fd, probe, personality, eventfd. */
class RegistrationTest {

    @TempDir
    Path dir;

    IoUring ring;
    Arena arena;

    @BeforeEach
    void open() throws ErrnoException {
        ring = IoUring.open(8);
        arena = Arena.ofConfined();
    }

    @AfterEach
    void close() {
        ring.close();
        arena.close();
    }

    private int file(String name, String content) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return Posix.open(p, Uapi.O_RDWR(), 0);
    }

    private static String string(MemorySegment s, int n) {
        return new String(s.asSlice(0, n).toArray(JAVA_BYTE), StandardCharsets.US_ASCII);
    }

    @Test
    void buffersRegisterUpdateUnregister() throws Exception {
        int fd = file("b", "0123456789");
        try {
            MemorySegment b0 = arena.allocate(4096, 4096);
            MemorySegment b1 = arena.allocate(4096, 4096);
            ring.registerBuffers(b0, b1);
            ErrnoException again = assertThrows(ErrnoException.class, () -> ring.registerBuffers(b0));
            assertEquals(Uapi.EBUSY(), again.errno(), again.getMessage());
            ring.getSqe().prepReadFixed(fd, b1.asSlice(0, 4), 3, 1).userData(1);
            assertEquals(4, Reap.one(ring));
            assertEquals("3456", string(b1, 4));
            ring.unregisterBuffers();
            ring.getSqe().prepReadFixed(fd, b1.asSlice(0, 4), 3, 1).userData(2);
            assertEquals(-Uapi.EFAULT(), Reap.one(ring), "no buffers registered any more");
            ErrnoException none = assertThrows(ErrnoException.class, ring::unregisterBuffers);
            assertEquals(Uapi.ENXIO(), none.errno());

            ring.registerBuffersSparse(4);
            ring.getSqe().prepReadFixed(fd, b0.asSlice(0, 4), 0, 2).userData(3);
            assertEquals(-Uapi.EFAULT(), Reap.one(ring), "sparse slot 2 is empty");
            assertEquals(1, ring.updateBuffers(2, b0));
            ring.getSqe().prepReadFixed(fd, b0.asSlice(0, 4), 0, 2).userData(4);
            assertEquals(4, Reap.one(ring));
            assertEquals("0123", string(b0, 4));
        } finally {
            Posix.close(fd);
        }
    }

    @Test
    void filesRegisterUpdateAndFixedFileUse() throws Exception {
        int a = file("a", "file-a");
        int b = file("b", "file-b");
        try {
            ring.registerFiles(a, -1);
            MemorySegment in = arena.allocate(16);
            ring.getSqe().prepRead(0, in, 0).fixedFile().userData(1);
            assertEquals(6, Reap.one(ring));
            assertEquals("file-a", string(in, 6));
            ring.getSqe().prepRead(1, in, 0).fixedFile().userData(2);
            assertEquals(-Uapi.EBADF(), Reap.one(ring), "slot 1 is empty");
            assertEquals(1, ring.updateFiles(1, b));
            ring.getSqe().prepRead(1, in, 0).fixedFile().userData(3);
            assertEquals(6, Reap.one(ring));
            assertEquals("file-b", string(in, 6));
            ring.unregisterFiles();
            ring.getSqe().prepRead(0, in, 0).fixedFile().userData(4);
            assertEquals(-Uapi.EBADF(), Reap.one(ring));

            ring.registerFilesSparse(8);
            assertEquals(2, ring.updateFiles(6, a, b));
            ring.getSqe().prepRead(7, in, 0).fixedFile().userData(5);
            assertEquals(6, Reap.one(ring));
            assertEquals("file-b", string(in, 6));
            assertEquals(1, ring.updateFiles(7, -1));
            ring.getSqe().prepRead(7, in, 0).fixedFile().userData(6);
            assertEquals(-Uapi.EBADF(), Reap.one(ring));
        } finally {
            Posix.close(a);
            Posix.close(b);
        }
    }

    @Test
    void ringFdRegistrationIsPerThread() throws Exception {
        assertEquals(-1, ring.registeredRingIndex());
        int index = ring.registerRingFd();
        assertTrue(index >= 0);
        assertEquals(index, ring.registeredRingIndex());
        ring.getSqe().prepNop().userData(1);
        assertEquals(0, Reap.one(ring), "enter through the registered index");
        // Another thread has no registration: the ring uses the plain fd there.
        CompletableFuture<Integer> other = CompletableFuture.supplyAsync(() -> {
            try {
                assertEquals(-1, ring.registeredRingIndex());
                ring.getSqe().prepNop().userData(2);
                return Reap.one(ring);
            } catch (ErrnoException e) {
                throw new RuntimeException(e);
            }
        }, r -> new Thread(r).start());
        assertEquals(0, other.get(10, TimeUnit.SECONDS));
        assertThrows(IllegalStateException.class, ring::registerRingFd);
        ring.unregisterRingFd();
        assertEquals(-1, ring.registeredRingIndex());
        ring.getSqe().prepNop().userData(3);
        assertEquals(0, Reap.one(ring));
        assertThrows(IllegalStateException.class, ring::unregisterRingFd);

        Thread vt = Thread.ofVirtual().unstarted(() -> assertThrows(IllegalStateException.class, ring::registerRingFd));
        vt.start();
        vt.join();
    }

    @Test
    void closeUnregistersTheRingFd() throws Exception {
        IoUring r = IoUring.open(4);
        r.registerRingFd();
        r.getSqe().prepNop();
        assertEquals(0, Reap.one(r));
        r.close(); // must not leak: unregister, then close
        assertTrue(r.isClosed());
        assertEquals(-1, r.registeredRingIndex());
    }

    @Test
    void probeKnowsTheOpcodes() throws Exception {
        Probe probe = ring.probe();
        assertTrue(probe.supports(Uapi.IORING_OP_NOP()));
        assertTrue(probe.supports(Uapi.IORING_OP_READ()));
        assertTrue(probe.supports(Uapi.IORING_OP_URING_CMD()), "5.19+");
        assertTrue(probe.lastOp() >= Uapi.IORING_OP_URING_CMD());
        assertFalse(probe.supports(255));
        assertFalse(probe.supports(-1));
        assertFalse(probe.supports(probe.lastOp() + 1));
        int[] ops = probe.supportedOpcodes();
        assertEquals(Uapi.IORING_OP_NOP(), ops[0]);
        assertTrue(probe.toString().contains("lastOp=" + probe.lastOp()));
    }

    @Test
    void personalityIsKnownToTheKernel() throws Exception {
        int id = ring.registerPersonality();
        assertTrue(id > 0);
        ring.getSqe().prepNop().personality(id).userData(1);
        assertEquals(0, Reap.one(ring));
        ring.unregisterPersonality(id);
        ring.getSqe().prepNop().personality(id).userData(2);
        assertEquals(-Uapi.EINVAL(), Reap.one(ring), "an unregistered personality is refused");
        ErrnoException e = assertThrows(ErrnoException.class, () -> ring.unregisterPersonality(id));
        assertEquals(Uapi.EINVAL(), e.errno());
    }

    @Test
    void eventFdIsSignalledPerCompletion() throws Exception {
        MemorySegment counter = arena.allocate(JAVA_LONG);
        int efd = Uapi.eventfd(0, Uapi.EFD_CLOEXEC());
        assertTrue(efd >= 0, "eventfd");
        try {
            ring.registerEventFd(efd);
            for (int round = 0; round < 2; round++) {
                ring.getSqe().prepNop();
                ring.getSqe().prepNop();
                ring.submitAndWait(2);
                ring.cqAdvance(2);
                // The kernel signals once per batch of completions it posts (at least once).
                assertEquals(8, Posix.read(efd, counter));
                assertTrue(counter.get(JAVA_LONG, 0) >= 1);
            }
            ring.unregisterEventFd();
            assertThrows(ErrnoException.class, ring::unregisterEventFd);
        } finally {
            Posix.close(efd);
        }
    }
}
