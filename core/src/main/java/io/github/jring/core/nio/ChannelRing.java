package io.github.jring.core.nio;

import io.github.jring.bindings.Uapi;
import io.github.jring.core.Cqe;
import io.github.jring.core.CqeHandler;
import io.github.jring.core.ErrnoException;
import io.github.jring.core.IoUring;
import io.github.jring.core.Posix;
import io.github.jring.core.Sqe;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.AsynchronousCloseException;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

/**
 * The ring behind {@link UringFileChannel}s, and the thread that drives it: it moves queued operations into SQEs,
 * submits them and reaps their completions in the same loop, and runs the completion handlers of channels that have
 * no executor of their own.
 *
 * <p><b>Why its own thread and not {@link io.github.jring.core.async.AsyncRing}.</b> The JDK's contract for
 * {@code CompletionHandler}s needs a thread to run them on anyway (the channel's pool); making the thread that reaps
 * the completion that thread costs no hand-over at all, and the operation is one pooled object from the call to the
 * handler, with no future and no boxing. An {@code AsyncRing} would add a future, a callback stage and a hand-over
 * per operation. The loop follows {@code AsyncRing}'s design: one submitter and waiter, so the ring takes
 * {@code SINGLE_ISSUER|DEFER_TASKRUN} where the kernel has them; a lock-free queue from callers (one atomic exchange
 * each), which a handler starting its next operation on the ring thread skips; an eventfd read in flight that a
 * caller completes, only when the thread sleeps in the kernel, to wake it; and a short spin before sleeping, so that
 * operations that come one at a time cost no thread wakeup.
 *
 * <p>One ring serves every channel ({@link #shared()}), for the life of the JVM (a daemon thread). Handlers of
 * channels without an executor run on this thread: they must, as the JDK says of every completion handler, complete
 * in a timely manner, and must not wait for another operation's future ({@link ChannelFuture} refuses that instead
 * of hanging).
 */
final class ChannelRing implements CqeHandler {

    private static final int ENTRIES = 256;
    private static final long SPIN_NANOS = 20_000;
    private static final long WAKE_UD = 1L << 40;
    private static final int CANCEL_ALL = Uapi.IORING_ASYNC_CANCEL_ALL();
    private static final int AWAKE = 0;
    private static final int SLEEPING = 1;
    private static final int NOTIFIED = 2;

    private static final VarHandle HEAD;
    private static final VarHandle STATE;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            HEAD = l.findVarHandle(ChannelRing.class, "head", ChannelOp.class);
            STATE = l.findVarHandle(ChannelRing.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final Object SHARED_LOCK = new Object();
    private static volatile ChannelRing shared;

    /** The newest operation queued by callers (a stack; the ring thread takes it whole and reverses it). */
    @SuppressWarnings("unused") // through HEAD
    private volatile ChannelOp head;
    /** {@link #AWAKE}, {@link #SLEEPING} (in the kernel: callers must wake it) or {@link #NOTIFIED}. */
    @SuppressWarnings("unused") // through STATE
    private volatile int state;

    final BouncePool bounces = new BouncePool();
    private final Object poolLock = new Object();
    private ChannelOp[] pool = new ChannelOp[64];
    private int pooled;

    private final Thread thread;
    private final int eventFd;
    private final CompletableFuture<Void> started = new CompletableFuture<>();

    // ---- the ring thread's own ----------------------------------------------------------------------------------
    private IoUring ring;
    private ChannelOp[] slots;
    private int[] freeSlots;
    private int freeCount;
    private int maxInFlight;
    private int inFlight;
    /**
     * Operations taken from the queue, or started by handlers on this thread, and not yet in the SQ (more than
     * {@link #maxInFlight} are in flight, or the loop has not come round to them yet).
     */
    private ChannelOp waitHead;
    private ChannelOp waitTail;
    private MemorySegment wakeBuf;
    private boolean wakeArmed;

    /**
     * The ring everything shares, set up on first use (a failed set-up is tried again by the next call).
     *
     * @throws IOException if io_uring cannot be set up here (no io_uring, a seccomp filter, {@code RLIMIT_MEMLOCK})
     */
    static ChannelRing shared() throws IOException {
        ChannelRing r = shared;
        if (r != null) {
            return r;
        }
        synchronized (SHARED_LOCK) {
            if (shared == null) {
                shared = new ChannelRing();
            }
            return shared;
        }
    }

    private ChannelRing() throws IOException {
        this.eventFd = Posix.eventfd(0, Posix.EFD_CLOEXEC);
        this.thread = Thread.ofPlatform().daemon().name("jring-file-channels").unstarted(this::run);
        thread.start();
        try {
            started.join();
        } catch (RuntimeException e) {
            Posix.closeQuietly(eventFd);
            Throwable c = e.getCause() != null ? e.getCause() : e;
            throw c instanceof IOException io ? io : new IOException(c);
        }
    }

    Thread thread() {
        return thread;
    }

    // ---- any thread ---------------------------------------------------------------------------------------------

    /** A cleared operation from the pool (allocated only while the pool grows). */
    ChannelOp take() {
        synchronized (poolLock) {
            if (pooled > 0) {
                ChannelOp op = pool[--pooled];
                pool[pooled] = null;
                return op;
            }
        }
        return new ChannelOp(this);
    }

    void recycle(ChannelOp op) {
        op.clear();
        synchronized (poolLock) {
            if (pooled == pool.length) {
                if (pooled >= 1 << 16) {
                    return;
                }
                pool = Arrays.copyOf(pool, pooled * 2);
            }
            pool[pooled++] = op;
        }
    }

    /**
     * Queues an operation for the ring thread; wakes it (one eventfd write) only if it sleeps in the kernel. Called
     * on the ring thread itself (a handler starting its next operation, a close in a handler), it appends the
     * operation to the ring thread's own waiting list instead: no atomic, no wakeup, and the loop prepares it with
     * the rest of the round's SQEs.
     */
    void enqueue(ChannelOp op) {
        if (Thread.currentThread() == thread) {
            op.next = null;
            if (waitTail == null) {
                waitHead = op;
            } else {
                waitTail.next = op;
            }
            waitTail = op;
            return;
        }
        ChannelOp h;
        do {
            h = head;
            op.next = h;
        } while (!HEAD.compareAndSet(this, h, op));
        if (state == SLEEPING && STATE.compareAndSet(this, SLEEPING, NOTIFIED)) {
            try {
                Posix.eventfdWrite(eventFd, 1L);
            } catch (ErrnoException e) {
                throw new IllegalStateException("jring: cannot wake the file channels' ring thread", e);
            }
        }
    }

    /**
     * Delivers a settled operation: completes its future, or runs its handler on the channel's executor, or (no
     * executor) on the ring thread.
     */
    void deliver(ChannelOp op) {
        if (op.future != null || op.channel.executor != null || Thread.currentThread() == thread) {
            dispatch(op);
        } else {
            op.kind = ChannelOp.SETTLED;
            enqueue(op);
        }
    }

    private void dispatch(ChannelOp op) {
        ChannelFuture<Object> f = op.future;
        if (f != null) {
            Throwable t = op.failure;
            Object v = op.outcome();
            recycle(op);
            if (t == null) {
                f.complete(v);
            } else {
                f.completeExceptionally(t);
            }
            return;
        }
        ExecutorService executor = op.channel.executor;
        if (executor != null) {
            try {
                executor.execute(op);
                return;
            } catch (RejectedExecutionException e) {
                // the executor is shut down: run the handler here rather than lose it
            }
        }
        if (Thread.currentThread() == thread) {
            try {
                op.run();
            } catch (Throwable t) {
                // as a pool thread would: the handler's failure is reported, and the thread goes on
                thread.getUncaughtExceptionHandler().uncaughtException(thread, t);
            }
        } else {
            op.run();
        }
    }

    // ---- the ring thread ----------------------------------------------------------------------------------------

    private void run() {
        try {
            ring = IoUring.builder().preferFlags(
                    Uapi.IORING_SETUP_SINGLE_ISSUER() | Uapi.IORING_SETUP_DEFER_TASKRUN()
                            | Uapi.IORING_SETUP_TASKRUN_FLAG() | Uapi.IORING_SETUP_SUBMIT_ALL(),
                    Uapi.IORING_SETUP_COOP_TASKRUN() | Uapi.IORING_SETUP_SUBMIT_ALL()).build(ENTRIES);
            maxInFlight = ring.cqEntries() - 1; // one CQE for the wakeup read: the CQ can never overflow
            slots = new ChannelOp[maxInFlight];
            freeSlots = new int[maxInFlight];
            for (int i = 0; i < maxInFlight; i++) {
                freeSlots[i] = maxInFlight - 1 - i;
            }
            freeCount = maxInFlight;
            wakeBuf = Arena.ofAuto().allocate(8, 8);
        } catch (Throwable t) {
            started.completeExceptionally(t);
            return;
        }
        started.complete(null);
        long idleSince = System.nanoTime();
        for (;;) {
            try {
                boolean took = takeQueued();
                int prepared = prepare();
                if (prepared > 0) {
                    ring.submit();
                }
                int reaped = ring.forEachCqe(this);
                if (took || prepared > 0 || reaped > 0) {
                    idleSince = System.nanoTime();
                    continue;
                }
                if (System.nanoTime() - idleSince < SPIN_NANOS) {
                    Thread.onSpinWait();
                    continue;
                }
                STATE.setVolatile(this, SLEEPING);
                if (head == null && waitHead == null) {
                    ring.submitAndWait(1);
                }
                STATE.setVolatile(this, AWAKE);
                idleSince = System.nanoTime();
            } catch (ErrnoException e) {
                if (e.errno() != FileCalls.EINTR && e.errno() != FileCalls.EAGAIN) {
                    thread.getUncaughtExceptionHandler().uncaughtException(thread, e);
                    Thread.onSpinWait();
                }
            } catch (Throwable t) {
                thread.getUncaughtExceptionHandler().uncaughtException(thread, t);
            }
        }
    }

    /** Moves the callers' queue, oldest first, to the end of the waiting list. */
    private boolean takeQueued() {
        ChannelOp taken = (ChannelOp) HEAD.getAndSet(this, null);
        if (taken == null) {
            return false;
        }
        ChannelOp reversed = null;
        ChannelOp last = taken;
        while (taken != null) {
            ChannelOp n = taken.next;
            taken.next = reversed;
            reversed = taken;
            taken = n;
        }
        if (waitTail == null) {
            waitHead = reversed;
        } else {
            waitTail.next = reversed;
        }
        waitTail = last;
        return true;
    }

    /** Fills SQEs from the waiting list while there is room in flight; arms the wakeup read. */
    private int prepare() throws ErrnoException {
        int prepared = 0;
        while (waitHead != null && inFlight < maxInFlight) {
            ChannelOp op = waitHead;
            waitHead = op.next;
            if (waitHead == null) {
                waitTail = null;
            }
            op.next = null;
            if (op.kind == ChannelOp.SETTLED) {
                dispatch(op);
                continue;
            }
            UringFileChannel ch = op.channel;
            if (op.kind != ChannelOp.CANCEL && !ch.isOpen()) { // closed while it waited: never reaches the kernel
                op.failure = new AsynchronousCloseException();
                finish(op);
                continue;
            }
            Sqe sqe = nextSqe();
            int slot = freeSlots[--freeCount];
            slots[slot] = op;
            inFlight++;
            switch (op.kind) {
                case ChannelOp.READ -> sqe.prepRead(ch.fd, op.address, op.length, op.position);
                case ChannelOp.WRITE -> sqe.prepWrite(ch.fd, op.address, op.length, op.position);
                case ChannelOp.CANCEL -> sqe.prepCancelFd(ch.fd, CANCEL_ALL);
                default -> sqe.prepFsync(ch.fd, op.fsyncFlags);
            }
            sqe.userData(slot);
            prepared++;
        }
        if (!wakeArmed) {
            nextSqe().prepRead(eventFd, wakeBuf, 0L).userData(WAKE_UD);
            wakeArmed = true;
            prepared++;
        }
        return prepared;
    }

    private Sqe nextSqe() throws ErrnoException {
        Sqe sqe = ring.getSqe();
        while (sqe == null) {
            ring.submit();
            sqe = ring.getSqe();
        }
        return sqe;
    }

    @Override
    public void accept(Cqe cqe) {
        long ud = cqe.userData();
        if (ud == WAKE_UD) {
            wakeArmed = false;
            return;
        }
        int slot = (int) ud;
        ChannelOp op = slots[slot];
        slots[slot] = null;
        freeSlots[freeCount++] = slot;
        inFlight--;
        if (op.kind == ChannelOp.CANCEL) { // its result (how many it cancelled, or an error) changes nothing
            UringFileChannel ch = op.channel;
            recycle(op);
            ch.operationDone(); // the descriptor it named may close now
            return;
        }
        try {
            op.channel.completed(op, cqe.res());
        } catch (RuntimeException e) {
            op.failure = e; // the caller changed the buffer meanwhile (its limit, say): the handler hears of it
        }
        finish(op);
    }

    /** Gives back the operation's native copy, counts it done on its channel, and delivers it. */
    private void finish(ChannelOp op) {
        if (op.bounce != null) {
            bounces.give(op.bounce);
            op.bounce = null;
        }
        op.buffer = null;
        op.channel.operationDone();
        dispatch(op);
    }
}
