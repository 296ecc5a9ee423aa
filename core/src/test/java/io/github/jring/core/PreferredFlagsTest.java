package io.github.jring.core;

import io.github.jring.bindings.Uapi;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link IoUringBuilder#preferFlags(int...)}: the kernel gets the choices in order, a choice it refuses with
 * {@code EINVAL} is dropped for the next, and {@link IoUring#flags()} tells which it took. The refusals are real:
 * {@code DEFER_TASKRUN} without {@code SINGLE_ISSUER}, and {@code DEFER_TASKRUN} with {@code SQPOLL}, are invalid on
 * every kernel (before 6.1 {@code DEFER_TASKRUN} is unknown, which is {@code EINVAL} too).
 */
class PreferredFlagsTest {

    private static final int COOP = Uapi.IORING_SETUP_COOP_TASKRUN();
    private static final int SINGLE = Uapi.IORING_SETUP_SINGLE_ISSUER();
    private static final int DEFER = Uapi.IORING_SETUP_DEFER_TASKRUN();
    private static final int SUBMIT_ALL = Uapi.IORING_SETUP_SUBMIT_ALL();
    private static final int CQE32 = Uapi.IORING_SETUP_CQE32();

    private static boolean has(IoUring ring, int flags) {
        return (ring.flags() & flags) == flags;
    }

    @Test
    void theFirstChoiceTheKernelAcceptsIsTaken() throws Exception {
        Caps.assumeSetupFlag(SINGLE | DEFER);
        try (IoUring ring = IoUring.builder().preferFlags(SINGLE | DEFER, COOP).build(8)) {
            assertTrue(has(ring, SINGLE | DEFER), IoUring.setupFlagNames(ring.flags()));
            assertEquals(0, ring.flags() & COOP, "a later choice is not added to the one taken");
        }
    }

    @Test
    void aRefusedChoiceFallsBackToTheNext() throws Exception {
        Caps.assumeSetupFlag(COOP);
        IoUringBuilder b = IoUring.builder().cqe32().preferFlags(DEFER, COOP | SUBMIT_ALL);
        try (IoUring ring = b.build(8)) {
            assertTrue(has(ring, CQE32 | COOP | SUBMIT_ALL), IoUring.setupFlagNames(ring.flags()));
            assertEquals(0, ring.flags() & DEFER);
            assertEquals(32, ring.cqeSize(), "the flags asked for stay in every try");
        }
        assertEquals(CQE32, b.setupFlags(), "the builder keeps only the flags asked for, and builds again");
        try (IoUring again = b.build(8)) {
            assertTrue(has(again, CQE32 | COOP | SUBMIT_ALL), IoUring.setupFlagNames(again.flags()));
        }
    }

    @Test
    void whenEveryChoiceIsRefusedTheRingHasTheFlagsAskedForAlone() throws Exception {
        // SQPOLL refuses DEFER_TASKRUN with or without SINGLE_ISSUER: the ladder ends with the plain SQPOLL ring.
        int sqPoll = Uapi.IORING_SETUP_SQPOLL();
        try (IoUring ring = IoUring.builder().sqPoll(0).preferFlags(SINGLE | DEFER, DEFER).build(8)) {
            assertTrue(has(ring, sqPoll), IoUring.setupFlagNames(ring.flags()));
            assertEquals(0, ring.flags() & (DEFER | SINGLE), IoUring.setupFlagNames(ring.flags()));
        }
        // Without any choice that fits, the kernel's own answer to the flags asked for is what the caller sees.
        ErrnoException e = assertThrows(ErrnoException.class,
                () -> IoUring.builder().deferTaskrun().preferFlags(COOP).build(8));
        assertEquals(Uapi.EINVAL(), e.errno());
    }

    @Test
    void choicesAreCheckedAsRawFlagsAre() {
        assertThrows(IllegalArgumentException.class,
                () -> IoUring.builder().preferFlags(COOP, Uapi.IORING_SETUP_REGISTERED_FD_ONLY()));
        assertThrows(IllegalArgumentException.class,
                () -> IoUring.builder().preferFlags(Uapi.IORING_SETUP_NO_MMAP()));
    }

    @Test
    void aLaterCallReplacesTheChoicesAndNoChoiceTriesOnlyTheFlagsAskedFor() throws Exception {
        Caps.assumeSetupFlag(COOP);
        try (IoUring ring = IoUring.builder().preferFlags(COOP).preferFlags().build(8)) {
            assertEquals(0, ring.flags() & COOP, IoUring.setupFlagNames(ring.flags()));
        }
    }
}
