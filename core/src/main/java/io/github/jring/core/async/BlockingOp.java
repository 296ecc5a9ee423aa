package io.github.jring.core.async;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * The request of a blocking call ({@code readBlocking} ...), which the caller never sees as a future: the completion
 * thread stores its {@code int} result (or its failure) in the request, publishes it with a release store of
 * {@link #phase} and unparks the {@link #waiter}, which reads it with an acquire load. Nothing is boxed and no
 * {@code CompletableFuture} waiter node is made, and as no one else holds the request afterwards it goes back to the
 * ring's {@link OpPool} and serves the next blocking call: the blocking path allocates nothing per request. Kept
 * apart from {@link Op} so that a future's request does not carry these fields.
 *
 * <p>Every way in which the ring fails a request ends in {@link #completeExceptionally}, which here hands the failure
 * to the waiter instead of completing the (unused) future.
 */
final class BlockingOp extends Op<Integer> {

    private static final int PENDING = 0;
    private static final int SUCCEEDED = 1;
    private static final int FAILED = 2;

    private static final VarHandle PHASE;

    static {
        try {
            PHASE = MethodHandles.lookup().findVarHandle(BlockingOp.class, "phase", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** {@code res}, valid once {@link #phase} is {@link #SUCCEEDED}. */
    private int result;
    /** Why it failed, valid once {@link #phase} is {@link #FAILED}. */
    private Throwable failure;
    /** {@link #PENDING}, then {@link #SUCCEEDED} or {@link #FAILED} (release store). */
    @SuppressWarnings("unused") // accessed through PHASE
    private volatile int phase;

    BlockingOp(RingDriver driver) {
        super(driver, NOP, -1, 0, 0, 0L, null);
    }

    /**
     * Makes this (new or pooled) request the calling thread's: only a request that nothing else refers to any more
     * (see {@link OpPool}) may be reset.
     */
    BlockingOp reset(int kind, int fd, int length, long fileOffset, Object keep) {
        setRequest(kind, fd, length, fileOffset, keep);
        WAITER.set(this, Thread.currentThread()); // the caller, unparked when the outcome is in (null while pooled)
        failure = null;
        PHASE.set(this, PENDING); // plain: published with the other fields by the queue's exchange
        return this;
    }

    /**
     * Hands the outcome to the waiter, once (a later outcome, such as the real completion of a request the close
     * already failed, is dropped). Touches nothing of the request after the release store but the waiter it read
     * before: from then on the waiter may reuse the request (an unpark that reaches it later is a spurious wakeup,
     * which every park loop allows for).
     */
    boolean settle(int res, Throwable t) {
        if ((int) PHASE.getOpaque(this) != PENDING) {
            return false;
        }
        Thread w = (Thread) WAITER.get(this);
        if (t == null) {
            result = res;
            PHASE.setRelease(this, SUCCEEDED);
        } else {
            failure = t;
            PHASE.setRelease(this, FAILED);
        }
        LockSupport.unpark(w);
        return true;
    }

    /** Whether the outcome is in (acquire: {@link #result()} or {@link #failure()} is then visible). */
    boolean settled() {
        return (int) PHASE.getAcquire(this) != PENDING;
    }

    /** Once {@link #settled()}: whether it succeeded. */
    boolean succeeded() {
        return (int) PHASE.getAcquire(this) == SUCCEEDED;
    }

    /** Once it {@link #succeeded()}: {@code res}. */
    int result() {
        return result;
    }

    /** Once it failed: why. */
    Throwable failure() {
        return failure;
    }

    /** On its way into {@link OpPool}: drops the references to memory and thread. */
    void recycle() {
        release();
        WAITER.set(this, null);
    }

    @Override
    public boolean isDone() {
        return settled();
    }

    @Override
    public boolean completeExceptionally(Throwable ex) {
        return settle(0, ex);
    }
}
