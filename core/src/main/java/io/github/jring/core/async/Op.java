package io.github.jring.core.async;

import io.github.jring.bindings.Uapi;
import io.github.jring.core.ErrnoException;

import java.util.concurrent.CompletableFuture;

/**
 * One request of an {@link AsyncRing}: the future handed to the caller, the description of the request (written
 * by the submitting thread before it is queued, read by the completion thread after), its link in the submission
 * queue, and, while in flight, the strong reference to the memory the kernel uses. One object per request, so the
 * futures API allocates this object (and the boxed result) and nothing else on its way.
 *
 * <p>{@link #cancel(boolean)} completes the future with a {@link java.util.concurrent.CancellationException} at once
 * and asks the kernel to cancel the request ({@code IORING_OP_ASYNC_CANCEL}); the buffer stays referenced until the
 * kernel's completion arrives, whatever it says.
 *
 * @param <T> the result: {@link Integer} or {@link Completion}, or a {@link RingTask}'s result
 */
final class Op<T> extends CompletableFuture<T> {

    static final int NOP = 0;
    static final int READ = 1;
    static final int WRITE = 2;
    static final int FSYNC = 3;
    /** Generic {@code uring_cmd}: result {@link Completion}, failed on {@code res < 0}. */
    static final int URING_CMD = 4;
    /** Socket {@code uring_cmd} (6.7): result {@link Integer}. */
    static final int CMD_SOCK = 5;
    /** {@link SqePreparer}: result {@link Completion}, whatever {@code res} is. */
    static final int GENERIC = 6;
    /** Kinds up to here are kernel requests with a slot and a {@code user_data}. */
    static final int LAST_REQUEST = GENERIC;
    /** {@link RingTask} run on the completion thread. */
    static final int TASK = 7;
    /** Asks the completion thread to cancel {@link #keep} (an {@code Op}) in the kernel. */
    static final int CANCEL = 8;
    /** The submission queue's initial node. */
    static final int STUB = 9;

    private static final int ECANCELED = Uapi.ECANCELED();

    /** The ring, for {@link #cancel(boolean)}; {@code null} for internal nodes. */
    final AsyncRing ring;
    final int kind;
    final int fd;
    /** READ/WRITE: length; FSYNC: fsync flags; CMD_SOCK: option name. */
    final int len;
    /** CMD_SOCK: option level. */
    final int arg;
    /** READ/WRITE: file offset; URING_CMD/CMD_SOCK: {@code cmd_op}. */
    final long off;
    /**
     * What must stay reachable while the kernel may use it: the buffer segment, the {@link SqePreparer} (and what it
     * captured), the task, or the cancel target. Cleared by the completion thread when the completion is reaped.
     */
    Object keep;
    /** Link in {@link OpQueue}; written by the next producer, read by the completion thread. */
    volatile Op<?> next;

    Op(AsyncRing ring, int kind, int fd, int len, long off, int arg, Object keep) {
        this.ring = ring;
        this.kind = kind;
        this.fd = fd;
        this.len = len;
        this.off = off;
        this.arg = arg;
        this.keep = keep;
    }

    static Op<Void> stub() {
        return new Op<>(null, STUB, -1, 0, 0L, 0, null);
    }

    /**
     * Completes the future from the kernel's answer (completion thread). The caller has released the buffer
     * reference first if the kernel is done with it (no {@code IORING_CQE_F_MORE}); a later completion of the same
     * request does not change the result.
     */
    @SuppressWarnings("unchecked")
    void finish(int res, int flags, long big0, long big1, boolean ringClosing) {
        if (res >= 0 && kind < URING_CMD) {
            complete((T) Integer.valueOf(res)); // the common case, kept small for the JIT to inline
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

    /**
     * Fails the future and drops the buffer reference (only for requests the kernel never saw, or no longer uses).
     */
    void fail(Throwable t) {
        keep = null;
        completeExceptionally(t);
    }

    /**
     * With {@link AsyncRingBuilder#spin}, a platform thread about to wait watches the result for that long first:
     * a completion that arrives meanwhile costs no park and no unpark (a virtual thread parks at once: its park is
     * cheap, and spinning would hold its carrier).
     */
    private void spinUntilDone() {
        long spin = ring != null ? ring.spinNanos() : 0;
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
        if (cancelled && ring != null && kind <= LAST_REQUEST) {
            ring.cancelInKernel(this);
        }
        return cancelled;
    }

    /** The request in words, for error messages. */
    String describe() {
        return switch (kind) {
            case NOP -> "nop";
            case READ -> "read (fd " + fd + ", " + Integer.toUnsignedString(len) + " bytes at offset " + off + ")";
            case WRITE -> "write (fd " + fd + ", " + Integer.toUnsignedString(len) + " bytes at offset " + off + ")";
            case FSYNC -> "fsync (fd " + fd + (len != 0 ? ", flags 0x" + Integer.toHexString(len) : "") + ")";
            case URING_CMD -> "uring_cmd (cmd_op 0x" + Long.toHexString(off) + ", fd " + fd + ")";
            case CMD_SOCK -> "socket uring_cmd " + sockCmdName((int) off) + " (fd " + fd
                    + ((int) off >= 2 ? ", level " + arg + ", optname " + len : "") + ")";
            case GENERIC -> "io_uring request";
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
