package io.github.jring.core;

import io.github.jring.bindings.Uapi;
import io.github.jring.bindings.io_cqring_offsets;
import io.github.jring.bindings.io_sqring_offsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code IORING_REGISTER_RESIZE_RINGS} (6.13, {@link IoUring#resizeRings}): against the kernel, rings grow and shrink
 * with SQEs handed out and not submitted and CQEs not reaped, and every {@code user_data} arrives exactly once, in
 * order; the new CQ fills to its new size; the refusals leave the ring as it was. The copy of 128-byte SQEs and 32-byte
 * CQEs is also unit-tested on rings laid out as the UAPI header lays them out.
 */
class ResizeRingsTest {

    private static final int NOP_CQE32 = Uapi.IORING_NOP_CQE32();
    private static final String KERNEL_RING = "[io_uring]";
    private static final String SHARED_ANON = "/dev/zero (deleted)";

    private final Arena arena = Arena.ofConfined();

    @AfterEach
    void close() {
        arena.close();
    }

    private static void needsResize() {
        Caps.assumeRegisterOp(Uapi.IORING_REGISTER_RESIZE_RINGS());
    }

    /** A ring that can be resized: DEFER_TASKRUN (with SINGLE_ISSUER), set up as {@code kind} says. */
    private static IoUring ring(String kind, int sq, int cq) throws ErrnoException {
        IoUringBuilder b = IoUring.builder().singleIssuer().deferTaskrun().cqSize(cq);
        switch (kind) {
            case "plain" -> { }
            case "sqArray" -> b.useSqArray();
            case "noMmap" -> b.noMmap();
            case "big" -> b.sqe128().cqe32();
            default -> throw new IllegalArgumentException(kind);
        }
        IoUring ring = b.build(sq);
        if (kind.equals("noMmap")) {
            assertEquals(Uapi.IORING_SETUP_NO_MMAP(), ring.flags() & Uapi.IORING_SETUP_NO_MMAP(), ring.toString());
        }
        return ring;
    }

    /** Queues NOPs {@code first..last} (their user_data), without submitting; big ones echo off and addr. */
    private static void queue(IoUring ring, long first, long last) {
        boolean big = ring.cqeSize() == 32;
        for (long ud = first; ud <= last; ud++) {
            Sqe sqe = ring.getSqe();
            assertNotNull(sqe, "SQ slot for " + ud);
            sqe.prepNop().userData(ud);
            if (big) {
                sqe.opFlags(NOP_CQE32).off(ud * 3).addr(ud * 5);
            }
        }
    }

    /** Completes NOPs {@code first..last} into the CQ, in batches of the SQ's size, and leaves them unreaped. */
    private static void completeUnreaped(IoUring ring, long first, long last) throws ErrnoException {
        for (long ud = first; ud <= last; ) {
            long to = Math.min(last, ud + ring.sqEntries() - 1);
            queue(ring, ud, to);
            ring.submitAndWait((int) (to - ud + 1));
            ud = to + 1;
        }
        assertEquals(last - first + 1, ring.cqReady(), "unreaped");
    }

    /** Reaps exactly the completions {@code first..last}: in order, each once. */
    private static void reapInOrder(IoUring ring, long first, long last) throws ErrnoException {
        boolean big = ring.cqeSize() == 32;
        for (long ud = first; ud <= last; ud++) {
            Cqe c = ring.waitCqe(5, TimeUnit.SECONDS);
            assertNotNull(c, "timed out waiting for user_data " + ud);
            assertEquals(ud, c.userData(), "in order, each once: " + c);
            assertEquals(0, c.res(), c.toString());
            if (big) {
                assertEquals(ud * 3, c.bigCqe0(), "the whole 32-byte CQE: " + c);
                assertEquals(ud * 5, c.bigCqe1(), c.toString());
            }
            ring.cqeSeen(c);
        }
    }

    /** Completes one NOP per CQ entry without reaping: the CQ holds them all, nothing overflows; then reaps them. */
    private static void fillTheCq(IoUring ring, long first) throws ErrnoException {
        long last = first + ring.cqEntries() - 1;
        completeUnreaped(ring, first, last);
        assertEquals(ring.cqEntries(), ring.cqReady(), "the CQ full to its new size");
        assertEquals(0, ring.sqFlags() & Uapi.IORING_SQ_CQ_OVERFLOW(), "and nothing in the overflow list");
        reapInOrder(ring, first, last);
        assertEquals(0, ring.cqReady());
    }

    private static void checkSizes(IoUring ring, int sq, int cq) {
        assertEquals(sq, ring.sqEntries(), ring.toString());
        assertEquals(cq, ring.cqEntries(), ring.toString());
        assertEquals(sq, ring.sqSpaceLeft() + ring.sqReady(), ring.toString());
    }

    /** Skips unless the kernel resizes rings and has what a ring of {@code kind} needs. */
    private static void assumeKind(String kind) {
        needsResize();
        if (kind.equals("big")) {
            Caps.assume(Kernel.atLeast(6, 18), "IORING_NOP_CQE32 (6.18), which fills a 32-byte CQE from the SQE");
        } else if (kind.equals("noMmap")) {
            Caps.assumeSetupFlag(Uapi.IORING_SETUP_NO_MMAP());
        }
    }

    /** Mappings of this process whose line in /proc/self/maps contains {@code what}. */
    private static long mappings(String what) throws IOException {
        return Files.readAllLines(Path.of("/proc/self/maps")).stream().filter(l -> l.contains(what)).count();
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "sqArray", "noMmap", "big"})
    void growingKeepsPendingSqesAndUnreapedCqesInOrder(String kind) throws Exception {
        assumeKind(kind);
        String memory = kind.equals("noMmap") ? SHARED_ANON : KERNEL_RING;
        try (IoUring ring = ring(kind, 8, 16)) {
            long mapped = mappings(memory);
            completeUnreaped(ring, 1, 10);
            queue(ring, 11, 14); // handed out, never submitted: the kernel has not seen them
            ring.resizeRings(64, 128);
            checkSizes(ring, 64, 128);
            assertEquals(mapped, mappings(memory), "the new memory mapped, the old unmapped");
            assertEquals(10, ring.cqReady(), "the unreaped CQEs carried over");
            assertEquals(4, ring.sqReady(), "and the SQEs not submitted");
            assertEquals(4, ring.submit(), "which the next submit submits");
            reapInOrder(ring, 1, 14);
            assertEquals(0, ring.cqReady());
            fillTheCq(ring, 100);
            assertEquals(0, ring.inFlight(), "the ring's count survives the resize");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "sqArray", "noMmap", "big"})
    void shrinkingKeepsPendingSqesAndUnreapedCqesInOrder(String kind) throws Exception {
        assumeKind(kind);
        try (IoUring ring = ring(kind, 64, 128)) {
            completeUnreaped(ring, 1, 100); // positions past the new rings' ends: they move to other slots
            reapInOrder(ring, 1, 80);
            queue(ring, 101, 106);
            ring.resizeRings(8, 32);
            checkSizes(ring, 8, 32);
            assertEquals(20, ring.cqReady());
            assertEquals(6, ring.sqReady());
            assertEquals(2, ring.sqSpaceLeft());
            queue(ring, 107, 108);
            assertEquals(null, ring.getSqe(), "the new SQ is full: 8 entries");
            assertEquals(8, ring.submit());
            reapInOrder(ring, 81, 108);
            assertEquals(0, ring.cqReady());
            fillTheCq(ring, 200);
            ring.resizeRings(16, 16); // and again, to a CQ no larger than the SQ
            checkSizes(ring, 16, 16);
            fillTheCq(ring, 300);
        }
    }

    @Test
    void aRingWithoutDeferTaskrunIsRefusedAndUnchanged() throws Exception {
        needsResize();
        try (IoUring ring = IoUring.open(8)) {
            queue(ring, 1, 2);
            ErrnoException e = assertThrows(ErrnoException.class, () -> ring.resizeRings(16, 32));
            assertEquals(Uapi.EINVAL(), e.errno(), e.getMessage());
            assertTrue(e.getMessage().contains("IORING_REGISTER_RESIZE_RINGS")
                    && e.getMessage().contains("DEFER_TASKRUN"), e.getMessage());
            checkSizes(ring, 8, 16);
            assertEquals(2, ring.submit());
            reapInOrder(ring, 1, 2);
        }
    }

    @Test
    void sizesOutOfRangeAreRefused() throws Exception {
        needsResize();
        try (IoUring ring = ring("plain", 8, 16)) {
            for (int[] s : new int[][] {{0, 16}, {32768 * 2, 65536 * 2}, {16, 8}, {8, 65536 * 2}}) {
                ErrnoException e = assertThrows(ErrnoException.class, () -> ring.resizeRings(s[0], s[1]));
                assertEquals(Uapi.EINVAL(), e.errno(), s[0] + "/" + s[1] + ": " + e.getMessage());
            }
            checkSizes(ring, 8, 16);
            fillTheCq(ring, 1);
        }
    }

    @Test
    void aCqTooSmallForTheUnreapedCqesIsRefusedAndTheRingIsIntact() throws Exception {
        needsResize();
        try (IoUring ring = ring("plain", 8, 32)) {
            completeUnreaped(ring, 1, 20);
            queue(ring, 21, 22);
            ErrnoException e = assertThrows(ErrnoException.class, () -> ring.resizeRings(8, 16));
            assertEquals(Uapi.EOVERFLOW(), e.errno(), "the kernel's answer: " + e.getMessage());
            assertEquals("EOVERFLOW", e.errnoName());
            assertTrue(e.getMessage().contains("reap"), e.getMessage());
            checkSizes(ring, 8, 32);
            assertEquals(20, ring.cqReady());
            assertEquals(2, ring.submit());
            reapInOrder(ring, 1, 22);
            ring.resizeRings(8, 16); // reaped: now it fits
            checkSizes(ring, 8, 16);
            fillTheCq(ring, 100);
        }
    }

    @Test
    void anSqTooSmallForTheSqesHandedOutIsRefusedAndTheRingIsIntact() throws Exception {
        needsResize();
        try (IoUring ring = ring("plain", 16, 32)) {
            queue(ring, 1, 12); // the kernel has not seen them, so jring counts them itself
            ErrnoException e = assertThrows(ErrnoException.class, () -> ring.resizeRings(8, 32));
            assertEquals(Uapi.EOVERFLOW(), e.errno(), e.getMessage());
            checkSizes(ring, 16, 32);
            assertEquals(12, ring.sqReady());
            assertEquals(12, ring.submit());
            reapInOrder(ring, 1, 12);
        }
    }

    @Test
    void onlyTheSubmittingThreadResizes() throws Exception {
        needsResize();
        try (IoUring ring = ring("plain", 8, 16)) {
            completeUnreaped(ring, 1, 3);
            ErrnoException[] thrown = new ErrnoException[1];
            Thread other = new Thread(() -> {
                try {
                    ring.resizeRings(16, 32);
                } catch (ErrnoException e) {
                    thrown[0] = e;
                }
            });
            other.start();
            other.join();
            assertNotNull(thrown[0], "a SINGLE_ISSUER ring refuses another thread");
            assertEquals(Uapi.EEXIST(), thrown[0].errno(), thrown[0].getMessage());
            checkSizes(ring, 8, 16);
            reapInOrder(ring, 1, 3);
        }
    }

    @Test
    void flyweightsFromBeforeTheResizeThrowInsteadOfTouchingTheOldMemory() throws Exception {
        needsResize();
        try (IoUring ring = ring("plain", 8, 16)) {
            ring.getSqe().prepNop().userData(1);
            ring.submitAndWait(1);
            Cqe cqe = ring.peekCqe();
            assertEquals(1, cqe.userData());
            Sqe sqe = ring.getSqe().prepNop().userData(2);
            ring.resizeRings(16, 32);
            assertThrows(IllegalStateException.class, cqe::userData, "its memory is unmapped");
            assertThrows(IllegalStateException.class, () -> sqe.userData(3));
            assertThrows(IllegalArgumentException.class, () -> ring.cqeSeen(cqe), "not the new CQ's flyweight");
            assertEquals(1, ring.submit());
            reapInOrder(ring, 1, 2);
        }
    }

    @Test
    void aClosedRingSaysClosed() throws Exception {
        IoUring ring = IoUring.open(4);
        ring.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ring.resizeRings(8, 16));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    // ---- The copy itself, on rings laid out as the UAPI header lays them out. ------------------------------------

    /** SQ offsets: head 0, tail 4, mask 8, entries 12, flags 16, dropped 20, the index array at 64. */
    private MemorySegment sqOffsets() {
        MemorySegment off = arena.allocate(io_sqring_offsets.layout());
        io_sqring_offsets.head(off, 0);
        io_sqring_offsets.tail(off, 4);
        io_sqring_offsets.ring_mask(off, 8);
        io_sqring_offsets.ring_entries(off, 12);
        io_sqring_offsets.flags(off, 16);
        io_sqring_offsets.dropped(off, 20);
        io_sqring_offsets.array(off, 64);
        return off;
    }

    /** A ring region of {@code entries} as the kernel fills it: mask, entries, and head and tail. */
    private MemorySegment ringRegion(long size, int entries, int head, int tail) {
        MemorySegment r = arena.allocate(size, 64);
        r.set(JAVA_INT, 0, head);
        r.set(JAVA_INT, 4, tail);
        r.set(JAVA_INT, 8, entries - 1);
        r.set(JAVA_INT, 12, entries);
        return r;
    }

    @Test
    void everyPendingSqeMovesWholeToItsPositionsSlot() {
        int sqeSize = 128; // SQE128: the kernel copies 64 bytes a slot, jring the whole entry
        MemorySegment off = sqOffsets();
        MemorySegment ring = ringRegion(64 + 4 * 4, 4, 0, 0);
        MemorySegment sqes = arena.allocate(4L * sqeSize, 64);
        SubmissionQueue sq = new SubmissionQueue(ring, sqes, off, 4, sqeSize, true, false);
        for (int pos = 0; pos < 4; pos++) {
            assertNotNull(sq.next());
            sqes.asSlice((long) pos * sqeSize, sqeSize).fill((byte) (pos + 1));
        }
        assertEquals(4, sq.flush());
        ring.set(JAVA_INT, 0, 3); // the kernel consumed positions 0..2
        for (int pos = 4; pos < 6; pos++) { // two more handed out, never published
            assertNotNull(sq.next());
            sqes.asSlice((long) (pos & 3) * sqeSize, sqeSize).fill((byte) (pos + 1));
        }
        assertEquals(3, sq.unconsumed());
        for (int entries : new int[] {8, 4}) {
            // the kernel's new rings: head and tail copied over, the new array not yet filled
            MemorySegment newRing = ringRegion(64 + 4L * entries, entries, 3, 4);
            MemorySegment newSqes = arena.allocate((long) entries * sqeSize, 64);
            sq.moveTo(newRing, newSqes, off, entries);
            for (int pos = 3; pos < 6; pos++) {
                MemorySegment slot = newSqes.asSlice((long) (pos & (entries - 1)) * sqeSize, sqeSize);
                for (long b = 0; b < sqeSize; b++) {
                    assertEquals(pos + 1, slot.get(JAVA_BYTE, b), "position " + pos + " byte " + b);
                }
            }
            for (int i = 0; i < entries; i++) {
                assertEquals(i, newRing.get(JAVA_INT, 64 + 4L * i), "the new index array: slot i is SQE i");
            }
            assertEquals(3, sq.unconsumed());
            assertEquals(3, sq.consumedSinceSetup());
            ring = newRing;
        }
        assertEquals(2, sq.flush(), "the two never published");
        assertEquals(6, ring.get(JAVA_INT, 4), "published at their positions");
        assertNotNull(sq.next(), "one slot left of 4");
        assertEquals(null, sq.next());
    }

    @Test
    void everyUnreapedCqeMovesWholeToItsPositionsSlot() {
        int cqeSize = 32; // CQE32: the kernel copies 16 bytes a slot, jring the whole entry
        MemorySegment off = arena.allocate(io_cqring_offsets.layout());
        io_cqring_offsets.head(off, 0);
        io_cqring_offsets.tail(off, 4);
        io_cqring_offsets.ring_mask(off, 8);
        io_cqring_offsets.ring_entries(off, 12);
        io_cqring_offsets.overflow(off, 16);
        io_cqring_offsets.cqes(off, 64);
        MemorySegment ring = ringRegion(64 + 4L * cqeSize, 4, 0, 0);
        CompletionQueue cq = new CompletionQueue(ring, off, 4, cqeSize, false, false);
        for (int pos = 0; pos < 6; pos++) { // the kernel posts 6, the first 2 reaped
            long at = 64 + (long) (pos & 3) * cqeSize;
            ring.set(JAVA_LONG, at, pos); // user_data
            ring.set(JAVA_LONG, at + 16, pos * 3L); // big_cqe[0]
            ring.set(JAVA_LONG, at + 24, pos * 5L);
            ring.set(JAVA_INT, 4, pos + 1);
            if (pos < 2) {
                assertEquals(pos, cq.peek().userData());
                cq.advanceChecked(1);
            }
        }
        for (int entries : new int[] {16, 4}) {
            MemorySegment newRing = ringRegion(64 + (long) entries * cqeSize, entries, 2, 6);
            cq.moveTo(newRing, off, entries);
            assertEquals(4, cq.ready());
            ring = newRing;
        }
        for (int pos = 2; pos < 6; pos++) {
            Cqe c = cq.peek();
            assertEquals(pos, c.userData());
            assertEquals(pos * 3L, c.bigCqe0());
            assertEquals(pos * 5L, c.bigCqe1());
            assertEquals(pos & 3, c.index());
            cq.seen(c);
        }
        assertEquals(6, ring.get(JAVA_INT, 0), "the head released in the new ring");
        assertEquals(6, cq.endedSinceSetup());
        assertFalse(cq.neverReaped());
    }
}
