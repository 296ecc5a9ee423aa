package io.github.jring.core;

import io.github.jring.bindings.Uapi;
import io.github.jring.bindings.__kernel_timespec;
import io.github.jring.bindings.io_uring_getevents_arg;
import io.github.jring.bindings.io_uring_rsrc_update;
import io.github.jring.core.internal.Syscalls;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Everything that calls {@code io_uring_enter}: submitting the SQ (waking an SQPOLL thread), waiting for completions,
 * and flushing completions that wait in the kernel (CQ overflow, task work, IOPOLL) into the CQ; and the ring fd
 * that the calls name, with its per-thread registration ({@code IORING_REGISTER_RING_FDS}). Drives the
 * {@link SubmissionQueue} and the {@link CompletionQueue}, which never enter the kernel themselves. The memory the
 * calls need (errno capture, wait arguments) is allocated once per side, so nothing here allocates per call.
 */
final class Submitter {

    private static final int ENTER_GETEVENTS = Uapi.IORING_ENTER_GETEVENTS();
    private static final int ENTER_SQ_WAKEUP = Uapi.IORING_ENTER_SQ_WAKEUP();
    private static final int ENTER_SQ_WAIT = Uapi.IORING_ENTER_SQ_WAIT();
    private static final int ENTER_EXT_ARG = Uapi.IORING_ENTER_EXT_ARG();
    private static final int ENTER_REGISTERED_RING = Uapi.IORING_ENTER_REGISTERED_RING();
    private static final int SQ_CQ_OVERFLOW = Uapi.IORING_SQ_CQ_OVERFLOW();
    private static final int SQ_TASKRUN = Uapi.IORING_SQ_TASKRUN();
    private static final int EINTR = Uapi.EINTR();
    private static final int EAGAIN = Uapi.EAGAIN();
    private static final int EBUSY = Uapi.EBUSY();
    private static final int ETIME = Uapi.ETIME();
    private static final long GETEVENTS_ARG_SIZE = io_uring_getevents_arg.layout().byteSize();
    /**
     * {@code _NSIG / 8}, the kernel's signal-set size in bytes ({@code _NSIG} is 64 in {@code <asm/signal.h>} on
     * x86-64 and arm64; not in the bindings). liburing passes it as {@code sigmask_sz}; the kernel only checks it when a
     * mask is given.
     */
    private static final int KERNEL_SIGSET_BYTES = 64 / 8;
    /** After a submitAndWait whose completions were not inline, the calls until it submits without waiting again. */
    static final int INLINE_PROBE_INTERVAL = 32;

    private final int ringFd;
    private final boolean sqPoll;
    private final boolean ioPoll;
    /** Whether waits with a timeout can use IORING_ENTER_EXT_ARG (else: an internal timeout SQE). */
    private final boolean extArg;
    private final SubmissionQueue sq;
    private final CompletionQueue cq;

    // Per-side scratch memory for io_uring_enter, allocated once.
    private final MemorySegment submitErrno;
    private final MemorySegment submitArg;
    private final MemorySegment submitTs;
    private final MemorySegment reapErrno;
    private final MemorySegment reapArg;
    private final MemorySegment reapTs;

    private int registeredIndex = -1;
    private Thread registeredThread;
    private long enterCount;

    /*
     * submitAndWait's guess whether the completions it waits for will be in the CQ as soon as the submit returns
     * (requests the kernel completes inline post their CQEs before io_uring_enter returns). A waiting enter must pay
     * FFM's thread-state transition, about 12 ns here (a critical downcall that slept would hold up every safepoint);
     * a submit-only enter need not. Submission side only.
     */
    private boolean readyAfterSubmit = true;
    private int inlineProbeCountdown;

    Submitter(int ringFd, boolean sqPoll, boolean ioPoll, boolean extArg, SubmissionQueue sq, CompletionQueue cq,
              Arena arena) {
        this.ringFd = ringFd;
        this.sqPoll = sqPoll;
        this.ioPoll = ioPoll;
        this.extArg = extArg;
        this.sq = sq;
        this.cq = cq;
        this.submitErrno = Syscalls.allocateErrnoState(arena);
        this.submitTs = arena.allocate(__kernel_timespec.layout());
        this.submitArg = arena.allocate(io_uring_getevents_arg.layout());
        this.reapErrno = Syscalls.allocateErrnoState(arena);
        this.reapTs = arena.allocate(__kernel_timespec.layout());
        this.reapArg = arena.allocate(io_uring_getevents_arg.layout());
        initGeteventsArg(submitArg, submitTs);
        initGeteventsArg(reapArg, reapTs);
    }

    private static void initGeteventsArg(MemorySegment arg, MemorySegment ts) {
        io_uring_getevents_arg.sigmask(arg, 0L);
        io_uring_getevents_arg.sigmask_sz(arg, KERNEL_SIGSET_BYTES);
        io_uring_getevents_arg.ts(arg, ts.address());
    }

    long enterCount() {
        return enterCount;
    }

    // ---- Submission side. ----------------------------------------------------------------------------------------

    /** {@link IoUring#submit()}. */
    int submit() throws ErrnoException {
        return submitInternal(0, 0, 0L, 0L);
    }

    /** {@link IoUring#submitAndWait(int)}, {@code waitNr} checked. */
    int submitAndWait(int waitNr) throws ErrnoException {
        if (waitNr > 0 && !sqPoll && !ioPoll && (readyAfterSubmit || --inlineProbeCountdown <= 0)) {
            // Submit without waiting (a critical downcall) and wait only if the completions did not come inline.
            int submitted = submitInternal(0, 0, 0L, 0L);
            readyAfterSubmit = cq.ready() >= waitNr;
            if (!readyAfterSubmit) {
                inlineProbeCountdown = INLINE_PROBE_INTERVAL;
                awaitReady(waitNr, 0L);
            }
            return submitted;
        }
        int submitted = submitInternal(waitNr, 0, 0L, 0L);
        awaitReady(waitNr, 0L);
        return submitted;
    }

    /** {@link IoUring#submitAndWait(int, long, java.util.concurrent.TimeUnit)}, {@code waitNr} checked. */
    int submitAndWait(int waitNr, long nanos) throws ErrnoException {
        if (extArg) {
            long deadline = System.nanoTime() + nanos;
            KernelTimespec.set(submitTs, nanos);
            int submitted = submitInternal(waitNr, ENTER_EXT_ARG, submitArg.address(), GETEVENTS_ARG_SIZE);
            awaitReady(waitNr, deadline);
            return submitted;
        }
        queueInternalTimeout(submitTs, nanos, waitNr);
        return submitInternal(waitNr, 0, 0L, 0L);
    }

    /** {@link IoUring#sqRingWait()}. */
    void sqRingWait() throws ErrnoException {
        if (!sqPoll || sq.entries() - sq.unconsumed() > 0) {
            return;
        }
        for (;;) {
            int ret = enter(submitErrno, 0, 0, ENTER_SQ_WAIT, 0L, 0L);
            if (ret >= 0) {
                return;
            }
            if (ret != -EINTR) {
                throw new ErrnoException("io_uring_enter (IORING_ENTER_SQ_WAIT)", -ret);
            }
        }
    }

    /**
     * How many completions in the CQ end a wait for {@code waitNr}. On an IOPOLL ring the kernel looks for
     * completions only while the CQ is empty: {@code io_iopoll_check()} returns at once, without polling, when the CQ
     * holds any ("don't enter poll loop if we already have events pending", every kernel up to at least 6.18; the
     * io-uring list's 2026 patch "io_uring: count CQEs in io_iopoll_check()" would count them instead). Entering
     * again to wait for the rest would then return at once, forever, and the rest would never be polled (an NVMe poll
     * queue's completion stays on the device's queue until the driver's 30 s timeout finds it). So on an IOPOLL ring
     * a wait ends as soon as the CQ holds one completion; the caller reaps and waits again, as fio's loop does. The
     * first enter still asks for {@code waitNr}, and the kernel polls until that many when the CQ was empty.
     */
    private int enoughToReturn(int waitNr) {
        return ioPoll ? Math.min(waitNr, 1) : waitNr;
    }

    /**
     * After a submit-and-wait: waits on while fewer than {@code waitNr} completions are in the CQ. A wait that a
     * signal interrupts after the same call submitted entries does not fail with {@code EINTR}: the kernel returns the
     * number submitted, as if the wait were over. Waits until {@code deadline} ({@code System.nanoTime()}), or without
     * limit when it is 0. {@code EAGAIN}/{@code EBUSY} end the wait (the caller reaps and tries again).
     */
    private void awaitReady(int waitNr, long deadline) throws ErrnoException {
        int enough = enoughToReturn(waitNr);
        while (enough > 0 && cq.ready() < enough) {
            int ret;
            if (deadline == 0L) {
                ret = enter(submitErrno, 0, waitNr, ENTER_GETEVENTS, 0L, 0L);
            } else {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                KernelTimespec.set(submitTs, left);
                ret = enter(submitErrno, 0, waitNr, ENTER_GETEVENTS | ENTER_EXT_ARG, submitArg.address(),
                        GETEVENTS_ARG_SIZE);
                if (ret == -ETIME) {
                    return;
                }
            }
            if (ret < 0 && ret != -EINTR) {
                if (ret == -EAGAIN || ret == -EBUSY) {
                    return;
                }
                throw new ErrnoException("io_uring_enter (waiting for completions)", -ret);
            }
        }
    }

    private int submitInternal(int waitNr, int extraFlags, long arg, long argSize) throws ErrnoException {
        int published = sq.flush();
        int enterFlags = extraFlags;
        boolean needEnter = false;
        int toSubmit;
        if (sqPoll) {
            toSubmit = published;
            if (sq.needsWakeup()) {
                enterFlags |= ENTER_SQ_WAKEUP;
                needEnter = true;
            }
        } else {
            // Everything published and not yet consumed (entries left over after an error are retried too).
            toSubmit = sq.unconsumed();
            needEnter = toSubmit > 0;
        }
        if (waitNr > 0 || cqNeedsEnter()) {
            enterFlags |= ENTER_GETEVENTS;
            needEnter = true;
        }
        if (!needEnter) {
            return toSubmit;
        }
        for (;;) {
            int ret = enter(submitErrno, toSubmit, waitNr, enterFlags, arg, argSize);
            if (ret >= 0) {
                return sqPoll ? published : ret;
            }
            if (ret == -EINTR) {
                // Nothing was consumed (the kernel reports an error only then): recount and retry.
                if (!sqPoll) {
                    toSubmit = sq.unconsumed();
                }
                continue;
            }
            if (ret == -ETIME && (enterFlags & ENTER_EXT_ARG) != 0) {
                return sqPoll ? published : 0;
            }
            throw new ErrnoException("io_uring_enter", -ret, !sqPoll && toSubmit > 0
                    ? toSubmit + " entries stay queued; reap completions and submit again" : "");
        }
    }

    /** For kernels without EXT_ARG: queues an IORING_OP_TIMEOUT with the ring's reserved user_data. */
    private void queueInternalTimeout(MemorySegment ts, long nanos, int count) throws ErrnoException {
        Sqe sqe = sq.next();
        if (sqe == null) {
            submitInternal(0, 0, 0L, 0L);
            sqe = sq.next();
            if (sqe == null) {
                throw new ErrnoException("timed wait (no IORING_FEAT_EXT_ARG): no free SQE for the timeout",
                        EBUSY);
            }
        }
        KernelTimespec.set(ts, nanos);
        sqe.prepTimeout(ts, count, 0).userData(CompletionQueue.INTERNAL_TIMEOUT_USER_DATA);
    }

    // ---- Completion side. ----------------------------------------------------------------------------------------

    /** IOPOLL rings reap by entering; CQ_OVERFLOW and TASKRUN mean completions are waiting in the kernel. */
    private boolean cqNeedsEnter() {
        return ioPoll || (sq.flagsRelaxed() & (SQ_CQ_OVERFLOW | SQ_TASKRUN)) != 0;
    }

    /** Asks the kernel to move overflowed completions / run task work (io_uring_enter GETEVENTS, min 0). */
    private void flushCq() throws ErrnoException {
        for (;;) {
            int ret = enter(reapErrno, 0, 0, ENTER_GETEVENTS, 0L, 0L);
            if (ret >= 0 || ret == -EAGAIN || ret == -EBUSY) {
                // EBUSY: the CQ is full again and the overflow list is not empty: reap, then flush again.
                return;
            }
            if (ret != -EINTR) {
                throw new ErrnoException("io_uring_enter (flushing completions)", -ret);
            }
        }
    }

    /** Flushes completions waiting in the kernel if the CQ is empty and some are. */
    private void flushIfEmpty() throws ErrnoException {
        if (cq.peek() == null && cqNeedsEnter()) {
            flushCq();
        }
    }

    /** {@link IoUring#peekCqe()}. */
    Cqe peekCqe() throws ErrnoException {
        Cqe c = cq.peek();
        if (c == null && cqNeedsEnter()) {
            flushCq();
            c = cq.peek();
        }
        return c;
    }

    /** {@link IoUring#waitCqeNr(int)}, {@code waitNr} checked. */
    Cqe waitCqeNr(int waitNr) throws ErrnoException {
        for (;;) {
            Cqe c = cq.peek();
            if (c != null && (waitNr == 1 || cq.ready() >= enoughToReturn(waitNr))) {
                return c;
            }
            int ret = enter(reapErrno, 0, waitNr, ENTER_GETEVENTS, 0L, 0L);
            if (ret < 0 && ret != -EINTR) {
                c = cq.peek();
                if (c != null && (ret == -EAGAIN || ret == -EBUSY)) {
                    return c;
                }
                throw new ErrnoException("io_uring_enter (waiting for completions)", -ret);
            }
        }
    }

    /** {@link IoUring#waitCqe(long, java.util.concurrent.TimeUnit)}. */
    Cqe waitCqe(long nanos) throws ErrnoException {
        Cqe c = cq.peek();
        if (c != null) {
            return c;
        }
        long deadline = System.nanoTime() + nanos;
        for (;;) {
            int ret;
            if (extArg) {
                KernelTimespec.set(reapTs, nanos);
                ret = enter(reapErrno, 0, 1, ENTER_GETEVENTS | ENTER_EXT_ARG, reapArg.address(), GETEVENTS_ARG_SIZE);
            } else {
                queueInternalTimeout(reapTs, nanos, 1);
                sq.flush();
                ret = enter(reapErrno, sq.unconsumed(), 1, ENTER_GETEVENTS | (sqPoll ? ENTER_SQ_WAKEUP : 0), 0L, 0L);
            }
            c = cq.peek();
            if (c != null) {
                return c;
            }
            if (ret < 0 && ret != -ETIME && ret != -EINTR && ret != -EAGAIN && ret != -EBUSY) {
                throw new ErrnoException("io_uring_enter (waiting for completions)", -ret);
            }
            nanos = deadline - System.nanoTime();
            if (ret == -ETIME || nanos <= 0) {
                return peekCqe();
            }
        }
    }

    /** {@link IoUring#peekBatchCqe(Cqe[])}. */
    int peekBatchCqe(Cqe[] out) throws ErrnoException {
        flushIfEmpty();
        return cq.peekBatch(out);
    }

    /** {@link IoUring#forEachCqe(CqeHandler)}. */
    int forEachCqe(CqeHandler consumer) throws ErrnoException {
        int n = cq.drain(consumer);
        if (cqNeedsEnter()) {
            flushCq();
            n += cq.drain(consumer);
        }
        return n;
    }

    /** {@link IoUring#copyCqes(long[], int[], int[])}, the arrays checked. */
    int copyCqes(long[] userData, int[] res, int[] flags) throws ErrnoException {
        flushIfEmpty();
        return cq.copy(userData, res, flags);
    }

    // ---- The ring fd. --------------------------------------------------------------------------------------------

    private int enter(MemorySegment errno, int toSubmit, int minComplete, int enterFlags, long arg, long argSize) {
        int fd = ringFd;
        if (registeredThread == Thread.currentThread()) {
            fd = registeredIndex;
            enterFlags |= ENTER_REGISTERED_RING;
        }
        enterCount++;
        if ((enterFlags & (ENTER_GETEVENTS | ENTER_SQ_WAIT)) == 0 && arg == 0L) {
            return Syscalls.ioUringSubmit(errno, fd, toSubmit, enterFlags); // cannot wait: a cheaper downcall
        }
        return Syscalls.ioUringEnter(errno, fd, toSubmit, minComplete, enterFlags, arg, argSize);
    }

    /** {@link IoUring#registerRingFd()}: the registration itself is the {@link Registrar}'s. */
    int registerRingFd(Registrar registrar) throws ErrnoException {
        if (Thread.currentThread().isVirtual()) {
            throw new IllegalStateException("registerRingFd needs a platform thread: the kernel keeps the registration "
                    + "per task, and a virtual thread moves between carrier threads");
        }
        if (registeredIndex >= 0) {
            throw new IllegalStateException("the ring fd is already registered (index " + registeredIndex + ")");
        }
        registeredIndex = registrar.registerRingFd();
        registeredThread = Thread.currentThread();
        return registeredIndex;
    }

    /** {@link IoUring#unregisterRingFd()}. */
    void unregisterRingFd(Registrar registrar) throws ErrnoException {
        if (registeredIndex < 0) {
            throw new IllegalStateException("the ring fd is not registered");
        }
        if (registeredThread != Thread.currentThread()) {
            throw new IllegalStateException("unregisterRingFd must be called from the thread that registered it ("
                    + registeredThread + ")");
        }
        registrar.unregisterRingFd(registeredIndex);
        registeredIndex = -1;
        registeredThread = null;
    }

    /** {@link IoUring#registeredRingIndex()}. */
    int registeredRingIndex() {
        return registeredThread == Thread.currentThread() ? registeredIndex : -1;
    }

    /**
     * The last step of the close: unregisters the ring fd if this thread registered it, then closes the fd, errors
     * ignored (as liburing's {@code io_uring_queue_exit}).
     */
    void closeRingFd(Arena tmp, MemorySegment errno) {
        if (registeredIndex >= 0 && registeredThread == Thread.currentThread()) {
            MemorySegment up = tmp.allocate(io_uring_rsrc_update.layout());
            io_uring_rsrc_update.offset(up, registeredIndex);
            Syscalls.ioUringRegister(errno, ringFd, Uapi.IORING_UNREGISTER_RING_FDS(), up.address(), 1);
        }
        registeredIndex = -1;
        registeredThread = null;
        Syscalls.close(errno, ringFd);
    }
}
