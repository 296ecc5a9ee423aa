package io.github.jring.core.async;

import io.github.jring.bindings.Uapi;
import io.github.jring.core.Cqe;
import io.github.jring.core.CqeHandler;
import io.github.jring.core.ErrnoException;
import io.github.jring.core.IoUring;
import io.github.jring.core.IoUringBuilder;
import io.github.jring.core.Sqe;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * What runs an {@link AsyncRing}: the completion thread and everything it owns (the {@link IoUring}, the requests in
 * flight, the wakeup eventfd read), the hand-off from submitting threads ({@link #enqueue}, {@link #signal()}), and
 * the close. {@link AsyncRing} describes the protocol; this class implements it, and talks to the API class only by
 * completing the futures ({@link Op}s) it was given.
 */
final class RingDriver {

    /** The eventfd read that wakes the completion thread. */
    private static final long WAKE_UD = -2L;
    /** Requests whose completion only needs counting: cancels of single requests, NOPs replacing failed preps. */
    private static final long IGNORE_UD = -3L;
    /** The close's IORING_ASYNC_CANCEL_ANY. */
    private static final long CANCEL_ALL_UD = -4L;

    // Lifecycle (state).
    private static final int OPEN = 0;
    private static final int CLOSING = 1;
    private static final int CLOSED = 2;
    // The completion thread (threadState).
    private static final int RUNNING = 0;
    private static final int SLEEPING = 1;
    private static final int NOTIFIED = 2;
    private static final int EXITED = 3;

    private static final int ECANCELED = Uapi.ECANCELED();
    private static final int EINTR = Uapi.EINTR();
    private static final int EAGAIN = Uapi.EAGAIN();
    private static final int EBUSY = Uapi.EBUSY();
    private static final int EINVAL = Uapi.EINVAL();
    private static final int CANCEL_ANY = Uapi.IORING_ASYNC_CANCEL_ANY();
    private static final int CQE_F_MORE = Uapi.IORING_CQE_F_MORE();
    private static final int SQ_TASKRUN = Uapi.IORING_SQ_TASKRUN();
    /** IOSQE flags a caller's preparer may not set: links would tie other callers' requests, skip would lose one. */
    private static final int FORBIDDEN_SQE_FLAGS = Uapi.IOSQE_IO_LINK() | Uapi.IOSQE_IO_HARDLINK()
            | Uapi.IOSQE_CQE_SKIP_SUCCESS();
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private static final VarHandle STATE;
    private static final VarHandle THREAD_STATE;
    private static final VarHandle SIGNALERS;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            STATE = l.findVarHandle(RingDriver.class, "state", int.class);
            THREAD_STATE = l.findVarHandle(RingDriver.class, "threadState", int.class);
            SIGNALERS = l.findVarHandle(RingDriver.class, "signalers", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // ---- shared between submitting threads and the completion thread ----
    private final OpQueue queue = new OpQueue();
    private final int eventFd;
    private final Thread thread;
    private final long closeTimeoutNanos;
    /** How long the completion thread watches for new requests before it sleeps in the kernel. */
    private final long spinNanos;
    /** Counted down when close() may return: every future is complete (or the ring could not close). */
    private final CountDownLatch closeDone = new CountDownLatch(1);
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private volatile int state;
    private volatile int threadState;
    /** Submitters between "found it sleeping" and the end of their eventfd write; the eventfd closes only at 0. */
    private volatile int signalers;
    /** Why the ring stopped, if it failed rather than being closed. */
    private volatile Throwable failure;
    /** After the completion thread exited, late submitters fail what they queued themselves, under this lock. */
    private final Object exitLock = new Object();
    private boolean threadExited;

    // ---- fixed at setup ----
    private final int ringFlags;
    private final int features;
    private final int sqEntries;
    private final int cqEntries;
    private final int sqeSize;
    private final int cqeSize;
    private final int maxInFlight;
    /**
     * An {@code IORING_SETUP_IOPOLL} ring: the completion thread polls for completions while any request is in the
     * kernel, and parks (woken by {@link LockSupport#unpark}, not the eventfd, whose read such a ring refuses) when
     * none is.
     */
    private final boolean polled;
    /** Requests of finished blocking calls, for the next ones. */
    private final OpPool pool;

    // ---- completion thread only ----
    private IoUring ring;
    private Arena arena;
    private MemorySegment wakeBuf;
    /** The requests in the kernel, by user_data. */
    private SlotTable slots;
    /** Completions reaped in this round, whose futures are completed at its end. */
    private CompletionBatch staged;
    /** Internal requests whose completion is still to come (cancels, replacement NOPs, the close's cancel-all). */
    private int internalInFlight;
    private boolean wakeArmed;
    private boolean bigCqe;
    /** {@link #polled}, as the completion thread knew it from the ring's flags before the constructor stored it. */
    private boolean pollRing;
    /** The completion thread is closing: ECANCELED now means "cancelled by the close". */
    private boolean closing;
    /** The kernel refused IORING_ASYNC_CANCEL_ANY (before 5.19): cancel one by one. */
    private boolean cancelAnyRefused;
    /** The close's cancel-all was refused: cancel again, one by one, now. */
    private boolean recancel;
    /** A failure found while reaping, thrown after the reaping loop. */
    private ErrnoException reapFailure;
    /** Requests that wait for a slot or an SQE, in order. */
    private final ArrayDeque<Op<?>> waiting = new ArrayDeque<>();
    /** Kernel cancels that found no SQE; retried first. */
    private final ArrayDeque<Op<?>> cancelRetry = new ArrayDeque<>();
    private final CqeHandler onCqe = this::onCqe;

    /** Starts the completion thread, which sets the ring up, and returns when it is ready. */
    RingDriver(AsyncRingBuilder b) throws ErrnoException {
        this.closeTimeoutNanos = b.closeTimeout.toNanos();
        this.spinNanos = b.spin.toNanos();
        this.eventFd = EventFd.create(Uapi.EFD_CLOEXEC());
        CompletableFuture<int[]> started = new CompletableFuture<>();
        this.thread = Thread.ofPlatform().daemon().name(b.threadName != null ? b.threadName : "jring-async-setup")
                .unstarted(() -> run(b, started));
        thread.start();
        int[] info;
        try {
            info = started.join();
        } catch (CompletionException e) {
            EventFd.close(eventFd);
            Throwable c = e.getCause();
            if (c instanceof ErrnoException ee) {
                throw ee;
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error er) {
                throw er;
            }
            throw new IllegalStateException("setting up the ring failed", c);
        }
        this.ringFlags = info[0];
        this.features = info[1];
        this.sqEntries = info[2];
        this.cqEntries = info[3];
        this.sqeSize = info[4];
        this.cqeSize = info[5];
        this.maxInFlight = info[6];
        this.polled = info[8] != 0;
        this.pool = new OpPool(this, Math.min(maxInFlight, 1024));
        if (b.threadName == null) {
            thread.setName("jring-async-" + info[7]);
        }
    }

    int ringFlags() {
        return ringFlags;
    }

    int features() {
        return features;
    }

    int sqEntries() {
        return sqEntries;
    }

    int cqEntries() {
        return cqEntries;
    }

    int sqeSize() {
        return sqeSize;
    }

    int cqeSize() {
        return cqeSize;
    }

    int maxInFlight() {
        return maxInFlight;
    }

    /** Whether the close began (or the ring failed): new requests are refused. */
    boolean isClosed() {
        return state != OPEN;
    }

    /** Completes when the ring is unmapped and every buffer reference dropped. */
    CompletableFuture<Void> terminated() {
        return terminated.copy();
    }

    /** The completion thread. */
    Thread thread() {
        return thread;
    }

    long spinNanos() {
        return spinNanos;
    }

    /** Requests for blocking calls. */
    OpPool pool() {
        return pool;
    }

    // =================================================================================================================
    // Submission (any thread)
    // =================================================================================================================

    /** Hands {@code op} to the completion thread (any thread); fails it at once if the ring is closed. */
    <T> Op<T> enqueue(Op<T> op) {
        if (state != OPEN) {
            op.fail(closedException(op, "submitted after the ring was closed"));
            return op;
        }
        queue.offer(op);
        if (state != OPEN) {
            // close() may have begun before the completion thread saw this request: if that thread is already
            // gone, nobody else will fail it.
            failLateSubmissions();
        } else {
            signal();
        }
        return op;
    }

    /** Asks the completion thread to cancel {@code op} in the kernel (after {@code cancel} or an interrupt). */
    void cancelInKernel(Op<?> op) {
        if (state == OPEN) {
            enqueue(Op.cancel(op));
        }
    }

    /** Wakes the completion thread if it sleeps in the kernel; at most one eventfd write per sleep. */
    private void signal() {
        if (threadState != SLEEPING) {
            return;
        }
        SIGNALERS.getAndAdd(this, 1);
        try {
            if (THREAD_STATE.compareAndSet(this, SLEEPING, NOTIFIED)) {
                if (polled) {
                    LockSupport.unpark(thread);
                } else {
                    EventFd.signal(eventFd);
                }
            }
        } finally {
            SIGNALERS.getAndAdd(this, -1);
        }
    }

    private void failLateSubmissions() {
        synchronized (exitLock) {
            if (threadExited) {
                Op<?> op;
                while ((op = queue.poll()) != null) {
                    op.fail(closedException(op, "submitted while the ring was closing"));
                }
            }
        }
    }

    private RingClosedException closedException(Op<?> op, String what) {
        Throwable f = failure;
        return new RingClosedException(op.describe() + ": " + what + (f != null ? " (the ring failed: " + f + ")" : ""),
                f);
    }

    // =================================================================================================================
    // Closing
    // =================================================================================================================

    /** {@link AsyncRing#close()}: starts the close and, except on the completion thread, waits (bounded) for it. */
    void close() {
        if (STATE.compareAndSet(this, OPEN, CLOSING)) {
            signal();
        }
        if (Thread.currentThread() == thread) {
            return;
        }
        long deadline = System.nanoTime() + closeTimeoutNanos + 2 * SECOND;
        boolean interrupted = false;
        try {
            for (;;) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                try {
                    if (closeDone.await(left, TimeUnit.NANOSECONDS)) {
                        return;
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // =================================================================================================================
    // The completion thread
    // =================================================================================================================

    private void run(AsyncRingBuilder b, CompletableFuture<int[]> started) {
        try {
            ring = setUp(b);
            arena = Arena.ofShared();
            wakeBuf = arena.allocate(8, 8);
            int cap = b.maxInFlight > 0 ? b.maxInFlight : ring.cqEntries();
            slots = new SlotTable(cap);
            staged = new CompletionBatch(cap);
            bigCqe = ring.cqeSize() > 16;
            pollRing = (ring.flags() & Uapi.IORING_SETUP_IOPOLL()) != 0;
        } catch (Throwable t) {
            if (ring != null) {
                ring.close();
            }
            if (arena != null) {
                arena.close();
            }
            started.completeExceptionally(t);
            return;
        }
        started.complete(new int[] {ring.flags(), ring.features(), ring.sqEntries(), ring.cqEntries(), ring.sqeSize(),
            ring.cqeSize(), slots.capacity(), ring.fd(), pollRing ? 1 : 0});
        Throwable cause = null;
        try {
            loop();
        } catch (Throwable t) {
            cause = t;
            failure = t;
            STATE.compareAndSet(this, OPEN, CLOSING);
        } finally {
            THREAD_STATE.setVolatile(this, RUNNING);
        }
        shutDown(cause);
    }

    /**
     * The ring, with {@code SINGLE_ISSUER|DEFER_TASKRUN} (this thread is its only submitter and waiter) and
     * {@code TASKRUN_FLAG} (so that {@link #completionsPending()} sees deferred work) where the kernel takes them,
     * else {@code COOP_TASKRUN}, else neither; {@code SUBMIT_ALL} with either.
     */
    private static IoUring setUp(AsyncRingBuilder b) throws ErrnoException {
        IoUringBuilder rb = IoUring.builder();
        if (b.ringOptions != null) {
            b.ringOptions.accept(rb);
        }
        if (b.sqe128) {
            rb.sqe128();
        }
        if (b.cqe32) {
            rb.cqe32();
        }
        int coop = Uapi.IORING_SETUP_COOP_TASKRUN() | Uapi.IORING_SETUP_SUBMIT_ALL();
        if (b.deferTaskrun) {
            rb.preferFlags(Uapi.IORING_SETUP_SINGLE_ISSUER() | Uapi.IORING_SETUP_DEFER_TASKRUN()
                    | Uapi.IORING_SETUP_TASKRUN_FLAG() | Uapi.IORING_SETUP_SUBMIT_ALL(), coop);
        } else {
            rb.preferFlags(coop);
        }
        return rb.build(b.entries);
    }

    private void loop() throws ErrnoException {
        while (state == OPEN) {
            int prepared = fill();
            if (!wakeArmed && !pollRing) {
                prepared += armWake();
            }
            boolean reapable = completionsPending();
            if (prepared > 0) {
                if (spinNanos == 0 && !reapable && queue.isEmpty()) {
                    sleepInKernel(); // submit and wait in one io_uring_enter
                } else {
                    // Awake, and more requests or completions may follow at once: submit without waiting, and
                    // without showing "sleeping" (which would make every submitter meanwhile write the eventfd).
                    enter(false);
                }
            } else if (pollRing && inKernel()) {
                // Polled completions are found only by entering the kernel: reap() polls once, and the loop comes
                // back to take new requests between polls.
            } else if (!reapable && (spinNanos == 0 || !spinForWork())) {
                sleepInKernel();
            }
            reap();
        }
    }

    /**
     * Waits in the kernel for a completion (the eventfd read is one). Publishes "sleeping" first, then looks at the
     * queue once more: a submitter publishes its request, then looks at threadState; one of the two sees the other.
     */
    private void sleepInKernel() throws ErrnoException {
        THREAD_STATE.setVolatile(this, SLEEPING);
        try {
            if (queue.isEmpty() && state == OPEN) {
                if (pollRing && !inKernel()) {
                    LockSupport.park(this); // nothing to poll for: a submitter unparks this thread
                } else {
                    enter(true); // on a polled ring, polls until a completion
                }
            } else {
                enter(false);
            }
        } finally {
            THREAD_STATE.setVolatile(this, RUNNING);
        }
    }

    /** Whether any request of the ring, or an internal one, is in the kernel. */
    private boolean inKernel() {
        return slots.inFlight() > 0 || internalInFlight > 0;
    }

    /** Completions to reap: in the CQ, or (DEFER_TASKRUN with TASKRUN_FLAG) waiting for this thread to enter. */
    private boolean completionsPending() {
        return ring.cqReady() > 0 || (ring.sqFlags() & SQ_TASKRUN) != 0;
    }

    /**
     * Nothing to submit or reap: watches the queue and the CQ (and {@code IORING_SQ_TASKRUN}, which says deferred
     * completions wait for this thread to enter) for up to {@link #spinNanos} before going to sleep, so that a
     * submitter that comes back within that time costs neither an eventfd write nor a thread wakeup.
     *
     * @return whether work arrived
     */
    private boolean spinForWork() {
        long deadline = System.nanoTime() + spinNanos;
        do {
            if (queue.hasNext() || state != OPEN || completionsPending()) {
                return true;
            }
            Thread.onSpinWait();
        } while (System.nanoTime() - deadline < 0);
        return false;
    }

    private void enter(boolean wait) throws ErrnoException {
        try {
            if (wait) {
                ring.submitAndWait(1);
            } else {
                ring.submit();
            }
        } catch (ErrnoException e) {
            if (e.errno() != EAGAIN && e.errno() != EBUSY) {
                throw e;
            }
            // Out of resources or the CQ is full: the entries stay queued; reap, and the next round submits again.
            Thread.yield();
        }
    }

    private void reap() throws ErrnoException {
        reapAll();
        ErrnoException f = reapFailure;
        if (f != null) {
            reapFailure = null;
            throw f;
        }
    }

    /** Moves queued requests into SQEs; returns how many SQEs were prepared. */
    private int fill() {
        int n = 0;
        while (!cancelRetry.isEmpty()) {
            int r = startCancel(cancelRetry.peekFirst());
            if (r < 0) {
                return n;
            }
            cancelRetry.pollFirst();
            n += r;
        }
        while (!waiting.isEmpty() && slots.hasFree()) {
            int r = start(waiting.peekFirst());
            if (r < 0) {
                return n;
            }
            waiting.pollFirst();
            n += r;
        }
        Op<?> op;
        while ((op = queue.poll()) != null) {
            switch (op.kind) {
                case Op.TASK -> runTask(op);
                case Op.CANCEL -> {
                    int r = startCancel(op);
                    if (r < 0) {
                        cancelRetry.addLast(op);
                    } else {
                        n += r;
                    }
                }
                default -> {
                    int r = !waiting.isEmpty() || !slots.hasFree() ? -1 : start(op);
                    if (r < 0) {
                        waiting.addLast(op);
                    } else {
                        n += r;
                    }
                }
            }
        }
        return n;
    }

    /** A free SQE, submitting what is queued if the SQ is full; {@code null} if the kernel takes nothing now. */
    private Sqe nextSqe() {
        Sqe sqe = ring.getSqe();
        if (sqe == null) {
            try {
                ring.submit();
            } catch (ErrnoException e) {
                return null; // EAGAIN/EBUSY: later. Anything else fails the next submit in the loop.
            }
            sqe = ring.getSqe();
        }
        return sqe;
    }

    /** Puts a request into an SQE: 1 if prepared, 0 if dropped (already cancelled), -1 if no SQE. */
    private int start(Op<?> op) {
        if (op.isDone()) {
            op.release(); // cancelled before it reached the kernel
            return 0;
        }
        Sqe sqe = nextSqe();
        if (sqe == null) {
            return -1;
        }
        try {
            prepare(sqe, op);
        } catch (RuntimeException | Error e) {
            // The SQE is taken and cannot be given back: make it a NOP whose completion is only counted.
            sqe.prepNop().userData(IGNORE_UD);
            internalInFlight++;
            op.fail(e);
            return 1;
        }
        sqe.userData(slots.take(op));
        return 1;
    }

    private static void prepare(Sqe sqe, Op<?> op) {
        // The common kinds first, in a method small enough for the JIT to inline into the completion loop.
        switch (op.kind) {
            case Op.NOP -> sqe.prepNop();
            case Op.READ -> sqe.prepRead(op.fd, op.buffer(), op.length(), op.fileOffset());
            case Op.WRITE -> sqe.prepWrite(op.fd, op.buffer(), op.length(), op.fileOffset());
            default -> prepareOther(sqe, op);
        }
    }

    private static void prepareOther(Sqe sqe, Op<?> op) {
        switch (op.kind) {
            case Op.FSYNC -> sqe.prepFsync(op.fd, op.fsyncFlags());
            case Op.URING_CMD -> {
                sqe.prepUringCmd(op.cmdOp(), op.fd);
                SqeHandler cmd = op.preparer();
                if (cmd != null) {
                    cmd.prepare(sqe);
                }
            }
            case Op.CMD_SOCK -> sqe.prepCmdSock((int) op.cmdOp(), op.fd, op.optLevel(), op.optName(), op.buffer());
            case Op.GENERIC -> op.preparer().prepare(sqe);
            case Op.REQUEST -> ((RingRequest<?>) op).prepare(sqe);
            default -> throw new AssertionError("kind " + op.kind);
        }
        if (op.kind >= Op.URING_CMD) {
            int f = sqe.flags();
            if ((f & FORBIDDEN_SQE_FLAGS) != 0) {
                throw new IllegalArgumentException("an AsyncRing request may not set IOSQE_IO_LINK, IOSQE_IO_HARDLINK "
                        + "or IOSQE_CQE_SKIP_SUCCESS (flags 0x" + Integer.toHexString(f) + ")");
            }
        }
    }

    /** A kernel cancel of {@code cancel.target()}: 1 if an SQE was prepared, 0 if nothing to do, -1 if no SQE. */
    private int startCancel(Op<?> cancel) {
        Op<?> target = cancel.target();
        long ud = slots.userDataOf(target);
        if (ud >= 0) {
            Sqe sqe = nextSqe();
            if (sqe == null) {
                return -1;
            }
            sqe.prepCancel(ud, 0).userData(IGNORE_UD);
            internalInFlight++;
            cancel.release();
            return 1;
        }
        if (waiting.remove(target)) {
            // Never reached the kernel: answer as the kernel would have (an interrupted blocking call waits for it).
            target.fail(new ErrnoException(target.describe() + " (cancelled before it was submitted)", ECANCELED));
        }
        cancel.release();
        return 0;
    }

    @SuppressWarnings("unchecked")
    private void runTask(Op<?> op) {
        RingHandler<Object> task = (RingHandler<Object>) op.task();
        op.release();
        try {
            ((Op<Object>) op).complete(task.run(ring));
        } catch (Throwable t) {
            op.completeExceptionally(t);
        }
    }

    private int armWake() {
        Sqe sqe = nextSqe();
        if (sqe == null) {
            return 0;
        }
        sqe.prepRead(eventFd, wakeBuf, 0L).userData(WAKE_UD);
        wakeArmed = true;
        return 1;
    }

    private void onCqe(Cqe c) {
        long ud = c.userData();
        if (ud < 0) {
            onInternalCqe(ud, c.res());
            return;
        }
        Op<?> op = slots.get(ud);
        if (op == null) {
            return; // not one of ours: cannot happen (every request keeps its slot until its last completion)
        }
        int res = c.res();
        int flags = c.flags();
        long big0 = bigCqe ? c.bigCqe0() : 0;
        long big1 = bigCqe ? c.bigCqe1() : 0;
        if ((flags & CQE_F_MORE) == 0) {
            slots.release(ud);
            op.release(); // the kernel is done with the buffer
            staged.add(op, res, flags, big0, big1);
        } else if (!op.isDone()) {
            op.finish(res, flags, big0, big1, closing); // the first of several: the future takes it now
        }
        // else a later completion of a multishot request, or the result of a zero-copy send before its notification:
        // the slot, and so the buffer, stay until the completion without F_MORE
    }

    /** Reaps every completion in the CQ and completes the futures of the batch, last first. */
    private void reapAll() throws ErrnoException {
        try {
            ring.forEachCqe(onCqe);
        } finally {
            staged.completeLastFirst(closing);
        }
    }

    private void onInternalCqe(long ud, int res) {
        if (ud == WAKE_UD) {
            wakeArmed = false;
            if (res < 0 && res != -ECANCELED && res != -EINTR && res != -EAGAIN && !closing && reapFailure == null) {
                reapFailure = new ErrnoException("read of the ring's wakeup eventfd", -res);
            }
        } else if (ud == IGNORE_UD) {
            internalInFlight--;
        } else if (ud == CANCEL_ALL_UD) {
            internalInFlight--;
            if (res == -EINVAL && !cancelAnyRefused) {
                cancelAnyRefused = true; // before 5.19: the close cancels one by one
                recancel = true;
            }
        }
    }

    // ---- closing, on the completion thread ----

    private void shutDown(Throwable cause) {
        closing = true;
        boolean released = false;
        boolean leak = false;
        try {
            failUnsubmitted(cause);
            long start = System.nanoTime();
            long deadline = start + closeTimeoutNanos;
            long lastCancel = start;
            if (busy()) {
                cancelAll();
            }
            while (busy()) {
                failUnsubmitted(cause);
                long now = System.nanoTime();
                if (!released && now - deadline >= 0) {
                    failInFlight("still in flight " + Duration.ofNanos(closeTimeoutNanos) + " after the close "
                            + "cancelled it; the ring and the buffer are kept until the kernel completes it", cause);
                    released = true;
                    closeDone.countDown();
                }
                if (recancel || now - lastCancel >= SECOND) {
                    recancel = false;
                    cancelAll(); // again: some requests only become cancellable later (or need one cancel each)
                    lastCancel = now;
                }
                long wait = released ? SECOND : Math.min(SECOND, Math.max(1, deadline - now));
                ring.submitAndWait(1, wait, TimeUnit.NANOSECONDS);
                reapAll();
            }
        } catch (Throwable t) {
            // The ring itself failed: nothing tells any more when the kernel is done with the buffers. Keep the
            // ring mapped and every buffer referenced for the life of the process, and fail the futures.
            leak = true;
            failure = failure != null ? failure : t;
            failInFlight("the ring failed while closing (" + t + "); the ring and the buffer are kept", t);
        }
        if (!leak) {
            try {
                ring.close(); // nothing is in flight: IoUring.close()'s own cancel-and-drain finds nothing to wait for
            } catch (RuntimeException e) {
                // IoUring.close() refuses to unmap while its count says the kernel still holds requests: then keep
                // the ring, the wakeup buffer and the slots (and so the buffers) for good, like a failed ring.
                leak = true;
                failure = failure != null ? failure : e;
            }
        }
        if (!leak) {
            arena.close();
            slots.clear();
        }
        THREAD_STATE.setVolatile(this, EXITED);
        while (signalers != 0) {
            Thread.onSpinWait(); // a submitter is between "found it sleeping" and its eventfd write
        }
        if (!leak) {
            EventFd.close(eventFd);
        }
        synchronized (exitLock) {
            threadExited = true;
            failUnsubmitted(cause);
        }
        state = CLOSED;
        if (leak) {
            terminated.completeExceptionally(new RingClosedException("the ring failed while closing; its memory "
                    + "is kept", failure));
        } else {
            terminated.complete(null);
        }
        closeDone.countDown();
    }

    private boolean busy() {
        return slots.inFlight() > 0 || wakeArmed || internalInFlight > 0;
    }

    private void failUnsubmitted(Throwable cause) {
        String what = cause != null ? "not submitted: the ring failed" : "not submitted: the ring was closed";
        Op<?> op;
        while ((op = cancelRetry.pollFirst()) != null) {
            op.release();
        }
        while ((op = waiting.pollFirst()) != null) {
            op.fail(new RingClosedException(op.describe() + ": " + what, cause));
        }
        while ((op = queue.poll()) != null) {
            if (op.kind != Op.CANCEL) {
                op.fail(new RingClosedException(op.describe() + ": " + what, cause));
            }
        }
    }

    /** Fails the futures of requests in flight but keeps their slots (and buffers) until their completions. */
    private void failInFlight(String what, Throwable cause) {
        for (int i = 0; i < slots.capacity(); i++) {
            Op<?> op = slots.at(i);
            if (op != null && !op.isDone()) {
                op.completeExceptionally(new RingClosedException(op.describe() + ": " + what, cause));
            }
        }
    }

    /** Cancels everything in flight, the wakeup read included. */
    private void cancelAll() throws ErrnoException {
        if (!cancelAnyRefused) {
            Sqe sqe = nextSqe();
            if (sqe != null) {
                sqe.prepCancel(0L, CANCEL_ANY).userData(CANCEL_ALL_UD);
                internalInFlight++;
            }
        } else {
            for (int i = 0; i < slots.capacity(); i++) {
                if (slots.at(i) != null) {
                    Sqe sqe = nextSqe();
                    if (sqe == null) {
                        break;
                    }
                    sqe.prepCancel(slots.userData(i), 0).userData(IGNORE_UD);
                    internalInFlight++;
                }
            }
            if (wakeArmed) {
                Sqe sqe = nextSqe();
                if (sqe != null) {
                    sqe.prepCancel(WAKE_UD, 0).userData(IGNORE_UD);
                    internalInFlight++;
                }
            }
        }
        ring.submit();
    }

    @Override
    public String toString() {
        return "RingDriver[" + thread.getName() + (state != OPEN ? ", closed" : "") + "]";
    }
}
