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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** IOSQE flags that order requests: links, hard links, drain, and CQE_SKIP_SUCCESS. */
class LinkTest {

    @TempDir
    Path dir;

    IoUring ring;
    Arena arena;

    @BeforeEach
    void open() throws ErrnoException {
        ring = IoUring.open(16);
        arena = Arena.ofConfined();
    }

    @AfterEach
    void close() {
        ring.close();
        arena.close();
    }

    private static List<Long> order(Map<Long, Integer> results) {
        return new ArrayList<>(results.keySet());
    }

    @Test
    void linkedWriteFsyncReadRunInOrder() throws Exception {
        Path p = dir.resolve("chain");
        Files.createFile(p);
        int fd = Posix.open(p, Uapi.O_RDWR(), 0);
        try {
            MemorySegment out = arena.allocateFrom(JAVA_BYTE, "linked".getBytes(StandardCharsets.US_ASCII));
            MemorySegment in = arena.allocate(6);
            ring.getSqe().prepWrite(fd, out, 0).userData(1).ioLink();
            ring.getSqe().prepFsync(fd, 0).userData(2).ioLink();
            ring.getSqe().prepRead(fd, in, 0).userData(3);
            assertEquals(3, ring.submit());
            Map<Long, Integer> r = Reap.await(ring, 3);
            assertEquals(List.of(1L, 2L, 3L), order(r), "a chain completes in order");
            assertEquals(6, r.get(1L));
            assertEquals(0, r.get(2L));
            assertEquals(6, r.get(3L), "the read saw the linked write");
            assertEquals("linked", new String(in.toArray(JAVA_BYTE), StandardCharsets.US_ASCII));
        } finally {
            Posix.close(fd);
        }
    }

    @Test
    void aFailedLinkMemberCancelsTheRest() throws Exception {
        ring.getSqe().prepNop().userData(1).ioLink();
        ring.getSqe().prepFsync(-1, 0).userData(2).ioLink(); // EBADF
        ring.getSqe().prepNop().userData(3).ioLink();
        ring.getSqe().prepNop().userData(4);
        ring.getSqe().prepNop().userData(5); // not in the chain
        ring.submit();
        Map<Long, Integer> r = Reap.await(ring, 5);
        assertEquals(0, r.get(1L));
        assertEquals(-Uapi.EBADF(), r.get(2L));
        assertEquals(-Uapi.ECANCELED(), r.get(3L));
        assertEquals(-Uapi.ECANCELED(), r.get(4L));
        assertEquals(0, r.get(5L), "the chain ends at the entry without IO_LINK");
        assertEquals("ECANCELED", Errno.name(r.get(3L)));
    }

    @Test
    void aShortReadBreaksTheLink() throws Exception {
        Path p = dir.resolve("short");
        Files.writeString(p, "abc");
        int fd = Posix.open(p, Uapi.O_RDONLY(), 0);
        try {
            ring.getSqe().prepRead(fd, arena.allocate(100), 0).userData(1).ioLink(); // 3 < 100: short
            ring.getSqe().prepNop().userData(2);
            ring.submit();
            Map<Long, Integer> r = Reap.await(ring, 2);
            assertEquals(3, r.get(1L));
            assertEquals(-Uapi.ECANCELED(), r.get(2L));
        } finally {
            Posix.close(fd);
        }
    }

    @Test
    void aHardLinkGoesOnAfterAFailure() throws Exception {
        ring.getSqe().prepFsync(-1, 0).userData(1).ioHardlink();
        ring.getSqe().prepNop().userData(2);
        ring.submit();
        Map<Long, Integer> r = Reap.await(ring, 2);
        assertEquals(List.of(1L, 2L), order(r));
        assertEquals(-Uapi.EBADF(), r.get(1L));
        assertEquals(0, r.get(2L));
    }

    @Test
    void cancellingTheHeadCancelsTheChain() throws Exception {
        int[] p = Posix.pipe(0);
        try {
            ring.getSqe().prepRead(p[0], arena.allocate(8), -1).userData(1).ioLink();
            ring.getSqe().prepNop().userData(2).ioLink();
            ring.getSqe().prepNop().userData(3);
            ring.submit();
            assertNull(ring.waitCqe(20, TimeUnit.MILLISECONDS), "the chain waits on the empty pipe");
            ring.getSqe().prepCancel(1, 0).userData(4);
            ring.submit();
            Map<Long, Integer> r = Reap.await(ring, 4);
            assertEquals(0, r.get(4L));
            assertEquals(-Uapi.ECANCELED(), r.get(1L));
            assertEquals(-Uapi.ECANCELED(), r.get(2L));
            assertEquals(-Uapi.ECANCELED(), r.get(3L));
        } finally {
            Posix.close(p[0]);
            Posix.close(p[1]);
        }
    }

    @Test
    void drainWaitsForEverythingBefore() throws Exception {
        MemorySegment ts = KernelTimespec.allocate(arena, TimeUnit.MILLISECONDS.toNanos(30));
        ring.getSqe().prepTimeout(ts, 0, 0).userData(1);
        ring.getSqe().prepNop().userData(2).ioDrain();
        ring.getSqe().prepNop().userData(3);
        ring.submit();
        Map<Long, Integer> r = Reap.await(ring, 3);
        List<Long> order = order(r);
        assertTrue(order.indexOf(2L) > order.indexOf(1L), "the drained NOP waited for the timeout: " + order);
        if (Kernel.atLeast(6, 6)) {
            // Recent kernels also hold back what follows the drain (6.1 lets NOP 3 run at once).
            assertEquals(List.of(1L, 2L, 3L), order);
        }
        assertEquals(-Uapi.ETIME(), r.get(1L));
    }

    @Test
    void cqeSkipSuccessPostsOnlyFailures() throws Exception {
        assertTrue(ring.hasFeature(Uapi.IORING_FEAT_CQE_SKIP()));
        ring.getSqe().prepNop().userData(1).cqeSkipSuccess();
        ring.getSqe().prepFsync(-1, 0).userData(2).cqeSkipSuccess();
        ring.getSqe().prepNop().userData(3);
        ring.submit();
        Map<Long, Integer> r = Reap.await(ring, 2);
        assertEquals(Map.of(2L, -Uapi.EBADF(), 3L, 0), r);
        assertNull(ring.waitCqe(20, TimeUnit.MILLISECONDS), "no completion for the successful skipped NOP");
    }
}
