package io.github.jring.core;

import io.github.jring.bindings.Uapi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The basic ring: setup, getSqe, NOP/READ/WRITE, submit, the reaping styles, SQ back-pressure, close. */
class RingBasicsTest {

    @TempDir
    Path dir;

    @Test
    void nopRoundTrip() throws Exception {
        try (IoUring ring = IoUring.open(8)) {
            assertEquals(8, ring.sqEntries());
            assertEquals(16, ring.cqEntries());
            assertEquals(64, ring.sqeSize());
            assertEquals(16, ring.cqeSize());
            assertTrue(ring.hasFeature(Uapi.IORING_FEAT_NODROP()));
            Sqe sqe = ring.getSqe();
            assertNotNull(sqe);
            sqe.prepNop().userData(0xDEADBEEFL);
            assertEquals(Uapi.IORING_OP_NOP(), sqe.opcode());
            assertEquals(1, ring.submit());
            Cqe cqe = ring.waitCqe();
            assertEquals(0xDEADBEEFL, cqe.userData());
            assertEquals(0, cqe.res());
            ring.cqeSeen(cqe);
            assertNull(ring.peekCqe());
        }
    }

    @Test
    void writeThenReadFile() throws Exception {
        Path file = dir.resolve("data");
        Files.createFile(file);
        byte[] text = "hello, io_uring from java.lang.foreign".getBytes(StandardCharsets.US_ASCII);
        try (IoUring ring = IoUring.open(4); Arena arena = Arena.ofConfined()) {
            int fd = Posix.open(file, Uapi.O_RDWR(), 0);
            try {
                MemorySegment out = arena.allocateFrom(JAVA_BYTE, text);
                ring.getSqe().prepWrite(fd, out, 100).userData(1);
                assertEquals(1, ring.submitAndWait(1));
                Cqe w = ring.waitCqe();
                assertEquals(1, w.userData());
                assertEquals(text.length, w.throwIfError());
                ring.cqeSeen(w);

                byte[] onDisk = Files.readAllBytes(file);
                assertEquals(100 + text.length, onDisk.length);
                assertArrayEquals(text, java.util.Arrays.copyOfRange(onDisk, 100, onDisk.length));

                MemorySegment in = arena.allocate(64);
                ring.getSqe().prepRead(fd, in, 100).userData(2);
                ring.submitAndWait(1);
                Cqe r = ring.waitCqe();
                assertEquals(2, r.userData());
                assertEquals(text.length, r.res());
                ring.cqeSeen(r);
                assertArrayEquals(text, in.asSlice(0, text.length).toArray(JAVA_BYTE));
            } finally {
                Posix.close(fd);
            }
        }
    }

    @Test
    void batchOfNopsOneEnterAndAllReapingStyles() throws Exception {
        try (IoUring ring = IoUring.open(32)) {
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 32; i++) {
                    ring.getSqe().prepNop().userData(round * 100L + i);
                }
                assertNull(ring.getSqe(), "SQ of 32 is full after 32 getSqe");
                long before = ring.enterCount();
                assertEquals(32, ring.submitAndWait(32));
                assertEquals(before + 1, ring.enterCount(), "one io_uring_enter for the whole batch");
                assertEquals(32, ring.cqReady());
                Set<Long> seen = new HashSet<>();
                switch (round) {
                    case 0 -> assertEquals(32, ring.forEachCqe(c -> {
                        assertEquals(0, c.res());
                        seen.add(c.userData());
                    }));
                    case 1 -> {
                        Cqe[] batch = new Cqe[64];
                        int n = ring.peekBatchCqe(batch);
                        assertEquals(32, n);
                        for (int i = 0; i < n; i++) {
                            seen.add(batch[i].userData());
                        }
                        ring.cqAdvance(n);
                    }
                    default -> {
                        long[] ud = new long[20];
                        int[] res = new int[20];
                        int n1 = ring.copyCqes(ud, res, null);
                        assertEquals(20, n1);
                        for (int i = 0; i < n1; i++) {
                            seen.add(ud[i]);
                            assertEquals(0, res[i]);
                        }
                        int n2 = ring.copyCqes(ud, res, new int[20]);
                        assertEquals(12, n2);
                        for (int i = 0; i < n2; i++) {
                            seen.add(ud[i]);
                        }
                    }
                }
                assertEquals(32, seen.size());
                for (int i = 0; i < 32; i++) {
                    assertTrue(seen.contains(round * 100L + i));
                }
                assertEquals(0, ring.cqReady());
            }
        }
    }

    @Test
    void sqFullReturnsNullAndSlotsAreReusedOnlyAfterConsumption() throws Exception {
        try (IoUring ring = IoUring.open(4)) {
            Sqe[] got = new Sqe[4];
            for (int i = 0; i < 4; i++) {
                got[i] = ring.getSqe();
                assertNotNull(got[i]);
                got[i].prepNop().userData(i);
            }
            assertEquals(4, ring.sqReady());
            assertEquals(0, ring.sqSpaceLeft());
            assertNull(ring.getSqe());
            assertNull(ring.getSqe(), "still full: nothing was submitted");
            ring.submit();
            assertEquals(0, ring.sqReady(), "the kernel consumed all four");
            Sqe again = ring.getSqe();
            assertSame(got[0], again, "slot 0 is handed out again only after the kernel consumed it");
            again.prepNop().userData(99);
            ring.submit();
            Set<Long> seen = new HashSet<>();
            while (seen.size() < 5) {
                Cqe c = ring.waitCqe();
                seen.add(c.userData());
                ring.cqeSeen(c);
            }
            assertEquals(Set.of(0L, 1L, 2L, 3L, 99L), seen);
        }
    }

    @Test
    void closeIsIdempotentAndRejectsFurtherUse() throws Exception {
        IoUring ring = IoUring.open(4);
        Sqe sqe = ring.getSqe();
        ring.close();
        ring.close();
        assertTrue(ring.isClosed());
        IllegalStateException e = assertThrows(IllegalStateException.class, ring::getSqe);
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertThrows(IllegalStateException.class, ring::submit);
        assertThrows(IllegalStateException.class, ring::peekCqe);
        assertThrows(IllegalStateException.class, ring::waitCqe);
        assertThrows(IllegalStateException.class, () -> ring.registerFiles(0));
        // The flyweights' memory is gone too: no write can reach unmapped memory.
        assertThrows(IllegalStateException.class, sqe::prepNop);
        assertFalse(ring.toString().isEmpty());
    }
}
