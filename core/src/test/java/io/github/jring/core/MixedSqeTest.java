package io.github.jring.core;

import io.github.jring.bindings.Uapi;
import io.github.jring.bindings.io_sqring_offsets;
import io.github.jring.bindings.io_uring_sqe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code IORING_SETUP_SQE_MIXED} (6.19): the wrap rule of 128-byte SQEs, unit-tested on an SQ ring laid out as the
 * UAPI header lays it out (this host's 6.18 refuses the flag), and against the kernel where it has the flag.
 */
class MixedSqeTest {

    private static final int HEAD = 0;
    private static final int TAIL = 4;
    private final Arena arena = Arena.ofConfined();
    private MemorySegment ring;
    private MemorySegment sqes;

    @AfterEach
    void close() {
        arena.close();
    }

    /** An SQ of {@code entries} 64-byte slots, mixed, no SQ array, the kernel's head and tail at 0. */
    private SubmissionQueue mixedSq(int entries) {
        MemorySegment off = arena.allocate(io_sqring_offsets.layout());
        io_sqring_offsets.head(off, HEAD);
        io_sqring_offsets.tail(off, TAIL);
        io_sqring_offsets.ring_mask(off, 8);
        io_sqring_offsets.ring_entries(off, 12);
        io_sqring_offsets.flags(off, 16);
        io_sqring_offsets.dropped(off, 20);
        ring = arena.allocate(64);
        ring.set(JAVA_INT, 8, entries - 1);
        ring.set(JAVA_INT, 12, entries);
        sqes = arena.allocate((long) entries * Sqe.SQE_SIZE, 64);
        return new SubmissionQueue(ring, sqes, off, entries, Sqe.SQE_SIZE, false, true);
    }

    /** The kernel consumes everything published. */
    private void consumeAll() {
        ring.set(JAVA_INT, HEAD, ring.get(JAVA_INT, TAIL));
    }

    private int opcodeAt(int slot) {
        return Byte.toUnsignedInt(sqes.get(JAVA_BYTE, (long) slot * Sqe.SQE_SIZE + Sqe.OPCODE));
    }

    private int flagsAt(int slot) {
        return Byte.toUnsignedInt(sqes.get(JAVA_BYTE, (long) slot * Sqe.SQE_SIZE + Sqe.FLAGS));
    }

    @Test
    void theHeaderLaysA128ByteEntryOverTwoSlots() {
        assertEquals(64, io_uring_sqe.layout().byteSize(), "struct io_uring_sqe is one 64-byte slot");
        assertEquals(48, Sqe.CMD, "cmd[] starts at byte 48");
        assertEquals(80, 2 * Sqe.SQE_SIZE - Sqe.CMD, "so a two-slot entry has an 80-byte command area");
        assertEquals(63, Uapi.IORING_OP_NOP128());
        assertEquals(64, Uapi.IORING_OP_URING_CMD128());
        assertEquals(1 << 19, Uapi.IORING_SETUP_SQE_MIXED());
    }

    @Test
    void aWideEntryTakesTwoSlotsAndItsCommandAreaRunsIntoTheSecond() {
        SubmissionQueue sq = mixedSq(8);
        Sqe e = sq.next128();
        assertEquals(0, e.index());
        assertEquals(80, e.cmd().byteSize());
        e.prepUringCmd128(7, 3).userData(42);
        assertEquals(Uapi.IORING_OP_URING_CMD128(), opcodeAt(0));
        Sqe next = sq.next();
        assertEquals(2, next.index(), "the second slot is the wide entry's");
        assertEquals(3, sq.flush(), "three slots published");
        assertThrows(IllegalStateException.class, () -> next.prepUringCmd128(7, 3), "a 64-byte entry has no room");
    }

    @Test
    void aWideEntryDueAtTheLastSlotGoesToSlotZeroBehindASilentNop() {
        SubmissionQueue sq = mixedSq(4);
        for (int i = 0; i < 3; i++) {
            sq.next().prepNop().userData(i);
        }
        sq.flush();
        assertNull(sq.next128(), "the filler and both slots need three free slots; one is free");
        consumeAll();
        Sqe wide = sq.next128();
        assertNotNull(wide);
        assertEquals(0, wide.index(), "it wraps whole, to slot 0");
        wide.prepNop128().userData(9);
        assertEquals(Uapi.IORING_OP_NOP(), opcodeAt(3), "the last slot holds a NOP");
        assertTrue((flagsAt(3) & Uapi.IOSQE_CQE_SKIP_SUCCESS()) != 0, "that posts no completion");
        assertEquals(Uapi.IORING_OP_NOP128(), opcodeAt(0));
        assertEquals(3, sq.flush(), "filler, and the two slots of the entry");
    }

    @Test
    void theKernelsHeadIsCountedInRequestsNotSlots() {
        SubmissionQueue sq = mixedSq(4);
        Map<Integer, Integer> requests = new HashMap<>();
        int handedOut = 0;
        for (int round = 0; round < 50; round++) {
            boolean wide = round % 3 != 1;
            Sqe e = wide ? sq.next128() : sq.next();
            if (e == null) {
                consumeAll();
                e = wide ? sq.next128() : sq.next();
            }
            assertNotNull(e);
            assertTrue(!wide || e.index() != 3, "a wide entry never starts at the last slot");
            handedOut++;
            sq.flush();
            consumeAll();
            assertEquals(handedOut, sq.consumedSinceSetup(), "round " + round);
            requests.merge(e.index(), 1, Integer::sum);
        }
        assertTrue(requests.get(0) > 0 && requests.get(2) > 0, "wrapped many times: " + requests);
    }

    @Test
    void droppedEntriesAreNotCountedTwice() {
        SubmissionQueue sq = mixedSq(4);
        sq.next();
        sq.flush();
        consumeAll();
        sq.next128();
        sq.dropUnpublished();
        assertNotNull(sq.next128());
        sq.next();
        sq.flush();
        consumeAll();
        assertEquals(3, sq.consumedSinceSetup());
    }

    @Test
    void onTheKernelNop128RoundTripsAcrossTheWrap() throws Exception {
        Caps.assumeSetupFlag(Uapi.IORING_SETUP_SQE_MIXED());
        Caps.assumeOp(Uapi.IORING_OP_NOP128());
        try (IoUring ring = IoUring.builder().sqeMixed().build(4)) {
            for (int i = 0; i < 40; i++) {
                Sqe e = i % 2 == 0 ? ring.getSqe128() : ring.getSqe();
                if (i % 2 == 0) {
                    e.prepNop128().userData(i);
                } else {
                    e.prepNop().userData(i);
                }
                ring.submitAndWait(1);
                Cqe c = ring.waitCqe();
                assertEquals(i, c.userData(), "the filler NOPs post nothing");
                assertEquals(0, c.res(), c.toString());
                ring.cqeSeen(c);
                assertEquals(0, ring.inFlight());
            }
        }
    }

    @Test
    void thisKernelRefusesWhatItLacksWithEinval() {
        org.junit.jupiter.api.Assumptions.assumeFalse(Caps.KERNEL.hasSetupFlag(Uapi.IORING_SETUP_SQE_MIXED()),
                "the kernel has SQE_MIXED");
        ErrnoException e = assertThrows(ErrnoException.class, () -> IoUring.builder().sqeMixed().build(4));
        assertEquals(Uapi.EINVAL(), e.errno());
        try (IoUring ring = IoUring.open(2)) {
            assertThrows(IllegalStateException.class, ring::getSqe128);
        } catch (ErrnoException ex) {
            throw new AssertionError(ex);
        }
    }
}
