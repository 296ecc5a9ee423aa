package io.github.jring.core;

import io.github.jring.bindings.Uapi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code IORING_SETUP_CQE_MIXED} (6.18): 16- and 32-byte CQEs in one CQ, filled across its end many times so that the
 * kernel's filler entry ({@code IORING_CQE_F_SKIP}) at the wrap is met again and again, by every way of reaping.
 */
class MixedCqeTest {

    /** SQ 4, CQ 8 slots: a 32-byte CQE lands on the last slot every few rounds. */
    private static final int SQ = 4;
    private static final int CQ = 8;
    private static final int ROUNDS = 200;
    private static final int NOP_CQE32 = Uapi.IORING_NOP_CQE32();

    @BeforeEach
    void needsMixedCqes() {
        Caps.assumeSetupFlag(Uapi.IORING_SETUP_CQE_MIXED());
    }

    private static IoUring mixedRing() throws ErrnoException {
        return IoUring.builder().cqeMixed().cqSize(CQ).build(SQ);
    }

    /** Submits one round: NOPs whose user_data says whether each asked for a 32-byte CQE (odd: big). */
    private static int submitRound(IoUring ring, long[] next, int round) throws ErrnoException {
        int n = 1 + round % 3; // 1..3 entries, so that the big ones land on every slot over the rounds
        for (int i = 0; i < n; i++) {
            long ud = next[0]++;
            boolean big = (ud * 7 + round) % 3 != 0;
            Sqe sqe = ring.getSqe().prepNop().userData(ud << 1 | (big ? 1 : 0));
            if (big) {
                sqe.opFlags(NOP_CQE32).off(ud * 3).addr(ud * 5);
            }
        }
        return ring.submitAndWait(n);
    }

    private static void check(Cqe c, long expected, List<Integer> bigSlots) {
        assertEquals(expected, c.userData() >>> 1, "completions in order: " + c);
        assertEquals(0, c.res(), c.toString());
        boolean big = (c.userData() & 1) != 0;
        assertEquals(big, c.isBig(), c.toString());
        assertEquals(big, (c.flags() & Uapi.IORING_CQE_F_32()) != 0, c.toString());
        assertEquals(0, c.flags() & Uapi.IORING_CQE_F_SKIP(), "a filler is never handed out: " + c);
        if (big) {
            assertNotEquals(CQ - 1, c.index(), "a 32-byte CQE never starts at the last slot");
            assertEquals(expected * 3, c.bigCqe0(), "NOP_CQE32 echoes the SQE's off");
            assertEquals(expected * 5, c.bigCqe1(), "and its addr");
            bigSlots.add(c.index());
        } else {
            assertThrows(IllegalStateException.class, c::bigCqe0);
        }
    }

    @Test
    void theRingIsMixedAndItsSlotsAre16Bytes() throws Exception {
        try (IoUring ring = mixedRing()) {
            assertTrue((ring.flags() & Uapi.IORING_SETUP_CQE_MIXED()) != 0, IoUring.setupFlagNames(ring.flags()));
            assertEquals(16, ring.cqeSize());
            assertEquals(CQ, ring.cqEntries());
            ring.getSqe().prepNop().opFlags(NOP_CQE32).off(11).addr(22).userData(1);
            ring.submitAndWait(1);
            Cqe c = ring.peekCqe();
            assertTrue(c.isBig(), c.toString());
            System.out.println("NOP_CQE32 in a mixed ring: " + c);
            ring.cqeSeen(c);
            assertEquals(0, ring.inFlight());
        }
    }

    /** Times the slot after a big CQE's predecessor was skipped: a filler, seen from where the big CQEs landed. */
    private static int fillerCount;

    private static int fillers(List<Integer> bigSlots) {
        return fillerCount;
    }

    /** Where the next CQE should start if no filler came between (-1: unknown). */
    private static int nextSlot = -1;

    private static void track(Cqe c) {
        if (nextSlot >= 0 && c.index() != nextSlot) {
            assertEquals(CQ - 1, nextSlot, "only the last slot is ever skipped: " + c);
            assertEquals(0, c.index());
            assertTrue(c.isBig(), "only for a 32-byte CQE: " + c);
            fillerCount++;
        }
        nextSlot = (c.index() + (c.isBig() ? 2 : 1)) % CQ;
    }

    @Test
    void peekAndSeenAcrossTheWrap() throws Exception {
        try (IoUring ring = mixedRing()) {
            nextSlot = -1;
            fillerCount = 0;
            long[] next = {0};
            long expected = 0;
            List<Integer> bigSlots = new ArrayList<>();
            for (int r = 0; r < ROUNDS; r++) {
                int n = submitRound(ring, next, r);
                assertEquals(n, ring.cqReady(), "cqReady counts CQEs, not slots");
                for (int i = 0; i < n; i++) {
                    Cqe c = ring.peekCqe();
                    check(c, expected++, bigSlots);
                    track(c);
                    ring.cqeSeen(c);
                }
                assertEquals(0, ring.cqReady());
                assertEquals(0, ring.inFlight(), "every CQE, of either size, ends its request");
            }
            assertTrue(bigSlots.contains(0) && bigSlots.contains(CQ - 2), "big CQEs at the start and just before the "
                    + "end: " + bigSlots);
            assertTrue(fillers(bigSlots) > 0, "some 32-byte CQE was due at the last slot and went to slot 0 instead");
        }
    }

    @Test
    void forEachCqeCopyAndBatchAcrossTheWrap() throws Exception {
        try (IoUring ring = mixedRing()) {
            long[] next = {0};
            long[] expected = {0};
            List<Integer> bigSlots = new ArrayList<>();
            Cqe[] batch = new Cqe[SQ];
            long[] ud = new long[SQ];
            int[] res = new int[SQ];
            int[] flags = new int[SQ];
            for (int r = 0; r < ROUNDS; r++) {
                int n = submitRound(ring, next, r);
                switch (r % 3) {
                    case 0 -> assertEquals(n, ring.forEachCqe(c -> check(c, expected[0]++, bigSlots)));
                    case 1 -> {
                        int got = 0;
                        while (got < n) {
                            int k = ring.peekBatchCqe(batch);
                            assertTrue(k > 0);
                            for (int i = 0; i < k; i++) {
                                check(batch[i], expected[0]++, bigSlots);
                            }
                            ring.cqAdvance(k);
                            got += k;
                        }
                    }
                    default -> {
                        assertEquals(n, ring.copyCqes(ud, res, flags));
                        for (int i = 0; i < n; i++) {
                            assertEquals(expected[0]++, ud[i] >>> 1);
                            assertEquals((ud[i] & 1) != 0, (flags[i] & Uapi.IORING_CQE_F_32()) != 0);
                            assertEquals(0, flags[i] & Uapi.IORING_CQE_F_SKIP());
                        }
                    }
                }
                assertEquals(0, ring.inFlight());
            }
            assertFalse(bigSlots.isEmpty());
        }
    }

    @Test
    void cqAdvanceCountsCqesNotSlots() throws Exception {
        try (IoUring ring = mixedRing()) {
            for (int i = 0; i < 3; i++) {
                ring.getSqe().prepNop().opFlags(NOP_CQE32).userData(i);
            }
            ring.submitAndWait(3);
            assertEquals(3, ring.cqReady());
            assertThrows(IllegalArgumentException.class, () -> ring.cqAdvance(4));
            ring.cqAdvance(3);
            assertEquals(0, ring.cqReady());
            assertEquals(0, ring.inFlight());
        }
    }

    @Test
    void aRingWithoutTheFlagRefusesNopCqe32() throws Exception {
        try (IoUring ring = IoUring.open(2)) {
            ring.getSqe().prepNop().opFlags(NOP_CQE32).userData(1);
            assertEquals(-Uapi.EINVAL(), Reap.one(ring));
        }
    }
}
