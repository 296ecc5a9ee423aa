package io.github.jring.core;

import io.github.jring.bindings.Uapi;
import io.github.jring.bindings.__kernel_timespec;
import io.github.jring.bindings.io_uring_sync_cancel_reg;
import io.github.jring.core.internal.Host;
import io.github.jring.core.internal.Syscalls;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The close protocol's first half: cancel every request in flight and reap until the kernel is done with all of
 * them ({@link IoUring#cancelAndDrain}, and {@link IoUring#close()} before it unmaps anything), and the ring's count
 * of requests in flight that it checks against ({@link IoUring#inFlight()}). Uses both sides of the ring through the
 * {@link SubmissionQueue}, the {@link CompletionQueue} and the {@link Submitter}; its own requests carry the
 * {@code user_data} values from {@link IoUring#DRAIN_USER_DATA_BASE}.
 *
 * <p>The kernel says that everything before it is done by completing an {@code IOSQE_IO_DRAIN} NOP; the count alone
 * can be low (for example, completions another ring posts here with {@code IORING_OP_MSG_RING} count as ends). One exception: on
 * kernels before 6.16, once a zero-copy send's notification was posted, that NOP would never complete
 * ({@link SequenceDrain}), so then no NOP is queued and the count decides.
 */
final class InFlightDrain {

    private static final int EINTR = Uapi.EINTR();
    private static final int EAGAIN = Uapi.EAGAIN();
    private static final int EBUSY = Uapi.EBUSY();
    private static final int EINVAL = Uapi.EINVAL();
    private static final int EOPNOTSUPP = Uapi.EOPNOTSUPP();
    private static final int ECANCELED = Uapi.ECANCELED();
    private static final int CANCEL_ANY = Uapi.IORING_ASYNC_CANCEL_ANY();
    /** Test hook: ANY together with FD, which every kernel refuses with EINVAL (as kernels before 5.19 refuse ANY). */
    private static final int CANCEL_ANY_REFUSED = CANCEL_ANY | Uapi.IORING_ASYNC_CANCEL_FD();
    /** Test hook: a cancel flag no kernel knows, so that IORING_REGISTER_SYNC_CANCEL answers EINVAL. */
    private static final int SYNC_CANCEL_UNKNOWN_FLAG = 1 << 30;
    /** While draining: how often the cancel-everything is repeated for requests that started since. */
    private static final long RECANCEL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** The lowest reserved user_data ({@link IoUring#DRAIN_USER_DATA_BASE}). */
    static final long DRAIN_USER_DATA_BASE = Long.MIN_VALUE;
    /** How many user_data values from {@link #DRAIN_USER_DATA_BASE} are reserved. */
    private static final long DRAIN_USER_DATA_COUNT = 1L << 16;
    /** Skip mode (drain refused): how long to keep reaping for counted requests after the cancel's completion. */
    private static final long SKIP_SUCCESS_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final CqeHandler DISCARD = cqe -> { };
    // A cancelAndDrain's own requests: user_data = its base + one of these.
    private static final int OWN_CANCEL = 0;
    private static final int OWN_DRAIN = 1;
    /** A NOP that ends a link chain left open by the last entry submitted. */
    private static final int OWN_NOP = 2;

    /**
     * Whether the kernel releases an {@code IOSQE_IO_DRAIN} request by counting CQ entries, as every kernel before
     * 6.16 does: Linux 6.1's {@code req_need_defer()} (io_uring/io_uring.c) holds a drained request on
     * {@code ctx->defer_list} until {@code seq + ctx->cq_extra == ctx->cached_cq_tail}, where {@code seq} counts
     * the SQEs before it and {@code cq_extra} the completions posted for no SQE ({@code io_fill_cqe_aux()} bumps
     * it). A zero-copy send's notification is such a completion, but it is posted as the completion of a request
     * of its own that no SQE made ({@code io_alloc_notif()} in io_uring/notif.c, completed through
     * {@code io_req_task_complete()}), which leaves {@code cq_extra} alone: after the first notification the CQ
     * tail has passed every later drained request's target for good, and the kernel never releases it (nor,
     * while it waits, any request submitted after it); no cancel reaches the defer list, only the ring's exit
     * frees it. Linux 6.16 ({@code 8fb7aee05591}, "io_uring: drain based on allocates reqs") releases a drained
     * request when every request allocated before it is done instead, notifications included.
     */
    private static final class SequenceDrain {
        static final boolean KERNEL = !Host.kernelAtLeast(6, 16);
    }

    private final int ringFd;
    private final boolean sqPoll;
    private final boolean ioPoll;
    private final SubmissionQueue sq;
    private final CompletionQueue cq;
    private final Submitter submitter;
    private final long closeTimeoutNanos;
    private final boolean rejectCancelAny;
    /** Whether the kernel releases drained requests by CQ sequence ({@link SequenceDrain}), or a test says so. */
    private final boolean drainByCqSequence;
    private final MemorySegment errno;
    /** The {@code struct io_uring_sync_cancel_reg} of the cancel-everything. */
    private final MemorySegment syncCancelArg;
    /** Numbers the cancelAndDrain calls, so that a late completion of an earlier one is not taken for the current. */
    private int drainAttempt;
    /** The latest cancelAndDrain, for the count in close()'s message. */
    private DrainState currentDrain;

    InFlightDrain(int ringFd, boolean sqPoll, boolean ioPoll, SubmissionQueue sq, CompletionQueue cq,
                  Submitter submitter, long closeTimeoutNanos, boolean rejectCancelAny, boolean drainByCqSequence,
                  Arena arena) {
        this.ringFd = ringFd;
        this.sqPoll = sqPoll;
        this.ioPoll = ioPoll;
        this.sq = sq;
        this.cq = cq;
        this.submitter = submitter;
        this.closeTimeoutNanos = closeTimeoutNanos;
        this.rejectCancelAny = rejectCancelAny;
        this.drainByCqSequence = drainByCqSequence;
        this.errno = Syscalls.allocateErrnoState(arena);
        this.syncCancelArg = arena.allocate(io_uring_sync_cancel_reg.layout());
        // Cancel everything: IORING_ASYNC_CANCEL_ANY (the test hook adds a bit no kernel knows: EINVAL, as before 6.0).
        io_uring_sync_cancel_reg.flags(syncCancelArg, rejectCancelAny ? CANCEL_ANY | SYNC_CANCEL_UNKNOWN_FLAG
                : CANCEL_ANY);
        io_uring_sync_cancel_reg.fd(syncCancelArg, -1);
        MemorySegment forever = io_uring_sync_cancel_reg.timeout(syncCancelArg);
        __kernel_timespec.tv_sec(forever, -1L); // no timeout (only used for a single-request cancel)
        __kernel_timespec.tv_nsec(forever, -1L);
    }

    /**
     * Requests in flight by the ring's count: the SQEs the kernel has consumed minus the completions reaped that end
     * a request. Both sides are counted from their heads at setup, and only the completions with
     * {@code IORING_CQE_F_MORE} need a counter of their own, so the hot path pays one flag test per completion.
     */
    int inFlightCount() {
        return sq.consumedSinceSetup() - cq.endedSinceSetup();
    }

    /**
     * {@link IoUring#close()}'s drain: returns when nothing is in flight any more; otherwise throws
     * {@link IllegalStateException} saying how many requests are and why, and the ring must stay open.
     */
    void drainBeforeClose() {
        int left;
        ErrnoException failure = null;
        try {
            left = cancelAndDrain(closeTimeoutNanos, DISCARD);
        } catch (ErrnoException e) {
            failure = e;
            cq.drain(currentDrain != null ? currentDrain : DISCARD); // what is in the CQ, without entering the kernel
            left = currentDrain != null ? currentDrain.othersInFlight() : inFlightCount();
        }
        if (left > 0) {
            String why = failure != null
                    ? "close() could not cancel and reap them (" + failure.getMessage() + ")"
                    : "they did not end within the close timeout of " + Duration.ofNanos(closeTimeoutNanos)
                            + " after close() cancelled them (IORING_ASYNC_CANCEL_ANY" + (ioPoll ? " is not possible "
                            + "on an IOPOLL ring" : "") + ")";
            IllegalStateException e = new IllegalStateException("io_uring (fd " + ringFd + "): " + left
                    + (left == 1 ? " request is" : " requests are") + " still in flight: " + why + ". The ring stays "
                    + "open and mapped, because the kernel may still write their buffers: keep those allocated, reap "
                    + "the completions, and close again");
            if (failure != null) {
                e.initCause(failure);
            }
            throw e;
        }
    }

    /** The state of one cancelAndDrain: its own completions, recognized by their user_data. */
    private final class DrainState implements CqeHandler {
        final long base;
        final CqeHandler consumer;
        /** Completions handed to the consumer since the last cancel. */
        int delivered;
        /** Own requests queued, and own completions reaped (of this drain). */
        int ownQueued;
        int ownReaped;
        boolean cancelDone;
        long cancelDoneAt;
        boolean drainDone;
        int drainRes;
        /**
         * The kernel will not release this drain's NOP (or it was not queued): a notification was reaped on a
         * kernel that drains by CQ sequence ({@link SequenceDrain}), so only the ring's count can tell.
         */
        boolean countOnly;

        DrainState(long base, CqeHandler consumer) {
            this.base = base;
            this.consumer = consumer;
        }

        @Override
        public void accept(Cqe c) {
            long ud = c.userData();
            long own = ud - DRAIN_USER_DATA_BASE;
            if (own >= 0 && own < DRAIN_USER_DATA_COUNT) {
                if (ud - base >= 0 && ud - base <= OWN_NOP) {
                    ownReaped++;
                }
                if (ud == base + OWN_CANCEL) {
                    // -ENOENT: nothing to cancel. -EINVAL: no IORING_ASYNC_CANCEL_ANY (before 5.19): wait only.
                    cancelled(System.nanoTime());
                } else if (ud == base + OWN_DRAIN) {
                    drainDone = true;
                    drainRes = c.res();
                }
                return; // the terminating NOP, or a late completion of an earlier cancelAndDrain
            }
            delivered++;
            consumer.accept(c);
        }

        void cancelled(long now) {
            if (!cancelDone) {
                cancelDone = true;
                cancelDoneAt = now;
            }
        }

        /** Whether nothing is in flight any more (or, in skip mode, nothing more can be known). */
        boolean finished(int left, long now) {
            if (!drainDone) {
                // The kernel has not said so yet, whatever the count says; unless it never will (countOnly), and
                // then the count, exact here (a zero-copy send ends with its notification), is all there is.
                return countOnly && cancelDone && othersInFlight() <= 0;
            }
            if (drainRes >= 0 || drainRes == -ECANCELED) {
                // -ECANCELED: the kernel released the NOP from its drain queue (so everything before it had
                // completed) into io-wq, where a repeated cancel-everything found it.
                return left <= 0;
            }
            // The draining NOP was refused: -EOPNOTSUPP once CQE_SKIP_SUCCESS was used. Fall back on the count.
            if (!cancelDone) {
                return false;
            }
            return left <= 0 || (drainRes == -EOPNOTSUPP && now - cancelDoneAt - SKIP_SUCCESS_GRACE_NANOS >= 0);
        }

        /**
         * The ring's count without this drain's own requests that the kernel has consumed and not completed (the
         * newest entries, so those it has not consumed yet are the last ones).
         */
        int othersInFlight() {
            int ownPending = ownQueued - ownReaped;
            int unconsumed = sq.publishedUnconsumed();
            return inFlightCount() - (ownPending - Math.min(ownPending, Math.max(0, unconsumed)));
        }

        void reapAll() throws ErrnoException {
            while (submitter.forEachCqe(this) > 0) {
                // until the CQ and the kernel's overflow list are empty
            }
        }
    }

    /** {@link IoUring#cancelAndDrain}, with the timeout in nanoseconds. */
    int cancelAndDrain(long timeoutNanos, CqeHandler consumer) throws ErrnoException {
        long deadline = System.nanoTime() + timeoutNanos;
        currentDrain = null;
        // Entries never published: the kernel has not seen them, and they must not run now.
        sq.dropUnpublished();
        if (sq.neverPublished() && cq.neverReaped()) {
            // Nothing was ever submitted (or exactly a multiple of 2^32 entries and completions, none of them
            // F_MORE: then the count is 0 too): nothing is in flight. Hand over what is in the CQ (MSG_RING posts).
            while (submitter.forEachCqe(consumer) > 0) {
                // drain
            }
            return 0;
        }
        drainAttempt = (drainAttempt + 1) & 0x3FFF;
        DrainState d = new DrainState(DRAIN_USER_DATA_BASE + 4L * drainAttempt, consumer);
        currentDrain = d;
        // Let the kernel take what was submitted before the cancel runs, so that the cancel sees it.
        submitQueued(d, true, deadline);
        boolean syncCancel = syncCancelAll();
        if (syncCancel) {
            d.cancelled(System.nanoTime());
        } else if (ioPoll) {
            d.cancelled(System.nanoTime()); // nothing on an IOPOLL ring can be cancelled, and the kernel refuses it
        } else if (!queueOwn(d, OWN_CANCEL, deadline)) {
            return Math.max(1, d.othersInFlight());
        }
        if (drainNeverReleased()) {
            // Not even queued: the kernel would hold it, and every request submitted after it, until the ring closes.
            d.countOnly = true;
        } else if (!queueOwn(d, OWN_DRAIN, deadline)) {
            return Math.max(1, d.othersInFlight());
        }
        submitQueued(d, false, 0L);
        long lastCancel = System.nanoTime();
        for (;;) {
            d.reapAll();
            if (!d.drainDone && !d.countOnly && drainNeverReleased()) {
                d.countOnly = true; // a send in flight posted its notification after the NOP was queued
            }
            long now = System.nanoTime();
            int left = inFlightCount();
            if (d.finished(left, now)) {
                return 0;
            }
            if (now - deadline >= 0) {
                return Math.max(1, d.othersInFlight()); // at least 1: the kernel has not said "none"
            }
            long wait = deadline - now;
            if (syncCancel) {
                if (d.delivered > 0 || now - lastCancel >= RECANCEL_NANOS) {
                    // Completions can release requests (a hard-linked successor, a drained one) that the last
                    // cancel could not see yet.
                    syncCancelAll();
                    d.delivered = 0;
                    lastCancel = now;
                }
                wait = Math.min(wait, RECANCEL_NANOS);
            }
            if (d.drainDone && d.drainRes == -EOPNOTSUPP && d.cancelDone) {
                wait = Math.max(1L, Math.min(wait, d.cancelDoneAt + SKIP_SUCCESS_GRACE_NANOS - now));
            }
            try {
                submitter.submitAndWait(1, wait);
            } catch (ErrnoException e) {
                if (e.errno() != EAGAIN && e.errno() != EBUSY) {
                    throw e;
                }
                LockSupport.parkNanos(100_000L); // no memory for new requests, or the CQ is full: reap, retry
            }
        }
    }

    /**
     * Whether a drained NOP queued now would never complete: a zero-copy send's notification has been reaped from
     * this ring, and the kernel drains by CQ sequence ({@link SequenceDrain}).
     */
    private boolean drainNeverReleased() {
        return cq.notificationReaped() && (drainByCqSequence || SequenceDrain.KERNEL);
    }

    /**
     * Cancels everything cancellable with {@code IORING_REGISTER_SYNC_CANCEL} (6.0); false if the kernel does not
     * have it (or {@code IORING_ASYNC_CANCEL_ANY}).
     */
    private boolean syncCancelAll() throws ErrnoException {
        int ret;
        do {
            ret = Syscalls.ioUringRegister(errno, ringFd, Uapi.IORING_REGISTER_SYNC_CANCEL(),
                    syncCancelArg.address(), 1);
        } while (ret == -EINTR);
        if (ret >= 0) {
            return true; // the number of requests it found
        }
        if (ret == -EINVAL) {
            return false;
        }
        throw new ErrnoException("io_uring_register(IORING_REGISTER_SYNC_CANCEL, IORING_ASYNC_CANCEL_ANY)", -ret);
    }

    /**
     * Hands the kernel the entries submitted but not yet consumed (after an EAGAIN, or before an SQPOLL thread took
     * them); if {@code wait}, until {@code deadline} for it to consume them all (an SQPOLL thread takes its time).
     */
    private void submitQueued(DrainState d, boolean wait, long deadline) throws ErrnoException {
        for (;;) {
            try {
                submitter.submit();
            } catch (ErrnoException e) {
                if (e.errno() != EAGAIN && e.errno() != EBUSY) {
                    throw e;
                }
                d.reapAll(); // make room in the CQ, then try again
            }
            if (!wait || sq.publishedUnconsumed() == 0 || System.nanoTime() - deadline >= 0) {
                return;
            }
            LockSupport.parkNanos(50_000L);
        }
    }

    /** Queues one of the drain's own requests; false if no SQE became free before {@code deadline}. */
    private boolean queueOwn(DrainState d, int kind, long deadline) throws ErrnoException {
        for (;;) {
            // If the last entry submitted links to the next one and the kernel has not consumed it yet, our request
            // would join that chain (and wait for it, or be cancelled with it): end the chain with a NOP first.
            if (kind != OWN_NOP && sq.chainOpen() && !queueOwn(d, OWN_NOP, deadline)) {
                return false;
            }
            Sqe sqe = sq.next();
            if (sqe != null) {
                if (kind == OWN_CANCEL) {
                    sqe.prepCancel(0L, rejectCancelAny ? CANCEL_ANY_REFUSED : CANCEL_ANY);
                } else if (kind == OWN_DRAIN) {
                    sqe.prepNop().ioDrain();
                } else {
                    sqe.prepNop();
                }
                sqe.userData(d.base + kind);
                d.ownQueued++;
                sq.flush();
                return true;
            }
            // The SQ is full of entries the kernel has not consumed: hand them over, make room in the CQ, retry.
            submitQueued(d, false, 0L);
            d.reapAll();
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            if (sqPoll) {
                LockSupport.parkNanos(50_000L);
            }
        }
    }
}
