package io.github.jring.core.async;

import io.github.jring.bindings.Uapi;
import io.github.jring.core.ErrnoException;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

/**
 * One request of an {@link AsyncRing}: the future handed to the caller, the description of the request (written
 * by the submitting thread before it is queued, read by the completion thread after), its link in the submission
 * queue, and, while in flight, the strong reference to the memory the kernel uses. One object per request, so the
 * futures API allocates this object (and the boxed result) and nothing else on its way.
 *
 * <p>A blocking call's request is a {@link BlockingOp}, which the ring reuses: the descriptive fields are therefore
 * not final. The submitting thread writes them before queuing the request, and the queue's atomic exchange
 * ({@link OpQueue#offer}) publishes them, for a new request as for a reused one.
 *
 * <p>{@link #cancel(boolean)} completes the future with a {@link java.util.concurrent.CancellationException} at once
 * and asks the kernel to cancel the request ({@code IORING_OP_ASYNC_CANCEL}); the buffer stays referenced until the
 * kernel's completion arrives, whatever it says.
 *
 * @param <T> the result: {@link Integer} or {@link Completion}, or a {@link RingHandler}'s result
 */
class Op<T> extends CompletableFuture<T> {

    static final int NOP = 0;
    static final int READ = 1;
    static final int WRITE = 2;
    static final int FSYNC = 3;
    /** Generic {@code uring_cmd}: result {@link Completion}, failed on {@code res < 0}. */
    static final int URING_CMD = 4;
    /** Socket {@code uring_cmd} (6.7): result {@link Integer}. */
    static final int CMD_SOCK = 5;
    /** {@link SqeHandler}: result {@link Completion}, whatever {@code res} is. */
    static final int GENERIC = 6;
    /** A {@link RingRequest}: it fills its SQE and takes its completion itself. */
    static final int REQUEST = 7;
    /** Kinds up to here are kernel requests with a slot and a {@code user_data}. */
    static final int LAST_REQUEST = REQUEST;
    /** {@link RingHandler} run on the completion thread. */
    static final int TASK = 8;
    /** Asks the completion thread to cancel {@link #target()} in the kernel. */
    static final int CANCEL = 9;
    /** The submission queue's initial node. */
    static final int STUB = 10;

    private static final int ECANCELED = Uapi.ECANCELED();

    /** {@link #waiter}, set plainly by a {@link BlockingOp} (the queue publishes it) and claimed by CAS by await. */
    static final VarHandle WAITER;

    static {
        try {
            WAITER = MethodHandles.lookup().findVarHandle(Op.class, "waiter", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * The ring's driver, for {@link #cancel(boolean)} and {@link #join()}'s spin; {@code null} for internal nodes.
     * Final in effect: set at construction, or for a {@link RingRequest} once, by the submitting thread before it
     * queues the request.
     */
    RingDriver driver;
    int kind;
    int fd;
    /*
     * The request's numbers, three fields shared by the kinds so that a request stays one 56-byte object; each kind's
     * factory stores them and the accessors named for them read them back:
     *   READ/WRITE  int0 = length()      long0 = fileOffset()
     *   FSYNC       int0 = fsyncFlags()
     *   URING_CMD                        long0 = cmdOp()
     *   CMD_SOCK    int0 = optName()     int1 = optLevel()     long0 = cmdOp()
     */
    private int int0;
    private int int1;
    private long long0;
    /**
     * What must stay reachable while the kernel may use it: the {@link #buffer()}, the {@link #preparer()} (and what
     * it captured), the {@link #task()}, or the cancel's {@link #target()}. Cleared by the completion thread when the
     * completion is reaped.
     */
    private Object keep;
    /** Link in {@link OpQueue}; written by the next producer, read by the completion thread. */
    volatile Op<?> next;
    /**
     * The one thread parked in {@link AsyncRing#await} (or a {@link BlockingOp}'s caller), unparked when the outcome
     * is in: waiting this way makes no {@code CompletableFuture} waiter node. A waiter publishes itself, then reads
     * the result; a completer writes the result, then reads the waiter (both volatile): one of them sees the other.
     */
    @SuppressWarnings("unused") // accessed through WAITER
    volatile Thread waiter;

    Op(RingDriver driver, int kind, int fd, int int0, int int1, long long0, Object keep) {
        this.driver = driver;
        this.kind = kind;
        this.fd = fd;
        this.int0 = int0;
        this.int1 = int1;
        this.long0 = long0;
        this.keep = keep;
    }

    /** What a reused {@link BlockingOp} asks for now (the submitting thread, before it queues the request). */
    void setRequest(int kind, int fd, int int0, long long0, Object keep) {
        this.kind = kind;
        this.fd = fd;
        this.int0 = int0;
        this.int1 = 0;
        this.long0 = long0;
        this.keep = keep;
    }

    static Op<Integer> nop(RingDriver driver) {
        return new Op<>(driver, NOP, -1, 0, 0, 0L, null);
    }

    /** @param length {@code buffer}'s size as the SQE's {@code __u32 len} */
    static Op<Integer> read(RingDriver driver, int fd, MemorySegment buffer, int length, long fileOffset) {
        return new Op<>(driver, READ, fd, length, 0, fileOffset, buffer);
    }

    /** @param length {@code buffer}'s size as the SQE's {@code __u32 len} */
    static Op<Integer> write(RingDriver driver, int fd, MemorySegment buffer, int length, long fileOffset) {
        return new Op<>(driver, WRITE, fd, length, 0, fileOffset, buffer);
    }

    static Op<Integer> fsync(RingDriver driver, int fd, int fsyncFlags) {
        return new Op<>(driver, FSYNC, fd, fsyncFlags, 0, 0L, null);
    }

    /** @param cmdOp the {@code __u32 cmd_op}, checked by the caller */
    static Op<Completion> uringCmd(RingDriver driver, long cmdOp, int fd, SqeHandler cmd) {
        return new Op<>(driver, URING_CMD, fd, 0, 0, cmdOp, cmd);
    }

    static Op<Integer> cmdSock(RingDriver driver, int cmdOp, int fd, int level, int optName, MemorySegment optval) {
        return new Op<>(driver, CMD_SOCK, fd, optName, level, Integer.toUnsignedLong(cmdOp), optval);
    }

    static Op<Completion> generic(RingDriver driver, SqeHandler preparer) {
        return new Op<>(driver, GENERIC, -1, 0, 0, 0L, preparer);
    }

    static <T> Op<T> task(RingDriver driver, RingHandler<T> task) {
        return new Op<>(driver, TASK, -1, 0, 0, 0L, task);
    }

    /** An internal request to cancel {@code target} in the kernel. */
    static Op<Void> cancel(Op<?> target) {
        return new Op<>(null, CANCEL, -1, 0, 0, 0L, target);
    }

    static Op<Void> stub() {
        return new Op<>(null, STUB, -1, 0, 0, 0L, null);
    }

    /** READ/WRITE: the buffer's length in bytes. */
    int length() {
        return int0;
    }

    /** READ/WRITE: the file offset, -1 for the file position. */
    long fileOffset() {
        return long0;
    }

    /** FSYNC: 0 or {@code IORING_FSYNC_DATASYNC}. */
    int fsyncFlags() {
        return int0;
    }

    /** URING_CMD/CMD_SOCK: the driver's {@code cmd_op} ({@code SOCKET_URING_OP_*} for CMD_SOCK), a {@code __u32}. */
    long cmdOp() {
        return long0;
    }

    /** CMD_SOCK: the option level. */
    int optLevel() {
        return int1;
    }

    /** CMD_SOCK: the option name. */
    int optName() {
        return int0;
    }

    /** READ/WRITE: the buffer; CMD_SOCK: the option buffer or {@code null}. Only until the completion is reaped. */
    MemorySegment buffer() {
        return (MemorySegment) keep;
    }

    /** URING_CMD (or {@code null}), GENERIC: what fills the SQE. Only until the completion is reaped. */
    SqeHandler preparer() {
        return (SqeHandler) keep;
    }

    /** TASK: the work, until it has run. */
    RingHandler<?> task() {
        return (RingHandler<?>) keep;
    }

    /** CANCEL: the request to cancel in the kernel, until the cancel has been handled. */
    Op<?> target() {
        return (Op<?>) keep;
    }

    /**
     * Completes the future from the kernel's answer (completion thread). The caller has released the buffer
     * reference first if the kernel is done with it (no {@code IORING_CQE_F_MORE}); a later completion of the same
     * request does not change the result.
     */
    @SuppressWarnings("unchecked")
    void finish(int res, int flags, long big0, long big1, boolean ringClosing) {
        if (res >= 0 && kind < URING_CMD) {
            if (this instanceof BlockingOp b) {
                b.settle(res, null);
            } else {
                complete((T) Integer.valueOf(res)); // the common case, kept small for the JIT to inline
            }
        } else {
            finishOther(res, flags, big0, big1, ringClosing);
        }
    }

    @SuppressWarnings("unchecked")
    private void finishOther(int res, int flags, long big0, long big1, boolean ringClosing) {
        if (ringClosing && res == -ECANCELED) {
            completeExceptionally(new RingClosedException(describe() + ": cancelled because the ring was closed",
                    new ErrnoException(describe(), res)));
            return;
        }
        switch (kind) {
            case REQUEST -> {
                if (!isDone()) { // the first completion only (a later one of F_MORE, or after the close failed it)
                    ((RingRequest<T>) this).completeFromRing(res, flags, big0, big1);
                }
            }
            case GENERIC -> complete((T) new Completion(res, flags, big0, big1));
            case URING_CMD -> {
                if (res < 0) {
                    completeExceptionally(new ErrnoException(describe(), res));
                } else {
                    complete((T) new Completion(res, flags, big0, big1));
                }
            }
            default -> {
                if (res < 0) {
                    completeExceptionally(new ErrnoException(describe(), res));
                } else {
                    complete((T) Integer.valueOf(res));
                }
            }
        }
    }

    /** Drops the reference to what the kernel used: it no longer does (or never did). */
    void release() {
        keep = null;
    }

    /**
     * Fails the future and drops the buffer reference (only for requests the kernel never saw, or no longer uses).
     */
    void fail(Throwable t) {
        release();
        completeExceptionally(t);
    }

    /**
     * With {@link AsyncRingBuilder#spin}, a platform thread about to wait watches the result for that long first:
     * a completion that arrives meanwhile costs no park and no unpark (a virtual thread parks at once: its park is
     * cheap, and spinning would hold its carrier).
     */
    void spinUntilDone() {
        long spin = driver != null ? driver.spinNanos() : 0;
        if (spin <= 0 || isDone() || Thread.currentThread().isVirtual()) {
            return;
        }
        long deadline = System.nanoTime() + spin;
        while (!isDone() && System.nanoTime() - deadline < 0) {
            Thread.onSpinWait();
        }
    }

    @Override
    public T join() {
        spinUntilDone();
        return super.join();
    }

    @Override
    public T get() throws InterruptedException, java.util.concurrent.ExecutionException {
        spinUntilDone();
        return super.get();
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        if (cancelled) {
            wakeWaiter();
            if (driver != null && kind <= LAST_REQUEST) {
                driver.cancelInKernel(this);
            }
        }
        return cancelled;
    }

    @Override
    public boolean complete(T value) {
        boolean done = super.complete(value);
        wakeWaiter();
        return done;
    }

    @Override
    public boolean completeExceptionally(Throwable ex) {
        boolean done = super.completeExceptionally(ex);
        wakeWaiter();
        return done;
    }

    /** Unparks the thread parked in {@link AsyncRing#await} on this future, if any (after the result is stored). */
    private void wakeWaiter() {
        Thread w = (Thread) WAITER.getVolatile(this);
        if (w != null) {
            LockSupport.unpark(w);
        }
    }

    /**
     * Makes the calling thread this future's one parked waiter ({@link AsyncRing#await}); false if another thread
     * already is, and that one waits with {@link #get()}.
     */
    boolean claimWaiter() {
        return WAITER.compareAndSet(this, null, Thread.currentThread());
    }

    /** The request in words, for error messages. */
    String describe() {
        return switch (kind) {
            case NOP -> "nop";
            case READ -> "read (fd " + fd + ", " + Integer.toUnsignedString(length()) + " bytes at offset "
                    + fileOffset() + ")";
            case WRITE -> "write (fd " + fd + ", " + Integer.toUnsignedString(length()) + " bytes at offset "
                    + fileOffset() + ")";
            case FSYNC -> "fsync (fd " + fd + (fsyncFlags() != 0 ? ", flags 0x" + Integer.toHexString(fsyncFlags())
                    : "") + ")";
            case URING_CMD -> "uring_cmd (cmd_op 0x" + Long.toHexString(cmdOp()) + ", fd " + fd + ")";
            case CMD_SOCK -> "socket uring_cmd " + sockCmdName((int) cmdOp()) + " (fd " + fd
                    + ((int) cmdOp() >= 2 ? ", level " + optLevel() + ", optname " + optName() : "") + ")";
            case GENERIC, REQUEST -> "io_uring request";
            case TASK -> "ring task";
            default -> "internal request";
        };
    }

    private static String sockCmdName(int op) {
        return switch (op) {
            case 0 -> "SIOCINQ";
            case 1 -> "SIOCOUTQ";
            case 2 -> "GETSOCKOPT";
            case 3 -> "SETSOCKOPT";
            default -> "op " + op;
        };
    }
}
